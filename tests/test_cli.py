"""The `audiobook` command: user mistakes, help examples, the JSON contract, `cast`."""
from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook.audio.runtime import prepare_audio
from audiobook.cli import main
from audiobook.errors import UserError
from tests.conftest import ROOT, SAMPLE_STORY, SAMPLE_VOICES

DATA = Path(__file__).parent / "data" / "casting"
COMMANDS = ("build", "script", "text", "voices", "cast", "preview")
FFMPEG = prepare_audio()


def run(*args: str) -> "click.testing.Result":
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("bad, line, message", [
    ("unknown_key.yaml", 3, "unknown key charaters (did you mean 'characters'?)"),
    ("wrong_type.yaml", 4, "characters.Jo.rate must be a number"),
    ("out_of_range.yaml", 3, "narrator.pitch must be a number from 0 to 100, not 150"),
])
def test_a_voices_mistake_is_one_line_exit_2_and_nothing_written(tmp_path, bad, line, message):
    out = tmp_path / "out"
    result = run("build", SAMPLE_STORY, "--voices", DATA / bad, "--out", out)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {DATA / bad}:{line}: ")
    assert message in lines[0] and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_voice_the_engine_lacks_is_refused_before_anything_is_written(tmp_path):
    """A separate process: the real engine checks the id, as a user would see it."""
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "audiobook", "build", str(SAMPLE_STORY), "--voices",
                           str(DATA / "unknown_voice.yaml"), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"error: {DATA / 'unknown_voice.yaml'}:6: characters.Phil.voice: unknown voice 'elvish' "
        "(`audiobook voices` lists them)"]
    assert not out.exists()


def test_an_alias_claimed_twice_is_a_warning_naming_the_line():
    result = run("script", SAMPLE_STORY, "--voices", DATA / "shared_alias.yaml", "--format", "json")
    assert result.exit_code == 0
    assert f"warning: {DATA / 'shared_alias.yaml'}:5: alias 'Alex' is listed under Alex Karev and Alexandra" \
        in result.stderr
    json.loads(result.stdout)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_shows_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"audiobook {command} " in result.output


def test_script_json_is_one_object_whose_offsets_point_into_the_story():
    result = run("script", SAMPLE_STORY, "--voices", SAMPLE_VOICES, "--format", "json")
    assert result.exit_code == 0
    script = json.loads(result.stdout)  # the whole of stdout is one JSON value
    source = SAMPLE_STORY.read_text(encoding="utf-8")
    cast = {"Alex Karev", "Jo Wilson", "Mrs. Daniels", "Stephanie", "Jason", "Tommy", "Phil", "unknown"}
    segments = [s for chapter in script["chapters"] for s in chapter["segments"]]
    assert len(segments) > 50
    for segment in segments:
        span = source[segment["start"]:segment["end"]]
        assert " ".join(segment["text"].split()) in " ".join(span.split())
        if segment["kind"] == "narration":
            assert segment["speaker"] is None
        else:
            assert segment["speaker"] in cast
    speakers = {s["speaker"] for s in segments}
    assert {"Alex Karev", "Jo Wilson", "Mrs. Daniels"} <= speakers  # aliases mapped to canonical names


def test_script_prints_the_cast_report_on_stderr_only():
    result = run("script", SAMPLE_STORY, "--voices", SAMPLE_VOICES, "--format", "tsv")
    assert result.exit_code == 0
    assert "id\tspeaker\tattributed\tcheck\trule\tconfidence\ttext" in result.stdout.splitlines()
    report = result.stderr
    assert "Alex Karev" in report and "en-us+m3" in report and "19 lines" in report
    assert "Cast (" not in result.stdout


def test_cast_finds_the_main_characters_with_their_genders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./voices.yaml: the text alone
    story = tmp_path / "princess.txt"
    shutil.copy(SAMPLE_STORY, story)
    result = run("cast", story)
    assert result.exit_code == 0, result.output
    rows = {line.split("  ")[0]: line for line in result.stdout.splitlines()}
    assert "male" in rows["Alex Karev"].split() and "female" in rows["Mrs. Daniels"].split()
    assert "Jo Wilson" in rows


def test_cast_guesses_jo_is_female(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    story = tmp_path / "princess.txt"
    shutil.copy(SAMPLE_STORY, story)
    rows = {line.split("  ")[0]: line for line in run("cast", story).stdout.splitlines()}
    assert "female" in rows["Jo Wilson"].split()


def test_cast_write_keeps_what_the_user_wrote(tmp_path):
    story, voices = tmp_path / "princess.txt", tmp_path / "voices.yaml"
    shutil.copy(SAMPLE_STORY, story)
    shutil.copy(DATA / "alex_rate.yaml", voices)
    result = run("cast", story, "--write", voices)
    assert result.exit_code == 0, result.output
    text = voices.read_text(encoding="utf-8")
    assert "    rate: 150   # slow on purpose" in text and text.startswith("# My cast: Alex is slow.")
    assert text.count("rate: 150") == 1 and "paragraph: 700" in text
    from audiobook.casting import load_cast

    cast = load_cast(voices)
    assert cast.members["Alex Karev"].voice["rate"] == 150
    assert cast.members["Alex Karev"].character.gender == "male"
    assert {"Jo Wilson", "Mrs. Daniels"} <= set(cast.members)
    assert all("id" in cast.members[n].voice for n in ("Alex Karev", "Jo Wilson", "Mrs. Daniels"))
    again = run("cast", story, "--write", voices)
    assert again.exit_code == 0 and voices.read_text(encoding="utf-8") == text  # a second merge adds nothing


def test_script_without_a_cast_voices_discovered_characters_by_gender(tmp_path, monkeypatch):
    """--no-voices ignores voices.yaml; discovered genders still pick male and female voices."""
    monkeypatch.chdir(tmp_path)
    story = tmp_path / "princess.txt"
    shutil.copy(SAMPLE_STORY, story)
    shutil.copy(SAMPLE_VOICES, tmp_path / "voices.yaml")
    result = run("script", story, "--no-voices", "--format", "json")
    assert result.exit_code == 0, result.output
    segments = [s for c in json.loads(result.stdout)["chapters"] for s in c["segments"] if s["kind"] == "dialogue"]
    voice_of = {s["speaker"]: s["voice"] for s in segments}
    jo = next(name for name in voice_of if name.startswith("Jo"))
    assert "+m" in voice_of["Alex Karev"] and "+f" in voice_of[jo] and "+f" in voice_of["Mrs. Daniels"]
    assert "Cast (" in result.stderr and "no voices.yaml" in result.stderr


def test_an_output_folder_that_cannot_be_made_fails_before_synthesis(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("build", SAMPLE_STORY, "--voices", SAMPLE_VOICES, "--out", blocker)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "output folder" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "Built" not in result.stdout


# --------------------------------------------------------------------------- stopping: signals and a full disk

def long_story(folder: Path, chapters: int = 20) -> Path:
    """A story of `chapters` chapters of about 25 sentences each: long enough to stop midway."""
    story = folder / "long.txt"
    story.write_text("\n\n".join(
        f"Chapter {n}\n\n" + " ".join(f"The keeper climbed stair {k} of tower {n} and looked out to sea."
                                      for k in range(25))
        for n in range(1, chapters + 1)), encoding="utf-8")
    return story


def start_build(tmp_path: Path, story: Path, *options: str, **popen) -> subprocess.Popen:
    """A real build in its own process, with its own empty temporary folder."""
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env = dict(os.environ, TMPDIR=str(tmp_path / "tmp"))
    command = [sys.executable, "-m", "audiobook", "build", str(story), "--no-voices", "--out", str(tmp_path / "out")]
    return subprocess.Popen([*command, *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=env, **popen)


def left_behind(tmp_path: Path) -> list[str]:
    """Staging folders, partial files and scratch folders anywhere under the output and temporary folders."""
    staged = [p for p in (tmp_path / "out").rglob("*") if p.name.startswith(".audiobook-staging")
              or p.name.endswith(".partial")]
    return [str(p) for p in staged + list((tmp_path / "tmp").iterdir())]


def test_a_stopped_command_exits_even_when_a_thread_would_hold_up_the_exit():
    """A thread left blocked (as a worker pool's can be, once its workers are killed mid-send) must not keep a
    stopped command from exiting with its status."""
    program = ("import signal, threading\n"
               "from audiobook import cli\nfrom audiobook.errors import Interrupted\n"
               "cli.EXIT_GRACE = 1\n"
               "threading.Thread(target=threading.Event().wait).start()  # never ends, and is not a daemon\n"
               "@cli.friendly_errors\ndef command():\n    raise Interrupted(signal.SIGTERM, [])\n"
               "command()\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=30)
    assert done.returncode == 128 + signal.SIGTERM
    assert done.stderr.startswith("terminated before any file was finished")


def test_sigterm_midway_stops_cleanly_and_keeps_the_finished_chapters(tmp_path):
    """Two worker processes, two editions: after SIGTERM no worker, staging folder or scratch file is left."""
    build = start_build(tmp_path, long_story(tmp_path), "--jobs", "2", "--format", "chapters,mp3")
    progress = []
    while not progress or not progress[-1].startswith("[2/20]"):
        line = build.stderr.readline()
        assert line, f"the build ended before its second chapter: {progress}"
        progress.append(line)
    build.send_signal(signal.SIGTERM)
    _out, err = build.communicate(timeout=60)
    assert build.returncode == 143, err
    folder = tmp_path / "out" / "long"
    kept = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    assert {"01 - Chapter 1.mp3", "01 - Chapter 1.vtt", "02 - Chapter 2.mp3"} <= set(kept), (kept, err)
    lines = [line for line in err.splitlines() if not line.startswith("[")]
    assert lines == [f"terminated: the {len(kept)} files already finished are kept in {folder}; "
                     "nothing half-written was left; the same command goes on from there."], (kept, err)
    assert "Traceback" not in err and left_behind(tmp_path) == [], err
    assert not (tmp_path / "out" / "long-mp3").exists()  # the one-file book was not finished: nothing of it


def test_ctrl_c_before_anything_is_finished_says_so(tmp_path):
    build = start_build(tmp_path, long_story(tmp_path, 3), "--jobs", "1")
    assert build.stdout.readline().startswith("Cast (")  # checked and cast: synthesis is starting
    build.send_signal(signal.SIGINT)
    _out, err = build.communicate(timeout=60)
    assert build.returncode == 130
    assert err.splitlines() == ["interrupted before any file was finished; nothing half-written was left."]
    assert list((tmp_path / "out").iterdir()) == [] and left_behind(tmp_path) == []


def noisy_png(path: Path, side: int) -> Path:
    """A valid PNG of random pixels: about 3 * side * side bytes that do not compress."""
    raw = b"".join(b"\x00" + os.urandom(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


def test_a_disk_full_while_tagging_names_the_file_in_one_line(tmp_path):
    """Files may grow to 100 kB only: the chapter's audio (a few kB) fits, the tag with a 120 kB cover does not."""
    story = tmp_path / "s.txt"
    story.write_text("Chapter 1\n\nThe keeper climbed the stairs.\n\nChapter 2\n\nThe lamp was lit.\n", encoding="utf-8")
    cover = noisy_png(tmp_path / "cover.png", 200)
    assert cover.stat().st_size > 100_000

    def limit_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    build = start_build(tmp_path, story, "--jobs", "1", "--cover", str(cover), preexec_fn=limit_file_size)
    out, err = build.communicate(timeout=120)
    assert build.returncode == 1
    assert err.splitlines() == [f"error: {tmp_path / 'out' / 's' / '01 - Chapter 1.mp3'}: cannot write: File too large"]
    assert "Built" not in out
    assert not (tmp_path / "out" / "s").exists() and left_behind(tmp_path) == []  # nothing half-written


def test_a_tag_write_that_fails_is_one_error_naming_the_file(tmp_path):
    """Below the CLI: mutagen's wrapped OS error becomes one EngineError naming the final file,
    with no chained exception to print."""
    from audiobook.audio.export import tag_file
    from audiobook.audio.files import unique_file
    from audiobook.audio.tags import Tags, write_id3
    from audiobook.errors import EngineError

    staging = tmp_path / ".audiobook-staging-x"
    staging.mkdir()
    partial = unique_file(staging, "01 - Chapter 1.mp3")
    shutil.rmtree(staging)  # gone before the tag is written, as a folder on a disk that went away
    with pytest.raises(EngineError) as caught:
        tag_file(write_id3, partial, Tags("One", "Book"))
    assert str(caught.value) == f"{tmp_path / '01 - Chapter 1.mp3'}: cannot write: No such file or directory"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


# --------------------------------------------------------------------------- the story's text is shown, never obeyed

def test_escape_sequences_in_a_story_never_reach_the_terminal(tmp_path):
    story = tmp_path / "red.txt"
    story.write_text("Chapter 1: \x1b[31mRed\x1b[0m\n\n\"Stop \x1b]0;owned\x07now,\" said Tom.\x9b2J The end.\n",
                     encoding="utf-8")
    for fmt in ("text", "tsv", "json"):
        result = run("script", story, "--no-voices", "--format", fmt)
        assert result.exit_code == 0, result.output
        shown = result.stdout + result.stderr
        assert not any(char in shown for char in "\x1b\x07\x9b"), (fmt, shown)
        if fmt == "json":
            json.loads(result.stdout)
        else:
            assert "now," in shown and (fmt == "tsv" or "Red" in shown)
