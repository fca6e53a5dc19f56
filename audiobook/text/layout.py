"""How a plain-text file lays out its paragraphs and chapter numbers.

Most plain-text books end each paragraph with a blank line.  Some instead
start each one on an indented line, with no blank lines at all, and centre
their headings; some (saved from a word processor) put each paragraph on one
long line of its own, with no blank lines; some number their chapters with a
bare figure on a line of its own (``1``, ``2.``).  This module turns the lines of a file into blocks
(a paragraph, or a line standing alone) whichever way the file does it, and
finds the bare figures that number its chapters.  The reader decides what
each block is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

#: An indented line that starts a paragraph: at least this many spaces (or a tab) before its text.
PARAGRAPH_INDENT = 2
#: A line indented this far stands alone (a centred heading or title), whatever the layout.
CENTRED_INDENT = 10
#: A line longer than this is not wrapped at a fixed width: it holds a whole paragraph.
UNWRAPPED_LINE = 200
#: The share of long lines that shows a file puts each paragraph on a line of its own.
UNWRAPPED_SHARE = 0.1
#: The fewest bare figures counting up from 1 that make them chapter numbers, not stray figures.
NUMBERED_RUN = 3
_FIGURE = re.compile(r"(\d{1,3})\.?")


@dataclass
class Line:
    """One non-blank line: its trimmed span and text, and how far it is indented."""

    start: int
    end: int
    text: str
    indent: int = 0


def trimmed(raw: str, offset: int) -> Optional[Line]:
    """The line with surrounding whitespace (and a byte-order mark) trimmed, or None if blank."""
    text = raw.strip().strip("\ufeff").strip()
    if not text:
        return None
    lead = raw.index(text)
    indent = len(raw[:lead].replace("\ufeff", "").expandtabs(8))
    return Line(offset + lead, offset + lead + len(text), text, indent)


def blocks(lines: list[Optional[Line]]) -> list[list[Line]]:
    """The lines grouped into blocks: runs of non-blank lines between blank
    ones, each also cut before an indented line where the file marks its
    paragraphs by indenting their first lines rather than by blank lines."""
    found: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line is not None:
            current.append(line)
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    if _line_per_paragraph(found):
        return [[line] for block in found for line in block]
    if _indents_paragraphs(found):
        return [part for block in found for part in _cut_at_indents(block)]
    return found


def _line_per_paragraph(found: list[list[Line]]) -> bool:
    """True when the file puts each paragraph on one line with no blank
    lines between them: blocks of several lines, and lines far longer than
    any wrapping width.  (A wrapped file has only a stray long line or two.)"""
    lines = [line for block in found if len(block) > 1 for line in block]
    long_lines = sum(len(line.text) > UNWRAPPED_LINE for line in lines)
    return long_lines > 1 and long_lines >= UNWRAPPED_SHARE * len(lines)


def _starts_inside(block: list[Line]) -> list[int]:
    """Where lines of a block would start a paragraph by their indent: every indented line but the first."""
    return [i for i in range(1, len(block)) if block[i].indent >= PARAGRAPH_INDENT]


def _indents_paragraphs(found: list[list[Line]]) -> bool:
    """True when the file marks paragraphs by indenting them: more indented
    lines sit inside blocks than there are blocks.  (A verse or a letter set
    in a book of blank-line paragraphs has only a few.)"""
    return sum(len(_starts_inside(block)) for block in found) > len(found)


def _cut_at_indents(block: list[Line]) -> list[list[Line]]:
    """The block cut before each indented line (a paragraph's first; the
    lines that carry it on are flush), and around every centred line, which
    stands alone."""
    parts: list[list[Line]] = []
    for line in block:
        if not parts or line.indent >= PARAGRAPH_INDENT or parts[-1][-1].indent >= CENTRED_INDENT:
            parts.append([line])
        else:
            parts[-1].append(line)
    return parts


def numbered_chapters(found: list[list[Line]]) -> dict[int, int]:
    """Block index -> chapter number, for the blocks that are a bare figure
    numbering a chapter: lone figures that count up from 1 (``1``, ``2``,
    ``3`` ...; counting may start again at 1, as in a book of parts), at
    least `NUMBERED_RUN` of them.  A figure standing alone elsewhere (a
    year, a page number) is not in such a run."""
    figures = [(index, int(match.group(1))) for index, block in enumerate(found)
               if len(block) == 1 and (match := _FIGURE.fullmatch(block[0].text))]
    numbered: dict[int, int] = {}
    run: list[tuple[int, int]] = []
    for index, value in figures + [(-1, 0)]:
        if run and value == run[-1][1] + 1:
            run.append((index, value))
            continue
        if len(run) >= NUMBERED_RUN:
            numbered.update(run)
        run = [(index, value)] if value == 1 else []
    return numbered


#: The longest paragraph read as one: a longer one (a file with no line breaks at all, a paste
#: that lost them) is cut at sentence ends into pieces of about this size.  Novels' longest
#: paragraphs run to about 5,000 characters.
MAX_PARAGRAPH = 8000
_CUT = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_QUOTE_AFTER = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"“‘])")


def bounded(text: str, start: int, end: int, limit: int = MAX_PARAGRAPH) -> list[tuple[int, int]]:
    """The span `start`-`end` as paragraph spans of at most about `limit`
    characters: itself when it is short enough; else cut at sentence ends,
    where it can be where a quotation opens (a new speaker's line usually
    starts a paragraph), else at the last sentence end before the limit, else
    (no sentence ends at all) at a space."""
    pieces: list[tuple[int, int]] = []
    while end - start > limit:
        window_end = start + limit
        cut = _last_cut(_QUOTE_AFTER, text, start + limit // 4, window_end) or \
            _last_cut(_CUT, text, start + limit // 8, window_end)
        if cut is None:
            space = text.rfind(" ", start + 1, window_end)
            cut = space + 1 if space > start else window_end
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((start, piece_end))
        start = cut
    pieces.append((start, end))
    return pieces


def _last_cut(pattern: re.Pattern, text: str, begin: int, stop: int) -> Optional[int]:
    """The offset after the last match of `pattern` in text[begin:stop], or None."""
    last = None
    for match in pattern.finditer(text, begin, stop):
        last = match.end()
    return last
