"""The speech cache on real speech from the real engine."""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook.audio.cache import SpeechCache, default_folder, render_through
from audiobook.audio.synthesis import Engine, engine_version
from audiobook.cli import main
from audiobook.model import SpeechJob, Voice

JO = Voice("gmw/en-us+f3", 172, 62)
LINES = ["Hey,", "You okay?", "Are you faking?", "Joke's on you.", "You'll be fine.", "There're other programs."]


@pytest.fixture(scope="module")
def rendered(engine: Engine):
    jobs = [SpeechJob(text, JO) for text in LINES]
    return jobs, engine.render_many(jobs)


def test_what_comes_out_is_sample_for_sample_what_went_in_and_smaller(tmp_path: Path, rendered):
    jobs, audio = rendered
    cache = SpeechCache(tmp_path)
    for job, segment in zip(jobs, audio):
        assert cache.get(job) is None
        cache.put(job, segment)
    for job, segment in zip(jobs, audio):
        back = cache.get(job)
        assert back.raw_data == segment.raw_data
        assert (back.frame_rate, back.sample_width, back.channels) == (segment.frame_rate, 2, 1)
    raw = sum(len(a.raw_data) for a in audio)
    assert cache.size() < 0.75 * raw  # compressed, losslessly
    assert (cache.stats.hits, cache.stats.misses) == (len(jobs), len(jobs))


def test_the_key_holds_the_text_the_voice_and_the_engine_version(tmp_path: Path, rendered):
    jobs, audio = rendered
    cache = SpeechCache(tmp_path)
    cache.put(jobs[0], audio[0])
    assert cache.get(SpeechJob(jobs[0].text, Voice(JO.id, JO.rate + 1, JO.pitch))) is None
    assert cache.get(SpeechJob(jobs[0].text + " ", JO)) is None
    assert SpeechCache(tmp_path, engine_version="espeak-ng 0.0; synthesis 0").get(jobs[0]) is None
    assert SpeechCache(tmp_path, engine_version=engine_version()).get(jobs[0]) is not None
    assert "espeak-ng" in engine_version() and "synthesis" in engine_version()


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_broken_entry_is_a_miss_and_is_removed(tmp_path: Path, rendered, damage: str):
    jobs, audio = rendered
    cache = SpeechCache(tmp_path)
    cache.put(jobs[2], audio[2])
    path = cache.path(jobs[2])
    blob = path.read_bytes()
    broken = {"truncate": blob[: len(blob) // 2], "flip": blob[:-100] + bytes([blob[-100] ^ 0xFF]) + blob[-99:],
              "garbage": os.urandom(len(blob)), "empty": b""}[damage]
    path.write_bytes(broken)
    assert cache.get(jobs[2]) is None
    assert not path.exists()
    cache.put(jobs[2], audio[2])
    assert cache.get(jobs[2]).raw_data == audio[2].raw_data


def _writer(folder: str, rounds: int) -> None:
    engine = Engine()
    cache = SpeechCache(Path(folder))
    jobs = [SpeechJob(text, JO) for text in LINES]
    for _ in range(rounds):
        for job, audio in zip(jobs, engine.render_many(jobs)):
            cache.put(job, audio)
            got = cache.get(job)
            assert got is not None and got.raw_data == audio.raw_data


def test_two_processes_sharing_the_cache_leave_every_entry_whole(tmp_path: Path, rendered):
    jobs, audio = rendered
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_writer, args=(str(tmp_path), 4)) for _ in range(2)]
    for process in writers:
        process.start()
    for process in writers:
        process.join(120)
    assert [p.exitcode for p in writers] == [0, 0]
    cache = SpeechCache(tmp_path)
    assert [cache.get(job).raw_data for job in jobs] == [a.raw_data for a in audio]
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".partial")]


def test_the_cache_is_bounded_and_drops_the_least_recently_used(tmp_path: Path, rendered):
    jobs, audio = rendered
    sizes = []
    probe = SpeechCache(tmp_path / "probe")
    for job, segment in zip(jobs, audio):
        probe.put(job, segment)
        sizes.append(probe.path(job).stat().st_size)
    limit = sum(sizes[:3]) + 100
    small = SpeechCache(tmp_path / "bounded", limit_bytes=limit)
    for job, segment in zip(jobs, audio):
        small.put(job, segment)
        assert small.size() <= limit  # puts alone keep it in bounds
    for i, job in enumerate(jobs):
        os.utime(probe.path(job), (1000 + i, 1000 + i))  # one second apart, oldest first
    os.utime(probe.path(jobs[0]), (5000, 5000))  # used again lately
    cache = SpeechCache(tmp_path / "probe", limit_bytes=limit)
    cache.trim()
    assert cache.size() <= 0.9 * limit
    kept = [cache.get(job) is not None for job in jobs]
    assert kept[0] and kept[-1]
    assert not kept[1]  # the least recently used went first
    assert sum(kept) < len(jobs)


def test_render_through_the_cache_renders_the_misses_in_one_batch(tmp_path: Path, engine: Engine, rendered):
    jobs, audio = rendered
    batches = []

    class Counting:
        def render_many(self, batch):
            batches.append(len(batch))
            return engine.render_many(batch)

    cache = SpeechCache(tmp_path)
    for i in (1, 4):
        cache.put(jobs[i], audio[i])
    out = render_through(Counting(), cache, jobs)
    assert batches == [len(jobs) - 2]
    assert [a.raw_data for a in out] == [a.raw_data for a in audio]
    assert [a.raw_data for a in render_through(Counting(), cache, jobs)] == [a.raw_data for a in audio]
    assert batches == [len(jobs) - 2]  # all hits the second time
    assert [a.raw_data for a in render_through(engine, None, jobs)] == [a.raw_data for a in audio]


def test_a_cache_that_cannot_be_written_leaves_the_build_going(tmp_path: Path, rendered):
    jobs, audio = rendered
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = SpeechCache(blocker)
    cache.put(jobs[0], audio[0])  # no error
    assert cache.get(jobs[0]) is None


def test_the_default_folder_follows_xdg(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_folder() == tmp_path / "audiobook"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert default_folder() == Path.home() / ".cache" / "audiobook"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_folder() == Path.home() / ".cache" / "audiobook"


def test_clean_empties_the_cache_and_says_how_much_it_freed(tmp_path: Path, rendered, monkeypatch):
    jobs, audio = rendered
    cache = SpeechCache(tmp_path / "c")
    for job, segment in zip(jobs, audio):
        cache.put(job, segment)
    size = cache.size()
    result = CliRunner().invoke(main, ["clean", "--cache", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    assert f"removed {len(jobs)} cached utterances, {size / 1e6:,.1f} MB" in result.output
    assert cache.size() == 0 and all(cache.get(job) is None for job in jobs)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    again = CliRunner().invoke(main, ["clean"])
    assert again.exit_code == 0 and "already empty" in again.output and str(tmp_path / "xdg") in again.output
