"""Find a book's characters when no cast is given.

Candidates are capitalised names (with optional titles: *Mrs. Daniels*,
*Dr. Karev*) seen in the middle of a sentence, or as the subject of a speech
verb.  Forms of one person are merged (*Alex*, *Karev*, *Dr. Karev* and
*Alex Karev* become one character named *Alex Karev*), and gender is guessed
from titles and from the pronouns that follow the name.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional, Sequence

from audiobook.attribution.address import address_links, join_addressed
from audiobook.attribution.diminutives import given_name_gender, given_name_key
from audiobook.attribution.places import is_place
from audiobook.attribution.names import TITLES, gender_from_title, gender_of_noun, normalise, title_of
from audiobook.attribution.rules import SPEECH_VERBS
from audiobook.model import DIALOGUE, Book, Character

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
_WORD = r"(?:[A-Z]['’][A-Z][a-z]+|Ma?c[A-Z][a-z]+|[A-Z][a-z'’]+)"  # O'Hara, McAllister, Hollis
# A name's later words: never a title with its full stop (`Then Mrs. Hall` is `Mrs. Hall`), never `I`.
_PARTICLE = r"(?:(?:de|van|von|der|den|du|di|da|del|della|le|la)\s+)?"  # Lady Catherine de Bourgh
_NAME = re.compile(r"(?:(?:%s)\.?\s+)?%s(?:[-\s]%s(?!(?:%s)\.)(?!I['’\s])%s)*"
                   % (_TITLE_WORDS, _WORD, _PARTICLE, _TITLE_WORDS, _WORD))
#: Words that are never part of a name, even after a title.
FUNCTION_WORDS = frozenset("""i i'm i'll i've i'd the a an and but or so yet for nor if then when while where what
who why how which that this these those there here he she it we they you his her its our their my your me him us
them yes no not oh ah ay well now o""".split())
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘’'—–-]\s*|\n)\s*$")
_FOLLOWING_WORD = re.compile(r"\s+(\w+)")
_WORD = re.compile(r"[A-Za-z]+")
_QUOTE_MARK = re.compile("[\"“”]")
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
falls drive embassy park gardens""".split())
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
KIN_WEIGHT = 3
MIN_MENTIONS = 2
PLACE_SPEECHES = 2
PRONOUN_WINDOW = 120


@dataclass
class _Sighting:
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
    common = common_words(book)
    sightings, links = [], Counter()
    for chapter in book.chapters:
        spans = _dialogue_spans(chapter)
        found = [s for s in _sightings(chapter.source_text, chapter.start, chapter.end, common, spans)
                 if _looks_like_a_person(s.form, common)]
        links.update(address_links(found, spans, chapter.source_text))
        sightings += found
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
    name_words = Counter(word for form in counts for word in set(_bare(form).split()))
    families = {f for f in counts if _a_family(f, name_words) and not speaking[f]}
    for family in families:
        del counts[family]
    groups = _join_given_names(_merge(counts, _leanings(pronouns)), pronouns, counts)
    groups = join_addressed(groups, links, lambda members: _gender(members, pronouns),
                            lambda form: _bare(form).split(), _canonical)
    characters = []
    for canonical, members in groups.items():
        if sum(counts[m] for m in members) < MIN_MENTIONS and not any(speaking[m] for m in members):
            continue
        if not _a_person(members, speaking, acting, placed):
            continue
        aliases = sorted((m for m in members if m != canonical), key=lambda m: -counts[m])
        characters.append(Character(canonical, aliases, _gender(members, pronouns)))
    weight = {c.name: (sum(speaking[m] for m in c.names), sum(counts[m] for m in c.names)) for c in characters}
    characters.sort(key=lambda c: weight[c.name], reverse=True)
    return [Discovered(c, *weight[c.name], acts=sum(acting[m] for m in c.names)) for c in characters]


def _a_family(form: str, name_words: Counter) -> bool:
    """True for a plural of a name the text also uses (`the Ashtons`, `the
    Miss Greys`); `name_words` counts the forms each word of a name is in."""
    bare = _bare(form)
    if " " in bare or not bare.endswith("s") or bare.endswith("ss") or len(bare) < 4:
        return False
    return name_words[bare[:-1]] > 0


def _join_given_names(groups: dict[str, set[str]], pronouns: dict, counts: Counter) -> dict[str, set[str]]:
    """Merge a group into another whose given name it is a form of (`Lizzy`
    into `Elizabeth Bennet`, `Ellen Grey` into `Eleanor Grey`) where the text
    links them: the same family name, or no family name and only one
    character the short form can stand for; and never across genders."""
    parts: dict[str, tuple[str, Optional[str]]] = {}
    by_key: dict[str, set[str]] = {}

    def add(name: str) -> None:
        words = _bare(name).split()
        parts[name] = (words[0], words[-1] if len(words) > 1 else None)
        by_key.setdefault(given_name_key(words[0]), set()).add(name)

    for name in groups:
        add(name)
    genders = {name: _gender(members, pronouns) for name, members in groups.items()}
    order = sorted(groups, key=lambda n: (len(_bare(n).split()), sum(counts[m] for m in groups[n])))
    for name in order:
        if name not in groups:
            continue
        given, family = parts[name]
        if title_of(name) and family is None and gender_from_title(name) == "unknown":
            continue
        homes = [other for other in by_key.get(given_name_key(given), ())
                 if other != name and parts[other][0] != given
                 and (family is None or family == parts[other][1])
                 and (family or parts[other][1] or _a_full_name(given, parts[other][0]))
                 and {genders[name], genders[other]} != {"male", "female"}]
        if len(homes) == 1:
            home = homes[0]
            merged = groups.pop(name) | groups.pop(home)
            for gone in (name, home):
                by_key[given_name_key(parts[gone][0])].discard(gone)
            canonical = _canonical(merged)
            groups[canonical] = merged
            genders[canonical] = genders[home] if genders[home] != "unknown" else genders[name]
            add(canonical)
    return groups


def _a_full_name(a: str, b: str) -> bool:
    """True when one of two forms of a given name is the full name (`Elizabeth`
    for `Lizzy`), not two pet forms that may be two people (`Bessie`, `Eliza`)."""
    return given_name_key(a) in (a.casefold(), b.casefold())


def _a_person(members: set[str], speaking: Counter, acting: Counter, placed: Counter) -> bool:
    """False for a group of forms that reads as a place or a description:
    named after a place noun (`Wuthering Heights`, `Hell Row`), or met
    after prepositions of place and articles at least as often as doing
    what people do, and never speaking, and with no title of a person;
    or a known place (`Chicago`) that the text does not have speak twice."""
    if any(title_of(m) for m in members):
        return True
    if all(is_place(m) for m in members):  # `Chicago`, `Derbyshire`: only if the text has them speak, and often
        return sum(speaking[m] for m in members) >= PLACE_SPEECHES
    if any(_bare(m).split()[-1].lower() in PLACE_NOUNS for m in members if " " in _bare(m)):
        return sum(speaking[m] for m in members) >= 1
    if any(speaking[m] for m in members):
        return True
    if all(w.lower() in DEMONYMS for m in members for w in _bare(m).split()):
        return False
    place, person = sum(placed[m] for m in members), sum(acting[m] for m in members)
    return place < 1 or place < person


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


def _sightings(text: str, start: int, end: int, common: set[str] = frozenset(),
               dialogue: Sequence[tuple[int, int]] = ()) -> Iterator[_Sighting]:
    """Every capitalised name in ``text[start:end]`` with its surroundings;
    `dialogue` holds the spans of the quotations, in order."""
    matches = [(m, _clean(m.group(), common)) for m in _NAME.finditer(text, start, end)]
    matches = [(m, form) for m, form in matches if form]
    for i, (match, form) in enumerate(matches):
        follows = _FOLLOWING_WORD.match(text, match.end())
        precedes = _PRECEDING_WORD.search(text, max(start, match.start() - 20), match.start())
        speaks = bool(follows and follows.group(1).lower() in SPEECH_VERBS) or bool(
            precedes and precedes.group(1).lower() in INVERTING_VERBS)
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
        yield _Sighting(form, speaks, mid_sentence or speaks or bool(title_of(form)), gender, acts=acts, place=place,
                        kin=kin, addressed=addressed, quoted=quoted, start=match.start())


def _inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    """True when `offset` lies in one of the sorted `spans`."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def _dialogue_spans(chapter) -> list[tuple[int, int]]:
    """The spans of a chapter's quotations (as segmented), in order."""
    return sorted((s.start, s.end) for s in chapter.segments if s.kind == DIALOGUE)


def _clean(form: str, common: frozenset[str] | set[str] = frozenset()) -> str:
    """The form without possessive endings and without the everyday words a
    sentence may open with (`Poor Hollis`, `As Robert`), or '' when it is
    not a name."""
    form = re.sub(r"['’]s?$", "", form.strip())
    words = form.split()
    folded = [w.lower().rstrip(".").replace("’", "'") for w in words]
    while len(words) > 1 and folded[0] not in TITLES and (
            folded[0] in NOT_PEOPLE or folded[0].endswith("ly") or folded[0] in common):
        words, folded = words[1:], folded[1:]
    if folded and folded[0] in NOT_PEOPLE - TITLES:
        return ""
    if any(_CONTRACTION.search(w) for w in folded):  # Don't, I'll, We're: never a name
        return ""
    titled_name = len(words) > 1 and folded[0] in TITLES and not any(w in FUNCTION_WORDS for w in folded[1:])
    if not words or (not titled_name and all(w in NOT_PEOPLE for w in folded)):
        return ""
    if len(words) == 1 and words[0].lower().rstrip(".") in TITLES:
        return ""
    return " ".join(words)


def _merge(forms: Iterable[str], leaning: Optional[dict[str, str]] = None) -> dict[str, set[str]]:
    """Group the forms of one person under a canonical name: the longest
    untitled form, or a titled form when that is all there is.  A short form
    that fits several people (`Bennet` for Mr. and Mrs. Bennet) is dropped.
    Forms whose genders disagree (by title, or by the pronouns that clearly
    follow them: `leaning`) are never grouped: Mrs. Joe Gargery is not Joe."""
    leaning = leaning or {}
    forms = set(forms)
    # A surname alone that titles of both genders share (Pontellier for Mr. and Mrs.) is nobody's.
    shared: dict[str, set[str]] = {}
    for form in forms:
        if title_of(form) and len(_bare(form).split()) == 1:
            shared.setdefault(_bare(form), set()).add(gender_from_title(form))
    forms -= {bare for bare, genders in shared.items() if {"male", "female"} <= genders}
    # Untitled forms first, so a titled one meets groups that already know their gender from pronouns.
    forms = sorted(forms, key=lambda f: (-len(_bare(f).split()), bool(title_of(f)), -len(f)))
    groups: dict[str, set[str]] = {}
    by_words: dict[tuple[str, ...], list[str]] = {}  # full or first/last words -> group keys
    for form in forms:
        words = tuple(_bare(form).split())
        homes = [key for key in by_words.get(words, [])
                 if _same_gender(form, groups[key], leaning) and _titles_agree(form, groups[key])]
        if not homes:
            groups[form] = {form}
            for shape in {words} | {(w,) for w in _first_and_last(form)}:
                by_words.setdefault(shape, []).append(form)
        elif len(homes) == 1:
            groups[homes[0]].add(form)
    _drop_shared_surnames(groups, leaning)
    return {_canonical(members): members for members in groups.values()}


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
        for member in members:
            words = _bare(member).split()
            if len(words) > 1 or title_of(member):
                holders.setdefault(words[-1], set()).add(key)
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
    """Gender from a title, else a given name the gender of which is known
    (`Charlotte`), else the majority of following pronouns and kin nouns."""
    for member in members:
        guessed = gender_from_title(member)
        if guessed != "unknown":
            return guessed
    for member in sorted(members, key=len, reverse=True):
        guessed = _known_gender(member)
        if guessed != "unknown":
            return guessed
    votes = Counter()
    for member in members:
        votes.update(pronouns.get(member, Counter()))
    if votes and votes.most_common(1)[0][1] > sum(votes.values()) / 2:
        return votes.most_common(1)[0][0]
    return "unknown"
