"""Speech synthesis: one `SpeechJob` (text + voice settings) in, audio out.

Each job is a pure function of itself: the same job gives the same samples
whatever was rendered before it, in this process or any other, so a cache
or a pool of worker processes can sit on top of `Engine.render` and
`Engine.render_many` without changing a sample of the book.

Speed: pyttsx3 starts eSpeak NG and selects voices; `audiobook.audio.espeak`
then runs eSpeak synchronously and keeps the samples in memory, instead of
pyttsx3's loop (a 10 ms sleep per turn) and its WAV file per utterance.

Safety: the text eSpeak is given is cleaned and split by
`audiobook.audio.utterances` (no control characters, so no embedded
command from the text; phonemes only in balanced ``[[...]]``; pieces of at
most `utterances.MAX_CHARS` characters).  Rate, pitch and volume travel as
eSpeak's embedded commands in front of each piece: set through pyttsx3, a
measured one in three was lost when the voice changed between utterances.

An unknown voice id silently keeps the previous voice in eSpeak, so ids are
checked against the engine's list (plus eSpeak variants) before any work.
"""
from __future__ import annotations

import os
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from audiobook.audio import utterances
from audiobook.audio.espeak import Espeak, library_version
from audiobook.audio.runtime import prepare_audio
from audiobook.audio.voices import Variant, read_variants
from audiobook.audio.voices import resolve as resolve_voice_id
from audiobook.model import SpeechJob, Voice

RATE_RANGE = (80, 450)  # words per minute eSpeak accepts usefully
PITCH_RANGE = (0, 100)
VOLUME_RANGE = (0.0, 1.0)

# Bump when a change here changes the samples a job gives (cache entries made before are then unused).
SYNTHESIS_VERSION = 3

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


class Engine:
    """Renders speech jobs to AudioSegments (and WAV files) with pyttsx3's eSpeak NG.

    Engines are cheap: all of them in a process share its one eSpeak.
    """

    def __init__(self) -> None:
        self._espeak = Espeak.shared()
        self._tts = self._espeak.tts
        self._voices: Optional[list[EngineVoice]] = None
        self._variants: Optional[list[Variant]] = None
        self._resolved: dict[str, str] = {}  # voice id -> engine id
        prepare_audio()

    @property
    def version(self) -> str:
        """What the samples depend on besides the job: eSpeak NG's version and this module's."""
        return engine_version()

    @property
    def deterministic(self) -> bool:
        """True when every job gives the same samples in any process, whatever came before it
        (the eSpeak build's hidden state is known and reset before each utterance)."""
        return self._espeak.hidden.complete

    @property
    def sample_rate(self) -> int:
        return self._espeak.sample_rate

    def close(self) -> None:
        """Nothing to release: the shared eSpeak lives as long as the process."""

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
        """The variants with the gender each declares (read once)."""
        if self._variants is None:
            self._variants = read_variants(_espeak_data_dir() / "voices" / "!v")
        return list(self._variants)

    def resolve(self, voice_id: str) -> str:
        """The engine's own id for `voice_id`, or raise ValueError saying why not.

        Accepted: every form `audiobook voices` prints (see `audio.voices`),
        optionally followed by ``+VARIANT``.  Resolving up front matters: the
        engine silently keeps the previous voice when it is given one it
        does not know.
        """
        if voice_id not in self._resolved:  # a cast of a hundred characters asks a few hundred times
            self._resolved[voice_id] = resolve_voice_id(voice_id, self.voices(), self.variant_list())
        return self._resolved[voice_id]

    # ------------------------------------------------------------------ speech

    def render(self, job: SpeechJob):
        """Synthesise `job` and return it as a pydub AudioSegment (16-bit mono)."""
        return self.render_many([job])[0]

    def render_many(self, jobs: Sequence[SpeechJob]) -> list:
        """One AudioSegment per job, in order; each is sample for sample what
        `render` gives for that job alone.

        Every job (every piece of a long one) is one eSpeak call from a reset
        state, with the voice selected once for a run of jobs in one voice.
        One call for a whole run, with marks between sentences, would save
        under a millisecond a sentence but make each sentence's samples depend
        on its neighbours, and so on how a book is cut into batches, workers
        and cache hits.
        """
        from pydub import AudioSegment

        out = []
        for job in jobs:
            pcm = b"".join(self._synth(job))
            out.append(AudioSegment(data=pcm, sample_width=2, frame_rate=self.sample_rate, channels=1))
        return out

    def render_pcm(self, job: SpeechJob) -> bytes:
        """`job`'s 16-bit little-endian mono samples at `sample_rate`."""
        return b"".join(self._synth(job))

    def render_to_file(self, job: SpeechJob, path: Path) -> Path:
        """Synthesise `job` into the WAV file `path` and return it."""
        pcm = self.render_pcm(job)
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(self.sample_rate)
            out.writeframes(pcm)
        return path

    def _synth(self, job: SpeechJob) -> list[bytes]:
        self._espeak.select(job.voice.id)
        settings = _settings(job.voice)
        return [self._espeak.synth(settings + piece) for piece in utterances.pieces(job.text)]


def engine_version() -> str:
    """What a job's samples depend on besides the job, for cache keys:
    libespeak-ng's version and `SYNTHESIS_VERSION` (the engine need not be running)."""
    return f"espeak-ng {library_version()}; synthesis {SYNTHESIS_VERSION}"


def _settings(voice: Voice) -> str:
    """eSpeak's embedded commands for speed, pitch and amplitude, to lead a piece of text.

    Set through pyttsx3, these go to eSpeak's asynchronous command queue, and
    a measured one in three was lost when the voice changed between
    utterances; embedded in the text they travel with it and always apply.
    Values are clamped to what eSpeak reads usefully.
    """
    rate = _clamp(int(voice.rate), 10, 1000)
    pitch = _clamp(int(voice.pitch), *PITCH_RANGE)
    amplitude = _clamp(round(100 * float(voice.volume)), 0, 200)
    return f"\x01{rate}S\x01{pitch}P\x01{amplitude}A"


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _espeak_data_dir() -> Path:
    configured = os.environ.get("ESPEAK_DATA_PATH")
    if configured:
        return Path(configured)
    for candidate in ("/usr/lib/x86_64-linux-gnu/espeak-ng-data", "/usr/share/espeak-ng-data",
                      "/usr/lib/aarch64-linux-gnu/espeak-ng-data", "/usr/local/share/espeak-ng-data"):
        if Path(candidate).is_dir():
            return Path(candidate)
    return Path("espeak-ng-data")
