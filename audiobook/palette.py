"""Automatic voices: a natural-sounding voice for every speaker the cast
file gives none, however large the cast.

Every automatic voice keeps its rate and pitch inside the band of its
gender (the README's cast section lists them):

============  ==================  ===========  ==========================
gender        timbres             rate (wpm)   pitch (0-100)
============  ==================  ===========  ==========================
male          en-us, en + m1-m7   150-185      28-50
female        en-us, en + f1-f5   155-190      56-76
unknown       en-us, en + m5, f5  158-180      44-58
============  ==================  ===========  ==========================

Distinct sounds are a timbre (base voice and eSpeak variant) at one of
three rate and pitch steps inside the band.  Speakers are served in order
of how many lines they have, so the leads get the most distinct voices
(every timbre at the band's centre first, then the same timbres a step
higher and faster, then a step lower and slower).  When a gender's sounds
run out, the minor characters share the sounds of the other minor
characters rather than push rate or pitch out of the band.  A speaker of
unknown gender gets a mid-pitched voice that sounds like neither a deep
man nor a high woman.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from audiobook.model import Voice


@dataclass(frozen=True)
class Band:
    rate: tuple[int, int]
    pitch: tuple[int, int]
    timbres: tuple[str, ...]  # voice ids with a variant, most distinct first

    @property
    def centre(self) -> tuple[int, int]:
        return (self.rate[0] + self.rate[1]) // 2, (self.pitch[0] + self.pitch[1]) // 2

    def holds(self, voice: Voice) -> bool:
        return self.rate[0] <= voice.rate <= self.rate[1] and self.pitch[0] <= voice.pitch <= self.pitch[1]


def _alternate(variants: str) -> tuple[str, ...]:
    """Each variant on the American then the British base voice, alternating
    so neighbours in the list differ in both accent and timbre."""
    names = variants.split()
    american = [f"gmw/en-us+{v}" for v in names]
    british = [f"gmw/en+{v}" for v in names[1:] + names[:1]]
    return tuple(voice for pair in zip(american, british) for voice in pair)


BANDS = {
    "male": Band((150, 185), (28, 50), _alternate("m3 m1 m7 m4 m2 m6")),
    "female": Band((155, 190), (56, 76), _alternate("f3 f2 f4 f1 f5")),
    "unknown": Band((158, 180), (44, 58), _alternate("m5 f5")),
}
#: The rate and pitch steps of each timbre: centre, then higher and faster, then lower and slower.
STEPS = ((0, 0), (1, 1), (-1, -1))


def sounds(gender: str) -> list[Voice]:
    """Every distinct automatic voice of `gender`, most distinct first."""
    band = BANDS.get(gender, BANDS["unknown"])
    rate, pitch = band.centre
    rate_step = (band.rate[1] - band.rate[0]) // 3
    pitch_step = (band.pitch[1] - band.pitch[0]) // 3
    return [Voice(timbre, rate + r * rate_step, pitch + p * pitch_step)
            for r, p in STEPS for timbre in band.timbres]


def sound_of(voice: Voice) -> tuple:
    """What a listener tells voices apart by: timbre, rate and pitch."""
    return voice.id.rsplit("/", 1)[-1].lower(), voice.rate, voice.pitch


class Palette:
    """Hands out automatic voices, one call per speaker in order of lines."""

    def __init__(self, taken: Iterable[Voice] = ()) -> None:
        taken_sounds = {sound_of(v) for v in taken}
        self._free = {g: [v for v in sounds(g) if sound_of(v) not in taken_sounds] or sounds(g) for g in BANDS}
        self._served = {g: 0 for g in BANDS}

    def next(self, gender: str) -> Voice:
        """The next voice for a speaker of `gender`: a sound of its own while
        there are any, then a share of a minor character's."""
        gender = gender if gender in BANDS else "unknown"
        free, n = self._free[gender], self._served[gender]
        self._served[gender] += 1
        if n < len(free):
            return free[n]
        shared = free[len(free) // 2:]  # the sounds the least-heard speakers already have
        return shared[(n - len(free)) % len(shared)]
