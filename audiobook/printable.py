"""Text made safe to show: no terminal escape sequences, no control characters.

A story is text from anywhere, and text can carry ANSI escape sequences
(``ESC [ 31 m`` turns a terminal red; others move the cursor, retitle the
window or rewrite the screen), bare control characters and the Unicode
direction overrides that make a file name read backwards.  Whatever the tool
shows or writes as a name (terminal output, file names, tags, subtitles,
metadata files) goes through `printable` first.  The story's words are kept;
only the invisible machinery goes.
"""
from __future__ import annotations

import re
import unicodedata

# ESC or the one-byte CSI (U+009B), then the rest of the sequence it starts:
# CSI: parameters and intermediates, then one final byte; OSC, DCS, SOS, PM, APC:
# a string up to BEL or ST; anything else: ESC and the one character after it.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)
# direction overrides and marks (they make a name read backwards), and the two noncharacters XML refuses
_NOT_SHOWN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\ufffe\uffff"
_SPACES = re.compile(r"[ \t\u00a0]+")


def printable(text: str, lines: bool = False) -> str:
    """`text` without escape sequences, control characters or direction overrides.

    A tab, and with `lines` false a line break too, becomes a space and runs
    of spaces are collapsed; with `lines` true, line breaks are kept (as
    ``\\n``) for text of several lines, such as a description.
    """
    if not text:
        return text
    text = _ESCAPE.sub("", text)
    kept = []
    for char in text.replace("\r\n", "\n"):
        if char == "\n" and lines:
            kept.append(char)
        elif char in "\t\n\r\v\f\x85\u2028\u2029":
            kept.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cs") and char not in _NOT_SHOWN:
            kept.append(char)
    cleaned = "".join(kept)
    if lines:
        return "\n".join(_SPACES.sub(" ", line).strip() for line in cleaned.split("\n")).strip("\n")
    return _SPACES.sub(" ", cleaned).strip()



def terminal_safe(text: str) -> str:
    """`text` for a terminal, laid out as it is: escape sequences, control
    characters and direction overrides removed, but spaces, tabs and line
    breaks kept (columns stay aligned, a TSV keeps its tabs)."""
    text = _ESCAPE.sub("", text)
    return "".join(char for char in text if char in "\t\n"
                   or (unicodedata.category(char) not in ("Cc", "Cs") and char not in _NOT_SHOWN))


def json_safe(text: str) -> str:
    """A JSON document with the characters a terminal may obey written as
    ``\\uXXXX`` escapes (DEL, the C1 controls such as the one-byte CSI, and the
    direction overrides); it parses to exactly the same values."""
    return re.sub("[\x7f-\x9f" + _NOT_SHOWN + "]", lambda match: f"\\u{ord(match.group()):04x}", text)
