"""Quote-to-mention sieves: which words in the text point at a quote's speaker.

Each sieve reads one kind of evidence around an undecided quote and returns
the mentions it finds, surest first, as `Subject`s: the quote's own tag, a
sentence about someone right next to it (an action beat), the line before
or after it naming whom it addresses, the narration leading into it, or the
conversation it sits in (who spoke two paragraphs back, who else is
talking).  The mention-to-speaker sieves of `speakers` say which character
each mention is; `rules.RULES` pairs the two kinds in the order they run.
Every sieve has the same shape: ``(quote, story) -> list[Subject]``.
"""
from __future__ import annotations

import re
from typing import Callable

from audiobook.attribution.context import Quote, Story
from audiobook.attribution.grammar import FIRST_PERSON, hands_over, heard, replies, tag_subject
from audiobook.attribution.names import is_group
from audiobook.attribution.speakers import beat_fits, by_prominence, fits, partner
from audiobook.attribution.subjects import (PRONOUN_GENDER, SKIP, WORD_AFTER, Subject, beat_after, beat_before,
                                            closing_narration, last_sentence_start, last_subject, subject_at)

#: A line asking for a name.
_NAME_QUESTION = re.compile(r"\b(?:your\s+name|what\s+name|the\s+name\?|who\s+are\s+you)\b", re.I)
QuoteSieve = Callable[[Quote, Story], list[Subject]]
#: Words by which a speaker gives their own name, right before it.
INTRODUCING = re.compile(r"\b(?:my\s+name\s+is|my\s+name['’]s|i\s+am|i['’]m|call\s+me)\s+$", re.I)


def tag(quote: Quote, story: Story) -> list[Subject]:
    """The subject of the quote's own speech tag (`"…," said Alex`, `He
    said, "…"`, `Then Mrs. Griffin spoke. "…"`).  A `he` or `she` replying to
    the paragraph before (`"…," he replied`) is not its speaker: it waits
    until that paragraph's speaker is known, who is then ruled out."""
    subject = tag_subject(quote, story)
    if subject is None:
        return []
    if subject.pronoun in PRONOUN_GENDER and replies(quote, story):
        answered = story.by_paragraph[(quote.chapter, quote.paragraph - 1)]
        if any(q.speaker is None for q in answered):
            return []  # tried again once the line it answers has its speaker
        quote.excluded |= {q.speaker for q in answered}
    return [subject]


def self_introduction(quote: Quote, story: Story) -> list[Subject]:
    """`"My name is Quill."`, `"I am Dr. Hale, and this is my wife"`, or a
    name opening the answer to a line asking for one (`"Tell us your name!"`
    / `"Pip, sir."`): a speaker giving their own name is that character."""
    return story.once(("self introduction", id(quote)), _introduced, quote, story)


def _introduced(quote: Quote, story: Story) -> list[Subject]:
    """`self_introduction`, worked out."""
    text = story.text(quote)
    asked = asks_name(quote, story)
    for found in story.names.find(text, quote.segment.start, quote.segment.end):
        lead = INTRODUCING.search(text, quote.segment.start, found.start)
        opening = asked and not text[quote.segment.start:found.start].strip(" \"“‘'—-") and \
            text[found.end:found.end + 1] in ("", ",", ".", ";", "-", "—", "\"", "”")
        if (lead or opening) and found.name and not text.startswith(("'s", "’s"), found.end):
            return [Subject(name=found.name)]
    return []


def asks_name(quote: Quote, story: Story) -> bool:
    """True when the line before the quote asks for a name (`"Tell us your
    name!"`, `"What name?"`), so that a quote opening with one gives its own."""
    if quote.order:
        return False
    previous = story.by_paragraph.get((quote.chapter, quote.paragraph - 1), [])
    return any(_NAME_QUESTION.search(q.segment.text) for q in previous)


#: What may stand around a signature's name in its paragraph: marks, stops, dashes and the underscores of italics.
_SIGNATURE_TRIM = " \t\n\"“”‘’'.,;:!—–-_"


def signature(quote: Quote, story: Story) -> list[Subject]:
    """A letter (or a long speech) quoted paragraph by paragraph, each running
    on into the next, that ends in a paragraph holding nothing but a
    character's name (`"Your afflicted, / "Gabelle."`): the one who signs it
    wrote every paragraph of it."""
    signer = story.once("signatures", _signatures, story).get((quote.chapter, quote.paragraph))
    return [Subject(name=signer)] if signer else []


def _signatures(story: Story) -> dict[tuple[int, int], str]:
    """For each paragraph of a signed run of paragraphs (`signature`), who signs it."""
    signed: dict[tuple[int, int], str] = {}
    for (chapter, paragraph), quotes in story.by_paragraph.items():
        if quotes[0].continued or not _runs_on(story, chapter, paragraph):
            continue
        last = paragraph + 1
        while _runs_on(story, chapter, last):
            last += 1
        closing = story.by_paragraph[(chapter, last)]
        name = _whole_name(closing[0], story) if len(closing) == 1 else None
        if name:
            signed.update(((chapter, p), name) for p in range(paragraph, last + 1))
    return signed


def _runs_on(story: Story, chapter: int, paragraph: int) -> bool:
    """True when the speech of a paragraph runs on into the next one."""
    following = story.by_paragraph.get((chapter, paragraph + 1))
    return bool(following and following[0].continued and (chapter, paragraph) in story.by_paragraph)


def _whole_name(quote: Quote, story: Story) -> str | None:
    """The character whose name is all the quote says (`"VAN HELSING."`), if any."""
    text, start, end = story.text(quote), quote.segment.start, quote.segment.end
    words = text[start:end]
    name = words.strip(_SIGNATURE_TRIM)
    if not name:
        return None
    start += len(words) - len(words.lstrip(_SIGNATURE_TRIM))
    end = start + len(name)
    found = list(story.names.find(text, start, end))
    return found[0].name if len(found) == 1 and (found[0].start, found[0].end) == (start, end) else None


def action_beat(quote: Quote, story: Story) -> list[Subject]:
    """`Jo paused. "…"` or `"…" She did not finish.`: whoever the sentence
    right next to the quote is about, the one leading into it first (the one
    after it is often a listener's answer: `"…" Mr. Beebe bowed.`)."""
    return [s for s in (beat_before(quote, story), beat_after(quote, story)) if s is not None]


def lead_in(quote: Quote, story: Story) -> list[Subject]:
    """A paragraph that opens with speech, after one ending in narration (all
    narration, or sentences after its last quote's tag): whom that
    narration's last sentence is about (`Mrs. Bennet deigned not to make any
    reply, but ... began scolding one of her daughters.`)."""
    if quote.order or story.text(quote)[quote.before[0]:quote.before[1]].strip() or not quote.paragraph:
        return []
    previous = story.book.chapters[quote.chapter].paragraphs[quote.paragraph - 1]
    narration_start = closing_narration(story, quote.chapter, quote.paragraph - 1)
    text = story.text(quote)
    quoted = story.has_quotes(quote.chapter, quote.paragraph - 1)
    if quoted and last_sentence_start(text, narration_start, previous.end) == narration_start:
        return []  # only the tag of that paragraph's quote
    pos = SKIP.match(text, last_sentence_start(text, narration_start, previous.end), previous.end).end()
    subject, end = subject_at(story, quote, pos)
    if subject is not None:
        subject = heard(story, quote, end, subject.name) or subject
    if subject is None or not WORD_AFTER.match(text, end):
        subject = last_subject(story, quote, pos, previous.end)
    if subject is None or not (subject.name or subject.pronoun) or subject.pronoun in FIRST_PERSON:
        return []  # what `I` did in a paragraph of its own is seldom followed by `I`'s untagged words
    return [subject]


def vocative_reply(quote: Quote, story: Story) -> list[Subject]:
    """The reply to a quote that names its addressee is the addressee's."""
    return _addressed_by(quote, story, -1)


def vocative_answered(quote: Quote, story: Story) -> list[Subject]:
    """A quote answered by a line naming someone was said by that someone,
    named or not (`"Dr. Karev?" a voice sounded` / `"Oh, hello, Mrs. Daniels," Alex said`)."""
    return _addressed_by(quote, story, 1)


def _addressed_by(quote: Quote, story: Story, step: int) -> list[Subject]:
    """The one character the neighbouring paragraph's quotes address, other
    than their speaker, and not one this quote speaks of (`"Edith!"` /
    `"Edith is asleep, Aunt Shaw."` is not Edith's answer)."""
    neighbours = story.by_paragraph.get((quote.chapter, quote.paragraph + step), [])
    if not neighbours:
        return []
    addressed = set().union(*(q.addressees for q in neighbours))
    candidates = {n for n in addressed - {q.speaker for q in neighbours} - quote.named if fits(quote, n, story)}
    return [Subject(name=candidates.pop())] if len(candidates) == 1 else []


def named_in_narration(quote: Quote, story: Story) -> list[Subject]:
    """The only character named in the paragraph's narration."""
    if quote.unnamed:
        return []
    names = {m.name for m in story.paragraph_mentions(quote) if m.name and fits(quote, m.name, story)}
    return [Subject(name=names.pop())] if len(names) == 1 else []


def turn_taking(quote: Quote, story: Story) -> list[Subject]:
    """A-B-A-B: in a run of quoted paragraphs, speakers alternate.  Of the
    two sides, the surer pair of lines sets the speaker, so a conversation
    re-anchors at every line whose own tag names its speaker.  A speaker
    only guessed (or carried from a guess) is not carried on: a wrong guess
    would take a whole conversation with it.  Nor is one the line itself
    speaks of (`"Tom never offers anyone his chair."`): somebody else, maybe
    a third speaker, is talking about them."""
    found = []
    for step in (-1, 1):
        turns = _turns(quote, story, step)
        if len(turns) < 2:
            continue
        first = story.paragraph_speaker(quote.chapter, turns[0])
        second = story.paragraph_speaker(quote.chapter, turns[1])
        if first and second and first != second and fits(quote, second, story) and second not in quote.named:
            if all(q.guessed for q in story.by_paragraph[(quote.chapter, turns[1])] if q.speaker):
                continue
            support = min(story.paragraph_confidence(quote.chapter, p) for p in turns)
            found.append(Subject(name=second, support=support))
    return sorted(found, key=lambda s: -s.support)[:1]


#: The longest paragraph of narration that may hand over to the next one's quote within a conversation, in
#: characters: a sentence or two (`Tom pressed his fingers on his forehead an anxious minute, and then said:`);
#: a longer one tells of more than a turn (`The boys were there that night, …  At last Tom said:`).
HANDOVER_LENGTH = 250


def _turns(quote: Quote, story: Story, step: int) -> list[int]:
    """The next two paragraphs with quotes before (`step` -1) or after (+1)
    the quote's, as turns of the conversation: a paragraph of narration that
    hands over, in a sentence or two, to the quote opening the next (`Tom
    pressed his fingers on his forehead, and then said:`) belongs to that turn, when it is the
    quote's own or the one next to it; narration bringing in the turn beyond
    (maybe somebody new), or any other, breaks the run."""
    chapter = story.book.chapters[quote.chapter]
    turns, p = [], quote.paragraph + step
    while len(turns) < 2 and 0 <= p < len(chapter.paragraphs):
        if (quote.chapter, p) in story.by_paragraph:
            turns.append(p)
        else:
            span = chapter.paragraphs[p]
            opens = story.by_paragraph.get((quote.chapter, p + 1))
            ours = p + 1 == quote.paragraph or (turns and p + 1 == turns[0]) or (step > 0 and not turns)
            if not (ours and opens and opens[0].order == 0 and opens[0].before[0] == opens[0].before[1]
                    and span.end - span.start <= HANDOVER_LENGTH
                    and hands_over(chapter.source_text[span.start:span.end])):
                break
        p += step
    return turns


def conversation_partner(quote: Quote, story: Story) -> list[Subject]:
    """A reply to a known speaker comes from the other one in the conversation."""
    for step in (-1, 1):
        first = story.paragraph_speaker(quote.chapter, quote.paragraph + step)
        other = first and partner(quote, story, first)
        if other:
            return [Subject(name=other, support=story.paragraph_confidence(quote.chapter, quote.paragraph + step))]
    return []


def narrator_partner(quote: Quote, story: Story) -> list[Subject]:
    """In a book told in the first person, a reply to a known speaker who has
    nobody but the narrator to talk to in the conversation is the narrator's,
    unless its own tag says somebody unnamed speaks (`said one`), whom `I` is not."""
    if not story.first_person or quote.unnamed:
        return []
    narrator = story.narrator_at(quote)
    for step in (-1, 1):
        first = story.paragraph_speaker(quote.chapter, quote.paragraph + step)
        alone = first and first != narrator and partner(quote, story, first) in (None, narrator)
        if alone and fits(quote, narrator, story):
            return [Subject(name=narrator)]
    return []


def recent_character(quote: Quote, story: Story) -> list[Subject]:
    """Last resort: the most recent character who is not the last speaker,
    of the gender an unresolved he or she next to the quote gives, if any."""
    last = story.paragraph_speaker(quote.chapter, quote.paragraph - 1)
    for name in story.recent_characters(quote, quote.segment.start):
        if name != last and fits(quote, name, story) and beat_fits(quote, name, story):
            return [Subject(name=name)]
    return []


def prominent_character(quote: Quote, story: Story) -> list[Subject]:
    """Last resort: the character the chapter (then the book) names most often,
    of the right gender and not the last speaker."""
    last = story.paragraph_speaker(quote.chapter, quote.paragraph - 1)
    for name in by_prominence(story, quote.chapter):
        if name != last and not is_group(name) and fits(quote, name, story) and beat_fits(quote, name, story):
            return [Subject(name=name)]
    return []


#: The quote-to-mention sieves, surest first.
QUOTE_SIEVES: list[QuoteSieve] = [tag, self_introduction, action_beat, vocative_reply, vocative_answered, named_in_narration,
                                  turn_taking, lead_in, conversation_partner, narrator_partner, recent_character,
                                  prominent_character]
