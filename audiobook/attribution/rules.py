"""The attribution rules, in the order they run, from the most to the least certain.

A rule pairs a quote-to-mention sieve (`mentions`: which words point at the
speaker) with the mention-to-speaker sieves (`speakers`: which character
those words are) that may resolve what it finds.  The annotator (`engine`)
runs them.  Adding or reordering a rule is a one-line change to `RULES`.

Confidence means something: a rule's `confidence` is its measured precision
on the development data, the quotes it decided and how many of those were
right (`measured`, which draws a figure from a handful of quotes towards an
even chance), per way of resolving where that differs (`how`: a `he` or
`she` resolved by a chain of sentences opening with it is far surer than one
resolved to the most recent of several characters).  The development data
are 86 annotated excerpts of novels and 59 annotated chapters of 24
complete novels (6,295 decided quotes); `bench/calibrate.py` measures every figure
here, in `engine` and in `doubts` on them.  A decision read from other
decisions (turn-taking, a conversation partner) is never surer than they
are, and loses a little with every step along a chain.  Once every quote is
decided, the other rules' opinions of it (unless its own tag decided it)
move its confidence by their measured likelihood ratios (`agrees`,
`disagrees`: how much likelier the rule is to agree with, or to contradict,
a right decision than a wrong one; an agreement never lowers a decision's
confidence, nor does a contradiction raise it), and so does what the
context says against any decision (`doubts.DOUBTS`: the opening line of a
scene, a tag describing somebody unnamed), so the quotes a user should
check first come first.
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
    the `chain` rules; `retried`: tried again after every rule; `echoes`: the
    rules whose decisions rest on the evidence this one reads, on which its
    opinion is no second opinion; `new_turn`: it looks for somebody other
    than the last speaker, so it has no opinion on a quote running on from
    the paragraph before (the same speech, whose speaker is the last one)."""

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
    echoes: frozenset[str] = frozenset()
    new_turn: bool = False


NAME, I, HE_SHE = speakers.named, speakers.first_person, speakers.pronoun
#: How many decisions' worth of an even chance a measured precision starts from: a rule seen on a
#: handful of quotes is not taken at its word (2 of 2 right is 0.75, not 1.0; 463 of 474 stays 0.97).
PRIOR_WEIGHT = 4


def measured(right: int, decided: int) -> float:
    """The precision of a rule that decided `decided` quotes of the development data and got
    `right` of them right, drawn towards an even chance by `PRIOR_WEIGHT` decisions."""
    return round((right + PRIOR_WEIGHT / 2) / (decided + PRIOR_WEIGHT), 3)


#: Precision of a `he` or `she` tag by how `speakers.resolve_pronoun` found its character
#: (quotes right, quotes decided that way on the development data).
PRONOUN_PRECISION = {"chain": measured(483, 556), "alternating": measured(42, 50),
                     "recent_subject": measured(28, 30), "recent": measured(148, 190),
                     "in_paragraph": measured(68, 83), "addressed": measured(17, 19),
                     "recent_subject_rivals": measured(51, 64), "recent_rivals": measured(99, 148),
                     "newcomer": measured(17, 28), "closing": measured(1, 4)}

# Figures: quotes right and decided on the development data; likelihood ratios of agreeing and disagreeing.
RULES: list[Rule] = [
    Rule("explicit_name_tag", mentions.tag, (NAME, I), measured(1904, 1934), evident=True),
    # a speaker naming themself is as sure as a tag
    Rule("self_introduction", mentions.self_introduction, (NAME,), measured(6, 7), evident=True),
    # a letter signed at its end is its signer's
    Rule("signature", mentions.signature, (NAME,), measured(22, 22), evident=True),
    Rule("pronoun_tag", mentions.tag, (HE_SHE,), measured(954, 1172), PRONOUN_PRECISION, retried=True),
    Rule("kin_tag", mentions.tag, (speakers.learned_kin, speakers.kin), measured(25, 30)),
    Rule("action_beat", mentions.action_beat, (NAME, I, HE_SHE), measured(96, 122), agrees=1.34, disagrees=0.26),
    Rule("vocative_reply", mentions.vocative_reply, (NAME,), measured(200, 226), agrees=3.35, disagrees=1.22,
         new_turn=True),
    Rule("vocative_answered", mentions.vocative_answered, (NAME,), measured(152, 183), agrees=4.87, disagrees=0.52),
    Rule("named_in_narration", mentions.named_in_narration, (NAME,), measured(38, 56), agrees=4.83,
         disagrees=0.32),
    Rule("turn_taking", mentions.turn_taking, (NAME,), measured(907, 1073), agrees=2.03, disagrees=0.41,
         chain=True, new_turn=True),
    Rule("named_later", mentions.tag, (speakers.introduced_later,), measured(17, 37), disagrees=0.27),
    Rule("lead_in", mentions.lead_in, (NAME, HE_SHE), measured(51, 74), agrees=1.70, disagrees=0.24),
    Rule("conversation_partner", mentions.conversation_partner, (NAME,), measured(163, 234), agrees=1.61,
         disagrees=0.34, guess=True, new_turn=True),
    Rule("narrator_partner", mentions.narrator_partner, (NAME,), measured(12, 17), guess=True, new_turn=True),
    # as second opinions the last resorts are weak but steady: the most recent (the most prominent) character
    # agrees with 57% (59%) of right decisions and 28% (29%) of wrong ones, and contradicts 13% (40%) of
    # right ones and 34% (68%) of wrong ones (3,532 right and 800 wrong decisions no tag of their own
    # made); but the most recent character is what a `he` or `she` mostly stands for, so it is no second
    # opinion on a pronoun tag
    Rule("recent_character", mentions.recent_character, (NAME,), measured(61, 124), agrees=2.06, disagrees=0.39,
         guess=True, echoes=frozenset({"pronoun_tag"}), new_turn=True),
    Rule("prominent_character", mentions.prominent_character, (NAME,), measured(22, 32), agrees=2.06,
         disagrees=0.58, guess=True, new_turn=True),
]
#: The rules that read the speaker from the quote's own words (its tag, a self-introduction).
EVIDENT_RULES = frozenset(rule.name for rule in RULES if rule.evident)
