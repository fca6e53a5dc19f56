"""Character names: the forms a text uses for each character, and finding them.

A `NameIndex` maps every surface form (canonical name, aliases, and the
unambiguous parts of multi-word names: *Alex* and *Karev* for *Alex Karev*,
*Dr. Karev* for any title before *Karev*) to the characters it may denote.
A form shared by two characters stays ambiguous; context settles it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from audiobook.model import Character

MALE_TITLES = frozenset("mr mister sir lord master monsieur herr signor father uncle brother king prince count "
                        "baron duke colonel captain major general parson squire".split())
FEMALE_TITLES = frozenset("mrs ms miss madam madame mme mademoiselle mlle lady dame mistress aunt sister "
                          "mother queen princess countess baroness duchess".split())
NEUTRAL_TITLES = frozenset("dr doctor professor prof judge rev reverend capt col gen sergeant lieutenant sheriff "
                           "farmer".split())
TITLES = MALE_TITLES | FEMALE_TITLES | NEUTRAL_TITLES
#: Words that are never a character's name on their own.
NOT_NAMES = frozenset("i we they he she you it me us him her them narrator".split())

#: Titles that the narration also uses as a noun for the one character who holds them.
ROLE_NOUNS = {"dr": "doctor", "doctor": "doctor", "capt": "captain", "captain": "captain", "col": "colonel",
              "colonel": "colonel", "prof": "professor", "professor": "professor", "judge": "judge",
              "parson": "parson", "squire": "squire", "sheriff": "sheriff", "major": "major", "general": "general",
              "sergeant": "sergeant", "lieutenant": "lieutenant", "count": "count", "countess": "countess",
              "duke": "duke", "duchess": "duchess", "king": "king", "queen": "queen", "prince": "prince",
              "princess": "princess", "farmer": "farmer"}
INDEFINITE = frozenset("somebody someone one another they we others some".split())
PLURALS = frozenset("men women people children folk folks gentry crowd".split())

_TITLE_PREFIX = r"(?:(?:%s)\.?\s+)?" % "|".join(sorted((t.capitalize() for t in TITLES), key=len, reverse=True))
_TITLE_DOT = re.compile(r"\b(%s)\." % "|".join(TITLES), re.I)


@dataclass(frozen=True)
class Mention:
    """A name found in the text: offsets and the characters it may denote."""

    start: int
    end: int
    names: frozenset[str]

    @property
    def name(self) -> Optional[str]:
        """The one character denoted, or None when ambiguous."""
        return next(iter(self.names)) if len(self.names) == 1 else None


def normalise(form: str) -> str:
    """A surface form folded for comparison: `Mrs. Daniels` == `mrs daniels`."""
    return re.sub(r"\s+", " ", _TITLE_DOT.sub(r"\1", form)).strip().casefold()


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


def _role(form: str) -> list[str]:
    """How the narration may describe a titled character: `the doctor` for `Dr. Archie`."""
    title = title_of(form)
    return ["the " + ROLE_NOUNS[title]] if title in ROLE_NOUNS and " " in form.strip() else []


def _parts(form: str) -> list[str]:
    """The single words a multi-word proper name may be called by."""
    words = without_title(form).split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return []
    return [w for w in (words[0], words[-1]) if w.lower() not in TITLES and len(w) > 1]


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
                    for part in _parts(form) + _role(form):
                        derived.setdefault(normalise(part), set()).add(character.name)
        self.forms: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in derived.items() if len(v) == 1}
        self.forms.update({k: frozenset(v) for k, v in explicit.items()})
        self._bare = {form: names for form, names in self.forms.items() if title_of(form) is None}
        self._pattern = self._compile()

    def _compile(self) -> Optional[re.Pattern]:
        """One regex matching every known form, longest first, titles optional."""
        if not self.forms:
            return None
        alternatives = []
        for form in sorted(self.forms, key=len, reverse=True):
            words = [re.escape(w) for w in form.split(" ")]
            if words[0] in TITLES:
                words[0] += r"\.?"
            alternatives.append(r"\s+".join(words))
        return re.compile(r"(?<!\w)(?:%s(?:%s))(?!\w)" % (_TITLE_PREFIX, "|".join(alternatives)), re.I)

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
        """Of the characters sharing a form, the one whose own name it is
        (or, failing that, contains it as a word), when there is just one."""
        for owns in (lambda n: normalise(n) == key, lambda n: key in normalise(n).split()):
            owners = frozenset(n for n in names if owns(n))
            if len(owners) == 1:
                return owners
        return names

    def find(self, text: str, start: int = 0, end: Optional[int] = None) -> Iterator[Mention]:
        """Every name in ``text[start:end]``, in order.  A form written in
        lower case only matches where the text has it capitalised, unless the
        character's name itself is lower case (`the man`)."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(text, start, len(text) if end is None else end):
            surface = match.group()
            names = self.lookup(surface)
            if names and (surface[:1].isupper() or surface[:4].lower() == "the " or any(n[:1].islower() for n in names)):
                yield Mention(match.start(), match.end(), names)

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
        return "unknown"
