"""Chapters rendered in parallel: a pool of worker processes, one speech engine each.

A chapter is the unit of work.  A worker synthesises its utterances,
assembles them, streams the chapter's PCM into its own ffmpeg encode (and,
when a one-file edition needs the audio, into a raw PCM file), writes the
chapter's subtitles, and hands back where those files are.  So synthesis and
encoding both run on every core, and no process holds more than one
chapter's audio (a chapter of more than `WINDOW` utterances is assembled a
window at a time, so even a chapter as long as a book streams).

pyttsx3 allows one driver per process, so each worker process starts its own
engine; with one job, the chapters are rendered in the calling process with
its engine.  Every chapter is rendered from its own plan alone, so the audio
is the same whatever the number of workers.
"""
from __future__ import annotations

import inspect
import os
import shutil
import signal
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable, Iterator, Optional

from audiobook.audio.profiles import DEFAULT, Profile
from audiobook.model import BookInfo, ChapterAudio, Cue, SpeechJob, Voice

WINDOW = 40  # utterances assembled at once: some two to four minutes of speech
WINDOW_CHARS = 2_500  # and at most this much text (some three minutes), however long the utterances


@dataclass(frozen=True)
class Utterance:
    """One thing said: who says it, the words shown, the job the engine gets,
    and the kind of gap before it (see `audiobook.audio.assembly.GAPS`)."""

    speaker: str
    text: str
    job: SpeechJob
    gap: str


@dataclass(frozen=True)
class ChapterWork:
    """Everything needed to render chapter `number` of `total`, in any process."""

    number: int
    total: int
    title: str
    utterances: tuple[Utterance, ...]
    pauses: tuple[tuple[str, int], ...]
    info: BookInfo
    profile: Profile = DEFAULT
    staging: Optional[str] = None  # write the chapter's files here (None: they are not needed)
    pcm_dir: Optional[str] = None  # write its raw PCM here for a one-file edition (None: not needed)
    cache: Optional[str] = None  # the speech cache's folder ("" for the default; None: no cache)


@dataclass
class ChapterDone:
    """A rendered chapter: its length in samples, its cues and its new files."""

    number: int
    frames: int
    rate: int
    cues: list[Cue]
    files: dict[str, str] = field(default_factory=dict)  # final name -> finished temporary file
    pcm_file: Optional[str] = None
    seconds: float = 0.0
    cached: int = 0  # utterances the speech cache had
    synthesised: int = 0  # utterances the engine rendered
    parts: list[tuple[str, str, int]] = field(default_factory=list)  # (title, MP3 name, ms) of a split chapter

    @property
    def duration_ms(self) -> int:
        return round(self.frames * 1000 / self.rate) if self.rate else 0


# --------------------------------------------------------------------------- one chapter

def render_chapter(work: ChapterWork, engine) -> ChapterDone:
    """Synthesise, assemble and write chapter `work` with `engine`."""
    from audiobook.audio.export import StreamEncoder, book_tags, chapter_stem, lrc, tag_file, webvtt
    from audiobook.audio.files import os_error, unique_file, write_text
    from audiobook.audio.tags import Cover, image_mime, read_cover, write_id3

    started = time.monotonic()
    if work.profile.max_minutes:
        return _render_in_parts(work, engine, started)
    stem = chapter_stem(work.number, work.total, work.title)
    made: dict[str, str] = {}
    encoder = pcm_out = None
    pcm_file = None
    frames, rate, cues = 0, 0, []
    counts = [0, 0]
    try:
        for audio, window_cues in _windows(work, engine, counts):
            if not rate:
                rate = audio.frame_rate
                if work.staging:
                    mp3 = unique_file(Path(work.staging), f"{stem}.mp3")
                    made[f"{stem}.mp3"] = str(mp3)
                    encoder = StreamEncoder(mp3, "mp3", rate, work.profile)
                if work.pcm_dir:
                    pcm_file = unique_file(Path(work.pcm_dir), f"{stem}.pcm")
                    pcm_out = open(pcm_file, "wb")
            offset = round(frames * 1000 / rate)
            cues += [Cue(c.start_ms + offset, c.end_ms + offset, c.speaker, c.text) for c in window_cues]
            raw = audio.raw_data
            frames += len(raw) // 2
            if encoder:
                encoder.write(raw)
            if pcm_out:
                try:
                    pcm_out.write(raw)
                except OSError as err:
                    raise os_error(err, pcm_file) from None
            del audio, raw
        if pcm_out:
            pcm_out.close()
        if encoder:
            encoder.finish()
            encoder = None
            cover = read_cover(work.info.cover) if work.info.cover else None
            if cover is None and work.info.cover_data:
                cover = Cover(work.info.cover_data, image_mime(work.info.cover_data))
            tags = book_tags(work.info, work.title, cover, round(frames * 1000 / rate),
                             track=(work.number, work.total))
            tag_file(write_id3, Path(made[f"{stem}.mp3"]), tags)
            for ext, content in (("vtt", webvtt(cues)), ("lrc", lrc(cues, tags))):
                path = unique_file(Path(work.staging), f"{stem}.{ext}")
                made[f"{stem}.{ext}"] = str(path)
                write_text(path, content)
    except BaseException:
        if encoder:
            encoder.abort()
        if pcm_out:
            pcm_out.close()
        for path in [*made.values(), pcm_file]:
            if path:
                Path(path).unlink(missing_ok=True)
        raise
    return ChapterDone(work.number, frames, rate, cues, made, str(pcm_file) if pcm_file else None,
                       time.monotonic() - started, cached=counts[0], synthesised=counts[1])


def _render_in_parts(work: ChapterWork, engine, started: float) -> ChapterDone:
    """`render_chapter` for a profile that limits a file's length: the chapter
    is assembled whole and, when longer than the profile allows, written as
    parts (`audiobook.audio.assembly.split_parts`), each a file with its own
    subtitles; the one-file editions still get the chapter whole.  Holds the
    chapter's audio at once (about 160 MB an hour)."""
    from audiobook.audio.assembly import split_parts
    from audiobook.audio.export import chapter_files, chapter_stem
    from audiobook.audio.files import os_error, unique_file
    from audiobook.audio.tags import read_cover

    pieces, cues, frames = [], [], 0
    rate = 0
    counts = [0, 0]
    for audio, window_cues in _windows(work, engine, counts):
        rate = rate or audio.frame_rate
        offset = round(frames * 1000 / rate)
        cues += [Cue(c.start_ms + offset, c.end_ms + offset, c.speaker, c.text) for c in window_cues]
        frames += len(audio.raw_data) // 2
        pieces.append(audio)
    whole = pieces[0] if len(pieces) == 1 else pieces[0]._spawn(b"".join(p.raw_data for p in pieces))
    del pieces
    parts = split_parts(ChapterAudio(work.number, work.title, whole, cues), work.profile)
    made: dict[str, str] = {}
    pcm_file = None
    try:
        if work.staging:
            cover = read_cover(work.info.cover) if work.info.cover else None
            for part in parts:
                made.update({name: str(path) for name, path in chapter_files(
                    Path(work.staging), work.info, work.number, work.total, part, cover, work.profile).items()})
        if work.pcm_dir:
            pcm_file = unique_file(Path(work.pcm_dir), f"{chapter_stem(work.number, work.total, work.title)}.pcm")
            try:
                pcm_file.write_bytes(whole.raw_data)
            except OSError as err:
                raise os_error(err, pcm_file) from None
    except BaseException:
        for path in [*made.values(), pcm_file]:
            if path:
                Path(path).unlink(missing_ok=True)
        raise
    named = [(p.title, f"{chapter_stem(work.number, work.total, p.title)}.mp3", len(p.audio)) for p in parts]
    return ChapterDone(work.number, frames, rate, cues, made, str(pcm_file) if pcm_file else None,
                       time.monotonic() - started, cached=counts[0], synthesised=counts[1],
                       parts=named if len(parts) > 1 else [])


def _windows(work: ChapterWork, engine, counts: Optional[list[int]] = None) -> Iterator[tuple[object, list[Cue]]]:
    """The chapter's assembled audio, a window of utterances at a time, joined
    as one assembly would join them: head room tone only before the first
    window, tail only after the last, the right pause between windows."""
    from audiobook.audio import assembly

    pauses = dict(work.pauses)
    utterances = work.utterances
    bounds = window_bounds([len(u.job.text) for u in utterances])
    extra = {"profile": work.profile} if _takes_profile() else {}
    for number, (start, stop) in enumerate(zip(bounds, [*bounds[1:], len(utterances)])):
        window = utterances[start:stop]
        pieces = [assembly.Piece(audio=audio, speaker=u.speaker, text=u.text, gap=u.gap,
                                 gain_db=voice_gain(engine, u.job.voice, work.cache))
                  for u, audio in zip(window, render_all(engine, [u.job for u in window], work.cache, counts))]
        chapter = assembly.assemble_chapter(work.number, work.title, pieces, pauses, **extra)
        audio, cues = chapter.audio, chapter.cues
        del pieces, chapter
        if len(bounds) == 1:
            yield audio, cues
            continue
        first, last = number == 0, number == len(bounds) - 1
        rate = audio.frame_rate
        begin = 0 if first or not cues else cues[0].start_ms
        end = len(audio) if last or not cues else cues[-1].end_ms
        audio = audio.get_sample_slice(begin * rate // 1000, end * rate // 1000 if not last else None)
        if not last:
            following = utterances[stop]
            last_ms = cues[-1].end_ms - cues[-1].start_ms if cues else 0
            gap = assembly.pause_ms(following.gap, pauses, last_ms, window[-1].text,
                                    following.speaker != window[-1].speaker)
            audio = audio + audio._spawn(bytes(2 * (rate * gap // 1000)))
        yield audio, [Cue(c.start_ms - begin, c.end_ms - begin, c.speaker, c.text) for c in cues]


def window_bounds(lengths: list[int]) -> list[int]:
    """Where each window of a chapter's utterances starts, given the length of
    each utterance's text: a window holds at most WINDOW utterances and, past
    its first, at most WINDOW_CHARS characters, so its audio stays minutes
    long whether the chapter is dialogue or one enormous paragraph."""
    bounds, count, chars = [0], 0, 0
    for index, length in enumerate(lengths):
        if count and (count == WINDOW or chars + length > WINDOW_CHARS):
            bounds.append(index)
            count, chars = 0, 0
        count, chars = count + 1, chars + length
    return bounds


def render_all(engine, jobs: list[SpeechJob], cache: Optional[str] = None,
               counts: Optional[list[int]] = None) -> list:
    """The engine's audio for each job, in order: from the speech cache in
    folder `cache` where it has them ("" the default folder, None no cache),
    the rest rendered in runs.  `counts` gets [from the cache, rendered] added."""
    from audiobook.audio.cache import render_through

    store = _cache(cache)
    before = (store.stats.hits, store.stats.misses) if store else (0, len(jobs))
    audio = render_through(engine, store, jobs)
    if counts is not None:
        after = (store.stats.hits, store.stats.misses) if store else (0, 2 * len(jobs))
        counts[0] += after[0] - before[0]
        counts[1] += after[1] - before[1]
    return audio


_CACHES: dict = {}
_GAIN_VERSION = 1


def voice_gain(engine, voice, cache: Optional[str] = None) -> float:
    """Assembly's loudness gain for `voice` (`audiobook.audio.assembly.voice_gain`),
    kept beside the speech cache in folder `cache` when there is one.

    Measuring a voice costs some 0.4 s (a calibration passage rendered,
    limited and measured three times); a novel with 70 voices on two workers
    would pay it 140 times a build.  The entry's key holds the voice, the
    engine's version and a digest of the assembly and loudness code, so a
    change to either measures again.  The value is the same float the
    measurement gives, so the audio does not depend on where it came from."""
    import json

    from audiobook.audio import assembly

    store = _cache(cache)
    if store is None:
        return assembly.voice_gain(engine.render, voice)
    key = _gain_key(store, voice)
    path = store.root / f"gains-{_GAIN_VERSION}" / f"{key}.json"
    try:
        return float(json.loads(path.read_text(encoding="utf-8"))["gain_db"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    gain = assembly.voice_gain(engine.render, voice)
    try:
        import tempfile

        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".partial")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"gain_db": gain}, out)
        os.replace(temporary, path)
    except OSError:
        pass  # a full or read-only cache leaves the build going
    return gain


_CODE_DIGEST: Optional[str] = None


def _gain_key(store, voice) -> str:
    import hashlib
    import json
    from dataclasses import asdict

    global _CODE_DIGEST
    if _CODE_DIGEST is None:
        from audiobook.audio import assembly, loudness

        digest = hashlib.sha256()
        for module in (assembly, loudness):
            digest.update(Path(module.__file__).read_bytes())
        _CODE_DIGEST = digest.hexdigest()
    blob = json.dumps([_GAIN_VERSION, store.engine_version, _CODE_DIGEST, asdict(voice)], sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _cache(folder: Optional[str]):
    if folder is None:
        return None
    if folder not in _CACHES:
        from audiobook.audio.cache import SpeechCache

        _CACHES[folder] = SpeechCache(Path(folder) if folder else None)
    return _CACHES[folder]


_PROFILE_ARG: Optional[bool] = None


def _takes_profile() -> bool:
    global _PROFILE_ARG
    if _PROFILE_ARG is None:
        from audiobook.audio.assembly import assemble_chapter

        _PROFILE_ARG = "profile" in inspect.signature(assemble_chapter).parameters
    return _PROFILE_ARG


# --------------------------------------------------------------------------- the pool

_ENGINE = None  # the worker process's own engine


def _start_worker(scratch: Optional[str] = None) -> None:
    """In a new worker: die with the parent, leave Ctrl-C to it, keep its
    temporary files in `scratch` (the pool's, removed by the parent even when
    it has to kill the worker), start an engine."""
    global _ENGINE
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if scratch:
        tempfile.tempdir = scratch
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: no orphan outlives a kill -9
        except (OSError, AttributeError):
            pass
    from audiobook.audio.synthesis import Engine

    _ENGINE = Engine()


def _render_in_worker(work: ChapterWork) -> ChapterDone:
    return render_chapter(work, _ENGINE)


def _measure_in_worker(voices: tuple, cache: str) -> None:
    """Measure each voice's gain into the cache's folder (see `voice_gain`);
    a voice the engine does not know is left to the build to report."""
    for voice in voices:
        try:
            resolved = _ENGINE.resolve(voice.id)
        except ValueError:
            continue
        voice_gain(_ENGINE, Voice(resolved, voice.rate, voice.pitch, voice.volume), cache)


class ChapterPool:
    """Renders chapters with `jobs` worker processes (with one job: in this
    process, with `engine`)."""

    def __init__(self, jobs: int, engine=None):
        self.jobs = max(1, int(jobs))
        self.engine = engine
        self._executor: Optional[ProcessPoolExecutor] = None
        self._scratch: Optional[str] = None

    def __enter__(self) -> "ChapterPool":
        if self.jobs > 1:
            self._scratch = tempfile.mkdtemp(prefix="audiobook-workers-")
            self._executor = ProcessPoolExecutor(self.jobs, mp_context=get_context("spawn"),
                                                 initializer=_start_worker, initargs=(self._scratch,))
        return self

    def __exit__(self, kind, *exc) -> None:
        if self._executor is None:
            return
        try:
            self._stop(kind)
        finally:
            shutil.rmtree(self._scratch, ignore_errors=True)  # what killed workers could not remove

    def _stop(self, kind) -> None:
        if kind is None:
            self._executor.shutdown(wait=True)
        else:  # stop now: nothing a worker still makes would be used
            processes = list((getattr(self._executor, "_processes", None) or {}).values())
            self._executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.kill()
            for process in processes:
                process.join(5)

    def measure(self, voices: Iterable, cache: str, per_task: int = 4) -> None:
        """Start measuring the gains of `voices` (a cast's, before its book is
        read) into the speech cache's folder `cache`, a few voices a task, so
        the workers do it while this process is still reading the book; the
        chapters' own measurements then find them in the cache."""
        if self._executor is None:
            return
        voices = list(voices)
        for start in range(0, len(voices), per_task):
            self._executor.submit(_measure_in_worker, tuple(voices[start:start + per_task]), cache)

    def run(self, works: Iterable[ChapterWork], ordered: bool = True) -> Iterator[ChapterDone]:
        """Render every chapter of `works`; yield them in the order given
        (`ordered`) or as they finish (then the longest start first).  At most a few chapters past the next
        one to yield are in hand at once, so finished audio waiting its turn
        stays bounded."""
        works = list(works)
        if self._executor is None:
            for work in works:
                yield render_chapter(work, self.engine)
            return
        if not ordered:
            works = longest_first(works)
        ahead = 2 * self.jobs if ordered else len(works)
        pending: dict[int, Future] = {}
        done: dict[int, ChapterDone] = {}
        submitted = next_out = 0
        while next_out < len(works):
            while submitted < len(works) and submitted - next_out < ahead:
                pending[submitted] = self._executor.submit(_render_in_worker, works[submitted])
                submitted += 1
            finished, _rest = wait(pending.values(), return_when=FIRST_COMPLETED)
            for position in [p for p, future in pending.items() if future in finished]:
                done[position] = pending.pop(position).result()
            if ordered:
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
            else:
                for position in sorted(done):
                    yield done.pop(position)
                    next_out += 1


def longest_first(works: list[ChapterWork]) -> list[ChapterWork]:
    """`works` by the length of their text, longest first (ties in book
    order): handed out in this order, the workers finish together instead of
    one waiting on a long chapter that came last."""
    return sorted(works, key=lambda work: -sum(len(u.job.text) for u in work.utterances))


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
