"""Assembly: rendered speech in reading order -> one chapter's audio.

Pieces are joined with pauses whose lengths depend on what separates them
(a new sentence, paragraph or speaker, a scene break, the chapter title), each
piece's trailing engine silence is trimmed so the configured pause is what the
listener hears, voices are brought to one loudness, and the chapter gets a
short room tone at head and tail.  Audio is handled as pydub values: nothing
here writes a file.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from pydub import AudioSegment
from pydub.silence import detect_leading_silence

from audiobook.model import ChapterAudio, Cue

HEAD_MS = 600
TAIL_MS = 1200
TARGET_DBFS = -19.0  # mean loudness every piece is brought to
PEAK_CEILING_DBFS = -1.0
SILENCE_DBFS = -50.0
SAMPLE_RATE = 22050

GAPS = ("none", "sentence", "paragraph", "speaker_change", "scene_break", "chapter_title")


@dataclass
class Piece:
    """One rendered utterance and what separates it from the one before."""

    audio: AudioSegment
    speaker: str
    text: str
    gap: str = "paragraph"  # one of GAPS


def trim(audio: AudioSegment) -> AudioSegment:
    """`audio` without leading and trailing silence (keeps at least a few ms)."""
    lead = detect_leading_silence(audio, silence_threshold=SILENCE_DBFS, chunk_size=5)
    tail = detect_leading_silence(audio.reverse(), silence_threshold=SILENCE_DBFS, chunk_size=5)
    end = max(lead + 5, len(audio) - tail)
    return audio[lead:end]


def level(audio: AudioSegment) -> AudioSegment:
    """`audio` at the target loudness, without letting peaks clip."""
    if audio.dBFS == float("-inf"):
        return audio
    gain = TARGET_DBFS - audio.dBFS
    gain = min(gain, PEAK_CEILING_DBFS - audio.max_dBFS)
    return audio.apply_gain(gain)


def assemble_chapter(index: int, title: str, pieces: Iterable[Piece],
                     pauses: Mapping[str, int]) -> ChapterAudio:
    """Join `pieces` into the chapter's audio with cues for each piece.

    `pauses` maps a gap kind to milliseconds (missing kinds are 0).  Pauses
    are silences of that length placed between pieces; a speaker change adds
    its pause on top of the paragraph or sentence pause.  The chapter is
    joined once at the end, so assembly stays linear in the chapter's length.
    """
    track = _Track()
    track.silence(HEAD_MS)
    cues: list[Cue] = []
    previous_speaker = None
    for number, piece in enumerate(pieces):
        if number:
            gap = pauses.get(piece.gap, 0)
            if piece.speaker != previous_speaker and piece.gap not in ("scene_break", "chapter_title"):
                gap += pauses.get("speaker_change", 0)
            track.silence(gap)
        start = track.ms
        track.add(level(trim(_uniform(piece.audio))))
        cues.append(Cue(start, track.ms, piece.speaker, piece.text))
        previous_speaker = piece.speaker
    track.silence(TAIL_MS)
    return ChapterAudio(index=index, title=title, audio=track.audio(), cues=cues)


class _Track:
    """Raw mono 16-bit samples gathered in a list and joined once."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._frames = 0

    @property
    def ms(self) -> int:
        return self._frames * 1000 // SAMPLE_RATE

    def add(self, audio: AudioSegment) -> None:
        self._parts.append(audio.raw_data)
        self._frames += len(audio.raw_data) // 2

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
