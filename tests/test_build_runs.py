"""Builds as a user runs them, in real processes: any number of jobs gives the
same audio, a build killed with SIGKILL resumes to the same audio, two builds
into one folder at once lose nothing, and a rebuild redoes only what changed."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audiobook.audio.files import MANIFEST
from audiobook.pipeline import build

DATA = Path(__file__).parent / "data" / "books"
STORY = DATA / "the_orchard.txt"
SLUG = "the-orchard"
CAST = "characters:\n  Nell: {gender: female, voice: en-us+f3, rate: 165}\n  Amos: {gender: male, voice: en-us+m3, rate: 150}\n"
AMOS_CHAPTERS = {2, 4, 6}


def cli(*args, **kwargs) -> subprocess.Popen:
    """`audiobook ARGS` in a process of its own, without the speech cache
    (so each build synthesises everything it makes)."""
    return subprocess.Popen([sys.executable, "-m", "audiobook", *map(str, args), "--no-cache"],
                            stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def decoded(folder: Path) -> dict[str, str]:
    """Every chapter MP3 of `folder`: its decoded samples' digest."""
    from audiobook.audio.runtime import prepare_audio

    digests = {}
    for path in sorted(folder.glob("[0-9]* - *.mp3")):
        pcm = subprocess.run([prepare_audio(), "-v", "error", "-i", str(path), "-f", "s16le", "-"],
                             capture_output=True, check=True).stdout
        assert len(pcm) > 22050, path  # real audio, not a bare tag
        digests[path.name] = hashlib.sha256(pcm).hexdigest()
    return digests


def chapters_done(folder: Path) -> int:
    try:
        files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError):
        return 0
    stems = [name[:-len(".mp3")] for name in files if name.endswith(".mp3")]
    # a chapter is done when all three of its files are in place (a kill may fall between them)
    return sum(all(f"{stem}.{ext}" in files for ext in ("vtt", "lrc")) for stem in stems)


@pytest.fixture(scope="module")
def cast(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cast") / "voices.yaml"
    path.write_text(CAST, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def one_job(tmp_path_factory, cast) -> dict[str, str]:
    """The story built with one job: the audio every other build must match."""
    out = tmp_path_factory.mktemp("one-job")
    code, _out, err = finish(cli("build", STORY, "--voices", cast, "--out", out, "--jobs", "1"))
    assert code == 0, err
    audio = decoded(out / SLUG)
    assert len(audio) == 6
    return audio


def test_one_and_two_jobs_give_the_same_decoded_audio(one_job, cast, tmp_path):
    code, out, err = finish(cli("build", STORY, "--voices", cast, "--out", tmp_path, "--jobs", "2"))
    assert code == 0, err
    assert "with 2 jobs" in out
    assert decoded(tmp_path / SLUG) == one_job
    # not a terminal: a line per chapter shows progress
    progress = [line.split("]")[0] for line in err.splitlines() if line.startswith("[")]
    assert sorted(progress) == [f"[{n}/6" for n in range(1, 7)]


def test_a_build_killed_midway_resumes_to_the_same_audio(one_job, cast, tmp_path):
    folder = tmp_path / SLUG
    process = cli("build", STORY, "--voices", cast, "--out", tmp_path, "--jobs", "1")
    while process.poll() is None and chapters_done(folder) < 1:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    kept = chapters_done(folder)
    assert process.returncode == -signal.SIGKILL and 1 <= kept < 6, "the build was not killed midway"
    assert not (folder / f"{SLUG}.m3u8").exists()
    code, out, err = finish(cli("build", STORY, "--voices", cast, "--out", tmp_path, "--jobs", "1"))
    assert code == 0, err
    assert f"{kept} unchanged chapter" in out
    assert decoded(folder) == one_job
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [MANIFEST]  # no staging left


def test_two_builds_into_one_folder_at_once_lose_nothing(one_job, cast, tmp_path):
    first = cli("build", STORY, "--voices", cast, "--out", tmp_path, "--jobs", "1")
    second = cli("build", STORY, "--voices", cast, "--out", tmp_path, "--jobs", "1")
    results = [finish(first), finish(second)]
    codes = sorted(code for code, _out, _err in results)
    assert codes in ([0, 0], [0, 2]), results
    for code, _out, err in results:
        if code == 2:
            assert len(err.strip().splitlines()) == 1 and "another build is writing into this folder" in err
            assert "Traceback" not in err
    assert decoded(tmp_path / SLUG) == one_job


def test_rebuilds_redo_only_what_changed_and_remove_what_is_no_longer_made(tmp_path, cast, engine):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build(STORY, voices=cast, out=out, engine=engine, cache=cache)
    folder = out / SLUG
    assert first.rendered == 6 and first.reused == 0 and first.cached + first.synthesised == first.segments
    assert first.cached <= 2  # only what the book says twice ("said Amos.")
    (folder / "my notes.txt").write_text("mine", encoding="utf-8")
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.mp3")}

    again = build(STORY, voices=cast, out=out, engine=engine, cache=cache)
    assert again.rendered == 0 and again.reused == 6 and again.synthesised == again.cached == 0
    assert {p.name: p.stat().st_mtime_ns for p in folder.glob("*.mp3")} == stamps

    changed = tmp_path / "changed.yaml"
    changed.write_text(CAST.replace("rate: 150", "rate: 210"), encoding="utf-8")
    faster = build(STORY, voices=changed, out=out, engine=engine, cache=cache)
    assert faster.rendered == len(AMOS_CHAPTERS) and faster.reused == 6 - len(AMOS_CHAPTERS)
    amos_lines = sum(1 for line in (folder / "02 - Chapter 2 - The Keeper.vtt").read_text(encoding="utf-8").split(
        "\n\n") if "<v Amos>" in line)
    assert amos_lines == 2
    assert 0 < faster.synthesised <= 8 and faster.cached > faster.synthesised  # only Amos's speech is new
    remade = {int(p.name[:2]) for p in folder.glob("*.mp3") if p.stat().st_mtime_ns != stamps[p.name]}
    assert remade == AMOS_CHAPTERS

    shorter = tmp_path / "short" / STORY.name
    shorter.parent.mkdir()
    text = STORY.read_text(encoding="utf-8")
    shorter.write_text(text[:text.index("## Chapter 5")], encoding="utf-8")
    cut = build(shorter, voices=changed, out=out, engine=engine, cache=cache)
    assert cut.chapters == 4  # (each chapter's tags say "n of 4" now, so each is made again)
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    assert not [n for n in names if n.startswith(("05", "06"))]
    assert "my notes.txt" in names and len(cut.removed) == 6
    playlist = (folder / f"{SLUG}.m3u8").read_text(encoding="utf-8")
    assert [line for line in playlist.splitlines() if not line.startswith("#")] == sorted(
        n for n in names if n.endswith(".mp3"))


def test_a_planted_symlink_is_never_followed(tmp_path, cast, engine):
    out = tmp_path / "out"
    folder = out / SLUG
    folder.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    planted = folder / "01 - Chapter 1 - The Gate.mp3"
    planted.symlink_to(victim)
    build(STORY, voices=cast, out=out, engine=engine)
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert planted.is_file() and not planted.is_symlink()

    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / SLUG).symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(Exception) as caught:
        build(STORY, voices=cast, out=linked, engine=engine)
    assert "symbolic link" in str(caught.value)
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_chapter_assembled_a_window_at_a_time_sounds_as_one_assembled_whole(tmp_path, cast, engine, monkeypatch):
    """A chapter longer than the window streams in windows; the joins keep its pauses and cues."""
    from audiobook.audio import workers
    from tests.acoustics import decode, read_vtt

    whole = build(STORY, voices=cast, out=tmp_path / "whole", engine=engine, cache=False)
    monkeypatch.setattr(workers, "WINDOW", 2)
    windowed = build(STORY, voices=cast, out=tmp_path / "windowed", engine=engine, cache=False)
    assert abs(windowed.duration_ms - whole.duration_ms) <= 6 * 3
    for name in ("02 - Chapter 2 - The Keeper", "06 - Chapter 6 - The Road Home"):
        a, b = (read_vtt(out / SLUG / f"{name}.vtt") for out in (tmp_path / "whole", tmp_path / "windowed"))
        assert len(a) == len(b) >= 5
        assert [(speaker, text) for *_t, speaker, text in a] == [(speaker, text) for *_t, speaker, text in b]
        assert all(abs(x[0] - y[0]) <= 3 and abs(x[1] - y[1]) <= 3 for x, y in zip(a, b))
        lengths = [len(decode(out / SLUG / f"{name}.mp3")) for out in (tmp_path / "whole", tmp_path / "windowed")]
        assert abs(lengths[0] - lengths[1]) <= 3


def test_a_long_book_starts_its_workers_measuring_the_cast_while_it_is_read(one_job, cast, tmp_path, monkeypatch):
    """Past EARLY_POOL_BYTES the worker pool starts before the book is read
    and measures every voice the cast file sets into the cache; the audio is
    the same as ever."""
    import audiobook.pipeline as pipeline

    monkeypatch.setattr(pipeline, "EARLY_POOL_BYTES", 0)
    started = []
    real = pipeline._early_pool
    monkeypatch.setattr(pipeline, "_early_pool", lambda *a: started.append(real(*a)) or started[-1])
    result = build(STORY, cast, out=tmp_path / "out", jobs=2, cache=tmp_path / "cache")
    assert started and started[0] is not None and result.jobs == 2
    assert decoded(tmp_path / "out" / SLUG) == one_job
    gains = list((tmp_path / "cache").glob("gains-*/*.json"))
    assert len(gains) == 3  # the narrator's, Nell's and Amos's voices, each measured once


def test_a_rebuild_starts_no_workers_before_it_knows_there_is_work(cast, tmp_path, monkeypatch):
    """A long book built into a folder that holds an earlier build of it does
    not start its worker pool while it is read: nothing may need making."""
    import audiobook.pipeline as pipeline

    monkeypatch.setattr(pipeline, "EARLY_POOL_BYTES", 0)
    started = []
    real = pipeline._early_pool
    monkeypatch.setattr(pipeline, "_early_pool", lambda *a: started.append(real(*a)) or started[-1])
    first = build(STORY, cast, out=tmp_path / "out", jobs=2, cache=tmp_path / "cache")
    again = build(STORY, cast, out=tmp_path / "out", jobs=2, cache=tmp_path / "cache")
    assert started[0] is not None and started[1] is None
    assert first.rendered == first.chapters and again.reused == again.chapters and again.rendered == 0


def test_an_early_pool_leaves_a_bad_voice_to_the_cast_check(tmp_path, monkeypatch):
    import audiobook.pipeline as pipeline
    from audiobook.errors import UserError

    monkeypatch.setattr(pipeline, "EARLY_POOL_BYTES", 0)
    bad = tmp_path / "voices.yaml"
    bad.write_text("characters:\n  Nell: {voice: en-us+nosuchvariant}\n", encoding="utf-8")
    with pytest.raises(UserError) as failure:
        build(STORY, bad, out=tmp_path / "out", jobs=2, cache=tmp_path / "cache")
    assert "characters.Nell.voice" in str(failure.value)
    assert not list((tmp_path / "out").glob("*/*.mp3"))
