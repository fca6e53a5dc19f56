"""The annotator: runs the rules over a story and spreads their decisions.

`run_rules` first records what each quote's own text rules out (whom it
addresses, the gender its tag gives), then applies the rules of
`rules.RULES` in order, each over every quote still undecided (and again
while it decides more).  Whenever a quote is decided, the quotes linked to
it (the other quotes of its paragraph, a quote running on into the next
paragraph) inherit its speaker.  Guesses
decide one quote at a time, and turn-taking carries each along its
conversation before the next guess is made.  After each rule, pronoun tags
still unresolved are tried again, as the speakers decided meanwhile give
their pronouns something to stand for.  Last, every decided quote's
confidence is weighed against the other rules' opinions of it
(`second_opinions`).  A rule failing on text it was not written for decides
nothing there.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from audiobook.attribution.context import Quote, Story
from audiobook.attribution.doubts import DOUBTS
from audiobook.attribution.grammar import listeners, tag_subject, told
from audiobook.attribution.rules import EVIDENT_RULES, RULES, Rule, measured
from audiobook.attribution.speakers import fits, learn_kin
from audiobook.attribution.subjects import PRONOUN_GENDER, Subject, beat_before, last_sentence_start
from audiobook.model import UNKNOWN_SPEAKER

#: The most confidence any decision gets: the surest rule is still wrong now and then.
SUREST = 0.99
#: What a decision read from other decisions (turn-taking) keeps of their confidence, at each step along a chain.
CHAIN_DECAY = 0.98
#: Precision of the links along which a decided speaker carries over (development data, right of decided:
#: quotes of a paragraph whose other quote was decided, mostly by explicit tags; running-on quotes),
#: applied to the confidence of the quote it carries from.  Unnamed speakers described alike
#: (`the gentleman` … `the gentleman`) are not linked: on whole novels that link was right 37% to
#: 56% of the time, as often wrong as a fresh decision for each line.
#: A speech running on into the next paragraph (no closing mark) is one speech, as sure as where it began:
#: the development data has 4 such quotes, 1 right, too few to measure, and compounding any figure below 1
#: would put every long speech or letter among the least sure.
LINK_PRECISION = {"same_paragraph": measured(832, 946), "continuation": 1.0}


@dataclass(frozen=True)
class Decision:
    """A rule's answer.  `evident` answers come from the quote's own tag and
    stand even against what the context rules out (the addressee, a pronoun's gender)."""

    speaker: str
    confidence: float
    evident: bool = False


def links(story: Story) -> Iterator[tuple[Quote, Quote, str]]:
    """(source, target, rule) pairs along which a speaker carries over: the
    quotes of one paragraph, and a quote running on into the next paragraph."""
    for quote in story.quotes:
        if quote.continued:
            previous = story.by_paragraph.get((quote.chapter, quote.paragraph - 1))
            if previous:
                yield previous[-1], quote, "continuation"
                yield quote, previous[-1], "continuation"
        if quote.order and not _introduced_by_name(quote, story):
            earlier = story.by_paragraph[(quote.chapter, quote.paragraph)][quote.order - 1]
            yield earlier, quote, "same_paragraph"
            yield quote, earlier, "same_paragraph"


def _introduced_by_name(quote: Quote, story: Story) -> bool:
    """True when a sentence about a named character comes between the quote and
    the one before it (`… cried the ladies. Mrs. Griffin, however, wanted more. "…"`):
    the quote may be somebody else's."""
    start, end = quote.before
    if last_sentence_start(story.text(quote), start, end) == start:  # the earlier quote's own tag
        return False
    subject = beat_before(quote, story)
    return bool(subject and subject.name)


Links = dict[int, list[tuple[Quote, str]]]


def link_graph(story: Story) -> Links:
    """For each quote (by id), the quotes its speaker carries over to, and how."""
    graph: Links = {}
    for source, target, rule in links(story):
        graph.setdefault(id(source), []).append((target, rule))
    return graph


def spread(quote: Quote, story: Story, graph: Links) -> None:
    """Carry a just-decided speaker to the undecided quotes linked to it, and on
    from them, wherever the context allows that speaker and the quote has no
    tag of its own to go by."""
    pending = [quote]
    while pending:
        source = pending.pop()
        for target, rule in graph.get(id(source), []):
            if (not target.speaker and not target.tagged and not target.unnamed
                    and fits(target, source.speaker, story)):
                target.decide(source.speaker, rule, source.segment.confidence * LINK_PRECISION[rule])
                target.guessed = source.guessed
                pending.append(target)


def constrain(quote: Quote, story: Story) -> None:
    """Record what the quote's own text rules out: its addressees, the gender
    its tag pronoun implies, and, for an unnamed speaker, the characters the
    paragraph names instead."""
    subject = tag_subject(quote, story)
    quote.unnamed = bool(subject and subject.unnamed)
    quote.tagged = bool(subject and (subject.name or subject.pronoun))
    quote.gender = subject.gender if subject else None
    excluded = set(quote.addressees) | told(quote, story)
    if subject:
        excluded.update(name for name in (subject.listener, subject.owner) if name)
    excluded.update(listeners(quote, story))
    if quote.unnamed:
        excluded.update(m.name for m in story.paragraph_mentions(quote) if m.name)
    quote.excluded = frozenset(excluded)


def share_constraints(story: Story) -> None:
    """A sentence interrupted by its tag (`"My dear Mr. Bennet," said his
    lady, "have you heard …"`) is one utterance: whom either half addresses
    and the gender the tag gives hold for both."""
    for quotes in story.by_paragraph.values():
        for first, second in zip(quotes, quotes[1:]):
            if interrupted(first, second):
                excluded = first.excluded | second.excluded
                first.excluded = second.excluded = excluded
                first.gender = second.gender = first.gender or second.gender


def interrupted(first: Quote, second: Quote) -> bool:
    """True when `second` goes on with the sentence `first` broke off."""
    return not first.segment.text.rstrip("\"”’' ").endswith((".", "!", "?")) and second.segment.text[:1].islower()


def decide(rule: Rule, quote: Quote, story: Story) -> Optional[Decision]:
    """The rule's decision on the quote: the first of the mentions its sieve
    finds that one of its mention-to-speaker sieves resolves.  A `he` or
    `she` left unresolved still tells the last guesses the speaker's gender."""
    for mention in rule.find(quote, story):
        for resolve in rule.resolve:
            quote.how = ""
            speaker = resolve(mention, quote, story)
            if speaker:
                precision = rule.how.get(quote.how, rule.confidence)
                return Decision(speaker, min(precision, mention.support * CHAIN_DECAY), rule.evident)
        if mention.pronoun in PRONOUN_GENDER:
            note_gender(quote, mention)
    return None


def note_gender(quote: Quote, mention: Subject) -> None:
    """Keep the gender an unresolved `he` or `she` next to an untagged quote
    gives its speaker, for the rules that guess last."""
    if not quote.tagged and quote.gender is None:
        quote.beat_gender = mention.gender


def _apply(rule: Rule, quotes: list[Quote], story: Story, graph: Links, once: bool = False) -> bool:
    """One pass of a rule over the undecided quotes among `quotes`, each
    decision carried at once to the quotes linked to it (`once`: stop after
    the first decision); True if it decided any."""
    decided = []
    for quote in quotes:
        if quote.speaker is None:
            decision = _safely(decide, rule, quote, story)
            if decision is not None and (decision.evident or fits(quote, decision.speaker, story)):
                quote.decide(decision.speaker, rule.name, decision.confidence)
                quote.found_by = quote.how
                quote.guessed = rule.guess
                decided.append(quote)
                if not rule.evident:  # what a quote's own words say is read for every quote before any is carried
                    spread(quote, story, graph)
                if once:
                    break
    for quote in decided if rule.evident else ():
        spread(quote, story, graph)
    return bool(decided)


def _safely(step, *args):
    """`step(*args)`, or None when it fails on text it was not written for, so
    that the book is still attributed (`story.strict`, for tests, lets the
    failure through).  The story is one of the arguments."""
    try:
        return step(*args)
    except Exception:
        story = next(arg for arg in args if isinstance(arg, Story))
        if story.strict:
            raise
        story.failures += 1
        return None


def _run(rule: Rule, story: Story, graph: Links, chains: list[Rule], quotes: Optional[list[Quote]] = None) -> None:
    """Apply a rule until it decides no more.  A guess decides one quote at a
    time, and the chaining rules carry each guess along its conversation
    before the next guess, which may then find its quote already decided.
    What a rule reads lies in the quote's own chapter, so a decision changes
    nothing for the other chapters: a guess works through the book chapter
    by chapter, each guess followed by its chapter's chains only."""
    if not rule.guess:
        while _apply(rule, story.quotes if quotes is None else quotes, story, graph):
            pass
        return
    for chapter in story.quotes_by_chapter().values() if quotes is None else [quotes]:
        for follow in chains:  # what the rules before have decided in the chapter, carried on first
            _run(follow, story, graph, chains, chapter)
        while _apply(rule, chapter, story, graph, once=True):
            for follow in chains:
                _run(follow, story, graph, chains, chapter)


def run_rules(story: Story, rules: list[Rule] = RULES) -> Story:
    """Apply each rule in turn to the undecided quotes, again while it decides
    more (its answers may feed it: A-B-A-B chains), each followed by the
    retried rules; what is left is unknown."""
    for quote in story.quotes:
        _safely(constrain, quote, story)
    share_constraints(story)
    _safely(learn_kin, story)
    graph = link_graph(story)
    chains = [rule for rule in rules if rule.chain]
    retried = [rule for rule in rules if rule.retried]
    for rule in rules:
        _run(rule, story, graph, chains)
        for again in retried if not rule.evident else ():  # the quotes' own words first, all of them
            _run(again, story, graph, chains)
    for quote in story.quotes:
        if quote.speaker is None:
            quote.decide(UNKNOWN_SPEAKER, "none", 0.0)
    _safely(second_opinions, story, rules)
    return story


def second_opinions(story: Story, rules: list[Rule]) -> None:
    """Move each decided quote's confidence by what the other rules say of it:
    its odds are multiplied by each rule's likelihood ratio of agreeing
    (`Rule.agrees`) or disagreeing (`Rule.disagrees`) with the speaker chosen,
    and by the ratio of each of the `doubts.DOUBTS` its context raises.
    A conversation whose turn-taking, beats and vocatives all agree is sure;
    a guess that the narration contradicts is not.  A line its own tag
    decided is not second-guessed: the others' opinions move the least
    confident tenth of the annotated novels' lines by one mistake in 380
    and those of the excerpts by none, and asking them all is a quarter of
    the time a book's script takes."""
    for quote in story.quotes:
        if quote.speaker in (None, UNKNOWN_SPEAKER):
            continue
        if quote.segment.rule == "continuation":  # one speech with where it began, as sure as that is now
            source = story.by_paragraph.get((quote.chapter, quote.paragraph - 1), [None])[-1]
            if source is not None and source.speaker == quote.speaker:
                quote.segment.confidence = source.segment.confidence
                continue
        confidence = min(max(quote.segment.confidence, 0.01), 0.99)
        odds = confidence / (1 - confidence)
        for rule in rules if quote.segment.rule not in EVIDENT_RULES else ():
            agrees = None if rule.agrees == rule.disagrees == 1.0 else second_opinion(rule, quote, story)
            if agrees is not None:
                odds *= rule.agrees if agrees else rule.disagrees
        for _doubt, ratio in raised_doubts(quote, story):
            odds *= ratio
        quote.segment.confidence = round(min(SUREST, odds / (1 + odds)), 3)


def second_opinion(rule: Rule, quote: Quote, story: Story) -> Optional[bool]:
    """Whether another rule agrees with the speaker decided for the quote
    (True), would name someone else (False), or has nothing to say (None):
    the rule that decided it, one that echoes it, or a new turn's rule asked
    of a speech running on.  Asking changes nothing."""
    if rule.name == quote.segment.rule or quote.segment.rule in rule.echoes or (rule.new_turn and quote.continued):
        return None
    excluded, gender = quote.excluded, quote.beat_gender
    decision = _safely(decide, rule, quote, story)
    quote.excluded, quote.beat_gender = excluded, gender
    if decision is None or not (decision.evident or fits(quote, decision.speaker, story)):
        return None
    return decision.speaker == quote.speaker


def raised_doubts(quote: Quote, story: Story) -> list[tuple[Callable[[Quote, Story], bool], float]]:
    """The `doubts.DOUBTS` the quote's context raises, each with its likelihood ratio."""
    return [(doubt, ratio) for doubt, ratio in DOUBTS if _safely(doubt, quote, story)]
