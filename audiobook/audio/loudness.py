"""Loudness: measuring speech (ITU-R BS.1770) and keeping its peaks down.

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

Everything a build does here is plain numpy: a worker process that renders
chapters never loads scipy.signal (some 70 MB and 1.5 s of start-up each).
`KWeighting`, for measuring whole files chunk by chunk, uses scipy's lfilter.
"""
from __future__ import annotations

import functools
import math
from typing import Callable, Optional

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


@functools.lru_cache(maxsize=1)
def _taps() -> np.ndarray:
    """The interpolation filter of `oversampled`, designed once: a
    Kaiser-windowed sinc of 49 taps at the 4x rate (12 per phase), the length
    of BS.1770-4's own true-peak interpolator; on speech its peaks lie within
    0.01 dB of an 81-tap filter's."""
    size, cutoff = 2 * REACH * OVERSAMPLE + 1, 1 / OVERSAMPLE
    taps = cutoff * np.sinc(cutoff * (np.arange(size) - (size - 1) / 2)) * np.kaiser(size, 7.0)
    return taps / taps.sum()  # unit gain at 0 Hz (as scipy's firwin designs it)


@functools.lru_cache(maxsize=1)
def _phases() -> tuple[np.ndarray, ...]:
    """The interpolator split into its OVERSAMPLE phases (phase p gives the
    value p/OVERSAMPLE of a sample after each input sample), at unit gain."""
    taps = _taps() * OVERSAMPLE
    return tuple(taps[phase::OVERSAMPLE] for phase in range(OVERSAMPLE))


def oversampled(samples: np.ndarray) -> np.ndarray:
    """`samples` upsampled OVERSAMPLE times (polyphase low-pass interpolation,
    aligned so that every OVERSAMPLE-th value is at an input sample)."""
    x = np.asarray(samples, dtype=np.float64)
    up = np.empty(x.size * OVERSAMPLE)
    for phase, taps in enumerate(_phases()):
        up[phase::OVERSAMPLE] = np.convolve(x, taps, mode="full")[REACH:REACH + x.size]
    return up


#: Input samples on either side that one oversampled value depends on (the
#: interpolation filter of `oversampled` spans 49 taps at the 4x rate).
REACH = 6
_RUN_GAP = 4 * REACH  # hot stretches closer than this are oversampled as one


@functools.lru_cache(maxsize=1)
def _overshoot() -> float:
    """The most an oversampled value can exceed the largest sample within
    REACH of it: the greatest sum of absolute taps over the filter's phases."""
    return float(max(np.abs(taps).sum() for taps in _phases()))


def hot_peaks(samples: np.ndarray, floor: float,
              within: Optional[tuple[np.ndarray, np.ndarray]] = None) -> tuple[np.ndarray, np.ndarray]:
    """Where the 4x oversampled `samples` could reach `floor` (an amplitude):
    (the indices of those samples, the largest oversampled magnitude over
    each one's four phases).  Everywhere else the oversampled signal stays
    under `floor`.

    A value can exceed the largest sample within REACH of it by `_overshoot`
    at most, so only samples within REACH of one louder than
    floor / `_overshoot` can reach it: just those stretches are oversampled,
    each with REACH samples of real context on both sides (so their values
    are those of oversampling the whole signal), all gathered into one
    buffer and oversampled at once.  The work
    is proportional to the loud part of the audio, not to its length.
    `within` (starts, ends: sorted, disjoint ranges) looks only at the loud
    samples inside those ranges.
    """
    empty = np.zeros(0, dtype=np.intp), np.zeros(0)
    if samples.size == 0:
        return empty
    loud = np.flatnonzero(np.abs(samples) >= floor / _overshoot())
    if within is not None and loud.size:
        starts, ends = within
        slot = np.searchsorted(ends, loud, side="right")  # the first range ending after each loud sample
        inside = slot < ends.size
        loud = loud[inside][loud[inside] >= starts[slot[inside]]]
    if loud.size == 0:
        return empty
    breaks = np.flatnonzero(np.diff(loud) > _RUN_GAP + 2 * REACH)
    firsts = np.maximum(np.r_[loud[0], loud[breaks + 1]] - REACH, 0)
    lasts = np.minimum(np.r_[loud[breaks], loud[-1]] + REACH, samples.size - 1)
    # each stretch with REACH samples of context: the values over first..last
    # depend on nothing outside it, so the stretches can be joined as they are
    lows, highs = np.maximum(firsts - REACH, 0), np.minimum(lasts + 1 + REACH, samples.size)
    index, starts = _gather(lows, highs)
    up = _phase_peaks(samples[index])
    exact, _starts = _gather(starts + firsts - lows, starts + lasts + 1 - lows)
    return index[exact], up[exact]


def _phase_peaks(samples: np.ndarray) -> np.ndarray:
    """Per sample, the largest magnitude of `oversampled(samples)` over its
    four phases: the sample itself (the filter passes it through, scaled by
    its centre tap) and the three values after it, each phase a short convolution in single
    precision (a millionth of a decibel, faster than the 4x signal whole)."""
    x = samples.astype(np.float32)
    centre, *between = _single_phases()
    peaks = np.abs(x) * centre[REACH]
    for taps in between:
        np.maximum(peaks, np.abs(np.convolve(x, taps, mode="full")[REACH:REACH + x.size]), out=peaks)
    return peaks.astype(np.float64)


@functools.lru_cache(maxsize=1)
def _single_phases() -> tuple[np.ndarray, ...]:
    return tuple(taps.astype(np.float32) for taps in _phases())


def _gather(lows: np.ndarray, highs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The indices lows[0]..highs[0]-1, lows[1]..highs[1]-1, ... as one
    array, and where each range starts in it."""
    lengths = highs - lows
    starts = np.cumsum(lengths) - lengths
    return np.arange(int(lengths.sum())) - np.repeat(starts - lows, lengths), starts


def peak_envelope(samples: np.ndarray, floor: float) -> np.ndarray:
    """Per input sample, the largest magnitude of the 4x oversampled signal
    over that sample's four phases, exact wherever it could reach `floor`
    (an amplitude); elsewhere the sample's own magnitude, which is under
    `floor` there as well (see `hot_peaks`)."""
    envelope = np.abs(samples.astype(np.float64))
    where, values = hot_peaks(samples, floor)
    envelope[where] = values
    return envelope


def true_peak_db(samples: np.ndarray) -> float:
    """The true peak in dBTP: the sample peak of the signal oversampled 4x."""
    if samples.size == 0:
        return SILENT_DB
    peak = float(np.max(np.abs(samples)))
    _where, values = hot_peaks(samples, peak)
    return db(max(peak, float(values.max()) if values.size else 0.0))


def k_weighting_coefficients(rate: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """BS.1770's K-weighting for `rate` as two biquads (b, a), a0 = 1: the
    high shelf (+4 dB above 1.5 kHz) and the high pass (38 Hz), designed by
    the RBJ cookbook formulas with pyloudnorm's parameters."""
    stages = []
    for kind, gain_db, q, centre in (("high_shelf", 4.0, 1 / math.sqrt(2), 1500.0), ("high_pass", 0.0, 0.5, 38.0)):
        amp = 10 ** (gain_db / 40)
        w0 = 2 * math.pi * centre / rate
        alpha, cos = math.sin(w0) / (2 * q), math.cos(w0)
        if kind == "high_shelf":
            root = 2 * math.sqrt(amp) * alpha
            b = [amp * ((amp + 1) + (amp - 1) * cos + root), -2 * amp * ((amp - 1) + (amp + 1) * cos),
                 amp * ((amp + 1) + (amp - 1) * cos - root)]
            a = [(amp + 1) - (amp - 1) * cos + root, 2 * ((amp - 1) - (amp + 1) * cos),
                 (amp + 1) - (amp - 1) * cos - root]
        else:
            b = [(1 + cos) / 2, -(1 + cos), (1 + cos) / 2]
            a = [1 + alpha, -2 * cos, 1 - alpha]
        stages.append((np.array(b) / a[0], np.array(a) / a[0]))
    return stages


@functools.lru_cache(maxsize=8)
def _k_response(rate: int, length: int = 1 << 14) -> np.ndarray:
    """The K-weighting's impulse response, cut where it has decayed under
    1e-12 of its start (the 38 Hz high pass rings longest: some 0.1 s)."""
    response = np.zeros(length)
    response[0] = 1.0
    for b, a in k_weighting_coefficients(rate):
        out, x1, x2, y1, y2 = [], 0.0, 0.0, 0.0, 0.0
        for x in response.tolist():
            y = b[0] * x + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
            out.append(y)
            x1, x2, y1, y2 = x, x1, y, y1
        response = np.array(out)
    keep = np.flatnonzero(np.abs(response) > 1e-12 * np.abs(response).max())
    return response[:keep[-1] + 1]


def k_weighted(samples: np.ndarray, rate: int) -> np.ndarray:
    """`samples` through the K-weighting (from rest), as a convolution with
    its impulse response, done by FFT in overlapping blocks: what
    `scipy.signal.lfilter` gives, to within 1e-12, without loading
    scipy.signal."""
    response = _k_response(rate)
    fft_size = 1 << max(13, (2 * response.size - 1).bit_length())
    step = fft_size - response.size + 1  # new samples per block
    blocks = -(-samples.size // step)
    grid = np.zeros((blocks, fft_size))
    grid[:, :step] = np.concatenate([samples, np.zeros(blocks * step - samples.size)]).reshape(blocks, step)
    out = np.fft.irfft(np.fft.rfft(grid, axis=1) * np.fft.rfft(response, fft_size), fft_size, axis=1)
    whole = np.zeros((blocks + 1) * step)
    whole[:blocks * step] = out[:, :step].ravel()
    tails = out[:, step:]  # each block's tail runs into the start of the next (it is shorter than a step)
    whole[step:].reshape(blocks, step)[:, :tails.shape[1]] += tails
    return whole[:samples.size]


def integrated_lufs(samples: np.ndarray, rate: int) -> float:
    """BS.1770-4 gated integrated loudness of mono `samples` in LUFS: K-weighted,
    400 ms blocks overlapping by 75% (placed as pyloudnorm places them), an
    absolute gate at -70 LUFS and a relative one 10 LU under.  SILENT_DB when
    all is gated out or the audio is shorter than one block."""
    block = 0.4
    if samples.size < int(block * rate) + 1:
        return SILENT_DB
    energy = np.concatenate([[0.0], np.cumsum(np.square(k_weighted(samples.astype(np.float64), rate)))])
    count = int(np.round((samples.size / rate - block) / (block * 0.25))) + 1
    steps = np.arange(count)
    lower = np.minimum((block * (steps * 0.25) * rate).astype(np.int64), samples.size)
    upper = np.minimum((block * (steps * 0.25 + 1) * rate).astype(np.int64), samples.size)
    loudness = gated_lufs(np.maximum((energy[upper] - energy[lower]) / (block * rate), 0.0))
    return loudness if math.isfinite(loudness) else SILENT_DB


def limit(samples: np.ndarray, ceiling_db: float, rate: int, lookahead_ms: float = 3.0,
          release_ms: float = 15.0) -> np.ndarray:
    """`samples` with their true peak held at or under `ceiling_db`.

    The gain each sample needs (from the 4x oversampled envelope) is spread
    back over `lookahead_ms` before the peak and held for `release_ms` after
    it, then smoothed with a moving average shorter than the look-ahead, so
    the gain never rises above what any peak in reach needs and never jumps:
    no clicks, no distortion, and audio whose peaks are already under the
    ceiling is returned unchanged.  Only the neighbourhoods of the peaks over
    the ceiling are touched (and computed): elsewhere the gain is one.
    """
    ceiling = 10 ** (ceiling_db / 20)
    if samples.size == 0:
        return samples
    where, values = hot_peaks(samples, ceiling)
    over = values > ceiling
    if not over.any():
        return samples
    ahead = max(1, int(rate * lookahead_ms / 1000))
    release = max(ahead, int(rate * release_ms / 1000))
    half = ahead // 2  # the moving average's half width: no wider than the look-ahead
    places, needs = where[over], ceiling / values[over]  # the samples that need less than unit gain
    # a peak at p lowers the gain from p - ahead - half to p + release + half:
    # the neighbourhood of each group of peaks is limited, all in one buffer
    # (each neighbourhood's margins need no gain, so they can be joined)
    margin = ahead + release + 2 * half + 2
    breaks = np.flatnonzero(np.diff(places) > 2 * margin)
    lows = np.maximum(places[np.r_[0, breaks + 1]] - margin, 0)
    highs = np.minimum(places[np.r_[breaks, places.size - 1]] + margin + 1, samples.size)
    index, _starts = _gather(lows, highs)
    need = np.ones(index.size)
    need[np.searchsorted(index, places)] = needs
    # held[n] is the least gain needed over [n - release, n + ahead]
    held = sliding_min(need, release, ahead)
    # a centred moving average no wider than the look-ahead stays under every peak's need
    limited = np.array(samples, dtype=np.float64)
    limited[index] *= moving_average(held, half)
    # a last safety pass: whatever the smoothing let through is scaled down whole
    # (only where the gain changed can a value have risen over the ceiling)
    _where, after = hot_peaks(limited, ceiling, within=(lows, highs))
    peak = float(after.max()) if after.size else 0.0
    if peak > ceiling:
        limited *= ceiling / peak
    return limited


def sliding_min(values: np.ndarray, before: int, after: int) -> np.ndarray:
    """Per index n, the least of values[n - before .. n + after], the ends
    extended with the end values (van Herk and Gil-Werman's algorithm: a
    running minimum forwards and backwards in blocks of the window's width,
    so the cost does not grow with the window)."""
    width = before + after + 1
    padded = np.concatenate([np.full(before, values[0]), values, np.full(after, values[-1])])
    blocks = -(-padded.size // width)
    grid = np.full(blocks * width, np.inf)
    grid[:padded.size] = padded
    grid = grid.reshape(blocks, width)
    forwards = np.minimum.accumulate(grid, axis=1).ravel()
    backwards = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1].ravel()
    start = np.arange(values.size)
    return np.minimum(backwards[start], forwards[start + width - 1])


def moving_average(values: np.ndarray, half: int) -> np.ndarray:
    """The centred mean of values[n - half .. n + half], the ends extended
    with the end values."""
    width = 2 * half + 1
    padded = np.concatenate([np.full(half, values[0]), values, np.full(half, values[-1])])
    sums = np.cumsum(np.concatenate([[0.0], padded]))
    return (sums[width:] - sums[:-width]) / width


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
        level = integrated_lufs(samples, rate)
        gain = 0.0 if level <= SILENT_DB else TARGET_LUFS - level
        for _round in range(3 if level > SILENT_DB else 0):  # the limiter takes a little back: until it settles
            step = TARGET_LUFS - integrated_lufs(limit(samples * 10 ** (gain / 20), ceiling_db, rate), rate)
            gain += step
            if abs(step) < 0.005:
                break
        _gains[key] = round(gain, 2)
    return _gains[key]


# --------------------------------------------------------------------------- streaming BS.1770

class KWeighting:
    """BS.1770's K-weighting (a high shelf, then a high pass), applied chunk
    by chunk with the filters' state carried over, so a long file can be
    measured in pieces exactly as if whole (`k_weighting_coefficients`)."""

    def __init__(self, rate: int, channels: int = 1) -> None:
        self.stages = k_weighting_coefficients(rate)
        self.state = [[np.zeros(2) for _stage in self.stages] for _ in range(channels)]
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
                b, a = stage
                signal, self.state[ch][number] = lfilter(b, a, signal, zi=self.state[ch][number])
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
