"""The `audiobook` command: user mistakes, help examples, the JSON contract, `cast`."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook.cli import main
from tests.conftest import ROOT, SAMPLE_STORY, SAMPLE_VOICES

DATA = Path(__file__).parent / "data" / "casting"
COMMANDS = ("build", "script", "text", "voices", "cast", "preview")


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
    assert result.stdout.splitlines()[2] == "id\tspeaker\trule\tconfidence\ttext"
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
