"""Who `I` is: the cast member a first-person narration belongs to.

A book told in the first person rarely names its narrator in the narration,
but the other characters call the narrator by name, above all in the lines
that answer the narrator's own (`"…," I said.` / `"My dear Watson, …"`).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterator, Optional

from audiobook.attribution.context import THEN_ADDRESSED, Quote, Story
from audiobook.attribution.grammar import SPEECH_VERBS, answers_by_description, tag_subject
from audiobook.attribution.mentions import INTRODUCING, asks_name

#: First-person pronouns per thousand words of narration above which a book is told in the first person.
FIRST_PERSON_RATE = 12
#: How many times more the others must call a character than the narration makes them act, for the
#: character to be `I`: a whole novel names its narrator in the narration now and then (a title, a
#: letter, a misread line), but calls them by name hundreds of times.
ACTING_SHARE = 20
#: The least evidence (weighted namings) for taking a character as the narrator.
NARRATOR_EVIDENCE = 3
#: How many of a chapter's answers to `I` must call another character by name, and how many times more
#: than the one telling the chapters before, for the narration to have passed to that character.
TAKEOVER_ANSWERS = 2
TAKEOVER_SHARE = 2
#: The most words of a heading that names who tells what follows.
HEADING_WORDS = 14
#: A heading naming who tells what follows: `The Story Continued by Marian Halcombe`, `Narrative
#: Resumed by Jim Hawkins`, `The Narrative of Hester Pinhorn`, `Jonathan Harker's Journal`.
_TOLD_BY = re.compile(r"\b(?:narrative|narration|story|account|statement|journal|diary|testimony|evidence|memoirs?|"
                      r"confession|recollections?|papers)\b[^.\n]{0,40}?\b(?:by|of|from)\s+(?=\w)|"
                      r"['’]s\s+(?:own\s+)?(?:narrative|story|account|statement|journal|diary|testimony|evidence|"
                      r"memoirs?|confession|recollections?|papers)\b", re.I)
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|myself)\b")
_PRECEDING_WORD = re.compile(r"(\w+)\s+$")
_FOLLOWING_VERB = re.compile(r"\s+(?:\w+ly\s+)?(\w+)")
_AFTER_PREPOSITION = re.compile(r"\b(?:of|to|by|with|at|for|in|on|from|called|named|and)\s+$", re.I)
INVERTING_VERBS = frozenset("said says asked cried replied answered returned exclaimed".split())
COMMON_VERBS = frozenset("""was is had has did does came comes went goes took takes made makes saw sees knew knows
thought thinks looked looks felt feels gave gives got gets stood stands sat sits ran runs held holds left leaves
kept keeps found finds turned turns began begins seemed seems would could should might must will shall""".split())


def is_first_person(story: Story) -> bool:
    """True when the narration says `I` often enough to be told in the first person."""
    return story.once("first person", lambda: _first_person_rate(story) >= FIRST_PERSON_RATE)


def _first_person_rate(story: Story) -> float:
    """First-person pronouns per thousand words of narration."""
    narration = [s.text for ch in story.book.chapters for p in ch.paragraphs for s in p.segments if not s.is_dialogue]
    words = sum(len(t.split()) for t in narration)
    return 1000 * sum(len(_FIRST_PERSON.findall(t)) for t in narration) / words if words else 0.0


def answers_to_narrator(story: Story, quotes: Optional[list] = None) -> Counter:
    """How often each character is addressed in a paragraph next to one where
    `I` speaks (among `quotes`, say one chapter's, or in the whole book)."""
    votes: Counter = Counter()
    for quote in story.quotes if quotes is None else quotes:
        subject = tag_subject(quote, story)
        if subject is None or subject.pronoun != "i":
            continue
        for step in (-1, 1):
            for other in story.by_paragraph.get((quote.chapter, quote.paragraph + step), []):
                votes.update(other.addressees)
    return votes


def described_answers(story: Story) -> Counter:
    """How often each character is addressed in a paragraph with a named tag
    whose answer has a tag describing its speaker by a noun (`"Am I right,
    Jack?" said Cotter` / `"…," said my uncle`): the one addressed answers in
    the third person, so is not `I`."""
    return Counter(name for quote, _ in answers_by_description(story) for name in quote.addressees)


def acting_in_narration(story: Story, only: Optional[int] = None) -> Counter:
    """How often the narration (of one chapter, or of the whole book) makes
    each character the subject of a verb (`Holmes laughed`, `said Joe`):
    what it does not do for its own narrator."""
    counts: Counter = Counter()
    chapters = range(len(story.book.chapters)) if only is None else [only]
    for index in chapters:
        chapter, mentions = story.book.chapters[index], story.mentions[index]
        for mention in mentions:
            if mention.name and _acts(chapter.source_text, mention.start, mention.end):
                counts[mention.name] += 1
    return counts


def told_of(story: Story) -> Counter:
    """How often the characters' own speech makes each character the subject
    of a verb (`said Sir Gawaine`, `Sir Gawaine rose`): they speak to the
    narrator, and of others."""
    counts: Counter = Counter()
    for quote in story.quotes:
        text = story.text(quote)
        for mention in quote.mentions:
            if mention.name and _acts(text, mention.start, mention.end):
                counts[mention.name] += 1
    return counts


def _acts(text: str, start: int, end: int) -> bool:
    """True when the name at ``text[start:end]`` is a verb's subject (`Joe came`, `said Joe`)."""
    before = _PRECEDING_WORD.search(text, max(0, start - 20), start)
    if before and before.group(1).lower() in INVERTING_VERBS:
        return True
    verb = _FOLLOWING_VERB.match(text, end)
    if not verb or _AFTER_PREPOSITION.search(text, max(0, start - 12), start):
        return False
    word = verb.group(1).lower()
    return word in COMMON_VERBS or word in SPEECH_VERBS or (len(word) > 3 and word.endswith("ed"))


def introduced_by_narrator(story: Story) -> frozenset[str]:
    """The characters whose names `I` gives as their own: `"My name is
    Ishmael," I said`, `"Yes," I said, "Jonathan Harker."` (a line of `I`'s
    that is nothing but a name, not asking or calling it: `"Mr. Heathcliff?" I said`, `"Tom," I inquired`,
    `"Maud," I said.  "Maud."`; or an untagged answer to somebody asking the name: `"Pip, sir."`)."""
    return story.once("introduced by narrator", lambda: frozenset(_introduced_by_narrator(story)))


def _introduced_by_narrator(story: Story) -> set[str]:
    """`introduced_by_narrator`, worked out."""
    found = set()
    for quote in story.quotes:
        paragraph = story.by_paragraph[(quote.chapter, quote.paragraph)]
        own = tag_subject(quote, story)
        if own is not None and own.pronoun != "i":  # `"…, I am Marian …," she said`: not `I`'s words
            continue
        if not any((s := tag_subject(q, story)) is not None and s.pronoun == "i" for q in paragraph) \
                and not _answers_asking(quote, paragraph, story):
            continue
        text = story.text(quote)
        words = text[quote.segment.start:quote.segment.end].strip(" \t\n.,;:!?\"“”‘’'—–-")
        for mention in story.names.find(text, quote.segment.start, quote.segment.end):
            surface = text[mention.start:mention.end]
            given = surface == words or (words.startswith(surface) and (then := THEN_ADDRESSED.match(text, mention.end))
                                         and then.end() - mention.start == len(words))  # `"Pip, sir."`
            whole = (given and not set("?!") & set(quote.segment.text)
                     and not quote.segment.text.rstrip(" \"”’'").endswith((",", "-", "—", "–"))  # a call, or cut off
                     and not any(mention.name in q.addressees for q in paragraph if q is not quote))  # `"Maud," I said. "Maud."`
            proper = surface[:1].isupper() and not surface.lower().startswith("the ")  # not `"The doctor--" I began`
            possessive = text.startswith(("'s", "’s"), mention.end)  # `I am Sir Henry's friend`
            if mention.name and proper and not possessive and (
                    whole or INTRODUCING.search(text, quote.segment.start, mention.start)):
                found.add(mention.name)
    return found


def _answers_asking(quote: Quote, paragraph: list[Quote], story: Story) -> bool:
    """True when the quote, alone and untagged in its paragraph, answers
    somebody tagged in the third person who asked for a name (`"Tell us your
    name!" said the man.` / `"Pip, sir."`): in a book told in the first
    person, `I` answers."""
    if len(paragraph) != 1 or tag_subject(quote, story) is not None or not asks_name(quote, story):
        return False
    asking = story.by_paragraph.get((quote.chapter, quote.paragraph - 1), [])
    return any((s := tag_subject(q, story)) is not None and s.pronoun != "i" for q in asking)


def first_person_character(story: Story) -> Optional[str]:
    """In a book told in the first person, the character who is the narrator:
    the one whose name `I` gives as their own, else the one others address by
    name, most of all in answer to `I`, while the narration hardly ever names
    them or tags their answers in the third person, and the speeches call
    them more than they tell of them."""
    if not is_first_person(story):
        return None
    introduced = introduced_by_narrator(story)
    if len(introduced) == 1:
        return next(iter(introduced))
    acting = acting_in_narration(story) + described_answers(story)
    answers = answers_to_narrator(story)
    told = told_of(story)

    def called(name: str) -> int:
        return 3 * answers[name] + 2 * story.addressed[name]

    def score(name: str) -> int:
        return called(name) + story.quoted_names[name] - 3 * acting[name]

    # Others speak to the narrator, not of the narrator doing things: a name the speeches tell of
    # more than they call it is someone else (a figure of a tale told within the story).
    candidates = [name for name in story.names.characters
                  if story.addressed[name] and ACTING_SHARE * acting[name] <= called(name)
                  and 2 * told[name] <= called(name)]
    best = max(candidates, key=score, default=None)
    return best if best is not None and score(best) >= NARRATOR_EVIDENCE else None


def narrator_sections(story: Story, narrator: str, by_answers: bool = True) -> list[tuple[tuple[int, int], str]]:
    """Where, in a book told in the first person by several characters in
    turn, the narration passes from one `I` to the next: (chapter, paragraph)
    and who is `I` from there on, the book's own `narrator` before the first.
    A heading may say so (`The Story Continued by Marian Halcombe`,
    `Narrative Resumed by Jim Hawkins`).  Else a chapter's answers to `I` may
    show it: they call another character by name (at least
    `TAKEOVER_ANSWERS` times, and `TAKEOVER_SHARE` times as often as the one
    telling the chapters before) whom the chapter's narration never makes do
    anything, while it does make the one before do things, now a `he` or
    `she`; or they call the book's own narrator, back from a frame or an
    embedded tale, more than the chapter shows that one acting (until a
    chapter's answers have shown who `I` is, a book's narrator who has not
    given their own name is only a guess, and the first chapter whose
    answers call one character more than all the others decides;
    `by_answers` False: headings only)."""
    if not story.first_person:
        return []
    sections: list[tuple[tuple[int, int], str]] = []
    current, shown = narrator, narrator in introduced_by_narrator(story)
    by_chapter = story.quotes_by_chapter()
    for index in range(len(story.book.chapters)):
        headed = list(_headings_naming(story, index))
        if headed:
            sections.extend(((index, paragraph), name) for paragraph, name in headed)
            current, shown = headed[-1][1], True
            continue
        answers = answers_to_narrator(story, by_chapter.get(index, [])) if by_answers else Counter()
        if not answers:
            continue
        best, votes = answers.most_common(1)[0]
        if best == current:
            shown = True
            continue
        if votes < TAKEOVER_ANSWERS or votes < TAKEOVER_SHARE * answers[current] + 1:
            continue
        if not shown and 2 * votes <= sum(answers.values()):
            continue  # a guess gives way only to a chapter that calls one character more than all others
        acting = acting_in_narration(story, index)
        back = best == narrator and TAKEOVER_SHARE * acting[best] < votes  # the frame may show them listening
        if back or not acting[best] and (not shown or acting[current]):
            sections.append(((index, 0), best))
            current, shown = best, True
    return sections


def _headings_naming(story: Story, chapter: int) -> Iterator[tuple[int, str]]:
    """The paragraphs of a chapter (its title first, as paragraph 0) that are
    headings naming the character who tells what follows, with that character."""
    book_chapter = story.book.chapters[chapter]
    text = book_chapter.source_text
    title = book_chapter.title
    told = _TOLD_BY.search(title)
    if told:
        name = _named_in(story, title, told)
        if name:
            yield 0, name
    for p, paragraph in enumerate(book_chapter.paragraphs):
        if any(s.is_dialogue for s in paragraph.segments):
            continue
        if len(text[paragraph.start:paragraph.end].split()) > HEADING_WORDS:
            continue
        told = _TOLD_BY.search(text, paragraph.start, paragraph.end)
        if told:
            name = _named_in(story, text, told, paragraph.end)
            if name:
                yield p, name


def _named_in(story: Story, text: str, told: re.Match, end: Optional[int] = None) -> Optional[str]:
    """The one character a heading names as its teller: right after `by` or
    `of`, or right before the possessive."""
    end = len(text) if end is None else end
    possessive = told.group().startswith(("'", "’"))
    # the name before a possessive is found with its `'s`, which the words of the text keep on it
    for mention in story.names.find(text, max(0, told.start() - 60) if possessive else told.end(),
                                    told.start() + 2 if possessive else end):
        if mention.name and (mention.start == told.end() or mention.end == told.start()):
            return mention.name
    return None
