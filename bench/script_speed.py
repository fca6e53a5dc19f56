"""Time scripting (reading, quote detection, attribution, casting) of a long novel.

The novel is built by concatenating story texts, one chapter each, until it
reaches the wanted length.  By default the texts are the sample stories of
this repository; pass a folder of .txt files (a corpus) to use those instead.

    python bench/script_speed.py [--corpus DIR] [--words 150000]

Prints the words, the seconds in all (the best of three runs, as the command
line does it) and for the text stages run again one by one, and words/second.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from audiobook.attribution import attribute
from audiobook.pipeline import make_script
from audiobook.text.quotes import segment_book
from audiobook.text.reader import read_story

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES = [ROOT / "tests" / "data" / "attribution" / "princess.txt"]
#: How many times the whole script is made; the best time is printed.
RUNS = 3


def source_texts(corpus: Path | None) -> list[str]:
    """The texts to build the novel from."""
    paths = sorted(corpus.glob("*.txt")) if corpus else DEFAULT_SOURCES
    return [p.read_text(encoding="utf-8") for p in paths]


def build_novel(texts: list[str], words: int) -> str:
    """Chapters cut from `texts`, cycled until the book has `words` words."""
    chapters, total = [], 0
    while total < words:
        for text in texts:
            chapters.append(f"Chapter {len(chapters) + 1}\n\n{text.strip()}\n")
            total += len(text.split())
            if total >= words:
                break
    return "\n\n".join(chapters)


def timed(label: str, action, results: dict):
    """Run `action`, record its seconds under `label`, return its value."""
    started = time.perf_counter()
    value = action()
    results[label] = time.perf_counter() - started
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="folder of .txt stories to build the novel from")
    parser.add_argument("--words", type=int, default=150_000)
    args = parser.parse_args()
    novel = build_novel(source_texts(args.corpus), args.words)
    home = os.getcwd()
    words = len(novel.split())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "novel.txt"
        path.write_text(novel, encoding="utf-8")
        stages: dict[str, float] = {}
        os.chdir(folder)  # no voices.yaml here: characters are discovered, the slowest way
        whole = []
        for _run in range(RUNS):  # the best of a few: a shared machine's speed moves from run to run
            script = timed("script (whole)", lambda: make_script(path), stages)
            whole.append(stages["script (whole)"])
        stages["script (whole)"] = min(whole)
        book = timed("  read", lambda: read_story(path), stages)
        timed("  quotes", lambda: segment_book(book), stages)
        timed("  attribution", lambda: attribute(book, None), stages)
        os.chdir(home)
    quotes = sum(1 for s in script.book.segments() if s.is_dialogue)
    print(f"words {words}  chapters {len(script.book.chapters)}  quotes {quotes}")
    for label, seconds in stages.items():
        print(f"  {label:24s} {seconds:6.2f} s")
    whole = stages["script (whole)"]
    print(f"scripted {words} words in {whole:.2f} s: {words / whole:,.0f} words/second")


if __name__ == "__main__":
    main()
