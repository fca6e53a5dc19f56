"""Score speaker attribution on a corpus folder, the way the project's evaluator does.

A corpus folder holds, per text, STEM.txt, STEM.gold.json (quotes with
offsets and speakers) and STEM.voices.yaml (the cast).  Each text is read,
segmented and attributed in-process, with its cast or (--no-cast) with
characters discovered from the text.  A gold quote takes the
overlap-weighted majority speaker of the dialogue segments over it, mapped
to a cast name through the cast's names and aliases; unknown or ambiguous
speakers count as wrong.

    python bench/attribution.py CORPUS [--no-cast] [--only STEM] [--quiet] [--errors]

Prints per text: quotes, coverage, accuracy, precision; then the pooled
figures, accuracy by gold quote type when the gold has one, and accuracy
by the rule that decided each quote.  --errors also prints every wrongly
attributed quote with the rule that decided it and the text around it.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from audiobook import casting
from audiobook.attribution import attribute
from audiobook.characters import cast_characters
from audiobook.model import Segment
from audiobook.text.quotes import segment_book
from audiobook.text.reader import read_story

TITLE = re.compile(r"\b(mr|mrs|ms|miss|dr|st|sir|lady|lord|capt|col|prof)\.", re.I)


def norm(name: str) -> str:
    """A name folded as the evaluator folds it."""
    return re.sub(r"\s+", " ", TITLE.sub(lambda m: m.group(1), str(name))).strip().casefold()


def alias_table(cast: casting.Cast) -> dict[str, set[str]]:
    """Folded name or alias -> cast names; a character's own name wins over another's alias."""
    table: dict[str, set[str]] = defaultdict(set)
    for character in cast.characters:
        for alias in character.aliases:
            table[norm(alias)].add(character.name)
    for character in cast.characters:
        table[norm(character.name)] = {character.name}
    return table


def script(stem: Path, use_cast: bool, cast: casting.Cast) -> list[Segment]:
    """The dialogue segments of one text, attributed."""
    book = read_story(stem.with_suffix(".txt"))
    segment_book(book)
    characters = cast_characters(book, cast if use_cast else casting.load_cast(None)).characters  # as the CLI does
    attribute(book, characters, cast.narrator_character if use_cast else None)
    return sorted((s for s in book.segments() if s.is_dialogue), key=lambda s: s.start)


def show_error(stem: Path, quote: dict, said: object, rule: str) -> None:
    """Print one wrongly attributed gold quote with its surroundings."""
    text = stem.with_suffix(".txt").read_text(encoding="utf-8")
    start, end = quote["start"], quote["end"]
    context = f"{text[max(0, start - 200):start]}[[{text[start:end]}]]{text[end:end + 120]}".replace("\n", " / ")
    print(f"--- {stem.name[:30]} gold {quote['speaker']!r} said {said!r} by {rule}\n    {context}")


def score_text(stem: Path, use_cast: bool, errors: bool = False) -> Counter:
    """Counts for one text: quotes, covered, correct, predicted, in quotes, by type and rule."""
    gold = json.loads(stem.with_suffix(".gold.json").read_text(encoding="utf-8"))
    cast = casting.load_cast(stem.with_suffix(".voices.yaml"))
    table = alias_table(cast)
    predicted = script(stem, use_cast, cast)
    result = Counter(quotes=len(gold["quotes"]), predicted=len(predicted))
    for quote in gold["quotes"]:
        hits = [(s, min(s.end, quote["end"]) - max(s.start, quote["start"])) for s in predicted]
        hits = [(s, overlap) for s, overlap in hits if overlap > 0]
        kind = quote.get("type")
        result[f"type {kind}"] += bool(kind)
        if not hits:
            continue
        votes = Counter()
        for segment, overlap in hits:
            names = table.get(norm(segment.speaker), set())
            votes[next(iter(names)) if len(names) == 1 else None] += overlap
        best = votes.most_common(1)[0][0]
        right = best is not None and best == quote["speaker"]
        rule = max(hits, key=lambda hit: hit[1])[0].rule
        result.update({"covered": 1, "correct": right, f"rule {rule}": 1, f"rule ok {rule}": right})
        if errors and not right:
            show_error(stem, quote, best, rule)
        result[f"correct {kind}"] += bool(kind) and right
    result["in quotes"] = sum(1 for s in predicted
                              if any(s.start < q["end"] and q["start"] < s.end for q in gold["quotes"]))
    return result


def pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f}%" if whole else "  n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--no-cast", action="store_true", help="discover the characters instead of using the cast")
    parser.add_argument("--only", help="score only stems containing this string")
    parser.add_argument("--quiet", action="store_true", help="print only the pooled figures")
    parser.add_argument("--errors", action="store_true", help="print every wrongly attributed quote")
    args = parser.parse_args()
    stems = sorted(Path(str(p)[: -len(".gold.json")]) for p in args.corpus.glob("*.gold.json"))
    stems = [s for s in stems if not args.only or args.only in s.name]
    total = Counter()
    for stem in stems:
        result = score_text(stem, not args.no_cast, args.errors)
        total.update(result)
        if not args.quiet:
            print(f"{stem.name[:50]:50s} quotes {result['quotes']:4d}  coverage {pct(result['covered'], result['quotes'])}"
                  f"  accuracy {pct(result['correct'], result['quotes'])}"
                  f"  precision {pct(result['in quotes'], result['predicted'])}")
    kinds = sorted(k[5:] for k in total if k.startswith("type ") and total[k])
    if kinds:
        print("by quote type: " + ", ".join(
            f"{k} {pct(total['correct ' + k], total['type ' + k]).strip()} of {total['type ' + k]}" for k in kinds))
    rules = sorted(k[5:] for k in total if k.startswith("rule ") and not k.startswith("rule ok "))
    print("by rule: " + ", ".join(f"{r} {pct(total['rule ok ' + r], total['rule ' + r]).strip()} of {total['rule ' + r]}"
                                  for r in rules))
    print(f"texts {len(stems)} quotes {total['quotes']} attribution accuracy "
          f"{pct(total['correct'], total['quotes']).strip()} ({total['correct']}/{total['quotes']}) "
          f"coverage {pct(total['covered'], total['quotes']).strip()} "
          f"precision {pct(total['in quotes'], total['predicted']).strip()}")


if __name__ == "__main__":
    main()
