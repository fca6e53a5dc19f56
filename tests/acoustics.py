"""Small measurements on audio for tests: how high a voice is, what a file decodes to,
who speaks when (from the subtitles)."""
from __future__ import annotations

import re

import numpy as np

VTT_CUE = re.compile(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})\n<v ([^>]+)>(.*)")


def fundamental_hz(audio, frame_ms: int = 40) -> float:
    """Median fundamental frequency of the voiced frames of a pydub AudioSegment,
    by autocorrelation over 60-400 Hz."""
    rate = audio.frame_rate
    samples = np.array(audio.set_channels(1).get_array_of_samples(), dtype=np.float64)
    size = rate * frame_ms // 1000
    lo, hi = rate // 400, rate // 60
    loud = np.sqrt(np.mean(samples ** 2)) if samples.size else 0.0
    estimates = []
    for start in range(0, samples.size - size - hi, size):
        frame = samples[start:start + size + hi]
        if np.sqrt(np.mean(frame[:size] ** 2)) < loud:  # voiced, loud frames only
            continue
        frame = frame - frame.mean()
        corr = np.array([np.dot(frame[:size], frame[lag:lag + size]) for lag in range(lo, hi)])
        energy = np.dot(frame[:size], frame[:size])
        if energy <= 0:
            continue
        best = int(np.argmax(corr))
        if corr[best] / energy > 0.5:
            estimates.append(rate / (lo + best))
    return float(np.median(estimates)) if estimates else 0.0


def decode(path):
    """A compressed audio file as a pydub AudioSegment, decoded by ffmpeg alone
    (naming the codec spares pydub a call to ffprobe, which is not shipped)."""
    from pydub import AudioSegment

    return AudioSegment.from_file(str(path), format="mp3", codec="mp3")


def read_vtt(path) -> list[tuple[int, int, str, str]]:
    """The cues of a WebVTT file with voice spans: (start ms, end ms, speaker, text)."""
    def ms(h, m, s, milli):
        return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(milli)

    return [(ms(*c.groups()[:4]), ms(*c.groups()[4:8]), c.group(9), c.group(10))
            for c in VTT_CUE.finditer(path.read_text(encoding="utf-8"))]


def ffmpeg_levels(path, ffmpeg: str) -> dict[str, float]:
    """Levels of an audio file as ffmpeg's own filters measure them, for
    checking our figures independently: `astats` (overall RMS and peak, dBFS)
    and `ebur128` (integrated loudness, LUFS; true peak, dBTP)."""
    import subprocess

    run = subprocess.run([ffmpeg, "-hide_banner", "-nostdin", "-i", str(path), "-af",
                          "astats=metadata=0,ebur128=peak=true", "-f", "null", "-"],
                         capture_output=True, text=True, check=True)
    text = run.stderr
    overall = text[text.rindex("Overall"):]
    summary = text[text.rindex("Summary:"):]
    return {
        "rms": float(re.search(r"RMS level dB:\s*(-?[\d.]+|-inf)", overall).group(1)),
        "peak": float(re.search(r"Peak level dB:\s*(-?[\d.]+|-inf)", overall).group(1)),
        "lufs": float(re.search(r"I:\s*(-?[\d.]+) LUFS", summary).group(1)),
        "true_peak": float(re.search(r"True peak:\s*Peak:\s*(-?[\d.]+)", summary).group(1)),
    }


def samples(audio) -> np.ndarray:
    """A pydub AudioSegment's samples as floats in -1..1 (mono)."""
    scale = float(1 << (8 * audio.sample_width - 1))
    return np.array(audio.set_channels(1).get_array_of_samples(), dtype=np.float64) / scale


def sound_bounds(x: np.ndarray, rate: int, threshold_db: float = -50.0, window_ms: int = 10) -> tuple[float, float]:
    """Seconds of silence before the first and after the last window louder than `threshold_db`."""
    size = rate * window_ms // 1000
    frames = x[:x.size // size * size].reshape(-1, size)
    loud = np.flatnonzero(10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-20) > threshold_db)
    return loud[0] * size / rate, (x.size - (loud[-1] + 1) * size) / rate
