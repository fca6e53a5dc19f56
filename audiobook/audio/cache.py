"""A content-addressed cache of rendered speech, shared by every build.

An entry's address is a hash of what its samples depend on: the spoken text
(lexicon already applied), the voice settings, the engine's version
(libespeak-ng's and this package's synthesis version) and the entry format.
Change any of them and the old entry is simply never asked for again; it
ages out.

* Where: ``$XDG_CACHE_HOME/audiobook`` (default ``~/.cache/audiobook``), or
  any folder given.  Entries live in ``speech-1/ab/abcd....flac``.
* Lossless: each entry is FLAC (through soundfile's libsndfile), about half
  the size of the raw samples for eSpeak's speech (22 KB per second of
  audio; zlib or lzma on the samples reach only 1.2-1.3 times), behind a
  small header holding the sample count, rate and a SHA-256 of the samples.
  What comes out is checked against that hash, so audio from the cache is
  sample for sample the audio that was rendered.
* Safe when builds share it: an entry is written to a temporary file in its
  own folder and renamed into place, so readers see a whole entry or none.
  An entry that fails to read or to check is a miss, and is removed.
* Bounded: at most `limit_bytes` (default `DEFAULT_LIMIT`, 1 GiB: a ten-hour
  book's speech is about 800 MB).  A hit refreshes its entry's time; when a
  build has written a twentieth of the limit since it last looked, the
  least recently used entries are removed until the cache holds at most 90%
  of the limit.
* ``audiobook clean`` (`clear`) empties it.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional, Sequence

from audiobook.model import SpeechJob

FORMAT = 1
DEFAULT_LIMIT = 1 << 30  # bytes
FLAC_LEVEL = 0.5  # soundfile's compression level (0..1): 2.0x at 1.0 cost twice the time of 1.9x at 0.5
_MAGIC = b"ABSPEECH"
_HEADER = struct.Struct("<8sQI32s")  # magic, sample count, sample rate, SHA-256 of the samples
_SUFFIX = ".flac"


def default_folder() -> Path:
    """``$XDG_CACHE_HOME/audiobook``, or ``~/.cache/audiobook``."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "audiobook"


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    written: int = 0  # entries
    written_bytes: int = 0
    evicted: int = 0


class SpeechCache:
    """Rendered speech by content address.  See the module's docstring."""

    def __init__(self, folder: Optional[Path] = None, limit_bytes: int = DEFAULT_LIMIT,
                 engine_version: Optional[str] = None) -> None:
        self.root = Path(folder) if folder is not None else default_folder()
        self.folder = self.root / f"speech-{FORMAT}"
        self.limit_bytes = int(limit_bytes)
        self._version = engine_version
        self._since_trim = 0
        self.stats = CacheStats()

    @property
    def engine_version(self) -> str:
        if self._version is None:
            from audiobook.audio.synthesis import engine_version

            self._version = engine_version()
        return self._version

    # ---------------------------------------------------------------- entries

    def key(self, job: SpeechJob) -> str:
        blob = json.dumps([FORMAT, self.engine_version, job.text, asdict(job.voice)],
                          sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def path(self, job: SpeechJob) -> Path:
        key = self.key(job)
        return self.folder / key[:2] / (key + _SUFFIX)

    def get(self, job: SpeechJob):
        """The job's AudioSegment, or None (no entry, or a broken one, which is removed)."""
        path = self.path(job)
        try:
            blob = path.read_bytes()
        except OSError:
            self.stats.misses += 1
            return None
        audio = _decode(blob)
        if audio is None:
            _remove(path)
            self.stats.misses += 1
            return None
        try:
            os.utime(path)  # most recently used
        except OSError:
            pass
        self.stats.hits += 1
        return audio

    def put(self, job: SpeechJob, audio) -> None:
        """Store `audio` (a 16-bit mono AudioSegment) for `job`.  A full or
        read-only disk leaves the cache as it was and the build going."""
        path = self.path(job)
        try:
            blob = _encode(audio)
            try:
                handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".partial")
            except FileNotFoundError:
                path.parent.mkdir(parents=True, exist_ok=True)
                handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".partial")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(blob)
                os.replace(temporary, path)
            except BaseException:
                _remove(Path(temporary))
                raise
        except OSError:
            return
        self.stats.written += 1
        self.stats.written_bytes += len(blob)
        self._since_trim += len(blob)
        if self._since_trim > self.limit_bytes // 20:
            self.trim()

    # ---------------------------------------------------------------- the whole cache

    def entries(self) -> list[tuple[float, int, Path]]:
        """(last used, size, path) of every entry, oldest first."""
        found = []
        try:
            shards = list(os.scandir(self.folder))
        except OSError:
            return []
        for shard in shards:
            try:
                files = list(os.scandir(shard.path)) if shard.is_dir() else []
            except OSError:
                continue
            for entry in files:
                try:
                    info = entry.stat()
                except OSError:
                    continue
                found.append((info.st_mtime, info.st_size, Path(entry.path)))
        found.sort()
        return found

    def size(self) -> int:
        return sum(size for _time, size, _path in self.entries())

    def trim(self) -> int:
        """Remove least recently used entries until at most 90% of the limit is
        used (and stale temporary files of builds that died); bytes freed."""
        self._since_trim = 0
        entries = self.entries()
        total = sum(size for _t, size, _p in entries)
        freed = 0
        stale = time.time() - 3600
        for used, size, path in entries:
            partial = path.name.endswith(".partial")
            if not partial and total - freed <= self.limit_bytes * 0.9:
                continue
            if partial and used > stale:
                continue  # another build may be writing it
            if _remove(path):
                freed += size
                self.stats.evicted += not partial
        return freed

    def clear(self) -> tuple[int, int]:
        """Remove every entry, of this format and of older ones; (entries, bytes) freed."""
        count = freed = 0
        try:
            formats = [Path(e.path) for e in os.scandir(self.root) if e.is_dir() and e.name.startswith("speech-")]
        except OSError:
            return 0, 0
        for folder in formats:
            for parent, _dirs, files in os.walk(folder, topdown=False):
                for name in files:
                    path = Path(parent) / name
                    try:
                        size = path.stat().st_size
                    except OSError:
                        continue
                    if _remove(path):
                        count += not name.endswith(".partial")
                        freed += size
                try:
                    os.rmdir(parent)
                except OSError:
                    pass
        return count, freed


def render_through(engine, cache: Optional[SpeechCache], jobs: Sequence[SpeechJob]) -> list:
    """One AudioSegment per job, in order: hits from `cache`, the misses
    rendered in one `engine.render_many` call and stored.  With no cache,
    just `engine.render_many`.  The audio is the same either way."""
    if cache is None:
        return list(engine.render_many(jobs))
    out: list = [cache.get(job) for job in jobs]
    missing = [i for i, audio in enumerate(out) if audio is None]
    if missing:
        rendered = engine.render_many([jobs[i] for i in missing])
        for i, audio in zip(missing, rendered):
            cache.put(jobs[i], audio)
            out[i] = audio
    return out


def _encode(audio) -> bytes:
    import numpy as np
    import soundfile

    if audio.sample_width != 2 or audio.channels != 1:
        raise ValueError("the speech cache holds 16-bit mono audio")
    pcm = audio.raw_data
    buffer = io.BytesIO()
    samples = np.frombuffer(pcm, dtype="<i2")
    if len(samples):
        soundfile.write(buffer, samples, audio.frame_rate, format="FLAC", subtype="PCM_16",
                        compression_level=FLAC_LEVEL)
    header = _HEADER.pack(_MAGIC, len(samples), audio.frame_rate, hashlib.sha256(pcm).digest())
    return header + buffer.getvalue()


def _decode(blob: bytes):
    """The AudioSegment in an entry, or None if the entry is not whole and right."""
    try:
        import soundfile
        from pydub import AudioSegment

        magic, count, rate, digest = _HEADER.unpack_from(blob)
        if magic != _MAGIC:
            return None
        pcm = b""
        if count:
            samples, _rate = soundfile.read(io.BytesIO(blob[_HEADER.size:]), dtype="<i2", always_2d=False)
            pcm = samples.tobytes()
        if len(pcm) != 2 * count or hashlib.sha256(pcm).digest() != digest:
            return None
        return AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=1)
    except Exception:  # struct.error, soundfile's LibsndfileError, anything a broken file raises
        return None


def _remove(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except OSError:
        return False
