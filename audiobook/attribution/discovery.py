"""Find a book's characters when no cast is given.

Candidates are capitalised names (with optional titles: *Mrs. Daniels*,
*Dr. Karev*) seen in the middle of a sentence, or as the subject of a speech
verb.  Forms of one person are merged (*Alex*, *Karev*, *Dr. Karev* and
*Alex Karev* become one character named *Alex Karev*), and gender is guessed
from titles and from the pronouns that follow the name.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from audiobook.attribution.names import TITLES, gender_from_title, normalise, title_of
from audiobook.attribution.rules import SPEECH_VERBS
from audiobook.model import Book, Character

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
""".split())
_NAME = re.compile(
    r"(?:(?:%s)\.?\s+)?[A-Z][a-z'’]+(?:[-\s][A-Z][a-z'’]+)*" % "|".join(t.capitalize() for t in TITLES))
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘’'—–-]\s*|\n)\s*$")
_FOLLOWING_WORD = re.compile(r"\s+(\w+)")
_WORD = re.compile(r"[A-Za-z]+")
_QUOTE_MARK = re.compile("[\"“”]")
_PRECEDING_WORD = re.compile(r"(\w+)\s+$")
INVERTING_VERBS = frozenset({"said", "says", "cried", "asked", "replied", "answered", "returned", "exclaimed"})
_PRONOUN = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.I)
MIN_MENTIONS = 2
PRONOUN_WINDOW = 120


@dataclass
class _Sighting:
    """One capitalised name in the text and what surrounds it."""

    form: str
    speaks: bool  # the subject of a speech verb (`Alex said`, `said Alex`)
    vouched: bool  # mid-sentence, speaking or titled: not just a capitalised sentence opener
    gender: Optional[str]  # the pronoun that next refers back, if any


@dataclass
class Discovered:
    """A character found in the text, with the evidence for it."""

    character: Character
    speaks: int  # times the subject of a speech verb
    mentions: int


def discover_characters(book: Book) -> list[Character]:
    """The characters found in the text: canonical name, aliases merged,
    gender guessed from titles and pronouns; most frequent speakers first."""
    return [found.character for found in discover(book)]


def discover(book: Book) -> list[Discovered]:
    """`discover_characters` with each one's evidence."""
    common = common_words(book)
    sightings = [s for chapter in book.chapters for s in _sightings(chapter.source_text, chapter.start, chapter.end)]
    sightings = [s for s in sightings if _looks_like_a_person(s.form, common)]
    vouched = {s.form for s in sightings if s.vouched}
    vouched |= {word for form in vouched for word in _first_and_last(form)}
    counts = Counter(s.form for s in sightings if s.form in vouched)
    speaking = Counter(s.form for s in sightings if s.speaks)
    pronouns: dict[str, Counter] = {}
    for sighting in sightings:
        if sighting.gender:
            pronouns.setdefault(sighting.form, Counter())[sighting.gender] += 1
    characters = []
    for canonical, members in _merge(counts).items():
        if sum(counts[m] for m in members) < MIN_MENTIONS and not any(speaking[m] for m in members):
            continue
        aliases = sorted((m for m in members if m != canonical), key=lambda m: -counts[m])
        characters.append(Character(canonical, aliases, _gender(members, pronouns)))
    weight = {c.name: (sum(speaking[m] for m in c.names), sum(counts[m] for m in c.names)) for c in characters}
    characters.sort(key=lambda c: weight[c.name], reverse=True)
    return [Discovered(c, *weight[c.name]) for c in characters]


def common_words(book: Book) -> set[str]:
    """Words the book writes in lower case more often than capitalised: not names."""
    lower, upper = Counter(), Counter()
    for chapter in book.chapters:
        for word in _WORD.findall(chapter.source_text, chapter.start, chapter.end):
            (upper if word[0].isupper() else lower)[word.lower()] += 1
    return {word for word, n in lower.items() if n >= upper[word]}


def _looks_like_a_person(form: str, common: set[str]) -> bool:
    """False for a form made of, or ending in, everyday words (`Good Book`,
    `Charing Cross Hospital`), unless a title says it is a person."""
    if title_of(form):
        return True
    words = [w.lower() for w in form.split()]
    return words[-1] not in common and not all(w in common for w in words)


def _sightings(text: str, start: int, end: int) -> Iterator[_Sighting]:
    """Every capitalised name in ``text[start:end]`` with its surroundings."""
    matches = [m for m in _NAME.finditer(text, start, end) if _clean(m.group())]
    for i, match in enumerate(matches):
        form = _clean(match.group())
        follows = _FOLLOWING_WORD.match(text, match.end())
        precedes = _PRECEDING_WORD.search(text, max(start, match.start() - 20), match.start())
        speaks = bool(follows and follows.group(1).lower() in SPEECH_VERBS) or bool(
            precedes and precedes.group(1).lower() in INVERTING_VERBS)
        after_a_word = not match.group().startswith(form)  # `Then Alex` -> `Alex`
        mid_sentence = after_a_word or not _SENTENCE_START.search(text, max(start, match.start() - 3), match.start())
        next_name = matches[i + 1].start() if i + 1 < len(matches) else end
        quote_mark = _QUOTE_MARK.search(text, match.end(), min(next_name, match.end() + PRONOUN_WINDOW))
        window_end = quote_mark.start() if quote_mark else min(next_name, match.end() + PRONOUN_WINDOW)
        pronoun = _PRONOUN.search(text, match.end(), window_end)
        gender = None
        if pronoun:
            gender = "female" if pronoun.group(1).lower().startswith(("she", "her")) else "male"
        yield _Sighting(form, speaks, mid_sentence or speaks or bool(title_of(form)), gender)


def _clean(form: str) -> str:
    """The form without possessive endings, or '' when it is not a name."""
    form = re.sub(r"['’]s?$", "", form.strip())
    words = form.split()
    while words and (words[0].lower().rstrip(".") in NOT_PEOPLE - TITLES or words[0].lower().endswith("ly")):
        words = words[1:]
    if not words or all(w.lower().rstrip(".") in NOT_PEOPLE for w in words):
        return ""
    if len(words) == 1 and words[0].lower().rstrip(".") in TITLES:
        return ""
    return " ".join(words)


def _merge(forms: Iterable[str]) -> dict[str, set[str]]:
    """Group the forms of one person under a canonical name: the longest
    untitled form, or a titled form when that is all there is.  A short form
    that fits several people (`Bennet` for Mr. and Mrs. Bennet) is dropped."""
    forms = sorted(set(forms), key=lambda f: (-len(_bare(f).split()), -len(f)))
    groups: dict[str, set[str]] = {}
    by_words: dict[tuple[str, ...], list[str]] = {}  # full or first/last words -> group keys
    for form in forms:
        words = tuple(_bare(form).split())
        homes = [key for key in by_words.get(words, []) if _same_gender(form, groups[key])]
        if not homes:
            groups[form] = {form}
            for shape in {words} | {(w,) for w in _first_and_last(form)}:
                by_words.setdefault(shape, []).append(form)
        elif len(homes) == 1:
            groups[homes[0]].add(form)
    return {_canonical(members): members for members in groups.values()}


def _same_gender(form: str, members: set[str]) -> bool:
    """True unless the form's title and the group's titles disagree on gender."""
    title_gender = gender_from_title(form)
    genders = {gender_from_title(m) for m in members} - {"unknown"}
    return title_gender == "unknown" or not genders or genders == {title_gender}


def _first_and_last(form: str) -> set[str]:
    """The words a multi-word name may be shortened to (`Alex`, `Karev`)."""
    words = _bare(form).split()
    return {words[0], words[-1]} if len(words) > 1 else set()


def _bare(form: str) -> str:
    """The form without its title."""
    return form.split(None, 1)[1] if title_of(form) and " " in form else form


def _canonical(members: set[str]) -> str:
    """The name to use for a group of forms."""
    untitled = [m for m in members if not title_of(m)]
    pool = untitled if untitled and len(max(untitled, key=len).split()) > 1 else members
    return max(pool, key=lambda m: (len(_bare(m).split()), len(m)))


def _gender(members: set[str], pronouns: dict) -> str:
    """Gender from a title, else the majority of following pronouns."""
    for member in members:
        guessed = gender_from_title(member)
        if guessed != "unknown":
            return guessed
    votes = Counter()
    for member in members:
        votes.update(pronouns.get(member, Counter()))
    if votes and votes.most_common(1)[0][1] > sum(votes.values()) / 2:
        return votes.most_common(1)[0][0]
    return "unknown"
