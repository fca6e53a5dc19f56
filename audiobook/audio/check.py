"""Checking finished audio files against a profile's rules, as a listener's
player (and an audiobook retailer) would hear them.

Every file is decoded by ffmpeg and measured in one streaming pass, a few
seconds at a time, so a book-length file needs little memory:

* RMS, sample peak and true peak (4x oversampled), in dBFS / dBTP;
* integrated loudness in LUFS (ITU-R BS.1770-4: K-weighting, 400 ms blocks
  overlapping by 75 %, absolute gate -70 LUFS, relative gate -10 LU);
* noise floor: the level of the quietest 50 ms stretches (the 5th percentile);
* head and tail silence: the room tone before the first and after the last
  10 ms louder than -50 dBFS;
* duration, bitrate (and constant or variable), sample rate, channels, read
  from the file's own headers;
* the loudness of each speaker, over the 400 ms blocks that lie inside the
  speaker's cues in the ``.vtt`` beside the file (``<v Speaker>``), and the
  spread between them.
"""
from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import numpy as np

from audiobook.audio import loudness
from audiobook.audio.profiles import Profile
from audiobook.audio.runtime import prepare_audio
from audiobook.errors import UserError

AUDIO_SUFFIXES = (".mp3", ".m4b", ".m4a", ".aac", ".wav", ".flac", ".ogg", ".opus")
RMS_WINDOW = (-23.0, -18.0)  # dBFS
PEAK_MAX = -3.0  # dBFS, sample peak
TRUE_PEAK_MAX = -1.0  # dBTP
NOISE_FLOOR_MAX = -60.0  # dBFS
HEAD_S = (0.5, 1.0)
TAIL_S = (1.0, 5.0)
SPREAD_MAX = 1.0  # LU between the loudest and quietest speaker
SOUND_DBFS = -50.0  # a 10 ms window louder than this is sound, not room tone
MIN_SPEAKER_S = 5.0  # a speaker with less speech than this is listed but not compared

_CHUNK_S = 10
_CONTEXT = 128  # samples either side of a chunk for the oversampling filter
_CUE = re.compile(r"(\d+):(\d\d):(\d\d)\.(\d{3})\s+-->\s+(\d+):(\d\d):(\d\d)\.(\d{3})[^\n]*\n<v(?:\.[^ >]*)? ([^>]+)>")


@dataclass
class SpeakerLevel:
    name: str
    seconds: float  # of speech measured
    lufs: float
    rms_db: float


@dataclass
class Measures:
    path: Path
    duration_s: float
    sample_rate: int
    channels: int
    bitrate_kbps: Optional[float]
    constant_bitrate: Optional[bool]  # None when the format does not say
    rms_db: float
    peak_db: float
    true_peak_db: float
    lufs: float
    noise_floor_db: float
    head_s: float
    tail_s: float
    speakers: list[SpeakerLevel] = field(default_factory=list)

    @property
    def spread(self) -> Optional[float]:
        """LU between the loudest and the quietest speaker with enough speech."""
        levels = [s.lufs for s in self.speakers if s.seconds >= MIN_SPEAKER_S and s.lufs > loudness.SILENT_DB]
        return max(levels) - min(levels) if len(levels) >= 2 else None


@dataclass
class Verdict:
    rule: str
    value: str
    limit: str
    passed: Optional[bool]  # None: measured, no rule


@dataclass
class Report:
    measures: Measures
    verdicts: list[Verdict]

    @property
    def passed(self) -> bool:
        return all(v.passed is not False for v in self.verdicts)


# --------------------------------------------------------------------------- entry points

def audio_files(path: Path) -> list[Path]:
    """The audio files at `path` (a file, or a folder searched recursively,
    hidden files left out), or a UserError when there are none."""
    path = Path(path)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise UserError("no such file or folder", path)
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES
                   and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not files:
        raise UserError(f"no audio files ({', '.join(AUDIO_SUFFIXES)}) in the folder", path)
    return files


def check(path: Path, profile: Profile) -> list[Report]:
    """Measure every audio file at `path` and judge it by `profile`'s rules."""
    reports = []
    for file in audio_files(path):
        measures = measure(file)
        reports.append(Report(measures, judge(measures, profile)))
    return reports


def judge(m: Measures, profile: Profile) -> list[Verdict]:
    """Pass or fail for each rule of `profile` (None for figures without one)."""
    def between(value, low, high):
        return low <= value <= high

    verdicts = [
        Verdict("RMS", f"{m.rms_db:.1f} dBFS", f"{RMS_WINDOW[0]:g} to {RMS_WINDOW[1]:g}", between(m.rms_db, *RMS_WINDOW)),
        Verdict("sample peak", f"{m.peak_db:.1f} dBFS", f"<= {PEAK_MAX:g}", m.peak_db <= PEAK_MAX),
        Verdict("true peak", f"{m.true_peak_db:.1f} dBTP", f"<= {TRUE_PEAK_MAX:g}", m.true_peak_db <= TRUE_PEAK_MAX),
        Verdict("loudness", f"{m.lufs:.1f} LUFS", "", None),
        Verdict("noise floor", _level(m.noise_floor_db), f"<= {NOISE_FLOOR_MAX:g}", m.noise_floor_db <= NOISE_FLOOR_MAX),
        Verdict("head silence", f"{m.head_s:.2f} s", f"{HEAD_S[0]:g} to {HEAD_S[1]:g} s", between(m.head_s, *HEAD_S)),
        Verdict("tail silence", f"{m.tail_s:.2f} s", f"{TAIL_S[0]:g} to {TAIL_S[1]:g} s", between(m.tail_s, *TAIL_S)),
    ]
    spread = m.spread
    if spread is not None:
        verdicts.append(Verdict("speaker spread", f"{spread:.1f} LU", f"<= {SPREAD_MAX:g}", spread <= SPREAD_MAX))
    longest = profile.max_minutes * 60 if profile.max_minutes else None
    verdicts.append(Verdict("duration", _clock(m.duration_s), f"<= {_clock(longest)}" if longest else "",
                            m.duration_s <= longest if longest else None))
    verdicts.append(Verdict("sample rate", f"{m.sample_rate} Hz", f"{profile.sample_rate}",
                            m.sample_rate == profile.sample_rate))
    verdicts.append(Verdict("channels", "mono" if m.channels == 1 else f"{m.channels}", "mono", m.channels == 1))
    wanted = _kbps(profile.bitrate)
    if m.bitrate_kbps is not None:  # AAC's encoder aims at the bitrate rather than keeping it: no rule
        is_mp3 = m.path.suffix.lower() == ".mp3"
        verdicts.append(Verdict("bitrate", f"{m.bitrate_kbps:.0f} kbps", f"{wanted:g}" if is_mp3 else "",
                                abs(m.bitrate_kbps - wanted) <= 0.02 * wanted + 1 if is_mp3 else None))
    if profile.cbr and m.path.suffix.lower() == ".mp3":
        mode = {True: "constant", False: "variable", None: "unknown"}[m.constant_bitrate]
        verdicts.append(Verdict("bitrate mode", mode, "constant", m.constant_bitrate is True))
    return verdicts


def table(reports: list[Report], profile: Profile, root: Optional[Path] = None) -> Iterator[str]:
    """The reports as text: per file a table of rules, then the speakers, then a summary."""
    for report in reports:
        m = report.measures
        name = m.path.relative_to(root) if root and root.is_dir() else m.path.name
        yield f"{name}  ({'pass' if report.passed else 'FAIL'})"
        width = max(len(v.rule) for v in report.verdicts)
        for v in report.verdicts:
            result = "" if v.passed is None else ("pass" if v.passed else "FAIL")
            yield f"  {v.rule:<{width}}  {v.value:>14}  {v.limit:<14}  {result}".rstrip()
        if m.speakers:
            levels = ", ".join(f"{s.name} {s.lufs:.1f}" + ("" if s.seconds >= MIN_SPEAKER_S else " (short)")
                               for s in m.speakers)
            yield f"  speakers (LUFS): {levels}"
        yield ""
    failed = [r for r in reports if not r.passed]
    files = f"{len(reports)} file{'s' if len(reports) != 1 else ''}"
    if failed:
        yield f"{len(failed)} of {files} fail the {profile.name} profile's rules."
    else:
        yield f"{'All ' + files if len(reports) > 1 else 'The file'} pass{'es' if len(reports) == 1 else ''} the {profile.name} profile's rules."


# --------------------------------------------------------------------------- measuring

def measure(path: Path) -> Measures:
    """Decode `path` and measure it (see the module's docstring)."""
    rate, channels, duration, bitrate, constant = _stream_info(path)
    cues = read_cues(path.with_suffix(".vtt"))
    meter = _Meter(rate, channels)
    for chunk in _decode(path, rate, channels):
        meter.feed(chunk)
    return meter.result(path, duration, bitrate, constant, cues)


def read_cues(vtt: Path) -> list[tuple[float, float, str]]:
    """(start s, end s, speaker) of every cue with a voice span in `vtt`
    (none when there is no such file)."""
    if not vtt.is_file():
        return []
    text = vtt.read_text(encoding="utf-8", errors="replace")

    def seconds(h, m, s, ms):
        return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000

    return [(seconds(*c.groups()[:4]), seconds(*c.groups()[4:8]), c.group(9).strip()) for c in _CUE.finditer(text)]


def _stream_info(path: Path) -> tuple[int, int, float, Optional[float], Optional[bool]]:
    """Sample rate, channels, duration, bitrate (kbps) and whether it is
    constant, from the file's headers (mutagen)."""
    import mutagen

    try:
        audio = mutagen.File(str(path))
    except Exception as err:  # mutagen raises its own errors, and struct/OS errors on junk
        raise UserError(f"not a readable audio file ({err})", path) from None
    info = getattr(audio, "info", None)
    if info is None or not getattr(info, "sample_rate", 0):
        raise UserError("not a readable audio file", path)
    bitrate = getattr(info, "bitrate", 0)
    constant = None
    mode = getattr(info, "bitrate_mode", None)
    if mode is not None:
        name = getattr(mode, "name", str(mode)).upper()
        constant = True if name.endswith("CBR") else (False if name.endswith(("VBR", "ABR")) else None)
    return (int(info.sample_rate), int(getattr(info, "channels", 1) or 1), float(getattr(info, "length", 0.0)),
            bitrate / 1000 if bitrate else None, constant)


def _decode(path: Path, rate: int, channels: int) -> Iterator[np.ndarray]:
    """The file's samples, `_CHUNK_S` seconds at a time, as float arrays of
    shape (frames, channels)."""
    command = [prepare_audio(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path),
               "-map", "0:a:0", "-f", "f32le", "-acodec", "pcm_f32le", "-ar", str(rate), "-ac", str(channels),
               "pipe:1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    size = rate * _CHUNK_S * channels * 4
    try:
        while True:
            data = process.stdout.read(size)
            if not data:
                break
            frames = len(data) // (4 * channels)
            yield np.frombuffer(data[:frames * 4 * channels], dtype="<f4").astype(np.float64).reshape(frames, channels)
    finally:
        process.stdout.close()
        errors = process.stderr.read().decode("utf-8", "replace").strip()
        process.stderr.close()
        status = process.wait()
    if status != 0:
        raise UserError(f"ffmpeg cannot decode it: {errors.splitlines()[-1] if errors else status}", path)


class _Meter:
    """Running measures over a stream of chunks."""

    def __init__(self, rate: int, channels: int) -> None:
        self.rate, self.channels = rate, channels
        self.frames = 0
        self.square_sum = 0.0
        self.peak = 0.0
        self.true_peak = 0.0
        self.tail = np.zeros((0, channels))
        self.window = max(1, rate // 100)  # 10 ms
        self.pending = np.zeros((0, channels))
        self.windows: list[np.ndarray] = []  # mean square per 10 ms window
        self.k_weighting = loudness.KWeighting(rate, channels)
        self.k_pending = np.zeros(0)
        self.step = rate // 10  # 100 ms: a quarter of a gating block
        self.steps: list[np.ndarray] = []  # K-weighted energy per 100 ms (channel sum)

    def feed(self, chunk: np.ndarray) -> None:
        self.frames += chunk.shape[0]
        self.square_sum += float(np.sum(np.square(chunk)))
        self.peak = max(self.peak, float(np.max(np.abs(chunk))) if chunk.size else 0.0)
        context = np.concatenate([self.tail, chunk])
        for ch in range(self.channels):
            up = loudness.oversampled(context[:, ch])
            skip = min(self.tail.shape[0], _CONTEXT // 2) * loudness.OVERSAMPLE
            self.true_peak = max(self.true_peak, float(np.max(np.abs(up[skip:]))) if up.size > skip else 0.0)
        self.tail = context[-_CONTEXT:]
        frames = np.concatenate([self.pending, chunk])
        whole = frames.shape[0] // self.window * self.window
        self.windows.append(np.mean(np.square(frames[:whole]).reshape(-1, self.window, self.channels), axis=(1, 2)))
        self.pending = frames[whole:]
        weighted = np.concatenate([self.k_pending, self.k_weighting.energy(chunk)])
        whole = weighted.size // self.step * self.step
        self.steps.append(weighted[:whole].reshape(-1, self.step).sum(axis=1))
        self.k_pending = weighted[whole:]

    def result(self, path: Path, duration: float, bitrate, constant, cues) -> Measures:
        windows = np.concatenate(self.windows) if self.windows else np.zeros(0)
        steps = np.concatenate(self.steps) if self.steps else np.zeros(0)
        blocks = _blocks(steps, self.rate)
        sound = np.flatnonzero(windows > 10 ** (SOUND_DBFS / 10))
        seconds = self.frames / self.rate
        head = sound[0] * self.window / self.rate if sound.size else seconds
        tail = seconds - (sound[-1] + 1) * self.window / self.rate if sound.size else seconds
        return Measures(
            path=path, duration_s=seconds or duration, sample_rate=self.rate, channels=self.channels,
            bitrate_kbps=bitrate, constant_bitrate=constant,
            rms_db=_power_db(self.square_sum / max(1, self.frames * self.channels)),
            peak_db=loudness.db(self.peak), true_peak_db=loudness.db(self.true_peak),
            lufs=loudness.gated_lufs(blocks), noise_floor_db=_noise_floor(windows),
            head_s=head, tail_s=tail, speakers=self._speakers(cues, blocks, windows))

    def _speakers(self, cues, blocks: np.ndarray, windows: np.ndarray) -> list[SpeakerLevel]:
        """Each speaker's loudness over the gating blocks inside its cues, and
        RMS over the 10 ms windows inside them (index ranges per cue, so a
        book of ten thousand cues is measured as fast as a chapter)."""
        if not cues:
            return []
        window_s = self.window / self.rate
        in_blocks: dict[str, np.ndarray] = {}
        in_windows: dict[str, np.ndarray] = {}
        for start, end, who in cues:
            if who not in in_blocks:
                in_blocks[who] = np.zeros(blocks.size, dtype=bool)
                in_windows[who] = np.zeros(windows.size, dtype=bool)
            first, last = math.ceil(start / 0.1 - 1e-9), math.floor((end - 0.4) / 0.1 + 1e-9)
            if last >= first:
                in_blocks[who][max(first, 0):last + 1] = True
            first, last = math.ceil(start / window_s - 1e-9), math.floor(end / window_s + 1e-9)
            if last > first:
                in_windows[who][max(first, 0):last] = True
        levels = []
        for name in in_blocks:
            chosen = in_windows[name]
            spoken = float(np.count_nonzero(chosen)) * window_s
            rms = _power_db(float(np.mean(windows[chosen]))) if chosen.any() else loudness.SILENT_DB
            levels.append(SpeakerLevel(name, spoken, loudness.gated_lufs(blocks[in_blocks[name]]), rms))
        return levels


def _blocks(steps: np.ndarray, rate: int) -> np.ndarray:
    """Mean K-weighted power of each 400 ms block, every 100 ms."""
    if steps.size < 4:
        return np.zeros(0)
    sums = steps[:-3] + steps[1:-2] + steps[2:-1] + steps[3:]
    return sums / (0.4 * rate)


def _noise_floor(windows: np.ndarray) -> float:
    """The 5th percentile of the 50 ms levels: the room tone's level."""
    if windows.size < 5:
        return _power_db(float(np.mean(windows))) if windows.size else loudness.SILENT_DB
    fifty = windows[:windows.size // 5 * 5].reshape(-1, 5).mean(axis=1)
    return _power_db(float(np.percentile(fifty, 5)))


def _power_db(power: float) -> float:
    return 10 * math.log10(power) if power > 0 else loudness.SILENT_DB


def _level(value: float) -> str:
    return "silent" if value <= loudness.SILENT_DB else f"{value:.1f} dBFS"


def _clock(seconds: Optional[float]) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def _kbps(bitrate: str) -> float:
    text = bitrate.strip().lower()
    return float(text[:-1]) if text.endswith("k") else float(text) / 1000
