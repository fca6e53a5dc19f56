"""Mention-to-speaker sieves: which character a mention of the speaker is.

A quote-to-mention sieve (`mentions`) finds the words that point at a
quote's speaker, as a `Subject`; each sieve here turns one kind of such a
mention into a character: a name is its character, `I` the narrator, `he`
or `she` the character the context makes it stand for, a kin noun (`her
mother`) the relative the text has shown it to be, a description (`a
gentleman`) the character named next.  `SPEAKER_SIEVES` lists them.
"""
from __future__ import annotations

import re
from typing import Callable, Iterator, Optional

from audiobook.attribution.context import Quote, Story, is_subject
from audiobook.attribution.grammar import CLAUSE_PRONOUN, FIRST_PERSON, answers_by_description, tag_after
from audiobook.attribution.names import FEMALE_NOUNS, MALE_NOUNS, gender_of_noun, is_group, title_of
from audiobook.attribution.subjects import (OPENING, PRONOUN_GENDER, SENTENCE_END, SUBORDINATE, Subject, beat_after,
                                            subject_at)
from audiobook.model import UNKNOWN_SPEAKER

#: How many paragraphs back a pronoun looks first for a character who is a sentence's subject.
SUBJECT_REACH = 1
#: How many paragraphs back a chain of sentences opening with one pronoun may run.
CHAIN_REACH = 2
#: How many paragraphs on an unnamed speaker's name may first appear.
INTRODUCTION_REACH = 10
#: Nouns for a parent or a spouse: someone whom the narration usually calls Mr., Mrs. or Lady.
ELDER_NOUNS = frozenset("mother father wife husband aunt uncle grandmother grandfather mamma papa".split())


def learn_kin(story: Story) -> None:
    """Learn whom a kin noun stands for from the one a line addresses and the
    answer tagged by that noun (`"Am I right, Jack?"` / `"…," said my uncle`)."""
    for quote, subject in answers_by_description(story):
        if len(quote.addressees) == 1 and not subject.unnamed and subject.noun:
            story.kin.setdefault(subject.noun, next(iter(quote.addressees)))


def resolve_pronoun(pronoun: str, quote: Quote, story: Story) -> Optional[str]:
    """The character a tag's pronoun stands for: `I` is the narrator; `he` or
    `she` one of that gender the paragraph makes the subject of a sentence
    after its later quotes; else, passing over those it cannot stand for
    (`_disjoint`), the character a chain of sentences opening with that
    pronoun starts from, else one of that gender named earlier in the
    paragraph, else the A-B-A speaker, else the one the last line addressed, else the
    most recent one (whose face or hand the sentences since the last named
    subject are about, then the subjects of the last two paragraphs, then
    the earlier speakers of the conversation, then known gender, first)."""
    if pronoun in FIRST_PERSON:
        return story.narrator_at(quote)
    gender = PRONOUN_GENDER.get(pronoun)
    if gender is None:
        return None
    paragraph_start = story.book.chapters[quote.chapter].paragraphs[quote.paragraph].start
    closing = [name for name in _later_beats(quote, story) if pronoun_fits(quote, name, story, gender, exact=True)]
    if closing:
        quote.how = "closing"
        return closing[0]
    disjoint = _disjoint(pronoun, quote, story)
    chained = _chain_subject(pronoun, quote, story, gender)
    if chained and chained not in disjoint:
        quote.how = "chain"
        return chained

    def may_be(name: str, exact: bool) -> bool:
        return name not in disjoint and pronoun_fits(quote, name, story, gender, exact)
    in_paragraph = [m.name for m in reversed(story.mentions_between(quote.chapter, paragraph_start, quote.segment.start))
                    if m.name and may_be(m.name, exact=True)]
    if in_paragraph:
        quote.how = "in_paragraph"
        return in_paragraph[0]
    alternating = _alternating_speaker(quote, story)
    if alternating and may_be(alternating, exact=False):
        quote.how = "alternating"
        return alternating
    addressed = [n for q in story.by_paragraph.get((quote.chapter, quote.paragraph - 1), []) for n in q.addressees
                 if n != q.speaker and may_be(n, exact=False)]
    if len(set(addressed)) == 1:
        quote.how = "addressed"
        return addressed[0]
    near = story.mentions_between(quote.chapter, story.paragraphs_back(quote, SUBJECT_REACH), quote.segment.start)
    text = story.text(quote)
    subjects = [m.name for m in reversed(near) if m.name and is_subject(text, m)]
    owners = []  # `A gleam came into old Sapt's eye.`: whose eye, if no named subject comes after it
    for opening, end, _ in _sentences_back(quote, story, reach=SUBJECT_REACH):
        named = [m for m in story.mentions_between(quote.chapter, opening, end) if m.name]
        if any(is_subject(text, m) for m in named):
            break
        owners += [m.name for m in reversed(named) if text.startswith(("'s", "’s"), m.end)]
    subjects = owners + subjects
    candidates = [*subjects, *_earlier_speakers(quote, story), *story.recent_characters(quote, quote.segment.start)]
    recent = [n for n in candidates if may_be(n, exact=False)]
    exact = [n for n in recent if story.names.gender(n) != "unknown"]
    found = exact or recent
    if found and _newcomer(quote, story, found[0], gender):
        quote.how = "newcomer"
        return found[0]
    subject = "_subject" if subjects and found[:1] == subjects[:1] else ""  # the subject of a sentence just before
    quote.how = "recent" + subject + ("_rivals" if len(set(found)) > 1 else "")  # others of that gender about
    return (found or [None])[0]


_PRONOUN_WORD = re.compile(r"\b(he|she)\b", re.I)
#: Nouns for a person of either sex.
PERSON_NOUNS = frozenset("""stranger person figure visitor traveller traveler newcomer youth child servant sailor
seaman soldier officer rider horseman stranger guest native peasant porter waiter clerk creature""".split())
#: A fresh indefinite noun phrase for a person: `a tall stranger in a wet coat`, `an old man`.
_NEWCOMER = re.compile(r"\b(?:a|an)\s+(?:[\w-]+,?\s+){0,4}?(?P<head>%s)\b" % "|".join(sorted(
    FEMALE_NOUNS | MALE_NOUNS | PERSON_NOUNS, key=len, reverse=True)), re.I)


def _newcomer(quote: Quote, story: Story, name: str, gender: str) -> bool:
    """True when, since the character was last named (within the paragraph
    before and this one), the narration brings in somebody new by an
    indefinite noun phrase who may be the `he` or `she` (`a tall stranger in
    a wet coat came in`): the pronoun's old referent is then not its speaker."""
    start = story.paragraphs_back(quote, 1)
    named = [m.end for m in story.mentions_between(quote.chapter, start, quote.segment.start) if m.name == name]
    text = story.text(quote)
    return any(not story.in_dialogue(quote.chapter, match.start()) and _of_gender(match, gender)
               for match in _NEWCOMER.finditer(text, named[-1] if named else start, quote.segment.start))


def _of_gender(match: re.Match, gender: str) -> bool:
    """True when the noun phrase's head may be of that gender."""
    return gender_of_noun(match.group("head")) in (gender, None)


def _disjoint(pronoun: str, quote: Quote, story: Story) -> set[str]:
    """Characters the pronoun cannot stand for: those named after it in a
    sentence of the quote's paragraph, or the one before, that it is the
    subject of (`he gave Dick a box on the ear`, `she told Jo`): a pronoun
    does not stand for a name that its own sentence goes on to."""
    return story.once(("disjoint", id(quote), pronoun), _named_after, pronoun, quote, story)


def _named_after(pronoun: str, quote: Quote, story: Story) -> set[str]:
    """`_disjoint`, worked out."""
    text = story.text(quote)
    found: set[str] = set()
    for opening, end, _ in _sentences_back(quote, story, reach=1):
        asides = [(m.start(), m.end()) for m in SUBORDINATE.finditer(text, opening, end)]
        for match in _PRONOUN_WORD.finditer(text, opening, end):
            if match.group(1).lower() != pronoun or any(a <= match.start() < b for a, b in asides):
                continue  # `When he came in, Tom sat down`: he may be Tom
            found.update(m.name for m in story.mentions_between(quote.chapter, opening, end)
                         if m.name and m.start > match.start())
            break
    return found


def _later_beats(quote: Quote, story: Story) -> list[str]:
    """Characters named as the subject of a sentence after a later quote of
    the paragraph (`"…," he replied, "…?" Strether wound up.`)."""
    later = story.by_paragraph[(quote.chapter, quote.paragraph)][quote.order + 1:]
    subjects = [beat_after(other, story) for other in later]
    return [subject.name for subject in subjects if subject and subject.name]


def _earlier_speakers(quote: Quote, story: Story) -> list[str]:
    """Who spoke in the conversation before the quote, latest first, but for
    the speaker of the paragraph just before it (who is answered, not continued)."""
    last = story.paragraph_speaker(quote.chapter, quote.paragraph - 1)
    return [q.speaker for q in reversed(story.previous_quotes(quote))
            if q.speaker and q.speaker not in (last, UNKNOWN_SPEAKER)]


def _chain_subject(pronoun: str, quote: Quote, story: Story, gender: str) -> Optional[str]:
    """The character a pronoun continues to stand for: going back sentence by
    sentence while each opens with the same pronoun (`Marilla’s lips twitched.
    She had expected Mrs. Rachel; she had known …  "…," she said`), the
    character named at the opening of the sentence that starts the chain, or
    the speaker of the quote whose `he said` the chain reaches.  A sentence
    about nobody who might be meant (`His gloved hands were clasped.`) is
    passed over; one that names somebody else of that gender, ends the search."""
    for opening, end, after_quote in _sentences_back(quote, story):
        subject, _ = subject_at(story, quote, opening)
        if subject is None and after_quote is not None and after_quote.speaker and _tagged_by(after_quote, pronoun, story):
            speaker = after_quote.speaker  # `"…," said he, and turned …`: the one the last tag's pronoun stood for
            return speaker if pronoun_fits(quote, speaker, story, gender, exact=True) else None
        if subject is None:
            if _main_clause_pronoun(story.text(quote), opening, end) == pronoun:
                continue
            if any(m.name and pronoun_fits(quote, m.name, story, gender, exact=True)
                   for m in story.mentions_between(quote.chapter, opening, end)):
                return None
            continue
        if subject.pronoun == pronoun:
            if after_quote is not None and after_quote.speaker:
                speaker = after_quote.speaker
                return speaker if pronoun_fits(quote, speaker, story, gender, exact=True) else None
            continue
        if subject.name and pronoun_fits(quote, subject.name, story, gender, exact=True):
            return subject.name
        return None
    return None


def _tagged_by(quote: Quote, pronoun: str, story: Story) -> bool:
    """True when the quote's tag after it is that pronoun (`"…," said he`, `"…," he said`)."""
    subject = tag_after(quote, story)
    return bool(subject and subject.pronoun == pronoun)


def _main_clause_pronoun(text: str, start: int, end: int) -> Optional[str]:
    """The pronoun opening the main clause after a sentence's leading clause
    (`As soon as the bacon was under way, she carried …`), if any."""
    match = CLAUSE_PRONOUN.search(text, start, end)
    return match.group(1).lower() if match else None


def _sentences_back(quote: Quote, story: Story, reach: int = CHAIN_REACH) -> Iterator[tuple[int, int, Optional[Quote]]]:
    """The sentences of narration, from the quote backwards over its paragraph
    and the ones before it (within `CHAIN_REACH`): where each opens (after a
    leading conjunction) and ends, and the quote it follows when it opens right after one."""
    chapter = story.book.chapters[quote.chapter]
    text = chapter.source_text
    for p in range(quote.paragraph, max(-1, quote.paragraph - reach - 1), -1):
        segments = [s for s in chapter.paragraphs[p].segments if s.end <= quote.segment.start]
        for i in range(len(segments) - 1, -1, -1):
            segment = segments[i]
            if segment.is_dialogue:
                continue
            starts = [segment.start] + [m.end() for m in SENTENCE_END.finditer(text, segment.start, segment.end)
                                        if m.end() < segment.end]
            ends = starts[1:] + [segment.end]
            follows = i > 0 and segments[i - 1].is_dialogue
            for k in range(len(starts) - 1, -1, -1):
                opening = OPENING.match(text, starts[k], segment.end).end()
                previous = story.quote_at(segments[i - 1]) if follows and k == 0 else None
                yield opening, ends[k], previous


def pronoun_fits(quote: Quote, name: str, story: Story, gender: str, exact: bool) -> bool:
    """True when `he`/`she` may stand for the character (of that very gender, if `exact`)."""
    if name == story.narrator_at(quote) or is_group(name) or name in quote.named or not fits(quote, name, story):
        return False
    return story.names.gender(name) == gender or (not exact and story.names.gender(name) == "unknown")


def _alternating_speaker(quote: Quote, story: Story) -> Optional[str]:
    """In a run of quoted paragraphs, the speaker two paragraphs back when the
    one in between was somebody else."""
    previous = story.paragraph_speaker(quote.chapter, quote.paragraph - 1)
    before = story.paragraph_speaker(quote.chapter, quote.paragraph - 2)
    return before if previous and before and previous != before else None


def fits(quote: Quote, name: str, story: Story) -> bool:
    """True unless the context rules the character out as the quote's speaker:
    an addressee, or, when the tag says `he` or `she`, the narrator or the other gender."""
    if name in quote.excluded:
        return False
    if quote.gender is None:
        return True
    return name != story.narrator_at(quote) and story.names.gender(name) in (quote.gender, "unknown")


def by_prominence(story: Story, chapter: int) -> list[str]:
    """The characters the narration names, most often named in the chapter (then the book) first."""
    return story.once(("by prominence", chapter), _by_prominence, story, chapter)


def _by_prominence(story: Story, chapter: int) -> list[str]:
    in_chapter, in_book = story.prominence(chapter), story.prominence()
    return sorted(in_book, key=lambda n: (in_chapter[n], in_book[n]), reverse=True)


# --------------------------------------------------------------------------- the sieves


def named(mention: Subject, quote: Quote, story: Story) -> Optional[str]:
    """A name is its character (`said Alex`, `said Dr. Karev`)."""
    return mention.name


def first_person(mention: Subject, quote: Quote, story: Story) -> Optional[str]:
    """`I` (or `we`) is the narrator."""
    return story.narrator_at(quote) if mention.pronoun in FIRST_PERSON else None


def pronoun(mention: Subject, quote: Quote, story: Story) -> Optional[str]:
    """`he` or `she` is the character the context makes it stand for (`resolve_pronoun`)."""
    return resolve_pronoun(mention.pronoun, quote, story) if mention.pronoun in PRONOUN_GENDER else None


def _kin_noun(mention: Subject) -> bool:
    """True for a mention that is a noun of one gender for someone known (`her mother`, `the old man`)."""
    return not (mention.unnamed or mention.name or mention.pronoun) and bool(mention.gender)


def learned_kin(mention: Subject, quote: Quote, story: Story) -> Optional[str]:
    """`"…," said my uncle`: the character the text has shown the noun to
    stand for (see `learn_kin`)."""
    learned = story.kin.get(mention.noun or "") if _kin_noun(mention) else None
    return learned if learned and fits(quote, learned, story) else None


def kin(mention: Subject, quote: Quote, story: Story) -> Optional[str]:
    """`"…," said her mother`: someone the text knows, of the noun's gender,
    who is neither the last speaker nor whom the line addresses: a character
    named nearby, else the one the narration names most (kin are known by
    name, not by a description such as `an old lady with a basket`); for a
    parent or a spouse, one the narration calls by a title first; for a
    parent, a child or a sibling, one of the family name of the one answered
    first (`"…," said Priscilla Lammeter.` / `"…," said her father`)."""
    if not _kin_noun(mention):
        return None
    last = story.paragraph_speaker(quote.chapter, quote.paragraph - 1)
    named_ones = [name for name in by_prominence(story, quote.chapter) if name[:1].isupper()]
    known = [*story.recent_characters(quote, quote.segment.start), *named_ones]
    candidates = [name for name in known
                  if name != last and pronoun_fits(quote, name, story, mention.gender or "", exact=True)]
    if mention.noun in ELDER_NOUNS:
        candidates.sort(key=lambda name: title_of(name) is None)
    if last and mention.noun in FAMILY_NOUNS:  # `"…," said Priscilla.` / `"…," said her father`: Mr. Lammeter
        family = _family_name(last)
        candidates.sort(key=lambda name: family is None or _family_name(name) != family)
    return candidates[0] if candidates else None


#: Kin nouns for the one answered's family, who mostly bear their family name.
FAMILY_NOUNS = frozenset("mother father son daughter brother sister grandmother grandfather mamma papa".split())


def _family_name(name: str) -> Optional[str]:
    """The last word of a name of two words or more (`Mr. Lammeter`, `Priscilla Lammeter`), else None."""
    words = name.split()
    return words[-1].casefold() if len(words) > 1 else None


def introduced_later(mention: Subject, quote: Quote, story: Story) -> Optional[str]:
    """`asked a gentleman` … `said Mr. Greyson to himself`: an unnamed speaker
    is the first character the text names after them who was not in the scene before."""
    if not mention.description:
        return None
    chapter = story.book.chapters[quote.chapter]
    paragraphs = chapter.paragraphs
    scene_start = story.paragraphs_back(quote, INTRODUCTION_REACH)
    before = {m.name for m in story.mentions_between(quote.chapter, scene_start, quote.segment.start)}
    before.update(q.speaker for q in story.previous_quotes(quote))
    last = paragraphs[min(len(paragraphs) - 1, quote.paragraph + INTRODUCTION_REACH)].end
    for found in story.mentions_between(quote.chapter, quote.segment.end, last):
        if found.name and found.name not in before and fits(quote, found.name, story):
            return found.name
    return None


def beat_fits(quote: Quote, name: str, story: Story) -> bool:
    """True unless an unresolved `he` or `she` next to the quote gives its speaker another gender."""
    return quote.beat_gender is None or story.names.gender(name) in (quote.beat_gender, "unknown")


def partner(quote: Quote, story: Story, speaker: str) -> Optional[str]:
    """The other speaker of the ongoing conversation."""
    for other in reversed(story.previous_quotes(quote)):
        if other.speaker not in (None, speaker, UNKNOWN_SPEAKER) and fits(quote, other.speaker, story):
            return other.speaker
    return None

SpeakerSieve = Callable[[Subject, Quote, Story], Optional[str]]
#: The mention-to-speaker sieves, surest first.
SPEAKER_SIEVES: list[SpeakerSieve] = [named, first_person, pronoun, learned_kin, kin, introduced_later]
