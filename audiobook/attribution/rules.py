"""The attribution rules, in the order they run, from the most to the least certain.

A rule pairs a quote-to-mention sieve (`mentions`: which words point at the
speaker) with the mention-to-speaker sieves (`speakers`: which character
those words are) that may resolve what it finds, and carries the confidence
its decisions get.  The annotator (`engine`) runs them.  Adding or
reordering a rule is a one-line change to `RULES`.
"""
from __future__ import annotations

from dataclasses import dataclass

from audiobook.attribution import mentions, speakers
from audiobook.attribution.grammar import SPEECH_VERBS
from audiobook.attribution.mentions import QuoteSieve
from audiobook.attribution.speakers import SpeakerSieve

__all__ = ["RULES", "Rule", "SPEECH_VERBS"]


@dataclass(frozen=True)
class Rule:
    """A named way to decide a quote's speaker: the mentions `find` returns,
    surest first, are resolved by the first of `resolve` that names someone.
    `evident`: from the quote's own tag, so it stands even against what the
    context rules out; `guess`: decides one quote at a time, each followed by
    the `chain` rules; `retried`: tried again after every rule."""

    name: str
    find: QuoteSieve
    resolve: tuple[SpeakerSieve, ...]
    confidence: float
    evident: bool = False
    guess: bool = False
    chain: bool = False
    retried: bool = False


NAME, I, HE_SHE = speakers.named, speakers.first_person, speakers.pronoun

RULES: list[Rule] = [
    Rule("explicit_name_tag", mentions.tag, (NAME, I), 0.95, evident=True),
    Rule("pronoun_tag", mentions.tag, (HE_SHE,), 0.8, retried=True),
    Rule("kin_tag", mentions.tag, (speakers.learned_kin, speakers.kin), 0.6),
    Rule("action_beat", mentions.action_beat, (NAME, I, HE_SHE), 0.7),
    Rule("vocative_reply", mentions.vocative_reply, (NAME,), 0.7),
    Rule("vocative_answered", mentions.vocative_answered, (NAME,), 0.7),
    Rule("named_in_narration", mentions.named_in_narration, (NAME,), 0.65),
    Rule("turn_taking", mentions.turn_taking, (NAME,), 0.6, chain=True),
    Rule("named_later", mentions.tag, (speakers.introduced_later,), 0.5),
    Rule("lead_in", mentions.lead_in, (NAME, HE_SHE), 0.6),
    Rule("conversation_partner", mentions.conversation_partner, (NAME,), 0.45, guess=True),
    Rule("narrator_partner", mentions.narrator_partner, (NAME,), 0.4, guess=True),
    Rule("recent_character", mentions.recent_character, (NAME,), 0.3, guess=True),
    Rule("prominent_character", mentions.prominent_character, (NAME,), 0.2, guess=True),
]
