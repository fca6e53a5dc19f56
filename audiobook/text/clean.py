"""Control characters out of what is shown or spoken as a name or title.

A story may hold terminal escapes (``ESC[31m``), engine commands (``\\x01``)
or other control characters; titles, names and spoken segment texts get them
removed, so nothing of the story reaches a terminal, a file name or the
engine as a command.  Offsets are untouched: this works on copies.
"""
from __future__ import annotations

import re

# ANSI escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), and two-byte escapes.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t\n]+")


def strip_controls(text: str) -> str:
    """`text` without escape sequences and control characters (tabs and newlines kept)."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ANSI.sub("", text))


def clean_title(text: str) -> str:
    """A one-line title or name: no control characters, whitespace runs made one space."""
    return _SPACES.sub(" ", strip_controls(text)).strip()
