"""Find a book's characters when no cast is given: cluster the names found into people.

`candidates` finds the names that may be people's, with what surrounds
each.  Here the forms of one person are merged (*Alex*, *Karev*, *Dr.
Karev* and *Alex Karev* become one character named *Alex Karev*), people
who share a surname are kept apart by title, gender and given name, groups
that read as places or families are dropped, and gender is guessed from
titles, given names, kin nouns and the pronouns that follow the name.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from audiobook.attribution.address import join_addressed
from audiobook.attribution.candidates import DEMONYMS, PLACE_NOUNS, collect, described_speakers
from audiobook.attribution.diminutives import (CLIPPED_LEAST, clipped_from, given_name_gender, given_name_key,
                                               is_full_name)
from audiobook.attribution.names import gender_from_title, gender_of_noun, joined_words, role_of, title_of
from audiobook.attribution.places import is_place
from audiobook.model import Book, Character

#: How much a kin noun beside a name (`his sister Mary`) counts for its gender, against one pronoun.
KIN_WEIGHT = 3
#: Pronouns and kin nouns that outweigh what a given name usually is: this many, and this share of them.
CLEAR_VOTES = 8
CLEAR_SHARE = 0.85
#: Times a group of forms must be met to be a character, unless it speaks.
MIN_MENTIONS = 2
#: Times a known place must speak to be a character.
PLACE_SPEECHES = 2
#: Times an unnamed speaker must be the subject of a speech tag (`said the girl`) to be a character.
DESCRIBED_SPEECHES = 3


@dataclass
class Discovered:
    """A character found in the text, with the evidence for it."""

    character: Character
    speaks: int  # times the subject of a speech verb
    mentions: int
    acts: int = 0  # times doing what only people do, addressed, or speaking


def discover_characters(book: Book) -> list[Character]:
    """The characters found in the text: canonical name, aliases merged,
    gender guessed from titles and pronouns; most frequent speakers first."""
    return [found.character for found in discover(book)]


def discover(book: Book) -> list[Discovered]:
    """`discover_characters` with each one's evidence."""
    sightings, links, apart = collect(book)
    vouched = {s.form for s in sightings if s.vouched}
    vouched |= {word for form in vouched for word in _first_and_last(form)}
    counts = Counter(s.form for s in sightings if s.form in vouched)
    speaking = Counter(s.form for s in sightings if s.speaks)
    acting = Counter(s.form for s in sightings if s.acts or s.speaks)
    placed = Counter()
    for sighting in sightings:
        placed[sighting.form] += sighting.place
    pronouns: dict[str, Counter] = {}
    for sighting in sightings:
        if sighting.gender:
            pronouns.setdefault(sighting.form, Counter())[sighting.gender] += 1
        if sighting.kin:  # `his sister Mary`, `Mary, his wife`: worth more than a pronoun nearby
            pronouns.setdefault(sighting.form, Counter())[sighting.kin] += KIN_WEIGHT
    name_words = Counter(word for form in counts for word in set(_words(form)))
    # a family may speak as one (`cried the Ashtons`), but `the Miss Greys` are never one person
    families = {f for f in counts if _a_family(f, name_words) and (not speaking[f] or title_of(f))}
    for family in families:
        del counts[family]
    for glued in [f for f in counts if _glued(f, counts)]:
        del counts[glued]
    for place in [f for f in counts if _place_named(f) and not _speaks_as_a_person(speaking[f], placed[f], acting[f])]:
        del counts[place]  # `Toad Hall` is not Toad's full name, nor `Marlborough Buildings` Mary's
    groups = _join_given_names(_merge(counts, _leanings(pronouns), counts, apart), pronouns, counts,
                               lambda one, other, same_family=False: _kept_apart(one, other, speaking, apart,
                                                                                 same_family))
    groups = join_addressed(groups, links, lambda members: _gender(members, pronouns),
                            lambda form: _words(form), lambda members: _canonical(members, counts),
                            lambda one, other: _kept_apart(one, other, speaking, apart))
    characters = []
    for canonical, members in groups.items():
        if sum(counts[m] for m in members) < MIN_MENTIONS and not any(speaking[m] for m in members):
            continue
        if not _a_person(members, speaking, acting, placed):
            continue
        aliases = sorted((m for m in members if m != canonical), key=lambda m: (-counts[m], m))
        characters.append(Character(canonical, aliases, _gender(members, pronouns)))
    # `the doctor` is the one character the text titles so (`Doctor Losberne`), not someone new.
    roles = Counter(role for c in characters for role in {r for form in c.names for r in role_of(form)})
    for noun, n in described_speakers(book).items():
        if n >= DESCRIBED_SPEECHES and roles["the " + noun] != 1:
            characters.append(Character("the " + noun, [], gender_of_noun(noun) or "unknown"))
            speaking["the " + noun], counts["the " + noun] = n, n
    weight = {c.name: (sum(speaking[m] for m in c.names), sum(counts[m] for m in c.names)) for c in characters}
    characters.sort(key=lambda c: weight[c.name], reverse=True)
    return [Discovered(c, *weight[c.name], acts=sum(acting[m] for m in c.names)) for c in characters]


#: Times a name must be met alone for a form seen once with another word before it to be that word glued on.
GLUED_ALONE = 5


def _glued(form: str, counts: Counter) -> bool:
    """True for a name of several words met once, whose last word the text
    uses alone often, and whose first is no given name: a word glued on
    (`the old-fashioned Leghorn Laurie had`), not a full name; or two given
    names the text uses alone often (`Tell Beth Frank asked for her`); or a name
    ending in a word for a people (`to Lucy Italian was a language`)."""
    words = form.split()
    if len(words) < 2 or title_of(form):
        return False
    if words[-1].lower() in DEMONYMS:  # `Lucy Italian`: nobody's surname
        return True
    if counts[form] != 1 or counts[words[-1]] < GLUED_ALONE:
        return False
    # `Tell Beth Frank asked for her`: two people the text names alone often, side by side
    return given_name_gender(words[0]) == "unknown" or (
        len(words) == 2 and counts[words[0]] >= GLUED_ALONE and given_name_gender(words[-1]) != "unknown")


def _a_family(form: str, name_words: Counter) -> bool:
    """True for a plural of a name the text also uses (`the Ashtons`, `the
    Miss Greys`); `name_words` counts the forms each word of a name is in."""
    bare = _bare(form)
    if " " in bare or not bare.endswith("s") or bare.endswith("ss") or len(bare) < 4:
        return False
    return name_words[bare[:-1]] > 0


def _join_given_names(groups: dict[str, set[str]], pronouns: dict, counts: Counter,
                      apart: Callable[[set[str], set[str], bool], bool]) -> dict[str, set[str]]:
    """Merge a group into another whose given name it is a form of (`Lizzy`
    into `Elizabeth Bennet`, `Ellen Grey` into `Eleanor Grey`, `Huck Finn`
    into `Huckleberry Finn`: a pet form or the name cut short) where the text
    links them: the same family name, or no family name, the other's given
    name the full one (`Hannah` is not `Annie Moffat`) and only one
    character the short form can stand for; never across genders, and never
    two the text keeps apart (`_kept_apart`).  Merged names meet the rest
    again, until nothing changes."""
    for _round in range(JOIN_ROUNDS):
        before = len(groups)
        groups = _join_given_names_once(groups, pronouns, counts, apart)
        if len(groups) == before:
            break
    return groups


def _kept_apart(one: set[str], other: set[str], speaking: Counter, listed: set[frozenset[str]],
                same_family: bool = False) -> bool:
    """True for two groups of forms the text shows are two people: the
    narration has each speak often (`said Kitty`, `said Lady Catherine`: a
    narrator calls one person by one name, pet forms are the other
    characters'), or lists them side by side (`Peleg and Bildad`).  Two full
    names of one family whose given names are forms of one name (`Huck
    Finn`, `Huckleberry Finn`) are one person however the narration calls
    them, unless it lists them side by side."""
    if not same_family and min(sum(speaking[m] for m in one), sum(speaking[m] for m in other)) >= DISTINCT_SPEECHES:
        return True
    return any(frozenset((a, b)) in listed for a in one for b in other)


#: How many times more often than all the others together a full name must be met to take a pet form they share.
FAR_MORE = 5
#: At most how many times `_join_given_names` goes over the groups.
JOIN_ROUNDS = 3
#: Times the narration must have each of two names speak for them to be two people.
DISTINCT_SPEECHES = 3


def _join_given_names_once(groups: dict[str, set[str]], pronouns: dict, counts: Counter,
                           apart: Callable[[set[str], set[str], bool], bool]) -> dict[str, set[str]]:
    """One round of `_join_given_names`."""
    parts: dict[str, tuple[str, Optional[str]]] = {}
    by_key: dict[str, set[str]] = {}
    by_start: dict[str, set[str]] = {}  # the first letters of a given name -> names: for clipped forms

    def add(name: str) -> None:
        words = _words(name)
        parts[name] = (words[0], words[-1] if len(words) > 1 else None)
        by_key.setdefault(given_name_key(words[0]), set()).add(name)
        by_start.setdefault(words[0][:CLIPPED_LEAST].casefold(), set()).add(name)

    def forms_of(given: str) -> set[str]:
        """Names whose given name `given` may be a form of: by the table, or cut short (`Huck`, `Huckleberry`)."""
        clipped = {other for other in by_start.get(given[:CLIPPED_LEAST].casefold(), ())
                   if clipped_from(given, parts[other][0]) or clipped_from(parts[other][0], given)}
        return by_key.get(given_name_key(given), set()) | clipped

    for name in groups:
        add(name)
    genders = {name: _gender(members, pronouns) for name, members in groups.items()}
    order = sorted(groups, key=lambda n: (len(_words(n)), sum(counts[m] for m in groups[n])))
    for name in order:
        if name not in groups:
            continue
        given, family = parts[name]
        if title_of(name) and family is None and gender_from_title(name) == "unknown":
            continue
        homes = [other for other in sorted(forms_of(given))
                 if other != name and parts[other][0] != given
                 and (family is None or family == parts[other][1])
                 and (family or _short_for(given, other, parts))
                 and not apart(groups[name], groups[other], family is not None)
                 and {genders[name], genders[other]} != {"male", "female"}]
        if len(homes) > 1 and family is None and not title_of(name):
            # `Janet` beside Jane Eyre (met 300 times) and a Jane Elliott met twice: the first
            sizes = _sizes(homes, groups, counts)
            if sizes[0][0] >= FAR_MORE * sum(size for size, _home in sizes[1:]):
                homes = [sizes[0][1]]
        if len(homes) == 1:
            home = homes[0]
            merged = groups.pop(name) | groups.pop(home)
            for gone in (name, home):
                by_key[given_name_key(parts[gone][0])].discard(gone)
                by_start[parts[gone][0][:CLIPPED_LEAST].casefold()].discard(gone)
            canonical = _canonical(merged, counts)
            groups[canonical] = merged
            genders[canonical] = genders[home] if genders[home] != "unknown" else genders[name]
            add(canonical)
    return groups


def _short_for(given: str, other: str, parts: dict[str, tuple[str, Optional[str]]]) -> bool:
    """With no family name to link them, whether the given name `given` and
    the one of group `other` may be one person's.  Two forms of one name by
    the table need one of them to be the full name, in any of its spellings
    (`Elizabeth` for `Lizzy`, `Antony` for `Tony`; not `Bessie` and `Eliza`,
    who may be two people).  A name cut short (`Sid`
    for `Sidney`, `Hucky` for the `Huckleberry` of `Huckleberry Finn`) needs
    the longer to be known as a given name: a usual one, or one the text puts
    before a family name; never two words that merely start alike (`Pross`,
    `Prosecutor`; `Lucie`, `Lucifer`)."""
    theirs = parts[other][0]
    same = given_name_key(given) == given_name_key(theirs)
    if clipped_from(given, theirs):  # `given` is theirs cut short
        return same or given_name_gender(theirs) != "unknown" or parts[other][1] is not None
    if clipped_from(theirs, given):
        return same or given_name_gender(given) != "unknown"
    return same and (is_full_name(given) or is_full_name(theirs) or given_name_key(given) == given.casefold())


def _a_person(members: set[str], speaking: Counter, acting: Counter, placed: Counter) -> bool:
    """False for a group of forms that reads as a place or a description:
    named after a place noun (`Wuthering Heights`, `Blackwater Park`), unless
    the text has it speak twice, or once and met more often doing what people
    do than after prepositions of place (`Milt Dale`; a house `began` once), or met
    after prepositions of place and articles at least as often as doing
    what people do, and never speaking, and with no title of a person;
    or a known place (`Chicago`) that the text does not have speak twice."""
    if any(title_of(m) for m in members):
        return True
    if all(is_place(m) for m in members):  # `Chicago`, `Derbyshire`: only if the text has them speak, and often
        return sum(speaking[m] for m in members) >= PLACE_SPEECHES
    speaks = sum(speaking[m] for m in members)
    place, person = sum(placed[m] for m in members), sum(acting[m] for m in members)
    if any(_place_named(m) for m in members):
        return _speaks_as_a_person(speaks, place, person)
    if speaks:
        return True
    if all(w.lower() in DEMONYMS for m in members for w in _words(m)):
        return False
    return place < 1 or place < person


def _place_named(form: str) -> bool:
    """True for an untitled name of several words whose last is a place noun (`Toad Hall`, `Blackwater Park`)."""
    words = _words(form)
    return len(words) > 1 and not title_of(form) and words[-1].lower() in PLACE_NOUNS


def _speaks_as_a_person(speaks: int, place: float, person: int) -> bool:
    """True for forms the text has speak (`speaks` times) twice, or once while met more often doing what
    people do (`person`) than after prepositions of place (`place`): `Milt Dale`."""
    return speaks >= PLACE_SPEECHES or (speaks > 0 and place < person)


def _merge(forms: Iterable[str], leaning: Optional[dict[str, str]] = None,
           counts: Optional[Counter] = None, apart: frozenset | set = frozenset()) -> dict[str, set[str]]:
    """Group the forms of one person under a canonical name: the longest
    untitled form, or a titled form when that is all there is.

    A surname alone that fits several people (`Bennet` for Mr. and Mrs.
    Bennet) is dropped; a title with it (`Mrs. Bennet` beside Jane and Lydia
    Bennet) is a person of its own.  A given name alone that several full
    names share goes to the one the text names far more often, else is a
    person of its own when the text uses it far more than any of them
    (`Laurie`), else is dropped.  A title that goes with surnames (`Colonel
    Fitzwilliam`) never takes a given name (`Fitzwilliam Darcy`).  Forms
    whose genders disagree (by title, or by the pronouns that clearly
    follow them: `leaning`) are never grouped: Mrs. Joe Gargery is not Joe;
    nor forms the text shows are two people (`apart`: pairs of forms)."""
    leaning = leaning or {}
    counts = counts if counts is not None else Counter()
    forms = set(forms)
    # A surname alone that titles of both genders share (Pontellier for Mr. and Mrs.) is nobody's;
    # a given name is not a surname (`Jo` of `Jo March`, whom a friend calls `Sir Jo` in jest).
    shared: dict[str, set[str]] = {}
    for form in forms:
        if title_of(form) and len(_words(form)) == 1:
            shared.setdefault(_bare(form), set()).add(gender_from_title(form))
    spread = [_words(f) for f in forms]
    given = {w[0] for w in spread if len(w) > 1} - {w[-1] for w in spread if len(w) > 1}
    forms -= {bare for bare, genders in shared.items()
              if {"male", "female"} <= genders and bare not in given and bare not in leaning}
    # Untitled forms first, so a titled one meets groups that already know their gender from pronouns.
    forms = sorted(forms, key=lambda f: (-len(_words(f)), bool(title_of(f)), -len(f), -counts[f], f))
    groups: dict[str, set[str]] = {}
    by_words: dict[tuple[str, ...], list[str]] = {}  # full, first and last, or first or last words -> group keys
    for form in forms:
        words = tuple(_words(form))
        # `Bill Sikes` beside `William Sikes`: one family name and two forms of one given name are one person,
        # known as one before the family name alone (`Sikes`, `Mr. Sikes`) is given out.
        alike = by_words.get(words, []) or (by_words.get(_full_given(words), []) if len(words) == 2 else [])
        fits = [key for key in alike
                if _same_gender(form, groups[key], leaning) and _title_fits(form, groups[key])
                and not any(frozenset((form, m)) in apart for m in groups[key])]
        homes = [key for key in fits if _titles_agree(form, groups[key])]
        family = [k for k in fits if words[0] in _surnames(groups[k]) and _given_names(groups[k])]
        if len(words) == 1 and title_of(form) and len(family) > 1:
            # `Mrs. Bennet` beside Jane, Elizabeth and Lydia Bennet: someone else; but a rank (`Captain Dobbin`,
            # later `Major Dobbin`) is the family's man or woman of that gender whom the text names far more
            homes = _dominant_member(family, groups, counts) if title_of(form) in RANK_TITLES else []
        elif len(words) == 1 and len(homes) > 1:
            homes = _dominant(form, homes, groups, counts)
            if homes is _NOBODY:
                continue
        if not homes:
            groups[form] = {form}
            bare = _words(form)
            shapes = {words} | {(w,) for w in _first_and_last(form)}
            if len(bare) > 2:
                shapes.add((bare[0], bare[-1]))  # `Amy March` for `Amy Curtis March`
            if len(bare) == 2:
                shapes.add(_full_given(words))
            for shape in shapes:
                by_words.setdefault(shape, []).append(form)
        elif len(homes) == 1:
            groups[homes[0]].add(form)
            if words not in by_words:  # `Tom Sawyer` joining `Thomas Sawyer`: `Tom` alone is his as well
                for shape in {words} | {(w,) for w in _first_and_last(form)}:
                    if homes[0] not in by_words.setdefault(shape, []):
                        by_words[shape].append(homes[0])
        # several homes for a longer form: whose it is, only its context says
    _drop_shared_surnames(groups, leaning)
    return {_canonical(members, counts): members for members in groups.values()}


#: What `_dominant` returns for a given name it gives to nobody (several people, none named far more).
_NOBODY: list[str] = []
#: How many times more often a form must be met than another to win over it.
DOMINANCE = 2


def _dominant(form: str, homes: list[str], groups: dict[str, set[str]], counts: Counter) -> list[str]:
    """For a given name alone that fits several groups (`Amy` beside `Amy
    March` and `Amy Laurence`): the one group the text names far more often
    than the others; else no group, so it is a person of its own, when the
    text uses the name far more than all of them together (`Jane` beside
    `Jane Bennet` and `Jane Gardiner`); else `_NOBODY` (ambiguous, and
    always for a surname: `Bennet`)."""
    if given_name_gender(form) != "unknown":  # `Joe` beside `Joe Harper` and `Injun Joe`: a given name alone
        as_given = [key for key in homes if form in _given_names(groups[key]) - _surnames(groups[key])]
        if len(as_given) == 1:  # is the one who bears it first, not whoever bears it last
            return as_given
    sizes = _sizes(homes, groups, counts)
    given = all(form in _given_names(groups[key]) - _surnames(groups[key]) for key in homes)
    if given and sizes[0][0] >= DOMINANCE * max(sizes[1][0], 1):
        return [sizes[0][1]]  # a surname (`Bennet`) never goes to the family member named most
    return [] if given and counts[form] >= DOMINANCE * sum(size for size, _key in sizes) else _NOBODY


def _dominant_member(family: list[str], groups: dict[str, set[str]], counts: Counter) -> list[str]:
    """Of several groups of one family, the one the text names `DOMINANCE` times more often than any other, if any."""
    sizes = _sizes(family, groups, counts)
    return [sizes[0][1]] if sizes[0][0] >= DOMINANCE * max(sizes[1][0], 1) else []


def _sizes(homes: list[str], groups: dict[str, set[str]], counts: Counter) -> list[tuple[int, str]]:
    """(times met, group key) for each of `homes`, the most met first."""
    return sorted(((sum(counts[m] for m in groups[key]), key) for key in homes), reverse=True)


def _given_names(members: set[str]) -> set[str]:
    """The first words of a group's names of more than one word (without titles)."""
    return {words[0] for words in (_words(m) for m in members) if len(words) > 1}


def _surnames(members: set[str]) -> set[str]:
    """The last words of a group's names of more than one word, and the word of a titled one-word name
    that is not one of its given names."""
    given = _given_names(members)
    found = set()
    for member in members:
        words = _words(member)
        if len(words) > 1 or (title_of(member) and words[0] not in given):  # `Miss Jo` of `Jo March`: a given name
            found.add(words[-1])
    return found


#: Titles that go with a surname only: `Colonel Fitzwilliam` is not `Fitzwilliam Darcy`.
SURNAME_TITLES = frozenset("mr mrs ms mister dr doctor professor prof judge rev reverend capt captain col colonel "
                           "gen general major sergeant lieutenant sheriff farmer parson squire".split())
#: Of those, the ranks and offices, which a family's members do not share as `Mr.` and `Mrs.` are shared.
RANK_TITLES = SURNAME_TITLES - {"mr", "mrs", "ms", "mister", "farmer"} | {"cap'n"}


def _title_fits(form: str, members: set[str]) -> bool:
    """False for a title that goes with surnames before a word the group
    has only as a given name (`Colonel Fitzwilliam`, `Fitzwilliam Darcy`),
    unless the group has that title before that given name (`Mrs. Joe`,
    `Mrs. Joe Gargery`)."""
    title = title_of(form)
    words = _words(form)
    if title not in SURNAME_TITLES or len(words) > 1:
        return True
    word = words[0]
    return word not in _given_names(members) - _surnames(members) or any(
        title_of(m) == title and _words(m)[0] == word for m in members)


#: Titles of one standing: a woman called `Mrs.` by a text is not the one it calls `Miss` or `Lady`.
TITLE_CLASSES = ({"mrs", "madame", "mme", "frau", "signora", "missus"}, {"miss", "mademoiselle", "mlle"},
                 {"lady", "dame", "countess", "duchess", "baroness", "princess", "queen"})
#: Titles of kinship, which go with any other (`Aunt Shaw` is `Mrs. Shaw`).
KIN_TITLE_WORDS = frozenset("aunt uncle mother father sister brother".split())


def _titles_agree(form: str, members: set[str]) -> bool:
    """False when a titled form and a titled member of the group can't be
    one person: two women's titles of different standing (`Mrs. Morel`,
    `Miss Morel`: mother and daughter), or a woman's title beside a title
    of office (`Miss Marjoribanks`, `Dr Marjoribanks`: daughter and father)."""
    title = title_of(form)
    if title is None or title in KIN_TITLE_WORDS:
        return True
    for member in members:
        other = title_of(member)
        if other is None or other == title or other in KIN_TITLE_WORDS:
            continue
        classes = {i for i, c in enumerate(TITLE_CLASSES) for t in (title, other) if t in c}
        female = {gender_from_title(form), gender_from_title(member)}
        if len(classes) > 1 or ("female" in female and "unknown" in female):
            return False
    return True


def _drop_shared_surnames(groups: dict[str, set[str]], leaning: dict[str, str]) -> None:
    """Give a bare surname (`Lebrun`) that two people bear (`Madame Lebrun`,
    `Robert Lebrun`) to the one whose gender the pronouns after it clearly
    give, or to neither: which of them it means, only its context says."""
    holders: dict[str, set[str]] = {}
    for key, members in groups.items():
        for surname in _surnames(members):
            holders.setdefault(surname, set()).add(key)
    moves = []
    for key, members in groups.items():
        for member in members:
            if " " in member or title_of(member) or len(holders.get(member, ())) < 2 or len(members) < 2:
                continue
            gender = leaning.get(member)
            fits = [k for k in holders[member] if gender and _group_gender(groups[k] - {member}, leaning) == gender]
            moves.append((member, key, fits[0] if len(fits) == 1 else None))
    for member, old, new in moves:
        groups[old].discard(member)
        if new:
            groups[new].add(member)


def _group_gender(members: set[str], leaning: dict[str, str]) -> str:
    """The one gender the forms of a group have, or 'unknown'."""
    genders = {_form_gender(m, leaning) for m in members} - {"unknown"}
    return genders.pop() if len(genders) == 1 else "unknown"


def _form_gender(form: str, leaning: dict[str, str]) -> str:
    """The gender of one form: from its title, else its given name, else the pronouns that clearly follow it."""
    known = _known_gender(form)
    return known if known != "unknown" else leaning.get(form, "unknown")


def _known_gender(form: str) -> str:
    """The gender a form's title or (untitled) given name says (`Mrs. Joe`, `Charlotte Temple`), else 'unknown'."""
    titled = gender_from_title(form)
    if titled != "unknown" or title_of(form):
        return titled
    return given_name_gender(form.split()[0])


def _same_gender(form: str, members: set[str], leaning: Optional[dict[str, str]] = None) -> bool:
    """True unless the form's gender and the group's disagree."""
    leaning = leaning or {}
    gender = _form_gender(form, leaning)
    genders = {_form_gender(m, leaning) for m in members} - {"unknown"}
    return gender == "unknown" or not genders or genders == {gender}


def _leanings(pronouns: dict[str, Counter]) -> dict[str, str]:
    """The forms that the following pronouns (and kin nouns) clearly give a gender."""
    leaning = {}
    for form, votes in pronouns.items():
        if not votes:
            continue
        gender, n = votes.most_common(1)[0]
        if n >= 2 and n >= 0.75 * sum(votes.values()):
            leaning[form] = gender
    return leaning


def _first_and_last(form: str) -> set[str]:
    """The words a multi-word name may be shortened to (`Alex`, `Karev`)."""
    words = _words(form)
    return {words[0], words[-1]} if len(words) > 1 else set()


def _full_given(words: tuple[str, ...]) -> tuple[str, ...]:
    """The shape of a two-word name under its full given name: (`~william`, `Sikes`) for `Bill Sikes`."""
    return ("~" + given_name_key(words[0]), words[-1])


def _words(form: str) -> list[str]:
    """The words of a form without its title, a family name's particle with the word after it (`Van Weyden`)."""
    return joined_words(_bare(form).split())


def _bare(form: str) -> str:
    """The form without its title."""
    return form.split(None, 1)[1] if title_of(form) and " " in form else form


def _canonical(members: set[str], counts: Optional[Counter] = None) -> str:
    """The name to use for a group of forms: the fullest, and of those the
    one the text uses most (`Tom Sawyer`, not the `Thomas Sawyer` of a
    formal address), else the longest."""
    counts = counts if counts is not None else Counter()
    untitled = [m for m in sorted(members) if not title_of(m)]
    pool = untitled if untitled and len(max(untitled, key=len).split()) > 1 else sorted(members)
    return max(pool, key=lambda m: (len(_words(m)), counts[m], len(m)))  # ties: the first alphabetically


def _gender(members: set[str], pronouns: dict) -> str:
    """Gender from a title, else a given name the gender of which is known
    (`Charlotte`), else the majority of following pronouns and kin nouns."""
    for member in sorted(members):
        guessed = gender_from_title(member)
        if guessed != "unknown":
            return guessed
    votes = Counter()
    for member in members:
        votes.update(pronouns.get(member, Counter()))
    leaning, most = votes.most_common(1)[0] if votes else ("unknown", 0)
    if most >= CLEAR_VOTES and most >= CLEAR_SHARE * sum(votes.values()):
        return leaning  # the text says it plainly, whatever the name usually is (a Sandy who is `she`)
    for member in sorted(members, key=len, reverse=True):
        guessed = _known_gender(member)
        if guessed != "unknown":
            return guessed
    if most > sum(votes.values()) / 2:
        return leaning
    return "unknown"
