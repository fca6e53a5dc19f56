"""A long book built cold, warm, after a small cast change and after kill -9,
against a bare reference pipeline on the same text, in the same run.

    python bench/book.py NOVEL.txt [--jobs N] [--work DIR]
    python bench/book.py --litbank FOLDER     # a novel assembled from LitBank excerpts

Prints, for each run: audio duration, wall time, real-time factor (seconds of
audio per second of wall time) and the peak memory of the whole process tree
(the sum of the resident set sizes of the build process and all its
descendants, sampled every 50 ms from /proc), then the ratios.

The runs, each `audiobook build` as a separate process:

1. cold: a fresh output folder, a cast proposed by `audiobook cast --write`;
2. warm: the same build again (everything is kept);
3. resume: a fresh folder, the build killed with SIGKILL once half the
   chapters are written, then built again; its decoded audio is compared
   with the cold build's, chapter by chapter;
4. voice change: the rate of the character who speaks in the fewest chapters
   (two if any does) raised, and the cold folder rebuilt.

The reference pipeline does only the unavoidable work: libespeak-ng called
through ctypes (espeak_Initialize, espeak_SetSynthCallback, espeak_Synth with
AUDIO_OUTPUT_SYNCHRONOUS), one call per paragraph in the narrator's voice,
each chapter's samples streamed into one ffmpeg MP3 encode at 22,050 Hz and
64 kbps, chapters shared by two worker processes.

With --litbank, the novel is the LitBank excerpts of FOLDER (each *.txt
becomes a chapter) joined into one text in a temporary folder.  LitBank is by
David Bamman et al. (https://github.com/dbamman/litbank), CC BY 4.0; its
texts are public-domain works from Project Gutenberg.
"""
from __future__ import annotations

import argparse
import ctypes
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MANIFEST = ".audiobook-manifest.json"


# --------------------------------------------------------------------------- measuring

class TreeMemory:
    """Samples the summed RSS of a process and all its descendants."""

    def __init__(self, pid: int, every: float = 0.05):
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and every descendant, now."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            with open(f"/proc/{entry}/statm", "rb") as statm:
                rss[int(entry)] = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sum(rss.get(pid, 0) for pid in tree)


class Run:
    def __init__(self, label: str, wall: float, peak: int, audio_s: float, note: str = ""):
        self.label, self.wall, self.peak, self.audio_s, self.note = label, wall, peak, audio_s, note

    @property
    def rtf(self) -> float:
        return self.audio_s / self.wall if self.wall else 0.0

    def line(self) -> str:
        return (f"{self.label:<22} {fmt_clock(self.audio_s):>9} {self.wall:9.1f} {self.rtf:8.1f}x "
                f"{self.peak / 2**20:9.0f} MB  {self.note}")


def fmt_clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def timed(label: str, command: list[str], log: Path, kill_when=None) -> tuple[float, int, bool]:
    """Run `command`, return (wall seconds, peak tree RSS, killed).  With
    `kill_when`, a function polled every 50 ms, SIGKILL the process once it
    returns true."""
    started = time.monotonic()
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(command)}\n".encode())
        out.flush()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        memory = TreeMemory(process.pid)
        killed = False
        while process.poll() is None:
            if kill_when is not None and not killed and kill_when():
                process.send_signal(signal.SIGKILL)
                killed = True
            time.sleep(0.05)
        wall = time.monotonic() - started
        peak = memory.stop()
    if process.returncode != 0 and not killed:
        sys.exit(f"{label} failed (exit {process.returncode}); see {log}")
    return wall, peak, killed


def manifest(folder: Path) -> dict:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        return {}


def chapter_entries(folder: Path) -> dict[str, dict]:
    return {name: entry for name, entry in manifest(folder).items() if name.endswith(".mp3")}


def audio_seconds(folder: Path) -> float:
    return sum(entry.get("duration_ms", 0) for entry in chapter_entries(folder).values()) / 1000


def decoded_equal(a: Path, b: Path) -> tuple[int, int, int]:
    """(chapters equal in decoded audio, byte-identical files, chapters) of two chapter folders."""
    from audiobook.audio.runtime import prepare_audio

    ffmpeg = prepare_audio()
    names = sorted(chapter_entries(a))
    equal = identical = 0
    for name in names:
        if not (b / name).is_file():
            continue
        if (a / name).read_bytes() == (b / name).read_bytes():
            identical += 1
            equal += 1
            continue
        decoded = [hashlib.sha256(subprocess.run([ffmpeg, "-v", "error", "-i", str(folder / name), "-f", "s16le",
                                                  "-"], capture_output=True, check=True).stdout).hexdigest()
                   for folder in (a, b)]
        equal += decoded[0] == decoded[1]
    return equal, identical, len(names)


# --------------------------------------------------------------------------- the reference pipeline

AUDIO_OUTPUT_SYNCHRONOUS = 2
CHARS_UTF8 = 1
ENDPAUSE = 0x1000
CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


def reference_chapter(task: tuple[list[str], str]) -> int:
    """Speak the paragraphs with libespeak-ng and stream them into one MP3; return samples."""
    paragraphs, dest = task
    from audiobook.audio.runtime import prepare_audio, prepare_espeak

    library = ctypes.CDLL(prepare_espeak())
    library.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                     ctypes.c_uint, ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p]
    library.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    ffmpeg = subprocess.Popen([prepare_audio(), "-v", "error", "-y", "-f", "s16le", "-ar", "22050", "-ac", "1",
                               "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", "64k", "-ar", "22050", dest],
                              stdin=subprocess.PIPE)
    state = {"samples": 0}
    global _REFERENCE
    if _REFERENCE is None:
        rate = library.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0)
        assert rate == 22050, rate
        library.espeak_SetVoiceByName(b"en")
        _REFERENCE = library

    def on_audio(wav, count, _events) -> int:
        if count > 0:
            ffmpeg.stdin.write(ctypes.string_at(wav, count * 2))
            state["samples"] += count
        return 0

    callback = CALLBACK(on_audio)
    library.espeak_SetSynthCallback(callback)
    for paragraph in paragraphs:
        text = paragraph.encode("utf-8") + b"\0"
        library.espeak_Synth(text, len(text), 0, 1, 0, CHARS_UTF8 | ENDPAUSE, None, None)
    ffmpeg.stdin.close()
    ffmpeg.wait()
    return state["samples"]


_REFERENCE = None


def reference_main(plan: Path, out: Path) -> None:
    from multiprocessing import get_context

    chapters = json.loads(plan.read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    tasks = [(paragraphs, str(out / f"{n:03d}.mp3")) for n, paragraphs in enumerate(chapters, 1)]
    with get_context("spawn").Pool(2) as pool:
        samples = sum(pool.map(reference_chapter, tasks, chunksize=1))
    (out / "samples").write_text(str(samples))


def paragraphs_of(story: Path, voices: Path) -> list[list[str]]:
    """The text of every paragraph of every chapter, as the build reads them."""
    from audiobook.pipeline import make_script

    book = make_script(story, voices).book
    chapters = []
    for chapter in book.chapters:
        texts = [chapter.title]
        for paragraph in chapter.paragraphs:
            text = " ".join(" ".join(s.text.split()) for s in paragraph.segments)
            if text.strip():
                texts.append(text)
        chapters.append(texts)
    return chapters


# --------------------------------------------------------------------------- the novel

def litbank_novel(folder: Path, dest: Path, chapters: int) -> Path:
    """One long text: a LitBank excerpt per chapter, in file-name order."""
    parts = []
    for number, path in enumerate(sorted(folder.glob("*.txt"))[:chapters], start=1):
        text = path.read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.strip().upper().startswith("CHAPTER"))
        parts.append(f"Chapter {number}\n\n{body.strip()}\n")
    dest.write_text("\n\n".join(parts), encoding="utf-8")
    return dest


def speakers_by_chapter(story: Path, voices: Path) -> dict[str, set[int]]:
    from audiobook.pipeline import make_script

    script = make_script(story, voices)
    where: dict[str, set[int]] = {}
    for chapter in script.book.chapters:
        for segment in chapter.segments:
            if segment.kind == "dialogue" and segment.voice and segment.voice in script.cast.members:
                where.setdefault(segment.voice, set()).add(chapter.index)
    return where


# --------------------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("novel", nargs="?", type=Path, help="a long novel (plain text, Markdown, a folder...)")
    parser.add_argument("--litbank", type=Path, metavar="FOLDER", help="assemble the novel from LitBank excerpts")
    parser.add_argument("--chapters", type=int, default=60, help="with --litbank: how many excerpts (60)")
    parser.add_argument("--jobs", type=int, default=None, help="build --jobs (default: one per core)")
    parser.add_argument("--work", type=Path, help="keep everything in this folder (default: a temporary one)")
    parser.add_argument("--reference-only", nargs=2, type=Path, metavar=("PLAN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference_only:
        reference_main(*args.reference_only)
        return 0
    if not args.novel and not args.litbank:
        parser.error("give a NOVEL or --litbank FOLDER")
    with tempfile.TemporaryDirectory(prefix="bench-book-") as scratch:
        work = args.work or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        return run_all(args, work)


def run_all(args, work: Path) -> int:
    import yaml

    from audiobook.audio.export import edition_folder
    from audiobook.text.reader import slugify

    novel = args.novel or litbank_novel(args.litbank, work / "novel.txt", args.chapters)
    log = work / "bench.log"
    cli = [sys.executable, "-m", "audiobook"]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    cast = work / "cast.yaml"
    cast.unlink(missing_ok=True)
    subprocess.run([*cli, "cast", str(Path(novel).resolve()), "--write", str(cast.resolve())], check=True,
                   stdout=subprocess.DEVNULL, cwd=work)  # (in `work`: no ./voices.yaml is merged in)
    words = len(Path(novel).read_text(encoding="utf-8", errors="replace").split()) if Path(novel).is_file() else 0
    slug = slugify(Path(novel).stem if Path(novel).is_file() else Path(novel).name)
    print(f"novel: {novel} ({words:,} words), cast of {len(yaml.safe_load(cast.read_text())['characters'])} "
          f"characters; jobs: {args.jobs or 'one per core'} ({os.cpu_count()} cores)")

    # the reference, first, on the same paragraphs
    plan = work / "paragraphs.json"
    chapters = paragraphs_of(novel, cast)
    plan.write_text(json.dumps(chapters), encoding="utf-8")
    wall, peak, _ = timed("reference", [sys.executable, __file__, "--reference-only", str(plan), str(work / "ref")],
                          log)
    reference = Run("reference (espeak+ffmpeg)", wall, peak, int((work / "ref" / "samples").read_text()) / 22050)

    def build(out: Path, voices: Path = cast, **kw) -> tuple[float, int, bool]:
        return timed("build", [*cli, "build", str(novel), "--voices", str(voices), "--out", str(out), *jobs], log, **kw)

    out_a, out_b = work / "cold", work / "resume"
    folder_a, folder_b = edition_folder(out_a, slug, "chapters"), edition_folder(out_b, slug, "chapters")
    wall, peak, _ = build(out_a)
    total = len(chapter_entries(folder_a))
    cold = Run("cold build", wall, peak, audio_seconds(folder_a), f"{total} chapters")
    wall, peak, _ = build(out_a)
    warm = Run("warm build (no change)", wall, peak, cold.audio_s)

    def half_done() -> bool:
        return len(chapter_entries(folder_b)) >= total // 2

    wall_killed, peak_killed, killed = build(out_b, kill_when=half_done)
    kept = len(chapter_entries(folder_b))
    wall, peak, _ = build(out_b)
    equal, identical, count = decoded_equal(folder_a, folder_b)
    resumed = Run("resume after kill -9", wall, max(peak, peak_killed), cold.audio_s,
                  f"killed at {kept}/{total} chapters after {wall_killed:.0f} s; decoded audio equal to the cold "
                  f"build's in {equal}/{count} chapters ({identical} byte-identical)")

    where = speakers_by_chapter(novel, cast)
    two = sorted(where, key=lambda name: (abs(len(where[name]) - 2), -len(name)))
    changed = two[0]
    settings = yaml.safe_load(cast.read_text(encoding="utf-8"))
    member = settings["characters"][changed] = settings["characters"].get(changed) or {}
    member["rate"] = int(member.get("rate", 175)) + 40
    changed_cast = work / "cast-changed.yaml"
    changed_cast.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = {name: entry.get("mtime_ns") for name, entry in chapter_entries(folder_a).items()}
    wall, peak, _ = build(out_a, changed_cast)
    remade = sum(1 for name, entry in chapter_entries(folder_a).items() if before.get(name) != entry.get("mtime_ns"))
    rate_change = Run("rate change, 1 voice", wall, peak, cold.audio_s,
                      f"{changed!r} speaks in {len(where[changed])} of {total} chapters; {remade} re-encoded")

    print(f"\n{'run':<22} {'audio':>9} {'wall s':>9} {'RTF':>9} {'peak tree':>12}")
    for run in (reference, cold, warm, resumed, rate_change):
        print(run.line())
    print("\npeak tree: the summed RSS of the process and all its descendants, sampled every 50 ms")
    print(f"cold RTF / reference RTF:   {cold.rtf / reference.rtf:.2f}   (goal >= 0.9)")
    print(f"cold peak memory:           {cold.peak / 2**20:.0f} MB   (goal < 500 MB)")
    print(f"rate change / cold time:    {100 * rate_change.wall / cold.wall:.1f}%   (goal <= 15%)")
    print(f"resume / cold time:         {100 * resumed.wall / cold.wall:.1f}%   (goal <= 60%), "
          f"audio equal: {'yes' if equal == count == total else 'NO'}")
    print(f"warm / cold time:           {100 * warm.wall / cold.wall:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
