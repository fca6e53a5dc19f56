"""What one utterance costs to synthesise, before and after, and what a build costs.

Before: pyttsx3's own path (``save_to_file`` + ``runAndWait``, as the engine
used it: its driver loop sleeps 10 ms a turn while eSpeak works in its own
thread, then the samples go through a WAV file read back by pydub).  Run in
a child process, since eSpeak starts once per process.  Printed: ms per
utterance in all, and what of it is the loop's sleeping and the WAV round
trip.

After: `Engine.render` (eSpeak synchronous, samples kept in memory, state
reset before each utterance), and one eSpeak call for a whole run of
sentences for comparison.  Printed: ms per utterance (wall and CPU), utterances
per second, seconds of audio per second of work and the real-time factor
(wall time / audio duration) of one process.  On a loaded machine the wall
figures swing; the CPU column does not.  Then the sample story is built and its timings printed.

    python bench/synthesis.py [--utterances N] [--no-build]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHORT = "You okay?"
LONG = ("Trying to preserve some of her dignity, Jo jadedly swatted at her eyes, hoping the tears would cease. "
        "But Alex knew. Alex always knew. He moved in an attempt to make her look at him, but she still refused, "
        "and the air between them seemed frozen as they went silent.")
VOICES = (("gmw/en-us+m3", 170, 32), ("gmw/en-us+f3", 172, 62))
CASES = (("short", SHORT, False), ("short", SHORT, True), ("long", LONG, False), ("long", LONG, True))

_BEFORE = r'''
import io, json, os, sys, tempfile, threading, time, wave
sys.path.insert(0, sys.argv[1])
from audiobook.audio.runtime import prepare_audio, prepare_espeak
prepare_espeak(); prepare_audio()
import pyttsx3
from pyttsx3.drivers import espeak as driver_module, _espeak
from pydub import AudioSegment
tts = pyttsx3.init("espeak")
finished = threading.Event()
tts.connect("finished-utterance", lambda name, completed: finished.set())
sleeps = [0, 0.0]
real_sleep = time.sleep
def counting_sleep(seconds):
    started = time.perf_counter(); real_sleep(seconds); sleeps[0] += 1; sleeps[1] += time.perf_counter() - started
driver_module.time.sleep = counting_sleep  # the driver loop's only sleep
quiet = io.StringIO()
stdout = sys.stdout
sys.stdout = quiet
tts.runAndWait()
voices, text, alternate, count = json.loads(sys.argv[2])
path = os.path.join(tempfile.mkdtemp(), "segment.wav")
wav_s = 0.0
audio_ms = 0
current = None
_espeak.ENDPAUSE |= _espeak.PHONEMES
started = time.perf_counter()
cpu = time.process_time()
sleeps[:] = [0, 0.0]
for i in range(count):
    voice_id, rate, pitch = voices[i % 2] if alternate else voices[0]
    if voice_id != current:
        while tts.isBusy(): real_sleep(0.001)
        tts.setProperty("voice", voice_id); current = voice_id
    finished.clear()
    tts.save_to_file(f"\x01{rate}S\x01{pitch}P\x01100A{i}. {text}", path)
    tts.runAndWait()
    finished.wait(30)
    t = time.perf_counter()
    audio = AudioSegment.from_wav(path)
    wav_s += time.perf_counter() - t
    audio_ms += len(audio)
wall = time.perf_counter() - started
cpu = time.process_time() - cpu
# the write half of the round trip: what the driver spends writing the WAV it then reads back
pcm = audio.raw_data
t = time.perf_counter()
for _ in range(20):
    with wave.open(path, "wb") as f:
        f.setnchannels(1); f.setsampwidth(2); f.setframerate(22050); f.writeframes(pcm)
wav_s += (time.perf_counter() - t) / 20 * count
sys.stdout = stdout
print(json.dumps({"wall": wall, "cpu": cpu, "audio_ms": audio_ms, "sleeps": sleeps[0], "sleep_s": sleeps[1], "wav_s": wav_s}))
'''


def before(text: str, alternate: bool, count: int) -> dict:
    done = subprocess.run([sys.executable, "-c", _BEFORE, str(ROOT), json.dumps([VOICES, text, alternate, count])],
                          capture_output=True, text=True, check=True, timeout=600)
    return json.loads(done.stdout.strip().splitlines()[-1])


def after(engine, text: str, alternate: bool, count: int) -> dict:
    from audiobook.model import SpeechJob, Voice

    audio_ms = 0
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(count):
        voice = Voice(*(VOICES[i % 2] if alternate else VOICES[0]))
        audio_ms += len(engine.render(SpeechJob(f"{i}. {text}", voice)))
    return {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu, "audio_ms": audio_ms}


def one_call(engine, text: str, count: int) -> dict:
    """All `count` sentences in one eSpeak call: what batching a run could save at most."""
    from audiobook.model import SpeechJob, Voice

    job = SpeechJob(" ".join(f"{i}. {text}" for i in range(count)), Voice(*VOICES[0]))
    started, cpu = time.perf_counter(), time.process_time()
    audio = engine.render(job)
    return {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu, "audio_ms": len(audio)}


def cache_figures(engine, count: int) -> None:
    """What a cache entry costs to write and to read, and its size, on the sample's sentences."""
    import re

    from audiobook.audio.cache import SpeechCache
    from audiobook.model import SpeechJob, Voice

    text = (ROOT / "stories" / "princess.txt").read_text(encoding="utf-8")
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()][:count]
    jobs = [SpeechJob(s, Voice(*VOICES[i % 2])) for i, s in enumerate(sentences)]
    audio = engine.render_many(jobs)
    raw = sum(len(a.raw_data) for a in audio)
    seconds = sum(len(a) for a in audio) / 1000
    with tempfile.TemporaryDirectory() as folder:
        warm = SpeechCache(Path(folder) / "warm")  # numpy and soundfile load on first use
        warm.put(jobs[0], audio[0])
        warm.get(jobs[0])
        cache = SpeechCache(Path(folder) / "cache")
        started = time.perf_counter()
        for job, segment in zip(jobs, audio):
            cache.put(job, segment)
        put = time.perf_counter() - started
        started = time.perf_counter()
        back = [cache.get(job) for job in jobs]
        get = time.perf_counter() - started
        size = cache.size()
    assert [b.raw_data for b in back] == [a.raw_data for a in audio]
    started = time.perf_counter()
    engine.render_many(jobs)
    render = time.perf_counter() - started
    print(f"cache: {len(jobs)} sentences, {seconds:.0f} s of audio; write {1000 * put / len(jobs):.2f} ms, "
          f"read {1000 * get / len(jobs):.2f} ms, render {1000 * render / len(jobs):.2f} ms per sentence; "
          f"{raw / size:.2f}x smaller than the samples, {size / seconds / 1000:.1f} KB per second of audio")


def row(label: str, voices: str, count: int, figures: dict, extra: str = "") -> str:
    per = 1000 * figures["wall"] / count
    audio_s = figures["audio_ms"] / 1000
    return (f"{label:14s} {voices:9s} {count:5d} {per:9.2f} {1000 * figures['cpu'] / count:9.2f} "
            f"{count / figures['wall']:7.0f} {audio_s / figures['wall']:9.0f} {figures['wall'] / audio_s:9.5f}  {extra}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--utterances", type=int, default=100)
    parser.add_argument("--no-build", action="store_true", help="skip building the sample story")
    args = parser.parse_args()
    n = args.utterances
    from audiobook.audio.synthesis import Engine
    from audiobook.model import SpeechJob, Voice

    header = (f"{'path':14s} {'voices':9s} {'utts':>5s} {'ms/utt':>9s} {'cpu ms':>9s} {'utt/s':>7s} "
              f"{'audio s/s':>9s} {'RTF':>9s}  cost per utterance")
    print(header)
    befores = {}
    for label, text, alternate in CASES:
        figures = before(text, alternate, n)
        befores[label, alternate] = figures
        extra = (f"loop sleeps {1000 * figures['sleep_s'] / n:.1f} ms ({figures['sleeps'] / n:.1f} turns), "
                 f"WAV round trip {1000 * figures['wav_s'] / n:.2f} ms")
        print(row(f"pyttsx3 {label}", "alternate" if alternate else "one", n, figures, extra))
    with Engine() as engine:
        engine.render(SpeechJob("warm up", Voice(*VOICES[0])))
        for label, text, alternate in CASES:
            figures = after(engine, text, alternate, n)
            speedup = befores[label, alternate]["wall"] / figures["wall"]
            print(row(f"engine {label}", "alternate" if alternate else "one", n, figures, f"{speedup:.1f}x faster"))
        for label, text, _alternate in CASES[::2]:
            figures = one_call(engine, text, n)
            print(row(f"one call {label}", "one", n, figures, "(audio depends on the neighbours: not used)"))
        print(f"engine: {engine.version}; every job the same samples in any process: {engine.deterministic}")
        cache_figures(engine, n)
    if not args.no_build:
        from audiobook.pipeline import build

        with tempfile.TemporaryDirectory() as out:
            result = build(ROOT / "stories" / "princess.txt", voices=ROOT / "voices.yaml", out=out)
        print(f"sample build: {result.segments} segments, {result.duration_ms / 1000:.0f} s of audio, "
              f"{result.seconds:.2f} s wall, {result.duration_ms / 1000 / result.seconds:.0f}x real time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
