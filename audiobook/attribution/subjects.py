"""Who a sentence of the narration is about.

The layer under the tag grammar: a `Subject` (a character's name, a
pronoun still to resolve, a noun phrase such as `his wife` or `the old
man`, or somebody unnamed), the subject starting at a point of the text
(`subject_at`), the subject of the verb ending a stretch of narration
(`last_subject`), where sentences start, and the action beats: the
sentences right before and after a quote (`Jo paused. "…"`).  A name
several characters share is read as the one in the scene (`settle`).
Nothing here knows verbs of speaking: `grammar` does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from audiobook.attribution.context import Quote, Story, is_subject
from audiobook.attribution.names import FEMALE_NOUNS, MALE_NOUNS, gender_of_noun


PRONOUN_GENDER = {"he": "male", "she": "female"}
SKIP = re.compile(r"[\s,;:—–\-…)]*")
_PRONOUN = re.compile(r"\b(he|she|i|we)\b(?!['’])", re.I)
WORD = re.compile(r"[A-Za-z]+")
_POSSESSIVE_WORD = re.compile(r"(?:his|her|my|our|their)\s+", re.I)
#: Words before a name that describe its bearer: `the poet Syme`, `the voice of John Reed`.
_EPITHET = re.compile(r"the\s+(?:voice\s+of\s+|(?:[a-z][\w-]*\s+){1,2}(?=[A-Z]))")
WORD_AFTER = re.compile(r"(?:['’]s)?(?:\s*,\s*[a-z]+(?:\s+[a-z]+)?\s*,)?\s+[a-z]")
DETERMINER = r"(?P<det>a|an|another|some|the|one\s+of\s+the|his|her|their|my|our|your)\s+"
#: A noun phrase after an inverted verb: `said the old man`, `cried his wife impatiently`.
_NP_END = (r"(?=\s*(?:[,.;:!?—–-]|$|\s+(?:\w+ly|to|in|on|by|with|as|who|whose|that|and|from|at|of|but|for|"
           r"into|upon|over|under|after|while|when|without|through|across|behind|beside|near|out|up|down|toward|"
           r"towards|again|then|now|once)\b))")
NOMINAL_OBJECT = re.compile(DETERMINER + r"(?:[\w-]+\s+){0,3}?(?P<head>[\w-]+)" + _NP_END, re.I)
#: A noun phrase whose head is a noun of one gender (`My uncle saw me`, `The old lady reached`).
_GENDERED_NOUN_PHRASE = re.compile(DETERMINER + r"(?:[\w-]+\s+){0,2}?(?P<head>%s)\b" % "|".join(
    sorted(FEMALE_NOUNS | MALE_NOUNS, key=len, reverse=True)), re.I)
#: What a possessive name owns: `'s companion` in `said Cameron's companion`.
_OWNED = re.compile(r"['’]s\s+(?:[\w-]+\s+){0,2}?(?P<head>[a-z][\w-]*)" + _NP_END)
_POSSESSIVE_DETERMINERS = frozenset({"his", "her", "their", "my", "our", "your"})
#: What may come before a sentence's subject: quote marks, dashes and a linking word (`But`, `Presently`).
OPENING = re.compile(r"[\s\"“”‘’'—–\-]*(?:(?:and|but|then|so|now|yet|presently|suddenly|at\s+last)\b[\s,]*)?", re.I)
#: A clause set inside a sentence, up to the comma that closes it (`when he spoke to her,`).
SUBORDINATE = re.compile(r"\b(?:when|while|whilst|as|if|because|since|after|before|until|though|although|who|whom|"
                          r"whose|which|where)\b[^,;:]*[,;:]", re.I)
#: A clause joined on after the last one (`…, and the young man began`).
_JOINED_CLAUSE = re.compile(r"(?:,\s*|;\s*|\s+)(?:and|but)\s+(?=(?:the|a|an)\s)", re.I)
#: Words in parentheses: an aside, whose subject is not the sentence's.
_PARENTHESIS = re.compile(r"\([^()]*\)")
#: A relative pronoun right before the verb (`Jo, who said`), with the name it follows.
_RELATIVE = re.compile(r"(?:\s*,\s*|\s+)who\s+(?:\w+ly\s+)?$", re.I)
#: A full stop, question or exclamation mark (with a closing quotation mark) and the space after it, not
#: after a title's abbreviation (`Mr.`): a looked-ahead first character lets the search skip most text fast.
_STOP = r"(?<!\bMr)(?<!\bMrs)(?<!\bDr)(?<!\bMs)(?<!\bSt)[.!?]['\"”’]?\s+"
CLAUSE_END = re.compile(r"(?=[.!?])" + _STOP)
#: Where a sentence ends, or a clause after a semicolon.
SENTENCE_END = re.compile(r"(?=[.!?;])(?:" + _STOP + r"|;\s+)")
#: Everything up to the last sentence end before more text: greedy, so the last one (its space run whole).
_LAST_CLAUSE_END = re.compile(r"(?s:.*)" + CLAUSE_END.pattern + r"(?=\S)")


@dataclass(frozen=True)
class Subject:
    """Who a tag names: a character, a pronoun to resolve, or somebody unnamed."""

    name: Optional[str] = None
    pronoun: Optional[str] = None
    unnamed: bool = False  # `a voice`, `the stranger`: nobody the text has named
    gender: Optional[str] = None  # what a pronoun or a noun (`his wife`) says of the speaker
    description: Optional[str] = None  # the noun describing an unnamed speaker (`gentleman`)
    noun: Optional[str] = None  # the noun describing any speaker (`gentleman`, `mother` in `her mother`)
    listener: Optional[str] = None  # who hears the speaker (`Mary` in `Mary heard her say`), never the speaker
    owner: Optional[str] = None  # whose relation speaks (`Cameron` in `said Cameron's companion`), never the speaker
    support: float = 1.0  # for a mention read from decided lines (turn-taking), how sure those lines are


def nominal_subject(story: Story, match: Optional[re.Match], quote: Optional[Quote] = None) -> Optional[Subject]:
    """A subject for a described speaker (`the old man`, `his wife`): the one
    cast entry the same words describe (`a thin, elderly gentleman` for `the
    thin gentleman`), or whose name is the phrase's head (`the Old Badger` for
    `Badger`), else somebody unnamed; one introduced by a possessive is
    someone known, so not `unnamed`."""
    if match is None:
        return None
    head = match.group("head").lower()
    if head in _ORDINALS and match.group("det").lower() == "the" and quote is not None:
        return _one_of_two(story, quote, match.start(), _ORDINALS[head])
    modifiers = WORD.findall(match.string[match.end("det"):match.start("head")].lower())
    described = story.names.described_as(head, modifiers)
    if len(described) == 1 and not (quote is not None and match.group("det").lower() == "the"
                                    and _newly_introduced(story, quote, head, match.start(), next(iter(described)))):
        return Subject(name=next(iter(described)))
    named = story.mention_at(quote.chapter, match.start("head")) if quote is not None else None
    if named is not None and named.name:
        return Subject(name=named.name)  # a character described by their name's noun: `the Old Badger`
    gender = gender_of_noun(head)
    unnamed = match.group("det").lower() not in _POSSESSIVE_DETERMINERS
    return Subject(unnamed=unnamed, gender=gender, description=head if unnamed else None, noun=head)


#: How many paragraphs back a newcomer introduced by `a` or `an` is the one `the` and the same noun stand for.
NEWCOMER_REACH = 3


def _newly_introduced(story: Story, quote: Quote, head: str, before: int, described: str) -> bool:
    """True when the narration has just brought in somebody new with the same
    noun (`pulled back by a young gentleman …` / `cried the gentleman`) whom the
    cast's description of that noun does not fit (`the gentleman in the white
    waistcoat`): `the gentleman` is the newcomer, not the cast's."""
    start = story.paragraphs_back(quote, NEWCOMER_REACH)
    words = story.names.description_words(described)
    return any(not set(found.group(1).split()) & words
               for found in _newcomer(head).finditer(story.text(quote), start, before))


@lru_cache(maxsize=None)
def _newcomer(head: str) -> re.Pattern:
    """Somebody brought in by `a` or `an` and the noun `head`, with up to two words before it (`a young gentleman`)."""
    return re.compile(r"\b(?:a|an)\s+((?:[a-z][\w-]*\s+){0,2})%s\b" % re.escape(head))


#: `the latter` and `the former`: the last and the one before of the two characters named last.
_ORDINALS = {"latter": 0, "former": 1}


def _one_of_two(story: Story, quote: Quote, end: int, back: int) -> Optional[Subject]:
    """`"…," said the latter`: of the characters the narration names last
    (in the paragraph before and this one, before `end`), the latest or the one before."""
    start = story.paragraphs_back(quote, 1)
    latest: list[str] = []
    for mention in reversed(story.mentions_between(quote.chapter, start, end)):
        if mention.name and mention.name not in latest:
            latest.append(mention.name)
    return Subject(name=latest[back]) if len(latest) > back else None


#: A title standing alone for whoever holds it in the scene: `the Captain`, `the Colonel`.
_STANDING_TITLE = re.compile(r"[Tt]he\s+([A-Z][a-z]+)$")


def _titled_last(story: Story, quote: Quote, mention) -> Optional[str]:
    """`said the Captain`, among several captains: the one the scene last
    called by that title (`Captain Macmurdo, you speak like a man of sense`),
    in its narration or its speech, within a few paragraphs."""
    text = story.text(quote)
    standing = _STANDING_TITLE.match(text[mention.start:mention.end])
    if standing is None:
        return None
    title = standing.group(1)
    first = story.paragraphs_back(quote, TITLE_REACH)
    found = [*story.mentions_between(quote.chapter, first, mention.start),
             *(m for q in story.previous_quotes(quote) for m in q.mentions if first <= m.start < mention.start)]
    for other in sorted(found, key=lambda m: m.start, reverse=True):
        if other.name in mention.names and text.startswith(title + " ", other.start):
            return other.name
    return None


#: How many paragraphs back `_titled_last` looks for a title given with a name.
TITLE_REACH = 6


def subject_at(story: Story, quote: Quote, pos: int) -> tuple[Optional[Subject], int]:
    """A subject starting at `pos` and the offset after it."""
    text = story.text(quote)
    determiner = _POSSESSIVE_WORD.match(text, pos) or _EPITHET.match(text, pos)
    mention = story.mention_at(quote.chapter, pos) or (determiner and story.mention_at(quote.chapter, determiner.end()))
    if mention:
        name = mention.name or _titled_last(story, quote, mention) or settle(story, quote, mention.names)
        return (Subject(name=name) if name else None), mention.end
    pronoun = _PRONOUN.match(story.text(quote), pos)
    if pronoun:
        word = pronoun.group(1).lower()
        return Subject(pronoun=word, gender=PRONOUN_GENDER.get(word)), pronoun.end()
    return None, pos


def owned(text: str, subject: Optional[Subject], end: int) -> Optional[Subject]:
    """For a name owning the noun after it (`Cameron's companion`, not `Jo's
    voice`), the one so related to them; else the subject as it is."""
    match = _OWNED.match(text, end) if subject is not None and subject.name else None
    if match is None or match.group("head").lower() == "voice":
        return subject
    head = match.group("head").lower()
    return Subject(gender=gender_of_noun(head), noun=head, owner=subject.name)


#: How many times more often the book names one of several characters sharing a name than any other of
#: them, for the shared name to be that one's when the context says nothing.
SETTLE_DOMINANCE = 2


def settle(story: Story, quote: Quote, names: frozenset[str]) -> Optional[str]:
    """Pick among characters sharing a name (`Osborne` for George Osborne,
    his father and his sisters): the most recent one in context, else the one
    the book names far more often than the others (by names of their own)."""
    for name in story.recent_characters(quote, quote.segment.start):
        if name in names:
            return name
    named = sorted(((story.prominence()[name], name) for name in names), reverse=True)
    if len(named) > 1 and named[0][0] >= SETTLE_DOMINANCE * max(named[1][0], 1):
        return named[0][1]
    return None


def last_subject(story: Story, quote: Quote, start: int, end: int) -> Optional[Subject]:
    """The subject of the verb ending ``text[start:end]``: the last pronoun or
    name before it that is neither possessive nor after a preposition (`felt
    Tom's shirt, and said` has none) nor in a clause closed before the verb
    (`she smiled when he spoke to her, and then said`) or in parentheses, unless
    a description opens a clause joined on after it (`Archer was alone, and
    the young man, before …, began`), else a description opening the clause
    (`The old lady`, `But Jo's mother`: not Jo)."""
    text = story.text(quote)
    relative = _RELATIVE.search(text, start, end)
    if relative is not None:  # `looked at Jo, who said`: the one the relative clause is about
        before = [m for m in story.mentions_between(quote.chapter, start, relative.start()) if m.end == relative.start()]
        if before and before[-1].name:
            return Subject(name=before[-1].name)
    aside = [(m.start(), m.end()) for m in SUBORDINATE.finditer(text, start, end) if m.end() < end]
    aside += [(m.start(), m.end()) for m in _PARENTHESIS.finditer(text, start, end)]  # `(it was Newland who …)`
    names = [m for m in story.mentions_between(quote.chapter, start, end)
             if is_subject(text, m) and not _within(aside, m.start)]
    pronouns = [p for p in _PRONOUN.finditer(text, start, end) if not _within(aside, p.start())]
    last = max([m.end for m in names] + [p.end() for p in pronouns], default=None)
    joined = list(_JOINED_CLAUSE.finditer(text, last, end)) if last is not None else []
    if joined:  # `Archer was alone, and the young man, before …, began`: the one the last joined clause is about
        described = _GENDERED_NOUN_PHRASE.match(text, joined[-1].end(), end)
        if described and not _JOINED_CLAUSE.search(text, described.end(), end):
            subject = nominal_subject(story, described, quote)
            if subject is not None:
                return subject
    if pronouns and (not names or pronouns[-1].start() > names[-1].start):
        word = pronouns[-1].group(1).lower()
        # a name the pronoun's own clause goes on to (`He beckoned Kronborg into the room and said`) is not whom it stands for
        objects = [m.name for m in story.mentions_between(quote.chapter, pronouns[-1].end(), end) if m.name]
        return Subject(pronoun=word, gender=PRONOUN_GENDER.get(word), listener=objects[-1] if objects else None)
    if names:
        name = names[-1].name or settle(story, quote, names[-1].names)
        return Subject(name=name) if name else None
    opening = SKIP.match(text, start, end).end()
    owner, after = subject_at(story, quote, OPENING.match(text, start, end).end())
    if owner is not None and owner.name and _OWNED.match(text, after, end):
        return owned(text, owner, after)
    described = _GENDERED_NOUN_PHRASE.match(text, opening, end) or NOMINAL_OBJECT.match(text, opening, end)
    return nominal_subject(story, described, quote)


def _within(spans: list[tuple[int, int]], offset: int) -> bool:
    """True when `offset` falls inside one of the spans."""
    return any(start <= offset < end for start, end in spans)


def closing_narration(story: Story, chapter: int, paragraph: int) -> int:
    """Where the narration that closes a paragraph starts: after its last quote, if any."""
    quotes = story.by_paragraph.get((chapter, paragraph))
    return quotes[-1].after[0] if quotes else story.book.chapters[chapter].paragraphs[paragraph].start


def last_sentence_start(text: str, start: int, end: int) -> int:
    """Where the last sentence of ``text[start:end]`` begins."""
    match = _LAST_CLAUSE_END.match(text, start, end)
    return match.end() if match else start


def beat_after(quote: Quote, story: Story) -> Optional[Subject]:
    """The subject opening the sentence that follows the quote in its paragraph."""
    return _once(story, ("beat after", id(quote)), _beat_after, quote)


def _beat_after(quote: Quote, story: Story) -> tuple[Optional[Subject], int]:
    """`beat_after`, worked out, with where its subject starts."""
    text = story.text(quote)
    pos = SKIP.match(text, quote.after[0], quote.after[1]).end()
    if pos >= quote.after[1] or not text[pos].isupper():
        return None, pos
    subject, end = subject_at(story, quote, pos)
    return (subject if subject is not None and WORD_AFTER.match(text, end) else None), pos


def beat_before(quote: Quote, story: Story) -> Optional[Subject]:
    """The subject opening the sentence that leads into the quote in its
    paragraph, after a linking word if any (`Then Tom paused.`)."""
    return _once(story, ("beat before", id(quote)), _beat_before, quote)


def _beat_before(quote: Quote, story: Story) -> tuple[Optional[Subject], int]:
    """`beat_before`, worked out, with where its subject starts."""
    text = story.text(quote)
    start, end = quote.before
    if not text[start:end].strip():
        return None, start
    pos = OPENING.match(text, last_sentence_start(text, start, end), end).end()
    subject, after = subject_at(story, quote, pos)
    return (subject if subject is not None and WORD_AFTER.match(text, after) else None), pos


#: How far after a subject's start a name shared by several characters makes its reading depend on who
#: has spoken so far (`settle`), so that it is not kept.
_SETTLE_REACH = 60


def _once(story: Story, key: tuple, work, quote: Quote) -> Optional[Subject]:
    """What `work` finds for the quote, worked out once: the text never
    changes, but a name shared by several characters is read as whichever
    was in the scene last, so a subject by such a name is worked out anew."""
    if key in story.cache:
        return story.cache[key]
    subject, pos = work(quote, story)
    if all(m.name for m in story.mentions_between(quote.chapter, pos, pos + _SETTLE_REACH)):
        story.cache[key] = subject
    return subject
