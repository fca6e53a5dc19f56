"""What one segment costs to synthesise, and what a whole build costs.

Prints, for short and long segments, with one voice and with the voice
changing on every segment: segments, milliseconds per segment, seconds of
audio per second of work.  Then builds the sample story and prints the stage
timings.  pyttsx3's eSpeak driver sleeps 10 ms per loop turn in every
``runAndWait``, which is a floor under the per-segment cost.

    python bench/synthesis.py [--segments N]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from audiobook.audio.synthesis import Engine  # noqa: E402
from audiobook.model import SpeechJob, Voice  # noqa: E402
from audiobook.pipeline import build  # noqa: E402

SHORT = "You okay?"
LONG = ("Trying to preserve some of her dignity, Jo jadedly swatted at her eyes, hoping the tears would cease. "
        "But Alex knew. Alex always knew. He moved in an attempt to make her look at him, but she still refused, "
        "and the air between them seemed frozen as they went silent.")
VOICES = (Voice("gmw/en-us+m3", 170, 32), Voice("gmw/en-us+f3", 172, 62))


def measure(engine: Engine, text: str, count: int, alternate: bool) -> tuple[float, float]:
    """(ms per segment, audio seconds per wall second)."""
    audio_ms = 0
    started = time.perf_counter()
    for i in range(count):
        voice = VOICES[i % 2] if alternate else VOICES[0]
        audio_ms += len(engine.render(SpeechJob(f"{i}. {text}", voice)))
    wall = time.perf_counter() - started
    return 1000 * wall / count, audio_ms / 1000 / wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--segments", type=int, default=100)
    args = parser.parse_args()
    with Engine() as engine:
        engine.render(SpeechJob("warm up", VOICES[0]))
        print(f"{'segment':8s} {'voices':10s} {'count':>6s} {'ms/segment':>11s} {'audio s/s':>10s}")
        for label, text in (("short", SHORT), ("long", LONG)):
            for alternate in (False, True):
                per, speed = measure(engine, text, args.segments, alternate)
                print(f"{label:8s} {'alternate' if alternate else 'one':10s} {args.segments:6d} "
                      f"{per:11.1f} {speed:10.1f}")
    with tempfile.TemporaryDirectory() as out:
        result = build(ROOT / "stories" / "princess.txt", voices=ROOT / "voices.yaml", out=out)
    print(f"sample build: {result.segments} segments, {result.duration_ms / 1000:.0f} s of audio, "
          f"{result.seconds:.2f} s wall, {result.duration_ms / 1000 / result.seconds:.0f}x real time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
