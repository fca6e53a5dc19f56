"""Speech synthesis: one `SpeechJob` (text + voice settings) in, audio out.

Each job is independent of every other, so a cache or a pool of worker
processes can sit on top of `Engine.render` without changing it.

pyttsx3 2.99's eSpeak driver has traps this module works around:

* property changes queued while the driver is busy are applied inside the
  next ``runAndWait``; queued together with a long ``save_to_file`` they can
  make it write nothing, and ``runAndWait`` can return before the file is
  written.  So settings are applied only while the driver is idle, read back,
  and every WAV is awaited (the ``finished-utterance`` event) and checked;
* an unknown voice id silently keeps the previous voice, so ids are checked
  against the engine's list (plus eSpeak variants) before any work;
* the driver prints ``Audio saved to ...`` for every file: that output is
  swallowed here so it never reaches the terminal or JSON output.
"""
from __future__ import annotations

import atexit
import contextlib
import io
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from audiobook.audio.runtime import prepare_audio, prepare_espeak
from audiobook.audio.voices import Variant, read_variants
from audiobook.audio.voices import resolve as resolve_voice_id
from audiobook.errors import EngineError
from audiobook.model import SpeechJob, Voice

RATE_RANGE = (80, 450)  # words per minute eSpeak accepts usefully
PITCH_RANGE = (0, 100)
VOLUME_RANGE = (0.0, 1.0)

# eSpeak's voice variants, used when its data folder cannot be listed.
STANDARD_VARIANTS = (
    "m1 m2 m3 m4 m5 m6 m7 m8 f1 f2 f3 f4 f5 croak whisper whisperf klatt klatt2 klatt3 klatt4"
).split()


@dataclass(frozen=True)
class EngineVoice:
    """A voice the engine offers."""

    id: str
    name: str
    gender: str
    languages: tuple[str, ...]


class _Driver:
    """The process's one pyttsx3 engine and the state its driver keeps.

    pyttsx3 hands every ``init`` the same cached driver, and that driver
    remembers its last text and file and speaks them again on the next
    ``runAndWait``.  So there is one of these per process, with one scratch
    folder that lives as long as the process.
    """

    _shared: Optional["_Driver"] = None

    def __init__(self) -> None:
        prepare_espeak()
        prepare_audio()
        import pyttsx3

        driver = "espeak" if sys.platform.startswith("linux") else None
        try:
            self.tts = pyttsx3.init(driver)
        except Exception as err:  # pyttsx3 raises bare RuntimeErrors and OSErrors
            raise EngineError(f"could not start the speech engine: {err}") from err
        self.current: Optional[str] = None  # the voice id selected
        self.finished = threading.Event()
        self.tts.connect("finished-utterance", lambda name, completed: self.finished.set())
        _let_espeak_read_phonemes()
        self.scratch = Path(tempfile.mkdtemp(prefix="audiobook-"))
        atexit.register(shutil.rmtree, self.scratch, ignore_errors=True)
        with _quiet():
            self.tts.runAndWait()  # leaves the driver idle, so settings apply at once

    @classmethod
    def shared(cls) -> "_Driver":
        if cls._shared is None:
            cls._shared = cls()
        return cls._shared


class Engine:
    """Renders speech jobs to WAV files and AudioSegments with pyttsx3.

    Engines are cheap: all of them in a process share one pyttsx3 driver.
    """

    def __init__(self) -> None:
        self._driver = _Driver.shared()
        self._tts = self._driver.tts
        self._voices: Optional[list[EngineVoice]] = None

    def close(self) -> None:
        """Nothing to release: the shared driver lives as long as the process."""

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ voices

    def voices(self) -> list[EngineVoice]:
        """The engine's voices, as it lists them."""
        if self._voices is None:
            self._voices = [
                EngineVoice(
                    id=str(v.id),
                    name=str(v.name or v.id),
                    gender=str(v.gender or "unknown").lower(),
                    languages=tuple(str(lang) for lang in (v.languages or [])),
                )
                for v in self._tts.getProperty("voices")
            ]
        return self._voices

    def variants(self) -> list[str]:
        """eSpeak voice variants (``m3``, ``f2``, ``croak`` ...) usable as ``VOICE+VARIANT``."""
        return [v.name for v in self.variant_list()]

    def variant_list(self) -> list[Variant]:
        """The variants with the gender each declares."""
        return read_variants(_espeak_data_dir() / "voices" / "!v")

    def resolve(self, voice_id: str) -> str:
        """The engine's own id for `voice_id`, or raise ValueError saying why not.

        Accepted: every form `audiobook voices` prints (see `audio.voices`),
        optionally followed by ``+VARIANT``.  Resolving up front matters: the
        engine silently keeps the previous voice when it is given one it
        does not know.
        """
        return resolve_voice_id(voice_id, self.voices(), self.variant_list())

    # ------------------------------------------------------------------ speech

    def render_to_file(self, job: SpeechJob, path: Path) -> Path:
        """Synthesise `job` into the WAV file `path` and return it.

        The voice must be an engine id as `resolve` returns it.
        """
        for _attempt in range(3):
            path.unlink(missing_ok=True)
            self._apply(job.voice)
            self._driver.finished.clear()
            with _quiet():
                self._tts.save_to_file(_with_settings(job), str(path))
                self._tts.runAndWait()
            self._driver.finished.wait(timeout=30 + len(job.text) / 10)
            self._wait_idle()
            if path.exists() and path.stat().st_size > 44:
                return path
        raise EngineError(f"the speech engine wrote no audio for {job.text[:40]!r}")

    def render(self, job: SpeechJob):
        """Synthesise `job` and return it as a pydub AudioSegment."""
        from pydub import AudioSegment

        path = self._driver.scratch / "segment.wav"
        self.render_to_file(job, path)
        return AudioSegment.from_wav(str(path))

    def _apply(self, voice: Voice) -> None:
        """Select the voice while the driver is idle, and check it took.

        With the driver idle, pyttsx3 runs ``setProperty`` at once instead of
        queueing it with the next utterance (queued together with a long
        ``save_to_file`` it can make the driver write nothing).  A
        ``runAndWait`` of its own is no cure: the driver would speak its
        previous text again.  Rate, pitch and volume are not set here: see
        `_with_settings`.
        """
        if voice.id == self._driver.current:
            return
        self._wait_idle()
        self._tts.setProperty("voice", voice.id)
        actual = str(self._tts.getProperty("voice") or "")
        if actual.lower() != voice.id.lower():
            self._driver.current = None
            raise EngineError(f"the speech engine did not take voice {voice.id!r} (it has {actual!r})")
        self._driver.current = voice.id

    def _wait_idle(self, timeout: float = 30.0) -> None:
        """Wait until the driver has finished its last utterance."""
        deadline = time.monotonic() + timeout
        while self._tts.isBusy() and time.monotonic() < deadline:
            time.sleep(0.001)


def _let_espeak_read_phonemes() -> None:
    """Have eSpeak read ``[[...]]`` in the text as phonemes (lexicon entries).

    pyttsx3's eSpeak driver synthesises with the flags ``ENDPAUSE |
    CHARS_UTF8`` read from its ``_espeak`` module at each call; adding
    eSpeak's PHONEMES flag to the first turns phoneme input on and changes
    nothing else.  Other drivers are left alone.
    """
    try:
        from pyttsx3.drivers import _espeak
    except (ImportError, RuntimeError):
        return
    if hasattr(_espeak, "PHONEMES") and hasattr(_espeak, "ENDPAUSE"):
        _espeak.ENDPAUSE |= _espeak.PHONEMES


def _with_settings(job: SpeechJob) -> str:
    """The job's text led by eSpeak's embedded commands for speed, pitch and
    amplitude.

    Set through pyttsx3, these go to eSpeak's asynchronous command queue,
    and a measured one in three is lost when the voice changes between
    utterances; embedded in the text they travel with it and always apply.
    """
    voice = job.voice
    amplitude = round(100 * voice.volume)
    return f"\x01{int(voice.rate)}S\x01{int(voice.pitch)}P\x01{amplitude}A{job.text}"


@contextlib.contextmanager
def _quiet():
    """Swallow what pyttsx3 prints (``Audio saved to ...``)."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def _espeak_data_dir() -> Path:
    configured = os.environ.get("ESPEAK_DATA_PATH")
    if configured:
        return Path(configured)
    for candidate in ("/usr/lib/x86_64-linux-gnu/espeak-ng-data", "/usr/share/espeak-ng-data",
                      "/usr/lib/aarch64-linux-gnu/espeak-ng-data", "/usr/local/share/espeak-ng-data"):
        if Path(candidate).is_dir():
            return Path(candidate)
    return Path("espeak-ng-data")
