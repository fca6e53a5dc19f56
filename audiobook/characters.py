"""Who may speak in a story: the cast file's characters merged with the ones
discovered in the text.

A cast file may list only some characters (the leads, say).  They keep the
names, genders and settings the file gives and claim every discovered form
of their names (a pet name of two listed characters, `Cathy` of two
Catherines, is a name of both, which the context settles); everyone else
the text shows is still found.  A listed
character the story never names takes no part (it is reported once), so one
cast file beside several stories does no harm.  Names in the file's
``ignore:`` list are never characters (a place or a form of address that
discovery took for a person).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from audiobook import casting
from audiobook.attribution.discovery import KIN_TITLE_WORDS, Discovered, discover
from audiobook.attribution.diminutives import same_given_name
from audiobook.attribution.names import NameIndex, normalise, title_of, without_title
from audiobook.model import Book, Character


@dataclass
class Merged:
    """The characters who may speak, and what the user should hear about it."""

    characters: list[Character]
    absent: list[str] = field(default_factory=list)  # listed characters the story never names
    notes: list[str] = field(default_factory=list)


def cast_characters(book: Book, cast: casting.Cast) -> Merged:
    """Who may speak in `book`: `cast`'s characters, completed by the ones the text shows."""
    keep = {cast.narrator_character} if cast.narrator_character else set()
    return merge_cast(book, cast.characters, {n for n, m in cast.members.items() if "aliases" in m.lines},
                      discover(book), cast.ignore, cast.path,
                      {n: m.lines["name"] for n, m in cast.members.items() if "name" in m.lines}, keep)


def merge_cast(book: Book, listed: list[Character], explicit_aliases: set[str], discovered: list[Discovered],
               ignore: frozenset[str] = frozenset(), cast_path: str | None = None,
               lines: dict[str, int] | None = None, keep: set[str] = frozenset()) -> Merged:
    """`listed` (the cast file's characters, in its order) merged with `discovered`.

    `explicit_aliases` names the listed characters whose file entry sets
    ``aliases``; the others also take the forms discovery linked to them.
    `keep` names listed characters kept even if never named (the narrator).
    """
    ignored = {normalise(n) for n in ignore}
    discovered = [d for d in discovered if not ignored & {normalise(n) for n in d.character.names}]
    if not listed:
        return Merged([d.character for d in discovered])
    index = NameIndex(listed)
    present = _named_in(book, index)
    merged: dict[str, Character] = {c.name: Character(c.name, list(c.aliases), c.gender) for c in listed}
    taken = {normalise(n) for c in listed for n in c.names}
    extra: list[Character] = []
    for evidence in discovered:
        found = evidence.character
        owners = _owners(found, index)
        if len(owners) == 1:
            owner = merged[next(iter(owners))]
            present.add(owner.name)
            if owner.gender == "unknown":
                owner.gender = found.gender
            if owner.name not in explicit_aliases:
                for form in found.names:
                    if normalise(form) not in taken:
                        owner.aliases.append(form)
                        taken.add(normalise(form))
            continue
        free = [n for n in found.names if normalise(n) not in taken and not index.lookup(n)]
        shared = _sharing_given_name(found, index) if not owners and len(free) == len(found.names) else []
        if len(shared) > 1:  # `Cathy`, of two listed Catherines: either, as the context says
            for owner in shared:
                merged[owner].aliases.extend(free)
            present.update(shared)
            taken |= {normalise(n) for n in free}
            continue
        if not free or not _a_speaker(evidence):
            continue
        name = found.name if found.name in free else free[0]
        extra.append(Character(name, [n for n in free if n != name], found.gender))
        taken |= {normalise(n) for n in free}
    absent = [c.name for c in listed if c.name not in present and c.name not in keep]
    notes = []
    for name in absent:
        where = f"{cast_path}:{lines[name]}: " if cast_path and lines and name in lines else (
            f"{cast_path}: " if cast_path else "")
        notes.append(f"{where}characters.{name} is never named in this story; its entry is not used")
    kept = [c for name, c in merged.items() if name not in absent]
    return Merged(kept + extra, absent, notes)


def _a_speaker(evidence: Discovered) -> bool:
    """Beside a cast, whether a discovered character may speak: the text has
    them speak, do what only people do, or be addressed, or gives them a
    title (`Mr. Beebe`); not a name seen only in passing (`Carston, Waite and Co.`),
    nor an unnamed speaker (`the girl`), whom a cast names if it wants them."""
    if evidence.character.name[:1].islower():  # `the girl`: the cast says who that is, if anyone
        return False
    titled = any(title_of(n) not in (None, *KIN_TITLE_WORDS) for n in evidence.character.names)
    return evidence.speaks > 0 or evidence.acts > 0 or titled


def _owners(found: Character, index: NameIndex) -> set[str]:
    """The listed characters a discovered one is: those its canonical name
    denotes, else those all of its forms that denote anyone agree on, else
    the one listed character its given name alone denotes (genders not at odds)."""
    own = index.lookup(found.name)
    if len(own) == 1:
        return set(own)
    if own:
        return set()
    denoted = [index.lookup(n) for n in found.aliases]
    denoted = [d for d in denoted if d]
    if denoted and all(len(d) == 1 for d in denoted) and len(set().union(*denoted)) == 1:
        return set(denoted[0])
    words = found.name.split()
    if not denoted and len(words) > 1 and not title_of(found.name):  # `Beatrice O'Hara`: the listed Beatrice's maiden name
        given = index.lookup(words[0])
        if len(given) == 1 and {index.gender(next(iter(given))), found.gender} != {"male", "female"}:
            return set(given)
    return set()


def _sharing_given_name(found: Character, index: NameIndex) -> list[str]:
    """The listed characters whose given name is the discovered one's, or
    one it is a pet form of (`Cathy`: `Catherine Earnshaw` and `Catherine
    Linton`), genders not at odds: a cast leaves such a name out when it
    stands for several of them."""
    given = without_title(found.name).split()
    if len(given) != 1:
        return []
    return [name for name, character in index.characters.items()
            if len(words := without_title(name).split()) > 1 and same_given_name(given[0], words[0])
            and {character.gender, found.gender} != {"male", "female"}]


def _named_in(book: Book, index: NameIndex) -> set[str]:
    """The listed characters the story's text names at least once."""
    present: set[str] = set()
    for chapter in book.chapters:
        for mention in index.find(chapter.source_text, chapter.start, chapter.end):
            present |= mention.names
        if len(present) == len(index.characters):
            break
    return present
