"""`audiobook text`: the plain text the tool reads, which script offsets index."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def audiobook(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "audiobook", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_script_offsets_index_the_text_of_a_windows_1252_file(tmp_path):
    story = tmp_path / "old.txt"
    story.write_bytes("Chapter 1\r\n\r\n\u201cCaf\u00e9?\u201d asked Zo\u00eb. \u201cNo,\u201d said Tom.\r\n"
                      .encode("cp1252"))
    shown = audiobook("text", story)
    assert shown.returncode == 0
    assert shown.stderr.strip() == f"note: {story}: not UTF-8; read as Windows-1252 (cp1252)"
    text = shown.stdout
    assert text == "Chapter 1\n\n\u201cCaf\u00e9?\u201d asked Zo\u00eb. \u201cNo,\u201d said Tom.\n"
    script = json.loads(audiobook("script", story, "--no-voices", "--format", "json").stdout)
    segments = script["chapters"][0]["segments"]
    assert [text[s["start"]:s["end"]] for s in segments] == [
        "\u201cCaf\u00e9?\u201d", "asked Zo\u00eb.", "\u201cNo,\u201d", "said Tom."]


def test_text_of_a_binary_file_is_one_line_and_exit_2(tmp_path):
    story = tmp_path / "image.txt"
    story.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    shown = audiobook("text", story)
    assert shown.returncode == 2
    assert shown.stdout == ""
    assert shown.stderr.count("\n") == 1 and str(story) in shown.stderr


def test_terminal_escapes_in_the_story_never_reach_the_script_output(tmp_path):
    story = tmp_path / "\u0432\u043e\u0439\u043d\u0430.txt"
    story.write_text("Chapter 6: \x1b[31mred\x1b[0m\n\n\u201c\x1b]0;owned\x07Hi,\u201d said \x1b[1mTom\x1b[0m.\n",
                     encoding="utf-8")
    shown = audiobook("script", story, "--no-voices")
    assert shown.returncode == 0, shown.stderr
    assert "\x1b" not in shown.stdout + shown.stderr and "\x07" not in shown.stdout
    assert "## 1. Chapter 6: red" in shown.stdout and "Hi," in shown.stdout
    script = json.loads(audiobook("script", story, "--no-voices", "--format", "json").stdout)
    assert all("\x1b" not in s["text"] for c in script["chapters"] for s in c["segments"])
