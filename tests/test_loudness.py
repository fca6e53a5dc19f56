"""The loudness meter and the true-peak limiter against plain definitions.

The build's own BS.1770 meter, oversampler and limiter are numpy only (a
worker process never loads scipy.signal); here each is held to a reference:
pyloudnorm's meter, scipy's filters, and a limiter computed densely over
every sample.
"""
import subprocess
import sys

import numpy as np
import pyloudnorm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import firwin, lfilter, resample_poly

from audiobook.audio import loudness

RATE = 22050


def speechlike(seconds: float, seed: int) -> np.ndarray:
    """Noise bursts under a slow envelope: syllables and pauses."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    envelope = np.clip(np.sin(np.arange(n) * 2 * np.pi * 3 / RATE), 0, None) ** 2
    return rng.normal(0, 0.2, n) * envelope


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
@pytest.mark.parametrize("seconds", [0.5, 3.0, 12.0])
def test_integrated_loudness_is_pyloudnorms(rate, seconds):
    x = speechlike(seconds, int(seconds * 10)) if rate == RATE else np.random.default_rng(1).normal(0, 0.1, int(seconds * rate))
    assert loudness.integrated_lufs(x, rate) == pytest.approx(pyloudnorm.Meter(rate).integrated_loudness(x), abs=1e-6)


def test_the_k_weighting_is_the_recursive_filters():
    x = speechlike(5.0, 3)
    expected = x
    for b, a in loudness.k_weighting_coefficients(RATE):
        expected = lfilter(b, a, expected)
    assert np.max(np.abs(loudness.k_weighted(x, RATE) - expected)) < 1e-9


def test_silence_and_short_audio_measure_silent():
    assert loudness.integrated_lufs(np.zeros(RATE), RATE) == loudness.SILENT_DB
    assert loudness.integrated_lufs(np.ones(100), RATE) == loudness.SILENT_DB


def test_oversampling_is_polyphase_interpolation_through_the_samples():
    x = speechlike(1.0, 4)
    taps = firwin(2 * loudness.REACH * loudness.OVERSAMPLE + 1, 1 / loudness.OVERSAMPLE, window=("kaiser", 7.0))
    assert np.allclose(loudness._taps(), taps, atol=1e-15)
    up = loudness.oversampled(x)
    assert np.allclose(up, resample_poly(x, loudness.OVERSAMPLE, 1, window=taps), atol=1e-12)
    assert np.allclose(up[::loudness.OVERSAMPLE], x, rtol=1e-3)  # it passes through the samples


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=300), st.integers(0, 40), st.integers(0, 40))
def test_sliding_minimum_is_the_least_value_in_each_window(values, before, after):
    x = np.array(values)
    expected = [x[max(0, n - before):n + after + 1].min() for n in range(x.size)]
    assert np.array_equal(loudness.sliding_min(x, before, after), expected)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=300), st.integers(0, 30))
def test_moving_average_is_scipys(values, half):
    x = np.array(values)
    assert np.allclose(loudness.moving_average(x, half), uniform_filter1d(x, size=2 * half + 1, mode="nearest"),
                       atol=1e-12)


def dense_limit(x: np.ndarray, ceiling_db: float) -> np.ndarray:
    """The limiter's definition computed over every sample at once."""
    ceiling = 10 ** (ceiling_db / 20)
    peaks = np.abs(loudness.oversampled(x)).reshape(-1, loudness.OVERSAMPLE).max(axis=1)
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    ahead, release = int(RATE * 3 / 1000), int(RATE * 15 / 1000)
    size = ahead + release + 1
    held = minimum_filter1d(need, size=size, origin=size // 2 - ahead, mode="nearest")
    out = x * uniform_filter1d(held, size=2 * (ahead // 2) + 1, mode="nearest")
    top = np.abs(loudness.oversampled(out)).max()
    return out * (ceiling / top) if top > ceiling else out


@pytest.mark.parametrize("seed", range(4))
def test_the_limiter_is_its_dense_definition_and_holds_the_ceiling(seed):
    x = speechlike(4.0, 10 + seed) * (1.5 + seed)  # loud: many peaks over the ceiling
    limited = loudness.limit(x, -4.3, RATE)
    assert np.abs(loudness.oversampled(limited)).max() <= 10 ** (-4.3 / 20) * (1 + 1e-6)
    assert np.allclose(limited, dense_limit(x, -4.3), atol=1e-6)
    assert loudness.true_peak_db(limited) == pytest.approx(loudness.db(np.abs(loudness.oversampled(limited)).max()),
                                                            abs=1e-5)


def test_a_build_worker_never_loads_scipy_signal():
    """Rendering and assembling speech (what a worker does) stays in numpy."""
    code = (
        "import sys\n"
        "from audiobook.audio.synthesis import Engine\n"
        "from audiobook.audio import assembly\n"
        "from audiobook.model import SpeechJob, Voice\n"
        "engine = Engine()\n"
        "voice = Voice('gmw/en-us', 170, 50)\n"
        "gain = assembly.voice_gain(engine.render, voice)\n"
        "piece = assembly.Piece(engine.render(SpeechJob('Stop! Who goes there?', voice)), 'n', 't', gain_db=gain)\n"
        "chapter = assembly.assemble_chapter(1, 'T', [piece, piece], {'paragraph': 300})\n"
        "print(len(chapter.audio) > 0, sorted(m for m in sys.modules if m.startswith(('scipy', 'pyloudnorm'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True []"
