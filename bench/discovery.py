"""How well characters are discovered with no cast: are the most-quoted ones real speakers?

For every text of a corpus (STEM.txt with STEM.gold.json, as the attribution
benchmark reads them) the story is scripted with no cast, and each
discovered character is matched one to one to the gold speaker it shares
most quotes with (no two names for one speaker).  Of each text's ten
discovered characters with most lines, a real speaker is one so matched.

    python bench/discovery.py CORPUS [--top 10] [--quiet]

Prints, per text, the top characters that are not real speakers (a place,
a split, a non-speaker), then the pooled share and the one-to-one accuracy.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from audiobook.model import DIALOGUE
from audiobook.pipeline import make_script

SKIP = {"unknown", "narrator"}


def score(story: Path, top: int) -> tuple[int, int, int, int, list[str]]:
    gold = json.loads(story.with_name(story.name[:-4] + ".gold.json").read_text(encoding="utf-8"))["quotes"]
    script = make_script(story, use_cast=False)
    segments = sorted((s for s in script.book.segments() if s.kind == DIALOGUE), key=lambda s: s.start)
    lines = Counter(s.speaker for s in segments if s.speaker not in SKIP)
    shared, picks = Counter(), []
    for quote in gold:
        over = Counter()
        for s in segments:
            if s.start < quote["end"] and s.end > quote["start"]:
                over[s.speaker] += min(s.end, quote["end"]) - max(s.start, quote["start"])
        name = over.most_common(1)[0][0] if over else None
        picks.append((quote["speaker"], name))
        if name:
            shared[(name, quote["speaker"])] += 1
    owner: dict[str, str] = {}
    used: set[str] = set()
    for (name, speaker), _n in shared.most_common():
        if name not in owner and speaker not in used and name not in SKIP:
            owner[name] = speaker
            used.add(speaker)
    right = sum(1 for speaker, name in picks if name and owner.get(name) == speaker)
    leads = [name for name, _n in lines.most_common(top)]
    wrong = [f"{name} ({lines[name]})" for name in leads if name not in owner]
    return len(leads) - len(wrong), len(leads), right, len(gold), wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()
    real = leads = right = quotes = 0
    for story in sorted(args.corpus.glob("*.txt")):
        if not story.with_name(story.name[:-4] + ".gold.json").is_file():
            continue
        r, n, ok, q, wrong = score(story, args.top)
        real, leads, right, quotes = real + r, leads + n, right + ok, quotes + q
        if wrong and not args.quiet:
            print(f"{story.stem[:40]:<40} {r}/{n}  not speakers: {', '.join(wrong)}")
    print(f"top {args.top} discovered characters that are real speakers: {real}/{leads} "
          f"({100 * real / max(leads, 1):.1f}%); one-to-one accuracy {100 * right / max(quotes, 1):.1f}% "
          f"({right}/{quotes})")


if __name__ == "__main__":
    main()
