"""Read a story file into chapters and paragraphs, the first text stage.

Offsets are Python string offsets into the file's text exactly as
``open(path, encoding="utf-8").read()`` returns it; that string is kept as
``Chapter.source_text`` so later stages can slice it.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml

from audiobook.errors import UserError
from audiobook.model import Book, Chapter, Paragraph

_FENCE = "---"
_SCENE_BREAK = re.compile(r"(?:\*\s*){3,}|#|⁂|(?:-\s*){3,}|(?:~\s*){3,}")
_MARKDOWN_HEADING = re.compile(r"(#{1,6})\s+(.+?)(?:\s+#+)?")
_CHAPTER_HEADING = re.compile(r"(chapter)\s+(\d+|[ivxlc]+)\.?", re.IGNORECASE)


@dataclass
class _Line:
    """One non-blank line: its 1-based number and its trimmed span."""

    number: int
    start: int
    end: int
    text: str


def read_story(path: str | os.PathLike, title: Optional[str] = None,
               author: Optional[str] = None) -> Book:
    """Read a story file (plain text or Markdown) into a Book of chapters and
    paragraphs with empty `segments`.  Raises UserError naming the file (and line)."""
    story = Path(path)
    if not story.exists():
        raise UserError("no such story file or folder", str(path))
    text = _read_text(story)
    lines = _scan_lines(text)
    meta, body = _front_matter(lines, story)
    book_title = title or meta.get("title") or _title_from_name(story)
    blocks = _blocks(body)
    chapter = _chapter_from_blocks(blocks, book_title, story, text)
    if not chapter.paragraphs:
        raise UserError("the story is empty", str(story))
    return Book(title=book_title, chapters=[chapter], source=str(path),
                author=author or meta.get("author"), year=meta.get("year"),
                cover=meta.get("cover"))


def slugify(text: str) -> str:
    """A lowercase ASCII file-name-safe slug ("The Storm: Part 1" -> "the-storm-part-1"), never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "untitled"


def _read_text(path: Path) -> str:
    """The file's text as Python reads it, or a UserError naming the bad line."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise UserError("not UTF-8 text", str(path), line) from None


def _scan_lines(text: str) -> list[Optional[_Line]]:
    """Every line of `text`, None for blank ones, with trimmed spans."""
    lines: list[Optional[_Line]] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip().strip("\ufeff").strip()
        if stripped:
            start = offset + raw.index(stripped)
            lines.append(_Line(number, start, start + len(stripped), stripped))
        else:
            lines.append(None)
        offset += len(raw) + 1
    return lines


def _front_matter(lines: list[Optional[_Line]], path: Path) -> tuple[dict, list[Optional[_Line]]]:
    """Parse a YAML block between `---` lines at the top; return it and the lines after it."""
    if not lines or lines[0] is None or lines[0].text != _FENCE:
        return {}, lines
    for index in range(1, len(lines)):
        line = lines[index]
        if line is not None and line.text == _FENCE:
            block = "\n".join(l.text if l else "" for l in lines[1:index])
            try:
                data = yaml.safe_load(block) or {}
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                row = mark.line + 2 if mark is not None else 1
                raise UserError("malformed front matter", str(path), row) from None
            if not isinstance(data, dict):
                raise UserError("front matter must be `key: value` lines", str(path), 2)
            return {k: str(v) for k, v in data.items() if v is not None}, lines[index + 1:]
    raise UserError("front matter is never closed with `---`", str(path), 1)


def _blocks(lines: list[Optional[_Line]]) -> list[list[_Line]]:
    """Group consecutive non-blank lines into blocks."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line is None:
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _chapter_from_blocks(blocks: list[list[_Line]], title: str, path: Path, text: str) -> Chapter:
    paragraphs = [Paragraph(b[0].start, b[-1].end,
                            scene_break=len(b) == 1 and bool(_SCENE_BREAK.fullmatch(b[0].text)))
                  for b in blocks]
    start = paragraphs[0].start if paragraphs else 0
    end = paragraphs[-1].end if paragraphs else 0
    return Chapter(1, title, start, end, paragraphs, source=str(path), source_text=text)


def _title_from_name(path: Path) -> str:
    """ "the_secret_garden.txt" -> "The Secret Garden"."""
    words = re.sub(r"[_\-\s]+", " ", path.stem).strip()
    return " ".join(w[:1].upper() + w[1:] for w in words.split()) or path.stem
