"""Make a copy of an attribution corpus whose casts list only each text's main speakers.

A user who sets up voices for the leads only (the three characters who
speak most, with their aliases and genders) should lose nothing by it:
the rest are still found in the text.  This writes, for every STEM in
CORPUS, STEM.txt and STEM.gold.json unchanged and a STEM.voices.yaml
listing only the TOP most-quoted gold speakers, so the copy can be scored
like the original:

    python bench/partial_cast.py CORPUS OUT [--top 3]
    score the OUT folder with its cast (names matched one to one)

Prints how many texts and characters were written.
"""
from __future__ import annotations

import argparse
import json
import shutil
from collections import Counter
from pathlib import Path

import yaml


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--top", type=int, default=3, help="how many speakers the cast keeps (default 3)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    texts = kept = listed = 0
    for gold_path in sorted(args.corpus.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        story, cast_path = args.corpus / f"{stem}.txt", args.corpus / f"{stem}.voices.yaml"
        if not story.is_file():
            continue
        quotes = json.loads(gold_path.read_text(encoding="utf-8"))["quotes"]
        cast = yaml.safe_load(cast_path.read_text(encoding="utf-8")) if cast_path.is_file() else {}
        characters = (cast or {}).get("characters") or {}
        top = [name for name, _n in Counter(q["speaker"] for q in quotes).most_common() if name in characters]
        top = top[: args.top]
        partial = dict(cast or {})
        partial["characters"] = {name: characters[name] for name in top}
        shutil.copy(story, args.out / story.name)
        shutil.copy(gold_path, args.out / gold_path.name)
        (args.out / cast_path.name).write_text(
            f"# only the {args.top} most-quoted speakers of {stem}\n"
            + yaml.safe_dump(partial, allow_unicode=True, sort_keys=False), encoding="utf-8")
        texts += 1
        kept += len(top)
        listed += len(characters)
    print(f"{texts} texts: casts of {kept} characters written to {args.out} (of {listed} in the full casts)")


if __name__ == "__main__":
    main()
