"""Read a story into chapters and paragraphs, the first text stage.

A story is one plain-text or Markdown file, or a folder of them (one chapter
per file).  Offsets are Python string offsets into each file's text exactly as
``open(path, encoding="utf-8").read()`` returns it; that string is kept as
``Chapter.source_text`` so later stages can slice it.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional, Union

from audiobook.errors import UserError
from audiobook.model import Book, Chapter, Paragraph
from audiobook.text.frontmatter import split_preamble
from audiobook.text.headings import (SMALL_WORDS, Heading, entry_key, is_contents_marker,
                                     is_scene_break, is_title_line, parse_heading)

STORY_SUFFIXES = (".txt", ".md", ".markdown")
OPENING_TITLE = "Opening"
_PROSE_WORDS = 50  # text before the first heading needs this many words of prose to be read
_PROSE_PARAGRAPH_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?:\s|$)")
_CONTENTS_SCAN_LINES = 400
_PAGE_NUMBER = re.compile(r"(?:\s{2,}|\t|\s*\.{2,}\s*)\d+$")


@dataclass
class _Line:
    """One non-blank line: its trimmed span and text."""

    start: int
    end: int
    text: str


@dataclass
class _Found:
    """A heading found in the story and the offset at which its line starts."""

    heading: Heading
    start: int


_Item = Union[_Found, Paragraph]


@dataclass
class _Group:
    """Paragraphs under the headings before them (none for text before the first heading)."""

    headings: list[Heading]
    start: Optional[int]
    paragraphs: list[Paragraph] = field(default_factory=list)


def read_story(path: str | os.PathLike, title: Optional[str] = None,
               author: Optional[str] = None) -> Book:
    """Read a story file (plain text or Markdown) or a folder of chapter files into a Book whose
    chapters hold paragraphs (start/end offsets into chapter.source_text, scene_break flag) with
    empty `segments` (the quote stage fills them). Raises UserError naming the file (and line)."""
    story = Path(path)
    if story.is_dir():
        chapters, meta = _read_folder(story)
    elif story.is_file():
        chapters, meta = _read_file(story)
    else:
        raise UserError("no such story file or folder", str(path))
    book_title = title or meta.get("title") or _title_from_name(story)
    for chapter in chapters:
        chapter.title = chapter.title or book_title
    return Book(title=book_title, chapters=chapters, source=str(path),
                author=author or meta.get("author"), year=meta.get("year"),
                cover=meta.get("cover"))


def slugify(text: str) -> str:
    """A lowercase ASCII file-name-safe slug ("The Storm: Part 1" -> "the-storm-part-1"), never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "untitled"


# --------------------------------------------------------------------------- one file

def _read_file(path: Path) -> tuple[list[Chapter], dict[str, str]]:
    """The chapters of a single story file (an untitled one takes the book's
    title later) and the book metadata found in it."""
    text = _read_text(path)
    lines, meta = _story_lines(text, path)
    blocks = _drop_contents(_blocks(lines))
    items = list(_items(blocks, headings_anywhere=True))
    book_heading = _book_title_heading(items)
    if book_heading is not None:
        items.remove(book_heading)
        meta.setdefault("title", book_heading.heading.title)
    chapters = _chapters(items, path, text)
    if not chapters:
        raise UserError("the story has no text to read", str(path))
    return chapters, meta


def _story_lines(text: str, path: Path) -> tuple[list[Optional[_Line]], dict[str, str]]:
    """The lines of the story proper (None for blank ones) and its metadata."""
    raw = text.split("\n")
    preamble = split_preamble(raw, path)
    offsets = _line_offsets(raw)
    lines = [_trimmed(raw[i], offsets[i]) for i in range(preamble.first, preamble.last)]
    return lines, preamble.meta


def _read_text(path: Path) -> str:
    """The file's text as Python reads it, or a UserError naming the bad line."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise UserError("not UTF-8 text (save the story as UTF-8)", str(path), line) from None
    except OSError as error:
        raise UserError(f"cannot read the story: {error.strerror}", str(path)) from None
    if "\x00" in text:
        raise UserError("not a text file", str(path), text[: text.index("\x00")].count("\n") + 1)
    return text


def _line_offsets(raw: list[str]) -> list[int]:
    """The offset at which each line starts."""
    offsets, offset = [], 0
    for line in raw:
        offsets.append(offset)
        offset += len(line) + 1
    return offsets


def _trimmed(raw: str, offset: int) -> Optional[_Line]:
    """The line with surrounding whitespace (and a byte-order mark) trimmed, or None if blank."""
    text = raw.strip().strip("\ufeff").strip()
    if not text:
        return None
    start = offset + raw.index(text)
    return _Line(start, start + len(text), text)


def _blocks(lines: list[Optional[_Line]]) -> list[list[_Line]]:
    """Consecutive non-blank lines grouped into blocks."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line is not None:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


# --------------------------------------------------------------------------- contents

def _drop_contents(blocks: list[list[_Line]]) -> list[list[_Line]]:
    """The blocks without a table of contents: a "Contents" line and the
    entries after it, up to the heading the first entry names (or, failing
    that, up to the last heading before the first prose)."""
    marker = next((i for i, b in enumerate(blocks)
                   if len(b) == 1 and is_contents_marker(b[0].text)), None)
    if marker is None:
        return blocks
    end = _contents_end(blocks, marker + 1)
    return blocks[:marker] + blocks[end:]


def _contents_end(blocks: list[list[_Line]], first: int) -> int:
    """The index of the first block after the contents entries that start at `first`."""
    first_key: Optional[str] = None
    last_heading = first
    scanned = 0
    for index in range(first, len(blocks)):
        for position, line in enumerate(blocks[index]):
            entry = _PAGE_NUMBER.sub("", line.text) or line.text
            if first_key is not None and entry_key(entry) == first_key and position == 0:
                return index
            if parse_heading(entry, True) is None and not is_title_line(entry):
                return last_heading if last_heading > first else index
            first_key = first_key or entry_key(entry)
            scanned += 1
        if parse_heading(blocks[index][0].text, len(blocks[index]) == 1):
            last_heading = index
        if scanned > _CONTENTS_SCAN_LINES:
            break
    return first


# --------------------------------------------------------------------------- items

def _items(blocks: list[list[_Line]], headings_anywhere: bool) -> Iterator[_Item]:
    """Headings and paragraphs in reading order.  Without `headings_anywhere`,
    only headings before the first paragraph count; later heading-like lines
    are read as text."""
    seen_text = False
    index = 0
    while index < len(blocks):
        block = blocks[index]
        heading = (parse_heading(block[0].text, len(block) == 1)
                   if headings_anywhere or not seen_text else None)
        if heading is None:
            seen_text = True
            yield _paragraph(block)
            index += 1
            continue
        heading, rest, used = _complete_heading(heading, blocks, index)
        yield _Found(heading, block[0].start)
        if rest:
            seen_text = True
            yield _paragraph(rest)
        index += used


def _complete_heading(heading: Heading, blocks: list[list[_Line]],
                      index: int) -> tuple[Heading, list[_Line], int]:
    """The heading of block `index` joined with a short title line right after
    it (on the next line or as the next block), the lines of its block that are
    prose instead, and how many blocks it used."""
    block = blocks[index]
    if len(block) == 2 and not heading.named and is_title_line(block[1].text):
        return heading.with_name(block[1].text), [], 1
    if len(block) > 1:
        return heading, block[1:], 1
    if not heading.named and _title_block_follows(blocks, index):
        return heading.with_name(blocks[index + 1][0].text), [], 2
    return heading, [], 1


def _title_block_follows(blocks: list[list[_Line]], index: int) -> bool:
    """Whether block `index` is followed by a lone title line and then by text
    that is not another heading (so the title line cannot be the text itself)."""
    if index + 2 >= len(blocks):
        return False
    title, after = blocks[index + 1], blocks[index + 2]
    return (len(title) == 1 and is_title_line(title[0].text)
            and parse_heading(after[0].text, len(after) == 1) is None)


def _paragraph(block: list[_Line]) -> Paragraph:
    """A paragraph spanning the block's trimmed text."""
    scene_break = all(is_scene_break(line.text) for line in block)
    return Paragraph(block[0].start, block[-1].end, scene_break=scene_break)


def _book_title_heading(items: list[_Item]) -> Optional[_Found]:
    """A lone top-level Markdown heading opening a story whose chapters are
    deeper headings (``# Book`` then ``## Chapter``): the book's title, not a chapter."""
    found = [item for item in items if isinstance(item, _Found)]
    if len(found) < 2 or not found[0].heading.markdown:
        return None
    top = found[0].heading.rank
    return found[0] if all(f.heading.rank > top for f in found[1:]) else None


# --------------------------------------------------------------------------- chapters

def _chapters(items: list[_Item], path: Path, text: str) -> list[Chapter]:
    """Chapters from the items.  Text before the first heading is a chapter
    ("Opening") only if it is prose; a story without headings is one chapter
    with an empty title, which the caller fills in."""
    groups = _groups(items)
    has_headings = len(groups) > 1
    if has_headings and not _is_prose(groups[0].paragraphs, text):
        groups.pop(0)
    chapters = []
    for group in groups:
        paragraphs = _tidy_breaks(group.paragraphs)
        if not paragraphs:
            continue
        title = _group_title(group.headings) if group.headings else (
            OPENING_TITLE if has_headings else "")
        start = paragraphs[0].start if group.start is None else group.start
        chapters.append(Chapter(len(chapters) + 1, title, start, paragraphs[-1].end, paragraphs,
                                source=str(path), source_text=text))
    return chapters


def _groups(items: list[_Item]) -> list[_Group]:
    """Paragraphs grouped under the run of headings before them; the first
    group holds any text before the first heading.  Scene breaks right after
    headings are dropped, and headings with nothing after them start no group."""
    groups = [_Group([], None)]
    pending: list[_Found] = []
    for item in items:
        if isinstance(item, _Found):
            pending.append(item)
        elif not pending:
            groups[-1].paragraphs.append(item)
        elif not item.scene_break:
            groups.append(_Group([f.heading for f in pending], pending[0].start, [item]))
            pending = []
    return groups


def _group_title(headings: list[Heading]) -> str:
    """A chapter's title from the headings before it: the last one, under the
    part heading just before it if there is one.  Earlier headings in the run
    (an unmarked table of contents) are dropped."""
    last = headings[-1]
    if len(headings) > 1 and headings[-2].rank < last.rank:
        return f"{headings[-2].title} — {last.title}"
    return last.title


def _tidy_breaks(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Paragraphs without scene breaks at either end or repeated back to back."""
    tidy: list[Paragraph] = []
    for paragraph in paragraphs:
        if paragraph.scene_break and (not tidy or tidy[-1].scene_break):
            continue
        tidy.append(paragraph)
    while tidy and tidy[-1].scene_break:
        tidy.pop()
    return tidy


def _is_prose(paragraphs: list[Paragraph], text: str) -> bool:
    """Whether text before the first heading is story rather than a title page,
    dedication or epigraph: enough words in paragraphs made of sentences."""
    words = 0
    for paragraph in paragraphs:
        body = text[paragraph.start:paragraph.end]
        count = len(body.split())
        if count >= _PROSE_PARAGRAPH_WORDS and _SENTENCE_END.search(body):
            words += count
    return words >= _PROSE_WORDS


# --------------------------------------------------------------------------- folders

def _read_folder(folder: Path) -> tuple[list[Chapter], dict[str, str]]:
    """One chapter per story file in `folder`, in natural order; the book
    metadata comes from the first file that has front matter."""
    files = sorted((f for f in folder.iterdir()
                    if f.is_file() and f.suffix.lower() in STORY_SUFFIXES and not f.name.startswith(".")),
                   key=_natural_key)
    if not files:
        raise UserError(f"no story files ({', '.join(STORY_SUFFIXES)}) in this folder", str(folder))
    chapters, book_meta = [], {}
    for file in files:
        chapter, meta = _read_chapter_file(file)
        chapter.index = len(chapters) + 1
        chapters.append(chapter)
        book_meta = book_meta or meta
    return chapters, book_meta


def _read_chapter_file(path: Path) -> tuple[Chapter, dict[str, str]]:
    """A file of a folder story as one chapter, titled by its top heading or its name."""
    text = _read_text(path)
    lines, meta = _story_lines(text, path)
    chapters = _chapters(list(_items(_blocks(lines), headings_anywhere=False)), path, text)
    if not chapters:
        raise UserError("the chapter file has no text to read", str(path))
    chapter = chapters[0]
    chapter.title = chapter.title or _title_from_name(path)
    return chapter, meta


def _natural_key(path: Path) -> list[Union[int, str]]:
    """Sort key putting "2.txt" before "10.txt"."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", path.name)]


def _title_from_name(path: Path) -> str:
    """A title from a file or folder name: "the_secret_garden.txt" -> "The Secret Garden",
    "03-the-storm.md" -> "The Storm", "2.txt" -> "Chapter 2"."""
    stem = path.stem if path.suffix.lower() in STORY_SUFFIXES else path.name
    words = re.sub(r"[_\-\s.]+", " ", stem).split()
    if words and words[0].isdigit():
        if len(words) == 1:
            return f"Chapter {int(words[0])}"
        words = words[1:]
    return " ".join(w if w[:1].isupper() or (i and w in SMALL_WORDS) else w[:1].upper() + w[1:]
                    for i, w in enumerate(words)) or stem
