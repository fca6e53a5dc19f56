"""Finding the names of people in a text: the candidates discovery clusters into characters.

A candidate is a capitalised name (with an optional title: *Mrs. Daniels*,
*Dr. Karev*) cleared of the everyday words a sentence may open with (*Poor
Hollis*, *As Robert*), seen with what surrounds it: whether it speaks
(`said Alex`), is addressed (`"Well, Lucy,`), acts as the subject of a verb
people do (`Alex smiled`), follows a preposition of place (`in Raveloe`),
a kin noun (`his sister Mary`), and the pronoun that next refers back.
Unnamed speakers (`said the girl`) are counted here too.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator, Optional, Sequence

from audiobook.attribution.address import address_links, speaker_and_addressee
from audiobook.attribution.names import FEMALE_NOUNS, MALE_NOUNS, TITLES, gender_of_noun, title_of
from audiobook.attribution.places import is_place
from audiobook.attribution.rules import SPEECH_VERBS
from audiobook.model import DIALOGUE, Book

#: Capitalised words that are not names of people.
NOT_PEOPLE = frozenset("""
i i'm i'll i've i'd the a an and but or so yet for nor if then when while where what who why how which that this
these those there here he she it we they you his her its our their my your me him us them yes no not oh ah ay
well now o mr mrs ms miss dr sir madam lady lord god heaven heavens christ jesus lord's english french german
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december chapter book part volume christmas easter street road avenue hall house
square park church river london paris america england france europe new york st mount north south east west
one two three four five six seven eight nine ten hey hello hi uh um okay ok mother father mamma papa mama papa
sister brother aunt uncle captain colonel doctor professor majesty highness king queen prince princess
ma'am maam mum missus co ladyship lordship honour honor worship excellency reverence sire darling honey
aye nay yea alas hurrah hush illustration senor señor senora señora
mondays tuesdays wednesdays thursdays fridays saturdays sundays footnote footnotes note notes appendix preface
contents index illustrations nobody everybody anybody somebody someone anyone everyone none
""".split())
#: Words for peoples and regions: a character only if the text has them speak (`said Irish`).
DEMONYMS = frozenset("""
american european african asian indian chinese japanese russian prussian austrian italian spanish dutch danish
swedish norwegian irish scotch scottish welsh british greek turkish egyptian persian arab arabian jewish catholic
protestant western eastern northern southern yankee mexican canadian australian portuguese polish hungarian swiss
belgian englishman englishmen frenchman frenchmen englishwoman frenchwoman
""".split())
_CONTRACTION = re.compile(r"(?:n't|'ll|'ve|'re|'m)$")
_TITLE_WORDS = "|".join(sorted((t.capitalize() for t in TITLES), key=len, reverse=True))
#: Titles written short with a full stop (`Mr.`, `Capt.`); after a whole word (`Sheriff.`) a full stop ends a sentence.
_ABBREVIATED = "|".join(sorted((t.capitalize() for t in "mr mrs ms dr capt col gen prof rev mme mlle".split()),
                               key=len, reverse=True))
#: O'Hara, McAllister, Hollis; `St. Clair` is one word of a name (`Neville St. Clair`, `Lord St. Simon`).
_NAME_WORD = r"(?:St\.\s(?=[A-Z]))?(?:[A-Z]['’][A-Z][a-z]+|Ma?c[A-Z][a-z]+|[A-Z][a-z'’]+)"
# A name's later words: never a title with its full stop (`Then Mrs. Hall` is `Mrs. Hall`), never `I`.
_PARTICLE = r"(?:(?:de|van|von|der|den|du|di|da|del|della|le|la)\s+)?"  # Lady Catherine de Bourgh
# A possessive ends a name: `Miss Havisham's Ghost`, `Marco's Sunday` are her ghost, his Sunday.  Every name
# starts with a capital: looking ahead for one first lets the search skip the rest of the text fast.
_NAME = re.compile(r"(?=[A-Z])(?:(?:%s)\.\s+|(?:%s)\s+)?%s(?:(?<!['’]s)(?<!s['’])[-\s]%s(?!(?:%s)\.)(?!I['’\s])%s)*"
                   % (_ABBREVIATED, _TITLE_WORDS, _NAME_WORD, _PARTICLE, _TITLE_WORDS, _NAME_WORD))
#: Words that are never part of a name, even after a title.
FUNCTION_WORDS = frozenset("""i i'm i'll i've i'd the a an and but or so yet for nor if then when while where what
who why how which that this these those there here he she it we they you his her its our their my your me him us
them yes no not oh ah ay well now o""".split())
_NOT_A_SURNAME = FUNCTION_WORDS | NOT_PEOPLE
#: Words that never end a name: a line break may run a name into the next sentence (`to Mr. Bulstrode / God's cause`).
_NEVER_LAST = FUNCTION_WORDS | frozenset("god god's heaven heavens christ jesus".split())
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘’'—–([-]\s*|\n)\s*$")
_FOLLOWING_WORD = re.compile(r"\s+(\w+)")
_WORD = re.compile(r"[A-Za-z]+")
#: A capitalised word opening a sentence, where any word is capitalised (`Thus` of `Thus Johann spoke`).
_OPENING_WORD = re.compile(r"(?:[.!?][\"'”’)]*\s+|\n\s*\n\s*[\"“‘']?)([A-Z][a-z]*)(?![A-Za-z])")
_QUOTE_MARK = re.compile("[\"“”]")
_POSSESSIVES = ("'s", "’s", "'", "’")
_PRECEDING_WORD = re.compile(r"(\w+)\s+$")
INVERTING_VERBS = frozenset({"said", "says", "cried", "asked", "replied", "answered", "returned", "exclaimed"})
_PRONOUN = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.I)
#: Words after which a capitalised word is a place (or a thing), not a person.
PLACE_PREPOSITIONS = frozenset("in at into near towards toward across through within beyond inside outside "
                               "throughout around round along from".split())
#: Words that go before places and people alike, and how much they say it is a place: `to London`, but also
#: `said to Tom`; `of Kent`, but far more often `the name of Ichabod Crane`.
WEAK_PLACE_PREPOSITIONS = {"to": 0.5, "of": 0.25}
ARTICLES = frozenset("a an the".split())
#: The last word of a multi-word name of a place.
PLACE_NOUNS = frozenset("""street row mall heights road lane court abbey manor castle farm square place hills
station town city river lake island isle sea ocean mountain mountains mount valley woods forest gardens cottage
grange lodge villa hotel inn college school chapel cathedral palace tower gate common end bay harbour harbor port
cove point moor dale vale fields avenue terrace crescent parish county shire priory rectory vicarage hospital
prison asylum office club theatre theater museum market wharf dock docks quay creek canyon gulch ranch springs
falls drive embassy park gardens hall house buildings""".split())
#: Verbs only people do (besides speech verbs and any `-ed` word): `London was` says nothing, `Lucy smiled` does.
PERSON_VERBS = frozenset("""looked smiled laughed nodded turned went took sat stood thought knew felt saw
heard rose began shook answered told asked loves loved wanted wished hoped cried wept kissed sighed frowned
shrugged whispered murmured muttered glanced stared listened hesitated paused waited returned replied
remembered wondered hated liked thinks knows feels says smiles laughs nods""".split())
#: Before a name someone is addressed by, inside a quotation: a comma or the opening mark (`"Well, Lucy,`, `"Lucy!`).
_VOCATIVE_BEFORE = re.compile(r"(?:,|[\"“‘]|^)\s?$")
_VOCATIVE_AFTER = re.compile(r"[,!?.](?:\s|[\"”’]|$)|[\"”’]")
_KIN_BEFORE = re.compile(r"\b(?i:his|her|my|your|our|their|the|a|an)\s+(?:[a-z]+\s+)?([a-z]+),?\s+$")
_KIN_AFTER = re.compile(r",\s+(?:his|her|my|your|our|their|the|a|an)\s+(?:[a-z]+\s+)?([a-z]+)\b")
PRONOUN_WINDOW = 120


@dataclass
class Sighting:
    """One capitalised name in the text and what surrounds it."""

    form: str
    speaks: bool  # the subject of a speech verb (`Alex said`, `said Alex`)
    vouched: bool  # mid-sentence, speaking or titled: not just a capitalised sentence opener
    gender: Optional[str]  # the pronoun that next refers back, if any
    acts: bool = False  # followed by a verb people do (`Alex smiled`) or addressed (`, Alex!`)
    kin: Optional[str] = None  # the gender a kin noun beside the name gives (`his sister Mary`)
    place: float = 0.0  # after a preposition of place or an article (`in Raveloe`, `the American`): 1; `to`, `of`: 0.5
    addressed: bool = False  # inside a quotation, between commas or after the opening mark (`"Well, Lucy, ...`)
    quoted: bool = False  # inside a quotation
    start: int = 0  # where it is in the text
    end: int = 0  # where it ends


def collect(book: Book) -> tuple[list[Sighting], Counter, set[frozenset[str]]]:
    """Every sighting of a name that may be a person's, chapter by chapter,
    the address links between them (`address.address_links`), and the pairs
    of forms that are two people: listed together by the narration
    (`listed_together`), or one speaking to the other
    (`address.speaker_and_addressee`)."""
    common = common_words(book)
    cleaned: dict[str, str] = {}  # the same few hundred forms, met thousands of times
    chapters = []
    for chapter in book.chapters:
        spans = dialogue_spans(chapter)
        body = chapter.paragraphs[0].start if chapter.paragraphs else chapter.start  # not the heading's words
        chapters.append((chapter, spans, list(sightings_in(chapter.source_text, body, chapter.end,
                                                           common, spans, cleaned))))
    # a name the text uses alone, mid-sentence: `Israel` of `Israel Hands`, whose surname is an everyday word
    alone = {s.form for _chapter, _spans, found in chapters for s in found
             if s.vouched and " " not in s.form and s.form.lower() not in common and s.form.lower() not in NOT_PEOPLE}
    chapters = [(chapter, spans, [s for s in found if looks_like_a_person(s.form, common, alone)])
                for chapter, spans, found in chapters]
    _unglue_openers([s for _chapter, _spans, found in chapters for s in found])
    sightings, links, apart = [], Counter(), set()
    for chapter, spans, found in chapters:
        links.update(address_links(found, spans, chapter.source_text))
        starts = sorted(paragraph.start for paragraph in chapter.paragraphs)
        apart |= listed_together(found, chapter.source_text) | speaker_and_addressee(found, spans, chapter.source_text,
                                                                                      starts)
        sightings += found
    return sightings, links, apart


_LISTING = re.compile(r"(?:['’]s?)?(?:\s*,\s*(?:and\s+|or\s+|nor\s+)?|\s+(?:and|or|nor)\s+)")


def listed_together(sightings: Sequence[Sighting], text: str) -> set[frozenset[str]]:
    """The pairs of different forms that the narration writes side by side in
    a list (`Peleg and Bildad`, `Jo, Meg, and Beth`): two people, whatever
    else links their names."""
    pairs = set()
    ordered = sorted((s for s in sightings if not s.quoted), key=lambda s: s.start)
    for one, other in zip(ordered, ordered[1:]):
        if one.form != other.form and other.start - one.end < 12 and _LISTING.fullmatch(text, one.end, other.start):
            pairs.add(frozenset((one.form, other.form)))
    return pairs


def _unglue_openers(sightings: list[Sighting]) -> None:
    """Take from a name that opens a sentence the words the text never
    capitalises elsewhere (`Unlucky Jo`, `Dear Jo`: `Jo`), in place."""
    named = {word for s in sightings if s.vouched and not title_of(s.form) for word in s.form.split()[1:]}
    named |= {s.form.split()[0] for s in sightings if s.vouched and not title_of(s.form)}
    for sighting in sightings:
        words = sighting.form.split()
        if sighting.vouched or len(words) < 2 or title_of(sighting.form):
            continue
        while len(words) > 1 and words[0] not in named:
            words = words[1:]
        sighting.form = " ".join(words)



_PERSON_NOUNS = FEMALE_NOUNS | MALE_NOUNS | {"stranger", "visitor", "child", "youth", "traveller", "rider", "doctor"}
_DESCRIBED_TAG = re.compile(r"\b(?:(?:%s)\s+the\s+(?:[a-z]+\s+){0,2}([a-z]+)|[Tt]he\s+(?:[a-z]+\s+){0,2}([a-z]+)\s+(?:%s))\b"
                            % ("|".join(sorted(INVERTING_VERBS)), "|".join(sorted(INVERTING_VERBS))))


def described_speakers(book: Book) -> Counter:
    """How often each unnamed speaker is the subject of a speech tag (`said the girl`, `the young man asked`), by noun."""
    found: Counter = Counter()
    for chapter in book.chapters:
        for match in _DESCRIBED_TAG.finditer(chapter.source_text, chapter.start, chapter.end):
            noun = match.group(1) or match.group(2)
            if noun in _PERSON_NOUNS:
                found[noun] += 1
    return found



def common_words(book: Book) -> set[str]:
    """Words the book writes in lower case more often than capitalised where a
    sentence does not open with them: not names."""
    written, opening = Counter(), Counter()
    for chapter in book.chapters:
        written.update(_WORD.findall(chapter.source_text, chapter.start, chapter.end))
        opening.update(_OPENING_WORD.findall(chapter.source_text, chapter.start, chapter.end))
    lower, upper = Counter(), Counter()
    for word, n in written.items():
        (upper if word[0].isupper() else lower)[word.lower()] += n - opening[word]
    return {word for word, n in lower.items() if n >= upper[word]}


def looks_like_a_person(form: str, common: set[str], names: set[str] | frozenset[str] = frozenset()) -> bool:
    """False for a form made of, or ending in, everyday words (`Good Book`,
    `Charing Cross Hospital`), unless a title says it is a person, or it is
    two words the first of which the text uses alone as a name (`Israel
    Hands`, beside `Israel`: `names`)."""
    if title_of(form):
        return True
    split = form.split()
    words = [w.lower() for w in split]
    if len(split) == 2 and split[0] in names and words[1] not in _NOT_A_SURNAME and not is_place(split[0]):
        return True
    return words[-1] not in common and not all(w in common for w in words)


def sightings_in(text: str, start: int, end: int, common: set[str] = frozenset(),
                 dialogue: Sequence[tuple[int, int]] = (), cleaned: Optional[dict[str, str]] = None
                 ) -> Iterator[Sighting]:
    """Every capitalised name in ``text[start:end]`` with its surroundings;
    `dialogue` holds the spans of the quotations, in order; `cleaned`, what
    `clean` made of each form so far (with these `common` words)."""
    headings = _headings(text, start, end)
    cleaned = {} if cleaned is None else cleaned

    def cleaned_form(form: str) -> str:
        if form not in cleaned:
            cleaned[form] = clean(form, common)
        return cleaned[form]
    matches = [(m, cleaned_form(m.group())) for m in _NAME.finditer(text, start, end)
               if not (headings and _inside(m.start(), headings))]
    matches = [(m, form) for m, form in matches if form]
    for i, (match, form) in enumerate(matches):
        follows = _FOLLOWING_WORD.match(text, match.end())
        precedes = _PRECEDING_WORD.search(text, max(start, match.start() - 20), match.start())
        speaks = not match.group().endswith(_POSSESSIVES) and (  # `said Elizabeth's aunt`: the aunt speaks
            bool(follows and follows.group(1).lower() in SPEECH_VERBS)
            or bool(precedes and precedes.group(1).lower() in INVERTING_VERBS))
        after_a_word = not match.group().startswith(form)  # `Then Alex` -> `Alex`
        mid_sentence = after_a_word or not _SENTENCE_START.search(text, max(start, match.start() - 3), match.start())
        next_name = matches[i + 1][0].start() if i + 1 < len(matches) else end
        quote_mark = _QUOTE_MARK.search(text, match.end(), min(next_name, match.end() + PRONOUN_WINDOW))
        window_end = quote_mark.start() if quote_mark else min(next_name, match.end() + PRONOUN_WINDOW)
        pronoun = _PRONOUN.search(text, match.end(), window_end)
        gender = None
        if pronoun:
            gender = "female" if pronoun.group(1).lower().startswith(("she", "her")) else "male"
        follower = follows.group(1) if follows else ""
        quoted = _inside(match.start(), dialogue)
        addressed = quoted and (_VOCATIVE_BEFORE.search(text, max(start, match.start() - 2), match.start()) is not None
                                and _VOCATIVE_AFTER.match(text, match.end()) is not None)
        acts = follower.lower() in PERSON_VERBS or (follower.islower() and follower.endswith("ed")) or addressed
        before = precedes.group(1).lower() if precedes else ""
        place = 1.0 if before in PLACE_PREPOSITIONS or (before in ARTICLES and not title_of(form)) else (
            WEAK_PLACE_PREPOSITIONS.get(before, 0.0))
        kin_before = _KIN_BEFORE.search(text, max(start, match.start() - 40), match.start())
        kin_after = _KIN_AFTER.match(text, match.end())
        kin = gender_of_noun((kin_before or kin_after).group(1)) if (kin_before or kin_after) else None
        yield Sighting(form, speaks, mid_sentence or speaks or bool(title_of(form)), gender, acts=acts, place=place,
                        kin=kin, addressed=addressed, quoted=quoted, start=match.start(), end=match.end())


#: A block of text this short whose longer words are all capitalised is a heading or a list of
#: contents (`Chapter VI. The Reverend Arthur Beebe, ... Drive Out in Carriages`), not a sentence about people.
HEADING_LENGTH = 400
#: Words a heading may leave in lower case (`In Santa Croce with No Baedeker`).
HEADING_SMALL_WORDS = frozenset("""with from into onto upon that this than them they their there have what when where
which while were been over under after before about also only just some such""".split())
_BLOCK = re.compile(r"[^\n]+(?:\n[ \t]*[^\s][^\n]*)*")
_LONG_WORD = re.compile(r"\b[A-Za-z][a-z'’]{3,}")
_LINE = re.compile(r"[^\n]+")


def _headings(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the blocks (paragraphs) in ``text[start:end]`` that read as headings: short, with no
    quotation mark, and at least three longer words, all capitalised but small ones; in a longer block,
    the lines that read so (a table of contents)."""
    spans = []
    for block in _BLOCK.finditer(text, start, end):
        if block.end() - block.start() <= HEADING_LENGTH:
            if _title_case(block.group(), 3):
                spans.append((block.start(), block.end()))
            continue
        for line in _LINE.finditer(text, block.start(), block.end()):  # a table of contents: line by line
            if _title_case(line.group(), 4):
                spans.append((line.start(), line.end()))
    return spans


def _title_case(text: str, least: int) -> bool:
    """True for text with no quotation mark and at least `least` longer words, all capitalised but small ones."""
    if _QUOTE_MARK.search(text):
        return False
    words = [w for w in _LONG_WORD.findall(text) if w not in HEADING_SMALL_WORDS]
    return len(words) >= least and all(w[0].isupper() for w in words)


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    """True when `offset` lies in one of the sorted `spans`."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def dialogue_spans(chapter) -> list[tuple[int, int]]:
    """The spans of a chapter's quotations (as segmented), in order."""
    return sorted((s.start, s.end) for s in chapter.segments if s.kind == DIALOGUE)


def clean(form: str, common: frozenset[str] | set[str] = frozenset()) -> str:
    """The form without possessive endings, without the everyday words a
    sentence may open with (`Poor Hollis`, `As Robert`) and without a word
    that never ends a name (`Mr. Bulstrode God`), or '' when it is not a
    name (a form of address alone: `Madam Mother`)."""
    form = re.sub(r"['’]s?$", "", form.strip())
    words = form.split()
    folded = [w.lower().rstrip(".").replace("’", "'") for w in words]
    while len(words) > 1 and folded[0] not in TITLES and (
            folded[0] in NOT_PEOPLE or folded[0].endswith("ly") or folded[0] in common):
        words, folded = words[1:], folded[1:]
    while len(words) > 1 and folded[-1] in _NEVER_LAST:
        words, folded = words[:-1], folded[:-1]
    if folded and folded[0] in NOT_PEOPLE - TITLES:
        return ""
    if any(_CONTRACTION.search(w) for w in folded):  # Don't, I'll, We're: never a name
        return ""
    titled_name = len(words) > 1 and folded[0] in TITLES and not any(w in FUNCTION_WORDS for w in folded[1:])
    if not words or (not titled_name and all(w in NOT_PEOPLE for w in folded)):
        return ""
    if all(w in TITLES for w in folded):  # `Madam`, `Madam Mother`: a form of address, nobody's name
        return ""
    return " ".join(words)

