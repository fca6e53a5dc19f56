"""Character names: the forms a text uses for each character, and finding them.

A `NameIndex` maps every surface form (canonical name, aliases, and the
parts of multi-word names: *Alex* and *Karev* for *Alex Karev*, *Dr. Karev*
for any title before *Karev*) to the characters it may denote.  A form
shared by several characters (*Osborne* for George Osborne, his father and
his sisters) stays ambiguous: the context settles it
(`subjects.settle`), else nothing does.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from typing import Iterable, Iterator, Optional

from audiobook.model import Character

#: `Mars`, `Marse`, `Massa`, `Mas'r`, `Marster`: "master" as dialect spells it before a name (`Mars Tom`);
#: `Cap'n`: "captain" (`Cap'n Smollett`).
MALE_TITLES = frozenset("mr mister sir lord master monsieur herr signor father uncle brother king prince count "
                        "baron duke colonel captain major general parson squire "
                        "mars marse massa mas'r mas’r marster cap'n cap’n".split())
FEMALE_TITLES = frozenset("mrs ms miss madam madame mme mademoiselle mlle lady dame mistress aunt sister "
                          "mother queen princess countess baroness duchess".split())
NEUTRAL_TITLES = frozenset("dr doctor professor prof judge rev reverend capt col gen sergeant lieutenant sheriff "
                           "farmer".split())
TITLES = MALE_TITLES | FEMALE_TITLES | NEUTRAL_TITLES
#: Titles the narration also calls their bearer by alone (`said Mademoiselle`, `the Colonel said`).
STANDALONE_TITLES = frozenset("monsieur madame mademoiselle signor signora herr frau colonel captain major "
                              "general professor count countess baron baroness duke duchess king queen prince "
                              "princess".split())
#: Titles that are also the polite way to address anyone (`"I wonder, Monsieur, …"`): alone in a line, nobody in particular.
POLITE_TITLES = frozenset("monsieur madame mademoiselle signor signora herr frau".split())
#: Words that are never a character's name on their own.
NOT_NAMES = frozenset("i we they he she you it me us him her them narrator".split())

#: Titles that the narration also uses as a noun for the one character who holds them.
ROLE_NOUNS = {"dr": "doctor", "doctor": "doctor", "capt": "captain", "captain": "captain", "col": "colonel",
              "colonel": "colonel", "cap'n": "captain", "cap’n": "captain", "prof": "professor", "professor": "professor",
              "judge": "judge",
              "parson": "parson", "squire": "squire", "sheriff": "sheriff", "major": "major", "general": "general",
              "sergeant": "sergeant", "lieutenant": "lieutenant", "count": "count", "countess": "countess",
              "duke": "duke", "duchess": "duchess", "king": "king", "queen": "queen", "prince": "prince",
              "princess": "princess", "farmer": "farmer"}
#: Titles of kinship that stand alone for the one character who bears them (`aunt` for `Aunt Polly`).
KIN_TITLES = frozenset("aunt uncle".split())
FEMALE_NOUNS = frozenset("""woman lady girl wife mother sister daughter aunt niece grandmother mamma mama mum
maid maiden widow queen princess madam mistress hostess landlady dame matron bride governess
nun abbess actress countess duchess baroness empress heiress waitress laundress seamstress""".split())
MALE_NOUNS = frozenset("""man gentleman boy husband father brother son uncle nephew grandfather papa king prince
lord master fellow lad landlord host priest monk
vicar rector curate parson bishop abbot friar knight squire butler valet""".split())
INDEFINITE = frozenset("somebody someone one another they we others some".split())
PLURALS = frozenset("men women people children folk folks gentry crowd".split())

_WORDS = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"[^\W\d_][\w'’]*(?:-[\w'’]+)*")  # `Mary-Anne`, but `Maud` in `Maud--`
_POSSESSIVE = ("'s", "’s", "'", "’")
_TITLE_DOT = re.compile(r"\b(%s)\." % "|".join(TITLES | {"st"}), re.I)  # and `St.` of `St. John`


def _joins(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    """True when two words are written as one name: only spaces between them,
    or the full stop of a title or an initial (`Mrs. Daniels`, `Terry O. Nicholson`)."""
    gap = text[left[1]:right[0]]
    if gap[:1] == "." and (left[2] in TITLES or len(left[2]) == 1 or left[2] == "st"):
        gap = gap[1:]
    return bool(gap) and gap.isspace()


@dataclass(frozen=True)
class Mention:
    """A name found in the text: offsets and the characters it may denote;
    `name` is the one character denoted, or None when ambiguous."""

    start: int
    end: int
    names: frozenset[str]
    name: Optional[str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", next(iter(self.names)) if len(self.names) == 1 else None)


@lru_cache(maxsize=1 << 16)  # pure, and asked of the same few thousand forms again and again
def normalise(form: str) -> str:
    """A surface form folded for comparison: `Mrs. Daniels` == `mrs daniels`."""
    return re.sub(r"\s+", " ", _TITLE_DOT.sub(r"\1", form)).strip().casefold().replace("’", "'")


@lru_cache(maxsize=1 << 16)
def title_of(form: str) -> Optional[str]:
    """The lower-case title a form starts with (`Mrs. Daniels` -> `mrs`), if any."""
    first = normalise(form).split(" ", 1)[0]
    return first if first in TITLES else None


def gender_from_title(form: str) -> str:
    """'male', 'female' or 'unknown' from the title a name carries."""
    title = title_of(form)
    if title in MALE_TITLES:
        return "male"
    if title in FEMALE_TITLES:
        return "female"
    return "unknown"


def gender_of_noun(noun: str) -> Optional[str]:
    """'male' or 'female' for a noun that says so (`wife`, `boy`), else None."""
    noun = noun.lower()
    if noun in FEMALE_NOUNS or noun.endswith("woman"):  # `the washerwoman`
        return "female"
    if noun in MALE_NOUNS or (noun.endswith("man") and noun != "human"):  # `the clergyman`, `the footman`
        return "male"
    return None


def is_group(name: str) -> bool:
    """True for a name that stands for several people or nobody in particular
    (`the men`, `friends`, `the Boers`, `somebody`): never a `he` or `she`."""
    words = name.split()
    if not words or words[0].lower() in INDEFINITE:
        return True
    last = words[-1].rstrip(".,")
    descriptive = name[:1].islower() or words[0].lower() == "the"
    return descriptive and (last.lower() in PLURALS or (last.endswith("s") and not last.endswith(("ss", "us"))))


def without_title(form: str) -> str:
    """The form with a leading title removed (`Dr. Karev` -> `Karev`)."""
    return form.split(None, 1)[1] if title_of(form) and " " in form.strip() else form


def role_of(form: str) -> list[str]:
    """How the narration may describe a titled character: `the doctor` for
    `Dr. Archie`, `aunt` for `Aunt Polly`."""
    title = title_of(form)
    if title in KIN_TITLES and " " in form.strip():
        return [title]
    return ["the " + ROLE_NOUNS[title]] if title in ROLE_NOUNS and " " in form.strip() else []


#: Words that go with the word after them in a family name: `Van Weyden`, `von Arnheim`, `de Bourgh`, `St. John`.
PARTICLES = frozenset("st. st van von de du der den le la ten ter".split())


def joined_words(words: list[str]) -> list[str]:
    """The words of a name with `St.` joined to the word after it (`St. John
    Rivers` has the given name `St. John`, `Lord Robert St. Simon` the family
    name `St. Simon`), and so a particle of a family name (`Humphrey Van
    Weyden` has the family name `Van Weyden`; `Van Helsing` is one name)."""
    joined: list[str] = []
    for word in words:
        if joined and joined[-1].casefold() in PARTICLES and word[:1].isupper():
            joined[-1] += " " + word
        else:
            joined.append(word)
    return joined


def _parts(form: str) -> list[str]:
    """The single words a multi-word proper name may be called by: its first
    and last names (`St. John`, `St. Simon` count as one), the surname of a titled name
    (`Fenwick` for `Mr. Fenwick`), and a title the narration also uses alone
    (`Mademoiselle`)."""
    words = joined_words(without_title(form).split())
    title = title_of(form)
    alone = [form.split()[0].rstrip(".")] if title in STANDALONE_TITLES and " " in form.strip() else []
    if title and len(words) == 1 and words[0][:1].isupper() and len(words[0]) > 1:
        return [words[0], *alone]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return alone
    return [w for w in (words[0], words[-1]) if w.lower() not in TITLES and len(w) > 1] + alone


#: The texts whose words were listed last (`words_of`), by identity: discovery and attribution read one text in turn.
_LISTED: dict[int, tuple] = {}
_LISTED_TEXTS = 2
_START, _END, _GROUP = re.Match.start, re.Match.end, re.Match.group


def words_of(text: str) -> tuple[list[int], list[tuple[int, int, str]], list[str]]:
    """The words of a text: their starts, each as (start, end, folded form), and the folded forms alone."""
    listed = _LISTED.get(id(text))
    if listed is not None and listed[0] is text:
        return listed[1:]
    folded = text.casefold().replace("’", "'")
    same = len(folded) == len(text)  # folding kept every offset (as it does unless `ß` and the like occur)
    matches = list(_TOKEN.finditer(folded if same else text))
    starts = list(map(_START, matches))  # mapped, not looped: a novel has some 200,000 words
    words = list(map(_GROUP, matches))
    if not same:
        words = [word.casefold().replace("’", "'") for word in words]
    tokens = list(zip(starts, map(_END, matches), words))
    while len(_LISTED) >= _LISTED_TEXTS:
        _LISTED.pop(next(iter(_LISTED)))
    _LISTED[id(text)] = (text, starts, tokens, words)
    return starts, tokens, words


#: Words that end the head of a description and start what follows it (`the captain of the guard`).
_POSTMODIFIER = frozenset("of in with from at on by for near who that whom whose".split())


def described_head(description: str) -> tuple[str, set[str]]:
    """The head noun of a description (`captain` of `the captain of the guard`,
    `gentleman` of `a thin, elderly gentleman`) and the description's other words."""
    words = _WORDS.findall(description.casefold())
    cut = next((i for i, word in enumerate(words) if i and word in _POSTMODIFIER), len(words))
    head = words[cut - 1]
    return head, set(words[:cut - 1] + words[cut:])


class NameIndex:
    """Finds characters' names in text."""

    def __init__(self, characters: Iterable[Character]):
        self.characters = {c.name: c for c in characters}
        explicit: dict[str, set[str]] = {}
        derived: dict[str, set[str]] = {}
        for character in self.characters.values():
            for form in character.names:
                if form and normalise(form) not in NOT_NAMES:
                    explicit.setdefault(normalise(form), set()).add(character.name)
                    for part in _parts(form) + role_of(form):
                        derived.setdefault(normalise(part), set()).add(character.name)
        self.forms: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in derived.items()}
        self.forms.update({k: frozenset(v) for k, v in explicit.items()})  # a cast's own form is its own
        self._bare = {form: names for form, names in self.forms.items() if title_of(form) is None}
        self._starts = {form.split(" ", 1)[0] for form in self.forms} | TITLES
        self._starts |= {start + "'s" for start in self._starts} | {start + "'" for start in self._starts}
        self._described: dict[str, dict[str, set[str]]] = {}
        self._description_words: dict[str, set[str]] = {}
        for name in self.characters:
            if name[:1].islower() and not is_group(name):
                noun, modifiers = described_head(name)
                self._described.setdefault(noun, {})[name] = self._description_words[name] = modifiers
        self._lengths = self._window_lengths()
        self._scanned: dict[str, tuple] = {}  # text -> its words, found once (`_tokens`)

    def _window_lengths(self) -> dict[str, tuple[int, ...]]:
        """For each word a name may start with, how many words the names
        starting with it have, longest first (a title, one more than any bare name)."""
        lengths: dict[str, set[int]] = {}
        for form in self.forms:
            words = form.split(" ")
            lengths.setdefault(words[0], set()).add(len(words))
        titled = {len(form.split(" ")) + 1 for form in self._bare}
        for title in TITLES:
            lengths.setdefault(title, set()).update(titled)
        for start in list(lengths):  # `Jo's`, `Jones'`
            for ending in ("'s", "'"):
                lengths.setdefault(start + ending, set()).update(lengths[start])
        return {start: tuple(sorted(found, reverse=True)) for start, found in lengths.items()}

    def lookup(self, form: str) -> frozenset[str]:
        """The characters a surface form may denote (empty if none)."""
        key = normalise(form)
        names = self.forms.get(key) or self._bare.get(normalise(without_title(form)), frozenset())
        if len(names) > 1:
            names = self._prefer_own_names(key, names)
        titled = gender_from_title(form)
        if titled != "unknown":
            names = frozenset(n for n in names if self.gender(n) in (titled, "unknown"))
        return names

    def _prefer_own_names(self, key: str, names: frozenset[str]) -> frozenset[str]:
        """Of the characters sharing a form, the one whose own name it is, when
        there is just one; else those whose own name contains it as a word
        (`Osborne`: George and his father, not Amelia, whose alias `Amelia
        Osborne` is her married name)."""
        owners = frozenset(n for n in names if normalise(n) == key)
        if len(owners) == 1:
            return owners
        return frozenset(n for n in names if key in normalise(n).split()) or names

    def find(self, text: str, start: int = 0, end: Optional[int] = None) -> Iterator[Mention]:
        """Every name in ``text[start:end]``, in order, longest first.  A form
        written in lower case only matches where the text has it capitalised,
        unless it is a description (`the doctor`) or a lower-case name (`the man`)."""
        end = len(text) if end is None else end
        starts, tokens, candidates, candidate_starts = self._tokens(text)
        limit = bisect.bisect_left(starts, end)  # the first token past the range
        if limit and tokens[limit - 1][1] > end:
            limit -= 1
        k = bisect.bisect_left(candidate_starts, start)
        while k < len(candidates) and candidates[k] < limit:
            found = self._mention_at(text, tokens, candidates[k], limit)
            if found is None:
                k += 1
                continue
            mention, after = found
            yield mention
            k = bisect.bisect_left(candidates, after, k)

    def _tokens(self, text: str) -> tuple[list[int], list[tuple[int, int, str]], list[int], list[int]]:
        """The words of a text (offsets and folded form) with their starts, once per text: the
        indices of the words a name may start with, and those words' starts."""
        found = self._scanned.get(text)
        if found is None:
            starts, tokens, words = words_of(text)
            candidates = list(compress(range(len(words)), map(self._starts.__contains__, words)))
            found = (starts, tokens, candidates, [starts[i] for i in candidates])
            self._scanned[text] = found
        return found

    def _mention_at(self, text: str, tokens: list[tuple[int, int, str]], i: int,
                    limit: int) -> Optional[tuple[Mention, int]]:
        """The longest name starting at token `i` (of the tokens before `limit`), and the index of the token after it."""
        for n in self._lengths.get(tokens[i][2], ()):
            if n > limit - i:
                continue
            window = tokens[i:i + n]
            if not all(_joins(text, a, b) for a, b in zip(window, window[1:])):
                continue
            key = " ".join(t[2] for t in window)
            if key not in self.forms and key.endswith(_POSSESSIVE):  # `Jo's`: the name is `Jo`
                last = window[-1]
                cut = 2 if key.endswith("s") else 1
                window = window[:-1] + [(last[0], last[1] - cut, last[2][:-cut])]
                key = key[:-cut]
            titled = n > 1 and window[0][2] in TITLES and key.split(" ", 1)[1] in self._bare
            if key not in self.forms and not titled:
                continue
            surface = text[window[0][0]:window[-1][1]]
            names = self.lookup(surface)
            if names and (surface[:1].isupper() or surface.split()[-1][:1].isupper() or surface[:4].lower() == "the " or surface.lower() in KIN_TITLES
                          or any(name[:1].islower() for name in names)):
                return Mention(window[0][0], window[-1][1], names), i + n
        return None

    def described_as(self, noun: str, modifiers: Iterable[str] = ()) -> frozenset[str]:
        """The unnamed characters of a cast (`the man`, `a thin, elderly
        gentleman`) whose description ends in `noun` and has every one of `modifiers`."""
        wanted = {m.casefold() for m in modifiers}
        return frozenset(name for name, words in self._described.get(noun.casefold(), {}).items() if wanted <= words)

    def description_words(self, name: str) -> set[str]:
        """The words of an unnamed cast character's description besides its head noun (`white`, `waistcoat`)."""
        return self._description_words.get(name, set())

    def gender(self, name: str) -> str:
        """The character's gender as declared, else from a title."""
        character = self.characters.get(name)
        if character is None:
            return "unknown"
        if character.gender in ("male", "female"):
            return character.gender
        for form in character.names:
            guessed = gender_from_title(form)
            if guessed != "unknown":
                return guessed
        described = character.name[:1].islower() and gender_of_noun(described_head(character.name)[0])
        return described or "unknown"
