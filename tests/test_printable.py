"""Text made safe to show: terminal escape sequences and control characters removed, words kept."""
from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.audio.export import chapter_stem, lrc, playlist, webvtt
from audiobook.audio.tags import ChapterMark, Tags
from audiobook.model import BookInfo, Cue
from audiobook.printable import printable


@pytest.mark.parametrize("text, shown", [
    ("\x1b[31mred\x1b[0m", "red"),  # SGR colour
    ("\x1b[2J\x1b[Hcleared", "cleared"),  # clear screen, cursor home
    ("a\x1b]0;new window title\x07b", "ab"),  # OSC, ended by BEL
    ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),  # OSC hyperlink, ended by ST
    ("one-byte \x9b31mCSI", "one-byte CSI"),
    ("keypad \x1b=mode", "keypad mode"),
    ("bell\x07, null\x00, delete\x7f", "bell, null, delete"),
    ("\u202eevil\u202c.mp3", "evil.mp3"),  # a direction override would show "3pm.live"
    ("tab\tand\nnewline", "tab and newline"),
    ("  spaced   out ", "spaced out"),
    ("Ünïcode — 章, emoji 👩\u200d👩, zero-width non-joiner می\u200cخواهم", None),  # kept as it is
    ("", ""),
])
def test_printable(text, shown):
    assert printable(text) == (text if shown is None else shown)


def test_several_lines_keep_their_breaks():
    assert printable("first\r\n\x1b[1msecond\x1b[0m  line\n\nthird\x00", lines=True) == "first\nsecond line\n\nthird"


def test_file_names_subtitles_and_playlists_show_no_escape_sequence():
    red = "\x1b[31mred\x1b[0m"
    assert chapter_stem(6, 9, red) == "06 - red"  # not "06 - [31mred[0m"
    cues = [Cue(0, 1000, f"Tom{red}", f"Stop{red}\x07 now")]
    for text in (webvtt(cues), lrc(cues, Tags(red, red, red)),
                 playlist(BookInfo(red, "red", author=red), [Path("01 - red.mp3")], [ChapterMark(red, 0, 1000)])):
        assert "\x1b" not in text and "\x07" not in text and "[31m" not in text and "red" in text
