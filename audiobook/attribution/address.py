"""Forms of one person that a text links by address: the one spoken to answers.

A text may call a woman *Miss Bartlett* in its narration and *Charlotte*
in its dialogue, and never write *Charlotte Bartlett*.  A reader links the
two the way a conversation does: "Charlotte, you mustn't spoil me." --
"You must have it," said Miss Bartlett.  The one addressed in a quotation is,
most often, the one whose tag follows the next.  When a given name is
addressed so at least twice, and mostly answered by one other character,
the two are one person.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from typing import Callable, Iterable, Sequence

from audiobook.attribution.diminutives import given_name_gender, same_given_name

#: Times a name must be answered by one other character, and the share of its answers that must be theirs.
MIN_LINKS = 2
MIN_SHARE = 2 / 3
#: Times a pet name must be answered by one character known by another given name to be theirs (`Teddy`, `Laurie`).
CLEAR_LINKS = 5
#: How far after a quotation its tag may be, in characters.
TAG_REACH = 200
_SENTENCE_END = re.compile(r"[.!?\n]")


def address_links(sightings: Iterable, spans: Sequence[tuple[int, int]], text: str) -> Counter:
    """(form addressed, form whose tag follows the next quotation) for every
    address in one chapter of `text`; `sightings` carry `form`, `start`,
    `addressed`, `speaks` and `quoted`, `spans` are the chapter's quotations
    in order.  The next quotation's tag is the first after it (before the
    one after that), else the last before it in its own paragraph."""
    sightings = sorted(sightings, key=lambda s: s.start)
    tags = [s for s in sightings if s.speaks and not s.quoted]
    starts = [t.start for t in tags]
    links: Counter = Counter()
    for sighting in sightings:
        if not sighting.addressed:
            continue
        i = _span_of(sighting.start, spans)
        if i is None or i + 1 >= len(spans):
            continue
        after = [t for t in tags[bisect.bisect_left(starts, spans[i + 1][1]):]
                 if (i + 2 >= len(spans) or t.start < spans[i + 2][0]) and t.start - spans[i + 1][1] < TAG_REACH][:1]
        before = [t for t in tags[bisect.bisect_left(starts, spans[i][1]):bisect.bisect_left(starts, spans[i + 1][0])]
                  if "\n" in text[spans[i][1]:t.start]][-1:]
        tag = (after or before or [None])[0]
        if tag is not None and tag.form != sighting.form:
            links[(sighting.form, tag.form)] += 1
    return links


def speaker_and_addressee(sightings: Iterable, spans: Sequence[tuple[int, int]], text: str,
                          paragraphs: Sequence[int] = ()) -> set[frozenset[str]]:
    """The pairs (form addressed, form whose tag follows the same quotation
    in its own sentence) of one chapter: who speaks is not whom they speak
    to (`"..., Miss Jemima?" asked Miss Pinkerton`).  A name opening the
    next paragraph (`"Hucky, ...?"` / `Huckleberry whispered:`) tags the
    next speech, not this one.  Arguments as for `address_links`, and the
    offsets where the chapter's paragraphs start, in order."""
    sightings = sorted(sightings, key=lambda s: s.start)
    tags = [s for s in sightings if s.speaks and not s.quoted]
    starts = [t.start for t in tags]
    pairs = set()
    for sighting in sightings:
        if not sighting.addressed:
            continue
        i = _span_of(sighting.start, spans)
        if i is None:
            continue
        j = bisect.bisect_left(starts, spans[i][1])
        if j < len(tags) and tags[j].start - spans[i][1] < TAG_REACH and (
                i + 1 >= len(spans) or tags[j].start < spans[i + 1][0]) and tags[j].form != sighting.form \
                and not _SENTENCE_END.search(text, spans[i][1] + 1, tags[j].start) \
                and bisect.bisect_right(paragraphs, tags[j].start) == bisect.bisect_right(paragraphs, spans[i][1]):
            pairs.add(frozenset((sighting.form, tags[j].form)))
    return pairs


def _span_of(offset: int, spans: Sequence[tuple[int, int]]) -> int | None:
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid][1] <= offset:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(spans) and spans[lo][0] <= offset else None


def join_addressed(groups: dict[str, set[str]], links: Counter, gender: Callable[[set[str]], str],
                   bare_words: Callable[[str], list[str]], canonical: Callable[[set[str]], str],
                   apart: Callable[[set[str], set[str]], bool] = lambda one, other: False) -> dict[str, set[str]]:
    """Merge a group known only by a given name (`Charlotte`, `Miss Lucilla`)
    into the group that answers it (`Miss Bartlett`): at least `MIN_LINKS`
    times and `MIN_SHARE` of its answers, genders not at odds, the
    answering group not known by another given name (`Eleanor Grey`, `Sid`)
    unless it answers at least `CLEAR_LINKS` times (`Teddy`, answered by
    `Laurie`; `Dodo`, by `Dorothea`), and the two not kept apart by the text (`apart`: two who talk to each
    other, `Peleg and Bildad`, are each tagged by the narration)."""
    group_of = {form: key for key, members in groups.items() for form in members}
    between: Counter = Counter()
    answered: Counter = Counter()
    for (addressed, tagged), n in links.items():
        a, t = group_of.get(addressed), group_of.get(tagged)
        if a is None or t is None:
            continue
        answered[a] += n
        if a != t:
            between[(a, t)] += n
    for (a, t), n in sorted(between.items(), key=lambda item: -item[1]):
        if a not in groups or t not in groups or n < MIN_LINKS or n < MIN_SHARE * answered[a]:
            continue
        given = {bare_words(m)[0] for m in groups[a]}
        if any(len(bare_words(m)) > 1 for m in groups[a]):  # `Charlotte Temple` has a family name of her own
            continue
        if n < CLEAR_LINKS and any(
                bare_words(m)[0] not in given and (len(bare_words(m)) > 1 or given_name_gender(bare_words(m)[0]) != "unknown")
                and not any(same_given_name(bare_words(m)[0], g) for g in given) for m in groups[t]):
            continue
        if {gender(groups[a]), gender(groups[t])} == {"male", "female"} or apart(groups[a], groups[t]):
            continue
        merged = groups.pop(a) | groups.pop(t)
        groups[canonical(merged)] = merged
    return groups
