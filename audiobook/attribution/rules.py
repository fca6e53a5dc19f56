"""The attribution rules, in the order they run, from the most to the least certain.

A rule pairs a quote-to-mention sieve (`mentions`: which words point at the
speaker) with the mention-to-speaker sieves (`speakers`: which character
those words are) that may resolve what it finds.  The annotator (`engine`)
runs them.  Adding or reordering a rule is a one-line change to `RULES`.

Confidence means something: a rule's `confidence` is its measured precision
on the development data (86 annotated excerpts of novels, 1,765 quotes:
quotes it decided, and how many of those were right), per way of resolving
where that differs (`how`: a `he` or `she` resolved by a chain of sentences
opening with it is far surer than one resolved to the most recent of several
characters).  A decision read from other decisions (turn-taking, a
conversation partner) is never surer than they are, and loses a little
with every step along a chain.  Once every quote is decided, the other
rules' opinions of it move its confidence by their measured likelihood
ratios (`agrees`, `disagrees`: how much likelier the rule is to agree with,
or to contradict, a right decision than a wrong one), and so does what the
context says against any decision (`engine.DOUBTS`: the opening line of a
scene, a tag describing somebody unnamed), so the quotes a user should check
first come first.
"""
from __future__ import annotations

from dataclasses import dataclass, field

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
    how: dict[str, float] = field(default_factory=dict)
    agrees: float = 1.0
    disagrees: float = 1.0
    evident: bool = False
    guess: bool = False
    chain: bool = False
    retried: bool = False


NAME, I, HE_SHE = speakers.named, speakers.first_person, speakers.pronoun
#: Precision of a `he` or `she` tag by how `speakers.resolve_pronoun` found its character.
PRONOUN_PRECISION = {"chain": 0.95, "alternating": 0.95, "recent_subject": 0.95, "recent": 0.9,
                     "in_paragraph": 0.86, "addressed": 0.83, "recent_subject_rivals": 0.72, "recent_rivals": 0.58,
                     "newcomer": 0.52}

# Figures: quotes decided on the development data, precision; likelihood ratios of agreeing and disagreeing.
RULES: list[Rule] = [
    # 471 quotes, 97.2%
    Rule("explicit_name_tag", mentions.tag, (NAME, I), 0.97, evident=True),
    # none on the development data; a speaker naming themself is as sure as a tag
    Rule("self_introduction", mentions.self_introduction, (NAME,), 0.9, evident=True),
    # 371 quotes, 88.7%
    Rule("pronoun_tag", mentions.tag, (HE_SHE,), 0.89, PRONOUN_PRECISION, retried=True),
    # 17 quotes, 88.2%
    Rule("kin_tag", mentions.tag, (speakers.learned_kin, speakers.kin), 0.88),
    # 47 quotes, 83.0%
    Rule("action_beat", mentions.action_beat, (NAME, I, HE_SHE), 0.83, agrees=2.0, disagrees=0.32),
    # 65 quotes, 78.5%
    Rule("vocative_reply", mentions.vocative_reply, (NAME,), 0.78, agrees=1.3),
    # 52 quotes, 80.8%
    Rule("vocative_answered", mentions.vocative_answered, (NAME,), 0.81, agrees=3.2, disagrees=0.83),
    # 15 quotes, 80.0%
    Rule("named_in_narration", mentions.named_in_narration, (NAME,), 0.8, agrees=3.8, disagrees=0.3),
    # 265 quotes, 83.4%
    Rule("turn_taking", mentions.turn_taking, (NAME,), 0.83, agrees=1.7, disagrees=0.85, chain=True),
    # 15 quotes, 60.0%
    Rule("named_later", mentions.tag, (speakers.introduced_later,), 0.6, disagrees=0.1),
    # 36 quotes, 88.9%
    Rule("lead_in", mentions.lead_in, (NAME, HE_SHE), 0.89, agrees=1.3, disagrees=0.37),
    # 48 quotes, 79.2%
    Rule("conversation_partner", mentions.conversation_partner, (NAME,), 0.79, agrees=1.6, disagrees=0.54,
         guess=True),
    # 4 quotes, 75.0%
    Rule("narrator_partner", mentions.narrator_partner, (NAME,), 0.75, guess=True),
    # 39 quotes, 56.4%; as a second opinion on others' decisions a last resort is noise (the least
    # confident tenth held 46 mistakes without the two last resorts' opinions, 43 with them)
    Rule("recent_character", mentions.recent_character, (NAME,), 0.56, guess=True),
    # 21 quotes, 71.4%
    Rule("prominent_character", mentions.prominent_character, (NAME,), 0.71, guess=True),
]

