"""Measure the figures attribution's confidence is made of, on annotated corpora.

Every confidence in `audiobook.attribution` is a measured figure: a rule's
precision (quotes it decided, and how many of those were right), a `he` or
`she` tag's precision by how its character was found, the precision of the
links a speaker is carried along, the likelihood ratios of the other rules'
second opinions, and those of the doubts a context raises.  This prints them
all, measured on one or more corpus folders pooled (STEM.txt,
STEM.gold.json and STEM.voices.yaml per text, as bench/attribution.py reads
them), each text attributed with its cast:

    python bench/calibrate.py CORPUS [CORPUS ...]

A gold quote is matched to the dialogue segment that overlaps it most; it
is right when that segment's speaker is the gold speaker or one of the
speaker's aliases.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from audiobook import casting
from audiobook.attribution import attribute, engine
from audiobook.attribution.context import Quote, Story
from audiobook.attribution.doubts import DOUBTS
from audiobook.attribution.rules import EVIDENT_RULES, RULES, measured
from audiobook.characters import cast_characters
from audiobook.model import UNKNOWN_SPEAKER
from audiobook.text.quotes import segment_book
from audiobook.text.reader import read_story

from attribution import alias_table, norm  # noqa: E402  (bench/attribution.py, run from bench/ or with it on the path)


def attributed(stem: Path) -> Story:
    """The story of one text, attributed with its cast."""
    cast = casting.load_cast(stem.with_suffix(".voices.yaml"))
    book = read_story(stem.with_suffix(".txt"))
    segment_book(book)
    return attribute(book, cast_characters(book, cast).characters, cast.narrator_character)


def gold_rightness(stem: Path, story: Story) -> dict[int, bool]:
    """For each quote (by id) that a gold quote overlaps most, whether its speaker is the gold one."""
    gold = json.loads(stem.with_suffix(".gold.json").read_text(encoding="utf-8"))["quotes"]
    table = alias_table(casting.load_cast(stem.with_suffix(".voices.yaml")))
    quotes = sorted(story.quotes, key=lambda q: q.segment.start)
    right: dict[int, bool] = {}
    for entry in gold:
        overlapping = [(min(q.segment.end, entry["end"]) - max(q.segment.start, entry["start"]), q) for q in quotes
                       if q.segment.start < entry["end"] and entry["start"] < q.segment.end]
        if not overlapping:
            continue
        quote = max(overlapping, key=lambda pair: pair[0])[1]
        names = table.get(norm(quote.speaker or ""), set())
        right[id(quote)] = len(names) == 1 and next(iter(names)) == entry["speaker"]
    return right


def opinions(quote: Quote, story: Story) -> dict[str, bool]:
    """Each other rule's opinion of the quote's speaker (True: agrees), as `engine.second_opinions` asks it
    (but of every rule, with likelihood ratios or not yet)."""
    asked = {rule.name: engine.second_opinion(rule, quote, story) for rule in RULES}
    return {name: agrees for name, agrees in asked.items() if agrees is not None}


def ratio(hits_right: int, right: int, hits_wrong: int, wrong: int) -> str:
    """A likelihood ratio with its counts, each share drawn a little towards even (add-one)."""
    if not right or not wrong:
        return "n/a"
    value = ((hits_right + 0.5) / (right + 1)) / ((hits_wrong + 0.5) / (wrong + 1))
    return f"{value:5.2f}  ({hits_right}/{right} right, {hits_wrong}/{wrong} wrong)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", type=Path, nargs="+")
    args = parser.parse_args()
    decided, right_by_rule, how_counts = Counter(), Counter(), Counter()
    agree, disagree, doubted = Counter(), Counter(), Counter()
    total, opined = Counter(), Counter()
    for corpus in args.corpora:
        for gold in sorted(corpus.glob("*.gold.json")):
            stem = corpus / gold.name[: -len(".gold.json")]
            story = attributed(stem)
            right = gold_rightness(stem, story)
            for quote in story.quotes:
                if id(quote) not in right or quote.speaker in (None, UNKNOWN_SPEAKER):
                    continue
                ok = right[id(quote)]
                rule = quote.segment.rule
                total[ok] += 1
                decided[rule] += 1
                right_by_rule[rule] += ok
                if rule == "pronoun_tag":
                    how_counts[(quote.found_by, ok)] += 1
                if rule not in EVIDENT_RULES:  # as the engine: a line its own tag decided is not second-guessed
                    opined[ok] += 1
                    for name, agrees in opinions(quote, story).items():
                        (agree if agrees else disagree)[(name, ok)] += 1
                for doubt, _ratio in engine.raised_doubts(quote, story):
                    doubted[(doubt.__name__, ok)] += 1
    print(f"decided quotes: {total[True] + total[False]}, right {total[True]}")
    print("\nrule precision (right, decided -> measured):")
    for rule, n in decided.most_common():
        print(f"  {rule:22s} {right_by_rule[rule]:5d} {n:5d}  {measured(right_by_rule[rule], n):.3f}")
    print("\npronoun tags by how (right, decided):")
    for name in sorted({h for h, _ in how_counts}):
        good, bad = how_counts[(name, True)], how_counts[(name, False)]
        print(f"  {name or '-':22s} {good:5d} {good + bad:5d}  {measured(good, good + bad):.3f}")
    print(f"\nsecond opinions on the {opined[True] + opined[False]} lines no tag of their own decided: "
          "likelihood ratio of agreeing, of disagreeing")
    for rule in RULES:
        if not any(counts[(rule.name, ok)] for counts in (agree, disagree) for ok in (True, False)):
            continue  # never a second opinion (the tags: a quote has one tag)
        a = ratio(agree[(rule.name, True)], opined[True], agree[(rule.name, False)], opined[False])
        d = ratio(disagree[(rule.name, True)], opined[True], disagree[(rule.name, False)], opined[False])
        print(f"  {rule.name:22s} agrees {a}\n  {'':22s} disagrees {d}")
    print("\ndoubts: likelihood ratio (odds right where it holds / odds right where not)")
    for doubt, _ratio in DOUBTS:
        name = doubt.__name__
        good, bad = doubted[(name, True)], doubted[(name, False)]
        rest_good, rest_bad = total[True] - good, total[False] - bad
        if good + bad and rest_good and rest_bad:
            value = ((good + 0.5) / (bad + 0.5)) / (rest_good / rest_bad)
            print(f"  {name:22s} {value:5.2f}  ({good + bad} quotes, {100 * good / (good + bad):.0f}% right; "
                  f"{100 * rest_good / (rest_good + rest_bad):.0f}% of the others)")


if __name__ == "__main__":
    main()
