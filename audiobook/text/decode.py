"""Turn a story file's bytes into text the way a text editor would.

UTF-8 (with or without a byte-order mark) is read as is; UTF-16 needs its
byte-order mark; bytes that are neither are read as Windows-1252 when they
use its printable characters in 0x80-0x9F (curly quotes, dashes), else as
Latin-1.  Anything with NUL bytes or many control characters is refused as
binary.  The text keeps a UTF-8 byte-order mark and has its line ends made
``\n``, so offsets into a UTF-8 file's text are those of
``open(path, encoding="utf-8").read()``.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from audiobook.errors import UserError

#: A file with more control characters than this share of its characters (and
#: more than a few) is binary, not text.
MAX_CONTROL_SHARE = 0.1
MAX_CONTROL_COUNT = 16
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1b")  # ESC: ANSI colours in a log are still text
# C0 and C1 control characters but the allowed ones: one regular expression
# counts them in a novel in milliseconds, where a loop over characters took 0.7 s
_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in (*range(0x20), *range(0x7F, 0xA0))
                                    if chr(c) not in _ALLOWED_CONTROLS) + "]")
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


@dataclass(frozen=True)
class Decoded:
    """A file's text and, when it was not UTF-8, the encoding it was read in."""

    text: str
    encoding: Optional[str] = None  # None for UTF-8; else "UTF-16", "Windows-1252 (cp1252)" ...


def read_text(path: Path) -> Decoded:
    """The text of the file at `path`, or a UserError naming it (and the line) if it is not text."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read the story: {error.strerror or error}", str(path)) from None
    return decode(data, path)


def decode(data: bytes, path: Path) -> Decoded:
    """`data` decoded as described in the module docstring."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not data.startswith(codecs.BOM_UTF32_LE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UserError("broken UTF-16 text", str(path), _line_at(data, error.start)) from None
        return Decoded(_checked(text, path), "UTF-16")
    try:
        return Decoded(_checked(data.decode("utf-8"), path))
    except UnicodeDecodeError as error:
        first_bad = error.start
    if b"\x00" in data:
        raise UserError("not a text file", str(path), _line_at(data, data.index(b"\x00")))
    high = {byte for byte in data if byte >= 0x80}
    if high & _CP1252_UNDEFINED:
        raise UserError("not text in UTF-8, UTF-16 or Windows-1252 (save the story as UTF-8)",
                        str(path), _line_at(data, first_bad))
    if any(0x80 <= byte < 0xA0 for byte in high):
        return Decoded(_checked(data.decode("cp1252"), path), "Windows-1252 (cp1252)")
    return Decoded(_checked(data.decode("latin-1"), path), "Latin-1 (ISO-8859-1)")


def _checked(text: str, path: Path) -> str:
    """`text` with its line ends made ``\\n`` (as Python's universal newlines do),
    unless it holds NUL or too many control characters to be text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise UserError("not a text file", str(path), text[: text.index("\x00")].count("\n") + 1)
    controls = len(_CONTROL.findall(text))
    if controls > MAX_CONTROL_COUNT and controls > MAX_CONTROL_SHARE * len(text):
        first = _CONTROL.search(text).start()
        raise UserError("not a text file (it is full of control characters)", str(path),
                        text[:first].count("\n") + 1)
    return text


def _line_at(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1
