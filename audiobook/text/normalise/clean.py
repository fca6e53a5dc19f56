"""Characters: what the story's text may and may not hand to the speech engine.

The story is always spoken, never obeyed: eSpeak reads ``\\x01`` as the start
of an embedded command (``\\x0180S`` slows it down) and ``[[...]]`` as
phonemes, and a terminal obeys ANSI escapes.  So every control, format,
private-use and unassigned character (Unicode category C) is dropped, ANSI
sequences with their parameters, and square brackets become round ones, so
the only phonemes the engine is ever given are a lexicon's ``[[...]]``.

Then the typography is made plain for speech: curly quotes straight, every
kind of space a space, dash runs one em dash (which eSpeak pauses on, longer
than a comma), ellipses kept (eSpeak pauses on those too), emphasis markup
(``_word_``, ``*word*``) removed.
"""
from __future__ import annotations

import re
import unicodedata

# ANSI CSI (ESC [ ... final) and OSC (ESC ] ... BEL or ESC \) sequences, and a lone ESC with one character.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]?|\x9b[0-?]*[ -/]*[@-~]?|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
                   r"|\x1b[@-_]?")
# eSpeak's embedded commands: Control-A, an optional sign and number, a command letter.
_COMMAND = re.compile(r"\x01[+-]?\d*[A-Za-z]?")
# Zero-width joiners are format characters that some scripts need to spell words (Persian, Indic, emoji).
_KEEP = frozenset("\u200c\u200d")
_SPACES = frozenset("\t\n\r\v\f\x85\u2028\u2029")


_TABLE_TOP = 0x32000  # above this, planes 4-16 hold nothing to read: tags, private use, unassigned
_HIGH = re.compile("[\U00032000-\U0010FFFF]")


def _table() -> dict[int, str | None]:
    """One `str.translate` table for every code point below 0x30000 that needs mapping."""
    table: dict[int, str | None] = {}
    for code in range(_TABLE_TOP):
        char = chr(code)
        category = unicodedata.category(char)
        if char in _SPACES or category == "Zs" or category in ("Zl", "Zp"):
            if char != " ":
                table[code] = " "
        elif category[0] == "C" and char not in _KEEP:
            table[code] = None
    table.update({ord(k): v for k, v in {
        "[": "(", "]": ")", "‘": "'", "’": "'", "‚": "'", "‛": "'", "ʼ": "'", "′": "'", "`": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"', "‹": "'", "›": "'",
        "−": "-", "‐": "-", "‑": "-", "‒": "–", "―": "—", "⸺": "—", "⸻": "—", "﹘": "—", "－": "-",
        "\u00ad": None,  # soft hyphen
    }.items()})
    return table


_TRANSLATE = _table()
_MARKUP = re.compile(r"(?<!\w)[_*]+|[_*]+(?!\w)")
_DASHES = re.compile(r"\s*(?:-{2,}|[—–]+|(?<!\S)-(?!\S))\s*")
_ELLIPSIS = re.compile(r"\s?\.\s\.\s\.(?:\s\.)*|\.\.\.+|…+")
_SPACED_DOTS = re.compile(r"\.\s\.")  # what an ellipsis needs but for `..` and `…`
_RUNS = re.compile(r"\s{2,}")


def strip_escapes(text: str) -> str:
    """`text` without ANSI escape sequences or eSpeak embedded commands, their
    parameters included: they are not words, shown or spoken."""
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    if "\x01" in text:
        text = _COMMAND.sub("", text)
    return text


def strip_controls(text: str) -> str:
    """`text` without ANSI escapes or control, format and unassigned characters
    (line breaks and tabs become spaces).  For text shown, not only spoken."""
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    return "".join(c if c.isprintable() or c in _KEEP else (" " if c in _SPACES else "") for c in text) \
        if not text.isprintable() else text


def clean(text: str) -> str:
    """`text` safe for the engine and plain for speech (see the module's
    docstring), except for dashes and ellipses: see `pauses`."""
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI.sub("", text)
    if "\x01" in text:
        text = _COMMAND.sub("", text)
    text = text.translate(_TRANSLATE)
    if not text.isascii() and _HIGH.search(text):
        text = _HIGH.sub("", text)
    if "_" in text or "*" in text:
        text = _MARKUP.sub(" ", text)
    return text


def pauses(text: str) -> str:
    """Dash runs (``--``, ``—``, a spaced hyphen or en dash) one spaced em dash
    and dot runs one ellipsis: both are pauses eSpeak makes, longer than a
    comma's.  Run after numbers, whose en dashes are ranges."""
    if "-" in text or "—" in text or "–" in text:
        text = _DASHES.sub(" — ", text)
    if "…" in text or ".." in text or ("." in text and _SPACED_DOTS.search(text)):
        text = _ELLIPSIS.sub("...", text)
    return text


def tidy(text: str) -> str:
    """Single spaces, none at the ends, none before a comma or full stop."""
    text = _RUNS.sub(" ", text).strip()
    return re.sub(r" +([,;:!?](?:\s|$))", r"\1", text) if " ," in text or " ;" in text else text
