"""How a plain-text file lays out its paragraphs and chapter numbers.

Most plain-text books end each paragraph with a blank line.  Some instead
start each one on an indented line, with no blank lines at all, and centre
their headings; some number their chapters with a bare figure on a line of
its own (``1``, ``2.``).  This module turns the lines of a file into blocks
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
    if _indents_paragraphs(found):
        return [part for block in found for part in _cut_at_indents(block)]
    return found


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
