"""Assembly: rendered speech in reading order -> one chapter's audio.

Each piece is trimmed of the engine's own leading and trailing silence (never
into low sound: only what stays under SILENCE_DBFS goes), given short fades at
both seams, brought to the book's loudness by its voice's gain, and held under
the true-peak ceiling by a look-ahead limiter.  Pieces are then joined by
pauses whose length depends on the boundary between them (see `pause_ms`),
and the chapter gets the profile's room tone at head and tail.

Loudness is set per voice, not per piece: `Piece.gain_db` comes from the
voice's measured loudness (`audiobook.audio.loudness.voice_gain`), so a
voice keeps its natural sentence-to-sentence variation, every voice sits at
one loudness, and a chapter's audio depends on nothing outside the chapter.

Audio is handled as values (pydub in and out, numpy inside): nothing here
writes a file, and everything is deterministic.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping, Optional

import numpy as np
from pydub import AudioSegment

from audiobook.audio import loudness
from audiobook.audio.profiles import DEFAULT, Profile
from audiobook.model import ChapterAudio, Cue, SpeechJob, Voice

SAMPLE_RATE = 22050  # the engine's own rate; the export resamples to the profile's
HEAD_MS = DEFAULT.head_ms
TAIL_MS = DEFAULT.tail_ms
CEILING_DBTP = -4.3  # true-peak ceiling before encoding (the MP3 encoder adds up to ~1 dB)
WINDOW_DBFS = (-21.5, -18.7)  # a chapter's RMS is kept inside this (the check allows -23..-18; encoding moves it a few tenths)
SILENCE_DBFS = -70.0  # a 5 ms window under this is silence the trim may remove
TRIM_MARGIN_MS = 10  # near-silence kept beyond the last (and before the first) sound
FADE_IN_MS = 5
FADE_OUT_MS = 15
VARIATION = 0.12  # a pause grows by up to this fraction with the length of what came before
LONG_MS = 6000  # ... reached after a piece this long (a short one gets the pause as set)

GAPS = ("none", "clause", "dialogue_tag", "sentence", "paragraph", "speaker_change", "scene_break",
        "chapter_title")
# A change of speaker adds its pause on top of these boundaries (not on top of a
# dialogue tag, which stays a comma's breath, nor of a scene break or the title).
_SPEAKER_ADDS_TO = ("sentence", "paragraph")
_DASH = re.compile(r"(?:—|–|--)[\"'”’)\]]*\s*$")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)[\"'”’)\]]*\s*$")


@dataclass
class Piece:
    """One rendered utterance and what separates it from the one before."""

    audio: AudioSegment
    speaker: str
    text: str
    gap: str = "paragraph"  # one of GAPS
    gain_db: float = 0.0  # the voice's gain to the book's loudness


def pause_ms(gap: str, pauses: Mapping[str, int], previous_ms: int, previous_text: str = "",
             speaker_changed: bool = False) -> int:
    """The pause before a piece: the `gap` kind's length from `pauses`, plus
    the speaker change where one adds, at least the pause a dash or an
    ellipsis ending the previous piece asks for, all lengthened a little
    (up to VARIATION) with the length of the previous piece: a long sentence
    is followed by a slightly longer breath.  Deterministic; never shorter
    than `pauses` sets."""
    base = pauses.get(gap, 0)
    if speaker_changed and gap in _SPEAKER_ADDS_TO:
        base += pauses.get("speaker_change", 0)
    if gap not in ("scene_break", "chapter_title"):
        if _ELLIPSIS.search(previous_text):
            base = max(base, pauses.get("ellipsis", 0))
        elif _DASH.search(previous_text):
            base = max(base, pauses.get("dash", 0))
    scale = 1 + VARIATION * min(max(previous_ms, 0), LONG_MS) / LONG_MS
    return round(base * scale)


def assemble_chapter(index: int, title: str, pieces: Iterable[Piece], pauses: Mapping[str, int],
                     profile: Profile = DEFAULT) -> ChapterAudio:
    """Join `pieces` into the chapter's audio with cues for each piece.

    `pauses` maps a gap kind (and ``speaker_change``, ``dash``,
    ``ellipsis``) to milliseconds; missing kinds are 0.  The chapter opens
    with the profile's head room tone and ends with its tail.  Joined once
    at the end, so assembly stays linear in the chapter's length.
    """
    track = _Track()
    track.silence(profile.head_ms)
    cues: list[Cue] = []
    previous: Optional[Piece] = None
    previous_ms = 0
    for piece in pieces:
        if previous is not None:
            track.silence(pause_ms(piece.gap, pauses, previous_ms, previous.text,
                                   piece.speaker != previous.speaker))
        start = track.ms
        samples = prepare(piece)
        track.add(samples)
        cues.append(Cue(start, track.ms, piece.speaker, piece.text))
        previous, previous_ms = piece, track.ms - start
    track.silence(profile.tail_ms)
    chapter = into_window(ChapterAudio(index=index, title=title, audio=track.audio(), cues=cues))
    if profile.room_tone_dbfs is not None:
        chapter = replace(chapter, audio=with_room_tone(chapter.audio, profile.room_tone_dbfs))
    return chapter


def voice_gain(render: Callable[[SpeechJob], AudioSegment], voice: Voice) -> float:
    """The gain (dB) that brings `voice` to the book's loudness, measured on
    the calibration passage as `render` (an engine's) speaks it; once per
    voice setting and process."""
    return loudness.voice_gain(lambda text: (to_array(_uniform(render(SpeechJob(text, voice)))), SAMPLE_RATE),
                               voice, CEILING_DBTP)


def prepare(piece: Piece) -> np.ndarray:
    """A piece's samples (float, -1..1) trimmed, faded, at its voice's gain, limited."""
    samples = trim(to_array(_uniform(piece.audio)))
    samples = fade(samples) * 10 ** (piece.gain_db / 20)
    return loudness.limit(samples, CEILING_DBTP, SAMPLE_RATE)


def trim(samples: np.ndarray, rate: int = SAMPLE_RATE) -> np.ndarray:
    """`samples` without the silence before the first and after the last
    5 ms window louder than SILENCE_DBFS, keeping TRIM_MARGIN_MS of that
    silence on each side so no low sound (a breath, a final consonant's
    decay) is cut.  Audio that is silent throughout gives a few ms of it."""
    window = rate * 5 // 1000
    frames = samples.size // window
    if frames == 0:
        return samples
    power = np.mean(np.square(samples[:frames * window].reshape(frames, window)), axis=1)
    loud = np.flatnonzero(power > 10 ** (SILENCE_DBFS / 10))
    if loud.size == 0:
        return samples[:window]
    margin = rate * TRIM_MARGIN_MS // 1000
    start = max(0, loud[0] * window - margin)
    end = min(samples.size, (loud[-1] + 1) * window + margin)
    return samples[start:end]


def fade(samples: np.ndarray, rate: int = SAMPLE_RATE) -> np.ndarray:
    """Raised-cosine fades over the first FADE_IN_MS after the first sample
    louder than SILENCE_DBFS and the last FADE_OUT_MS before the last one:
    speech is eased in and out instead of starting or stopping on a
    full-level sample.  What lies outside (under the threshold) is kept."""
    out = samples.astype(np.float64, copy=True)
    sound = np.flatnonzero(np.abs(out) > 10 ** (SILENCE_DBFS / 20))
    if sound.size == 0:
        return out
    onset, offset = int(sound[0]), int(sound[-1]) + 1
    span = offset - onset
    for length_ms, at_start in ((FADE_IN_MS, True), (FADE_OUT_MS, False)):
        n = min(span // 2, rate * length_ms // 1000)
        if n <= 0:
            continue
        ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, math.pi, n + 2)[1:-1])
        if at_start:
            out[onset:onset + n] *= ramp
        else:
            out[offset - n:offset] *= ramp[::-1]
    return out


def into_window(chapter: ChapterAudio, window: tuple[float, float] = WINDOW_DBFS) -> ChapterAudio:
    """The chapter moved as a whole into the RMS window, if it falls outside
    (a chapter of a few words, or of long pauses); otherwise unchanged.

    One gain for the whole chapter keeps its voices level with each other.
    """
    level = _pcm_rms_db(chapter.audio.raw_data)  # without a float copy of the chapter: memory stays flat
    if level <= loudness.SILENT_DB or window[0] <= level <= window[1]:
        return chapter
    samples = to_array(chapter.audio)
    target = window[0] + 0.3 if level < window[0] else window[1] - 0.3
    moved = samples
    gain = target - level
    for _round in range(4):  # the limiter takes back some of a raise: measure again
        moved = loudness.limit(samples * 10 ** (gain / 20), CEILING_DBTP, chapter.audio.frame_rate)
        reached = loudness.rms_db(moved)
        if window[0] <= reached <= window[1]:
            break
        gain += target - reached
    return replace(chapter, audio=from_array(moved, chapter.audio.frame_rate))


def split_parts(chapter: ChapterAudio, profile: Profile) -> list[ChapterAudio]:
    """The chapter as one or more parts no longer than the profile allows
    (``max_minutes``), cut in the longest pause near each even division,
    each part with the profile's head and tail room tone.  A chapter short
    enough, or a profile without a limit, gives the chapter itself."""
    if not profile.max_minutes:
        return [chapter]
    return split_at_pauses(chapter, profile.max_minutes * 60_000, profile.head_ms, profile.tail_ms)


def split_at_pauses(chapter: ChapterAudio, max_ms: int, head_ms: int, tail_ms: int) -> list[ChapterAudio]:
    """`split_parts` with the limit in milliseconds (a pure function: the
    chapter's audio and cues in, the parts' out)."""
    audio, cues = chapter.audio, chapter.cues
    if len(audio) <= max_ms or len(cues) < 2:
        return [chapter]
    room = max_ms - head_ms - tail_ms
    count = math.ceil((cues[-1].end_ms - cues[0].start_ms) / room)
    while True:
        cuts = _cuts(cues, count, room) if count < len(cues) else list(range(1, len(cues)))
        if cuts is not None:
            break  # (a single cue longer than a part is a part of its own)
        count += 1
    bounds = [0, *cuts, len(cues)]
    parts = []
    for number, (first, last) in enumerate(zip(bounds, bounds[1:]), start=1):
        start, end = cues[first].start_ms, cues[last - 1].end_ms
        part_audio = _silence(head_ms, audio) + audio[start:end] + _silence(tail_ms, audio)
        shift = head_ms - start
        part_cues = [Cue(c.start_ms + shift, c.end_ms + shift, c.speaker, c.text) for c in cues[first:last]]
        parts.append(ChapterAudio(index=chapter.index, title=f"{chapter.title} (part {number} of "
                                  f"{len(bounds) - 1})", audio=part_audio, cues=part_cues))
    return parts


def _cuts(cues: list[Cue], count: int, room: int) -> Optional[list[int]]:
    """Indices of the cues that open parts 2..count: near each even division
    of the speech (within a quarter of a part), the longest pause that keeps
    the part before it within `room`; None when no such cut exists or the
    last part would be too long."""
    begin, finish = cues[0].start_ms, cues[-1].end_ms
    length = (finish - begin) / count
    cuts: list[int] = []
    first = 0
    for k in range(1, count):
        target = begin + k * length
        fits = [i for i in range(first + 1, len(cues)) if cues[i - 1].end_ms - cues[first].start_ms <= room]
        near = [i for i in fits if abs(cues[i].start_ms - target) <= length / 4]
        if not fits:
            return None
        best = max(near or fits[-1:], key=lambda i: (cues[i].start_ms - cues[i - 1].end_ms, -i))
        cuts.append(best)
        first = best
    if cues[-1].end_ms - cues[first].start_ms > room:
        return None
    return cuts


# --------------------------------------------------------------------------- room tone

ROOM_TONE_S = 10  # the length of the room-tone loop


def with_room_tone(audio: AudioSegment, level_dbfs: float) -> AudioSegment:
    """`audio` (mono 16-bit) with a faint steady noise at `level_dbfs` RMS
    under all of it: what a quiet room sounds like, instead of digital
    silence between the words.  The noise is a fixed loop, the same in every
    chapter and on every run."""
    samples = np.frombuffer(audio.raw_data, dtype="<i2").astype(np.int32)
    loop = _room_tone_loop(audio.frame_rate, level_dbfs)
    noise = np.resize(loop, samples.size)
    mixed = np.clip(samples + noise, -32768, 32767).astype("<i2")
    return audio._spawn(mixed.tobytes())


@functools.lru_cache(maxsize=4)
def _room_tone_loop(rate: int, level_dbfs: float) -> np.ndarray:
    """ROOM_TONE_S of seeded noise, falling 3 dB an octave (pink, like a room
    rather than a hiss), shaped in the frequency domain so the loop joins
    itself without a seam; integer samples at `level_dbfs` RMS."""
    size = rate * ROOM_TONE_S
    spectrum = np.fft.rfft(np.random.default_rng(1770).standard_normal(size))
    freqs = np.fft.rfftfreq(size, 1 / rate)
    spectrum *= 1 / np.sqrt(np.maximum(freqs, 20.0))
    spectrum[freqs < 20] = 0
    noise = np.fft.irfft(spectrum, size)
    noise *= 10 ** (level_dbfs / 20) / np.sqrt(np.mean(noise ** 2)) * 32768
    return np.rint(noise).astype(np.int32)


# --------------------------------------------------------------------------- samples

def _silence(ms: int, like: AudioSegment) -> AudioSegment:
    return (AudioSegment.silent(duration=ms, frame_rate=like.frame_rate)
            .set_sample_width(like.sample_width).set_channels(like.channels))


def _pcm_rms_db(raw: bytes, chunk: int = 1 << 20) -> float:
    """`loudness.rms_db` of 16-bit PCM, summed a chunk at a time."""
    pcm = np.frombuffer(raw, dtype="<i2")
    if pcm.size == 0:
        return loudness.SILENT_DB
    total = 0.0
    for start in range(0, pcm.size, chunk):
        part = pcm[start:start + chunk].astype(np.float64)
        total += float(np.dot(part, part))
    return loudness.db(math.sqrt(total / pcm.size) / 32768.0)


def to_array(audio: AudioSegment) -> np.ndarray:
    """A mono 16-bit AudioSegment as float samples in -1..1."""
    return np.frombuffer(audio.raw_data, dtype="<i2").astype(np.float64) / 32768.0


def from_array(samples: np.ndarray, rate: int = SAMPLE_RATE) -> AudioSegment:
    return AudioSegment(data=_pcm(samples), sample_width=2, frame_rate=rate, channels=1)


def _pcm(samples: np.ndarray) -> bytes:
    """Float samples as 16-bit little-endian PCM, rounded (deterministic, no dither)."""
    return np.clip(np.rint(samples * 32768.0), -32768, 32767).astype("<i2").tobytes()


class _Track:
    """Mono 16-bit samples gathered in a list and joined once."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._frames = 0

    @property
    def ms(self) -> int:
        return self._frames * 1000 // SAMPLE_RATE

    def add(self, samples: np.ndarray) -> None:
        self._parts.append(_pcm(samples))
        self._frames += samples.size

    def silence(self, ms: int) -> None:
        frames = SAMPLE_RATE * ms // 1000
        self._parts.append(bytes(2 * frames))
        self._frames += frames

    def audio(self) -> AudioSegment:
        return AudioSegment(data=b"".join(self._parts), sample_width=2, frame_rate=SAMPLE_RATE, channels=1)


def _uniform(audio: AudioSegment) -> AudioSegment:
    """Mono, 16-bit, at the book's sample rate."""
    if audio.channels != 1:
        audio = audio.set_channels(1)
    if audio.sample_width != 2:
        audio = audio.set_sample_width(2)
    if audio.frame_rate != SAMPLE_RATE:
        audio = audio.set_frame_rate(SAMPLE_RATE)
    return audio
