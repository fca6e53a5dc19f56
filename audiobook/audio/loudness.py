"""Loudness: measuring speech (ITU-R BS.1770 via pyloudnorm) and keeping its peaks down.

Every figure here is in decibels relative to full scale, on float samples in
-1..1:

* `integrated_lufs`: BS.1770-4 gated integrated loudness, in LUFS;
* `true_peak_db`: the peak of the signal upsampled four times (BS.1770's
  true peak, in dBTP), which sees the overs between samples that a player's
  reconstruction filter or a resampler produces;
* `limit`: a look-ahead peak limiter that holds the true peak under a
  ceiling while leaving everything below it untouched;
* `voice_gain`: the gain that brings one voice to the book's loudness,
  measured once per voice setting on a fixed calibration passage, so that it
  depends on nothing but the voice (chapters can be assembled alone, in any
  order, in any process).
"""
from __future__ import annotations

import functools
import math
from typing import Callable

import numpy as np

TARGET_LUFS = -18.5  # every voice's integrated loudness on the calibration passage
SILENT_DB = -120.0  # what a digital silence measures (instead of minus infinity)
OVERSAMPLE = 4

# Read once per voice setting: ordinary prose with a question, an exclamation
# and commas, long enough (about twelve seconds) for a stable gated loudness.
CALIBRATION = (
    "When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow. "
    "Is that really what you wanted to tell me? No, I don't think so! "
    "She laughed at that, and he looked away; the others waited quietly by the door, "
    "watching the long grey road until the evening came."
)


def db(value: float) -> float:
    """`value` (an amplitude) in decibels, SILENT_DB for zero."""
    return 20 * math.log10(value) if value > 0 else SILENT_DB


def rms_db(samples: np.ndarray) -> float:
    """Root mean square level in dBFS (a full-scale square wave is 0 dBFS)."""
    if samples.size == 0:
        return SILENT_DB
    return db(float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))))


def sample_peak_db(samples: np.ndarray) -> float:
    return db(float(np.max(np.abs(samples)))) if samples.size else SILENT_DB


def oversampled(samples: np.ndarray) -> np.ndarray:
    """`samples` upsampled OVERSAMPLE times (polyphase low-pass interpolation)."""
    from scipy.signal import resample_poly

    return resample_poly(samples.astype(np.float64), OVERSAMPLE, 1)


def true_peak_db(samples: np.ndarray) -> float:
    """The true peak in dBTP: the sample peak of the signal oversampled 4x."""
    return sample_peak_db(oversampled(samples)) if samples.size else SILENT_DB


@functools.lru_cache(maxsize=8)
def _meter(rate: int):
    import pyloudnorm

    return pyloudnorm.Meter(rate)  # BS.1770-4, K-weighted, 400 ms blocks


def integrated_lufs(samples: np.ndarray, rate: int) -> float:
    """BS.1770-4 gated integrated loudness in LUFS (SILENT_DB when all is gated
    out or the audio is shorter than one 400 ms block)."""
    if samples.size < int(0.4 * rate) + 1:
        return SILENT_DB
    loudness = _meter(rate).integrated_loudness(samples.astype(np.float64))
    return float(loudness) if math.isfinite(loudness) else SILENT_DB


def limit(samples: np.ndarray, ceiling_db: float, rate: int, lookahead_ms: float = 3.0,
          release_ms: float = 15.0) -> np.ndarray:
    """`samples` with their true peak held at or under `ceiling_db`.

    The gain each sample needs (from the 4x oversampled envelope) is spread
    back over `lookahead_ms` before the peak and held for `release_ms` after
    it, then smoothed with a moving average shorter than the look-ahead, so
    the gain never rises above what any peak in reach needs and never jumps:
    no clicks, no distortion, and audio whose peaks are already under the
    ceiling is returned unchanged.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = 10 ** (ceiling_db / 20)
    if samples.size == 0:
        return samples
    peaks = np.abs(oversampled(samples)).reshape(-1, OVERSAMPLE).max(axis=1)[:samples.size]
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    if need.min() >= 1.0:
        return samples
    ahead = max(1, int(rate * lookahead_ms / 1000))
    release = max(ahead, int(rate * release_ms / 1000))
    # held[n] is the least gain needed over [n - release, n + ahead]: a peak at p
    # lowers the gain from `ahead` samples before it to `release` samples after
    size = ahead + release + 1
    held = minimum_filter1d(need, size=size, origin=size // 2 - ahead, mode="nearest")
    # a centred moving average no wider than the look-ahead stays under every peak's need
    gain = uniform_filter1d(held, size=2 * (ahead // 2) + 1, mode="nearest")
    limited = samples * gain
    # a last safety pass: whatever the smoothing let through is scaled down whole
    over = true_peak_db(limited) - ceiling_db
    if over > 0:
        limited = limited * 10 ** (-over / 20)
    return limited


_gains: dict = {}


def voice_gain(render: Callable[[str], tuple[np.ndarray, int]], key, ceiling_db: float) -> float:
    """The gain in dB that brings a voice to TARGET_LUFS after the peak
    limiter (held at `ceiling_db`), measured on the calibration passage as
    `render(text)` -> (samples, rate) speaks it.

    Measured after limiting because a voice with sharp peaks loses more to
    the limiter than a smooth one: levelled before it, such voices would come
    out quieter.  Remembered per `key` (the voice settings) for the life of
    the process: a voice is measured once, whatever the number of chapters.
    """
    if key not in _gains:
        samples, rate = render(CALIBRATION)
        gain = TARGET_LUFS - integrated_lufs(samples, rate)
        if integrated_lufs(samples, rate) <= SILENT_DB:
            gain = 0.0
        else:
            for _round in range(3):
                limited = limit(samples * 10 ** (gain / 20), ceiling_db, rate)
                gain += TARGET_LUFS - integrated_lufs(limited, rate)
        _gains[key] = round(gain, 2)
    return _gains[key]


# --------------------------------------------------------------------------- streaming BS.1770

class KWeighting:
    """BS.1770's K-weighting (a high shelf, then a high pass), applied chunk
    by chunk with the filters' state carried over, so a long file can be
    measured in pieces exactly as if whole.  The coefficients are pyloudnorm's
    own design for the sample rate."""

    def __init__(self, rate: int, channels: int = 1) -> None:
        from pyloudnorm.iirfilter import IIRfilter
        from scipy.signal import lfilter_zi

        self.stages = [IIRfilter(4.0, 1 / math.sqrt(2), 1500.0, rate, "high_shelf"),
                       IIRfilter(0.0, 0.5, 38.0, rate, "high_pass")]
        self.state = [[lfilter_zi(s.b, s.a) * 0.0 for s in self.stages] for _ in range(channels)]
        self.gains = [1.41 if ch >= 3 else 1.0 for ch in range(channels)]  # surround channels count more

    def energy(self, chunk: np.ndarray) -> np.ndarray:
        """Per frame of `chunk` (frames x channels), the weighted channels'
        summed squares."""
        from scipy.signal import lfilter

        chunk = chunk.reshape(chunk.shape[0], -1)
        total = np.zeros(chunk.shape[0])
        for ch in range(chunk.shape[1]):
            signal = chunk[:, ch]
            for number, stage in enumerate(self.stages):
                signal, self.state[ch][number] = lfilter(stage.b, stage.a, signal, zi=self.state[ch][number])
            total += self.gains[ch] * np.square(signal)
        return total


def gated_lufs(blocks: np.ndarray) -> float:
    """BS.1770-4 integrated loudness from the mean weighted power of each 400 ms
    block: absolute gate at -70 LUFS, then relative gate 10 LU under the mean."""
    with np.errstate(divide="ignore"):
        levels = -0.691 + 10 * np.log10(blocks)
    kept = blocks[levels >= -70.0]
    if kept.size == 0:
        return SILENT_DB
    relative = -0.691 + 10 * math.log10(float(np.mean(kept))) - 10.0
    kept = blocks[(levels >= -70.0) & (levels > relative)]
    return -0.691 + 10 * math.log10(float(np.mean(kept))) if kept.size else SILENT_DB
