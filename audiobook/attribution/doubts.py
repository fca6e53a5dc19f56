"""What the context says against a decision, whichever rule made it.

Each doubt is a test of a decided quote's surroundings that makes its
speaker less likely, with the likelihood ratio it was measured to carry on
the development data (see `rules`; `bench/calibrate.py` measures them): the
odds of a decision being right where the test holds, over the odds where it
does not.  `engine.second_opinions` multiplies a decision's odds by the ratio
of every doubt it raises, so that the quotes a user should check first come
first.
"""
from __future__ import annotations

import re
from typing import Iterator

from audiobook.attribution.context import Quote, Story
from audiobook.attribution.names import FEMALE_NOUNS, MALE_NOUNS, gender_of_noun
from audiobook.attribution.rules import EVIDENT_RULES
from audiobook.attribution.speakers import PERSON_NOUNS
from audiobook.model import UNKNOWN_SPEAKER

#: Somebody the narration describes instead of naming: `the old man`, `a girl`, `her mother` (a look ahead
#: for a determiner's first letter first lets the search skip most of the text fast).
_DESCRIBED = re.compile(r"(?=[tahmo])\b(?:the|a|an|his|her|their|this|that|my|our)\s+(?:[\w-]+,?\s+){0,3}?"
                       r"(?P<head>%s)\b" % "|".join(sorted(FEMALE_NOUNS | MALE_NOUNS | PERSON_NOUNS, key=len, reverse=True)), re.I)


def opens_scene(quote: Quote, story: Story) -> bool:
    """The first quote of a conversation (none within reach before it), not
    decided by its own words naming the speaker (a tag, a self-introduction): who is in the scene is not yet
    known, so whatever decided it had little to go by."""
    return not story.previous_quotes(quote) and quote.segment.rule not in EVIDENT_RULES


def unnamed_but_named(quote: Quote, story: Story) -> bool:
    """The quote's own tag says its speaker is somebody unnamed (`a voice
    said`, `cried a man`), yet a rule that does not read that description
    gave it a known character: the tag and the decision disagree.  A
    speaker so described who gives their own name (`"My name is Tom," said
    the boy`) is no such disagreement."""
    return quote.unnamed and quote.segment.rule not in ("named_later", *EVIDENT_RULES)


def _speakers_before(quote: Quote, story: Story) -> set[str]:
    """Who has spoken in the conversation before the quote."""
    return {q.speaker for q in story.previous_quotes(quote)} - {None, UNKNOWN_SPEAKER}


def crowded(quote: Quote, story: Story) -> bool:
    """A line given by the run of a conversation (turn-taking, the other
    speaker) when three or more people have spoken in it: A-B-A-B is no
    longer the only way it can go, as a third speaker may have come in."""
    if quote.segment.rule not in ("turn_taking", "conversation_partner"):
        return False
    return len(_speakers_before(quote, story)) >= 3


def many_speakers(quote: Quote, story: Story) -> bool:
    """Four or more people have spoken in the conversation so far: among so
    many, whatever decided the line, someone else may have said it."""
    return len(_speakers_before(quote, story)) >= 4


#: How far back `described_around` reads, in characters: the scene around a quote, not a whole long paragraph.
DESCRIBED_REACH = 3000
#: How far before a noun a name that holds it may start (`the Old Badger`).
_LONGEST_NAME = 60


def described_around(quote: Quote, story: Story) -> bool:
    """Since the speaker was last named, the narration of the quote's
    paragraph and the one before describes two or more people who may be
    the speaker by a noun instead of a name (`the old man`, `a girl`, `her
    mother`): the text has people on stage whom no name stands for, and one
    of them may be talking."""
    chapter = quote.chapter
    start = max(story.paragraphs_back(quote, 1), quote.segment.start - DESCRIBED_REACH)
    start = max([start, *(m.end for m in story.mentions_between(chapter, start, quote.segment.start)
                          if m.name == quote.speaker)])
    found = 0
    for head in _described_since(quote, story, start):
        named = story.mentions_between(chapter, head - _LONGEST_NAME, head + 1)
        if any(m.start <= head < m.end for m in named):
            continue  # part of a name (`the Old Badger`)
        found += 1
        if found >= 2:
            return True
    return False


def described_last(quote: Quote, story: Story) -> bool:
    """A line not decided by its own tag, where the last person the narration
    of its paragraph and the one before brings up is described by a noun, not
    named (`a young lady came across the court-yard … "…," she said`): that
    somebody, whom the speaker's name does not reach, may be the one talking."""
    if quote.segment.rule in EVIDENT_RULES:
        return False
    start = story.paragraphs_back(quote, 1)
    named = max((m.end for m in story.mentions_between(quote.chapter, start, quote.segment.start) if m.name),
                default=start)
    return next(_described_since(quote, story, named), None) is not None


def _described_since(quote: Quote, story: Story, since: int) -> Iterator[int]:
    """Where the head noun starts of each description of a person (`_descriptions`)
    in the narration of the quote's paragraph and the one before, from `since`
    up to the quote, that may be the speaker by its gender."""
    gender = story.names.gender(quote.speaker)
    for p in (quote.paragraph - 1, quote.paragraph):
        for begin, end, head, noun in _descriptions(story, quote.chapter, p):
            if begin >= since and end <= quote.segment.start and not story.in_dialogue(quote.chapter, begin) and (
                    gender == "unknown" or gender_of_noun(noun) in (None, gender)):
                yield head


def _descriptions(story: Story, chapter: int, paragraph: int) -> list[tuple[int, int, int, str]]:
    """The noun phrases describing a person in a paragraph (start, end, where
    the head noun starts, the head noun), found once: the text never changes."""
    if paragraph < 0:
        return []
    return story.once(("descriptions", chapter, paragraph), _described_in, story, chapter, paragraph)


def _described_in(story: Story, chapter: int, paragraph: int) -> list[tuple[int, int, int, str]]:
    span = story.book.chapters[chapter].paragraphs[paragraph]
    return [(m.start(), m.end(), m.start("head"), m.group("head"))
            for m in _DESCRIBED.finditer(story.text_of(chapter), span.start, span.end)]


#: (test, likelihood ratio): the odds of a decision being right where the test holds, over the odds
#: where it does not, on the development data (decided quotes, right of decided).
DOUBTS = [
    (opens_scene, 0.27),  # 159 quotes opening a scene, 65% right (87% of the others)
    (unnamed_but_named, 0.17),  # 126 quotes, 54% right
    (crowded, 0.25),  # 309 lines decided by turn-taking or the other speaker among three or more, 64% right
    (described_around, 0.35),  # 162 quotes, 70% right
    (many_speakers, 0.59),  # 342 quotes, 80% right
    (described_last, 0.27),  # 398 quotes, 67% right
]
