"""`audiobook check` on real builds, and the levels it reports checked independently.

A few real builds (real pyttsx3, real ffmpeg) are shared by every test here:
the sample story with the default profile (twice: the second in worker
processes with an empty speech cache, for determinism) and with the acx
profile, and a four-chapter story with both.  The independent figures come
from ffmpeg's own astats and ebur128 filters and from numpy and pyloudnorm on
the decoded samples, never from audiobook.audio.check.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from click.testing import CliRunner

from audiobook.audio.check import audio_files, check, measure
from audiobook.audio.profiles import PROFILES
from audiobook.cli import main
from audiobook.pipeline import build
from tests.acoustics import decode, ffmpeg_levels, read_vtt, samples, sound_bounds
from tests.conftest import SAMPLE_STORY, SAMPLE_VOICES

BOOK = Path(__file__).parent / "data" / "books" / "the_lighthouse.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory, engine):
    """name -> folder of chapter files, for each shared build."""
    root = tmp_path_factory.mktemp("check")
    patch = pytest.MonkeyPatch()
    folders = {}
    try:
        for name, story, voices, profile, jobs in (
                ("princess", SAMPLE_STORY, SAMPLE_VOICES, None, None),
                ("princess again", SAMPLE_STORY, SAMPLE_VOICES, None, 2),
                ("princess acx", SAMPLE_STORY, SAMPLE_VOICES, "acx", None),
                ("book", BOOK, None, None, None),
                ("book acx", BOOK, None, "acx", None)):
            patch.setenv("XDG_CACHE_HOME", str(root / f"cache {name}"))  # nothing comes from a cache
            out = root / name
            result = build(story, voices=voices, out=out, profile=profile, use_cast=voices is not None,
                           engine=None if jobs else engine, jobs=jobs)
            folders[name] = result.folders[0]
    finally:
        patch.undo()
    return folders


def mp3s(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.mp3"))


@pytest.mark.parametrize("name, profile", [("princess", "default"), ("princess acx", "acx"),
                                           ("book", "default"), ("book acx", "acx")])
def test_builds_pass_the_check_of_their_profile(built, name, profile):
    reports = check(built[name], PROFILES[profile])
    assert reports and all(r.passed for r in reports), [
        (r.measures.path.name, [v for v in r.verdicts if v.passed is False]) for r in reports]
    rules = {v.rule for v in reports[0].verdicts}
    assert {"RMS", "sample peak", "true peak", "noise floor", "head silence", "tail silence",
            "sample rate", "channels", "bitrate"} <= rules
    if name.startswith("princess"):
        assert "speaker spread" in rules
    floors = [r.measures.noise_floor_db for r in reports]
    if profile == "acx":  # room tone that is a quiet room's, not digital silence
        assert all(-85 < floor < -65 for floor in floors), floors
    else:
        assert all(floor < -100 for floor in floors), floors


def test_the_command_prints_a_table_and_exits_by_the_rules(built):
    runner = CliRunner()
    passed = runner.invoke(main, ["check", str(built["book acx"]), "--profile", "acx"])
    assert passed.exit_code == 0, passed.output
    assert "04 - Epilogue.mp3  (pass)" in passed.output and "bitrate mode" in passed.output
    assert "All 4 files pass the acx profile's rules." in passed.output
    wrong = runner.invoke(main, ["check", str(built["princess"]), "--profile", "acx"])
    assert wrong.exit_code == 1
    assert any(line.split()[:2] == ["sample", "rate"] and line.endswith("FAIL") for line in wrong.output.splitlines())
    missing = runner.invoke(main, ["check", str(built["princess"] / "nothing here")])
    assert missing.exit_code == 2 and "no such file or folder" in missing.output


def test_a_file_out_of_the_window_fails(built, ffmpeg, tmp_path):
    source = mp3s(built["princess"])[0]
    loud = tmp_path / "loud.mp3"
    subprocess.run([ffmpeg, "-nostdin", "-loglevel", "error", "-i", str(source), "-af", "volume=6dB",
                    "-ar", "22050", "-b:a", "64k", str(loud)], check=True)
    report = check(loud, PROFILES["default"])[0]
    failed = {v.rule for v in report.verdicts if v.passed is False}
    assert {"RMS", "sample peak"} <= failed and not report.passed
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(Exception, match="no audio files"):
        audio_files(empty)


@pytest.mark.parametrize("name", ["princess", "princess acx", "book", "book acx"])
def test_an_independent_measurement_agrees(built, ffmpeg, name):
    """ffmpeg's astats and ebur128 and numpy on the decoded file, against the
    window and against check's own figures."""
    for path in mp3s(built[name]):
        theirs = ffmpeg_levels(path, ffmpeg)
        ours = measure(path)
        assert -23 <= theirs["rms"] <= -18 and theirs["peak"] <= -3, (path.name, theirs)
        assert abs(theirs["rms"] - ours.rms_db) < 0.2 and abs(theirs["peak"] - ours.peak_db) < 0.2
        assert abs(theirs["lufs"] - ours.lufs) < 0.3, (theirs, ours.lufs)
        assert abs(theirs["true_peak"] - ours.true_peak_db) < 0.5, (theirs, ours.true_peak_db)
        audio = decode(path)
        head, tail = sound_bounds(samples(audio), audio.frame_rate)
        assert 0.5 <= head <= 1.0 and 1.0 <= tail <= 5.0, (path.name, head, tail)
        assert abs(head - ours.head_s) < 0.02 and abs(tail - ours.tail_s) < 0.02


@pytest.mark.parametrize("name", ["princess", "princess acx"])
def test_character_voices_are_within_a_decibel_of_each_other(built, name):
    """Each speaker's speech cut out by the subtitles' cues and measured with
    pyloudnorm (BS.1770) and as plain RMS: the voices sit within 1 dB."""
    path = mp3s(built[name])[0]
    audio = decode(path)
    x, rate = samples(audio), audio.frame_rate
    by_speaker: dict[str, list[np.ndarray]] = {}
    for start, end, speaker, _text in read_vtt(path.with_suffix(".vtt")):
        by_speaker.setdefault(speaker, []).append(x[start * rate // 1000:end * rate // 1000])
    meter = pyloudnorm.Meter(rate)
    lufs, rms = {}, {}
    for speaker, parts in by_speaker.items():
        speech = np.concatenate(parts)
        if speech.size < 5 * rate:
            continue  # a line or two says little about a voice's level
        lufs[speaker] = meter.integrated_loudness(speech)
        rms[speaker] = 20 * np.log10(np.sqrt(np.mean(speech ** 2)))
    assert {"narrator", "Alex Karev", "Jo Wilson"} <= set(lufs)
    assert max(lufs.values()) - min(lufs.values()) <= 1.0, lufs
    assert max(rms.values()) - min(rms.values()) <= 1.0, rms


def test_two_builds_give_identical_audio(built):
    """The second build ran in worker processes with a fresh engine and an
    empty speech cache: every decoded sample is the same."""
    first, second = mp3s(built["princess"]), mp3s(built["princess again"])
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second):
        assert decode(a).raw_data == decode(b).raw_data, a.name


def test_a_chapter_too_long_for_the_profile_is_written_in_parts(tmp_path, engine):
    """With a limit of one minute, a chapter of about a minute and a half
    becomes two files, cut in a pause, each with its room tone, each listed in
    the playlist, each passing the check; the one-file edition keeps it whole."""
    from dataclasses import replace

    paragraph = ("The keeper climbed the stairs again, counting every step, and at the top he stopped to "
                 "look at the sea. It was grey and calm, and the gulls were quiet for once.")
    story = tmp_path / "tide.txt"
    story.write_text("# The Tide\n\n" + "\n\n".join([paragraph] * 9) + "\n\n# Morning\n\nThe lamp was out by six. He wrote the hour in the log, "
                     "and the wind, and the number of ships he had seen, and went down to sleep.\n",
                     encoding="utf-8")
    profile = replace(PROFILES["acx"], max_minutes=1)
    result = build(story, out=tmp_path / "out", formats=["chapters,mp3"], profile=profile, use_cast=False,
                   engine=engine)
    folder, whole = result.folders
    names = [p.name for p in mp3s(folder)]
    assert names == ["01 - The Tide (part 1 of 2).mp3", "01 - The Tide (part 2 of 2).mp3", "02 - Morning.mp3"]
    playlist = (folder / "tide.m3u8").read_text(encoding="utf-8").splitlines()
    assert [line for line in playlist if not line.startswith("#")] == names
    parts = [decode(folder / name) for name in names[:2]]
    assert all(len(p) <= 60_000 for p in parts) and sum(len(p) for p in parts) > 75_000
    cues = [read_vtt((folder / name).with_suffix(".vtt")) for name in names[:2]]
    assert [c[3] for c in cues[0] + cues[1]].count(paragraph.split(". ")[0] + ".") == 9
    reports = check(folder, profile)
    assert all(r.passed for r in reports), [[v for v in r.verdicts if v.passed is False] for r in reports]
    assert len(decode(next(whole.glob("*.mp3")))) > sum(len(p) for p in parts)
