"""Output profiles: the sample rate, bitrate and room tone a build aims at.

A profile is a plain value the assembly, export and check stages read; it
never does any work itself.

* ``default``: small speech-grade mono at the engine's own 22,050 Hz,
  64 kbps MP3 (AAC in the m4b).
* ``acx``: what audiobook retailers ask for: 44.1 kHz, 192 kbps constant
  bitrate MP3, 0.5-1 s of room tone at the head and 1-5 s at the tail, no
  file longer than 120 minutes (a longer chapter is split into parts), and
  room tone that is a quiet room's (a faint steady noise at -72 dBFS, well
  under ACX's -60 dB noise floor) rather than digital silence.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from audiobook.errors import UserError


@dataclass(frozen=True)
class Profile:
    name: str
    sample_rate: int  # Hz of every encoded file
    bitrate: str  # ffmpeg bitrate of speech, mono
    cbr: bool  # constant bitrate (ACX) rather than the encoder's default
    head_ms: int  # room tone before a file's first words
    tail_ms: int  # room tone after its last
    max_minutes: Optional[int] = None  # a chapter longer than this is split into parts
    room_tone_dbfs: Optional[float] = None  # a faint steady noise under everything (None: digital silence)
    id3_version: int = 3  # ID3v2.3 (what most players read) or 4; see audiobook.audio.tags


PROFILES = {
    "default": Profile("default", sample_rate=22050, bitrate="64k", cbr=False, head_ms=700, tail_ms=2000),
    "acx": Profile("acx", sample_rate=44100, bitrate="192k", cbr=True, head_ms=700, tail_ms=2000, max_minutes=120,
                   room_tone_dbfs=-72.0),
}
DEFAULT = PROFILES["default"]


def get_profile(name: Optional[str]) -> Profile:
    """The profile called `name` (None: the default), or a UserError naming the choices."""
    if name is None:
        return DEFAULT
    try:
        return PROFILES[name.strip().lower()]
    except KeyError:
        raise UserError(f"unknown profile {name!r}: choose from {', '.join(PROFILES)}") from None
