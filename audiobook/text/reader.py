"""Read a story into chapters and paragraphs, the first text stage.

A story is one plain-text or Markdown file, a folder of them (one chapter
per file), or an EPUB (`audiobook.text.epub`).  Offsets are Python string
offsets into each file's text as `audiobook.text.decode` reads it (for UTF-8,
exactly ``open(path, encoding="utf-8").read()``; for an EPUB, the plain text
made of its documents); that string is kept as ``Chapter.source_text`` so
later stages can slice it, and is what ``audiobook text`` prints.  What is
deliberately not read (front matter, a table of contents, a licence, chapters
not selected) is listed in ``Book.unread``.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Optional, Union

from audiobook.errors import UserError
from audiobook.model import Book, Chapter, Paragraph, Unread
from audiobook.text.apparatus import drop_apparatus
from audiobook.text.clean import clean_title
from audiobook.text.decode import read_text
from audiobook.text.frontmatter import split_preamble
from audiobook.text.headings import (CHAPTER_RANK, PART_RANK, SMALL_WORDS, Heading,
                                     is_scene_break, is_title_line, looks_like_heading,
                                     parse_heading)
from audiobook.text.layout import Line as _Line
from audiobook.text.layout import blocks as _blocks
from audiobook.text.layout import bounded
from audiobook.text.layout import numbered_chapters
from audiobook.text.layout import trimmed as _trimmed

STORY_SUFFIXES = (".txt", ".md", ".markdown")
EPUB_SUFFIX = ".epub"
_ZIP_MAGIC = b"PK\x03\x04"
OPENING_TITLE = "Opening"
_PROSE_WORDS = 50  # text before the first heading needs this many words of prose to be read
_PROSE_PARAGRAPH_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?:\s|$)")


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
               author: Optional[str] = None, chapters: Optional[str] = None,
               front_matter: bool = False) -> Book:
    """Read a story file (plain text, Markdown or EPUB) or a folder of chapter files into a Book
    whose chapters hold paragraphs (start/end offsets into chapter.source_text, scene_break flag)
    with empty `segments` (the quote stage fills them). Raises UserError naming the file (and line).

    `chapters` selects chapters by number ("3-12", "1,4-6", "10-"); `front_matter` also
    reads what is skipped by default (a title page, a dedication, an EPUB's front and back matter).
    """
    wanted = parse_chapter_numbers(chapters) if chapters is not None else None
    story = Path(path)
    unread: list[Unread] = []
    notes: list[str] = []
    if story.is_dir():
        found, meta = _read_folder(story, unread, notes, front_matter)
        book = Book(title="", chapters=found)
    elif story.is_file() and _is_epub(story):
        from audiobook.text.epub import read_epub

        book = read_epub(story, front_matter=front_matter)
        meta = {}
    elif story.is_file():
        found, meta = _read_file(story, unread, notes, front_matter)
        book = Book(title="", chapters=found)
    else:
        raise UserError("no such story file or folder", str(path))
    book.title = clean_title(title or meta.get("title") or book.title or _title_from_name(story))
    book.source = str(path)
    book.author = clean_title(author or meta.get("author") or book.author or "") or None
    book.year = meta.get("year") or book.year
    for name in ("year", "language", "description", "series", "series_index"):
        value = getattr(book, name)
        setattr(book, name, clean_title(value) or None if isinstance(value, str) else value)
    book.cover = meta.get("cover") or book.cover
    for key in ("language", "description", "series", "series_index"):  # for the tags and metadata files
        setattr(book, key, meta.get(key) or getattr(book, key))
    book.unread += unread
    book.notes += notes
    for chapter in book.chapters:
        chapter.title = clean_title(chapter.title) or book.title
        chapter.paragraphs = _bounded_paragraphs(chapter)
    if wanted is not None:
        _select(book, wanted, chapters)
    return book


def parse_chapter_numbers(spec: str) -> list[tuple[int, Optional[int]]]:
    """Ranges of chapter numbers from "3-12", "5", "1,4-6" or "10-" (to the end)."""
    ranges: list[tuple[int, Optional[int]]] = []
    for part in spec.replace(" ", "").split(","):
        match = re.fullmatch(r"(\d+)(?:(-)(\d*))?", part)
        if not match or int(match.group(1)) < 1:
            raise UserError(f"--chapters {spec!r}: give chapter numbers like 3, 3-12, 1,4-6 or 10-")
        first = int(match.group(1))
        last = first if not match.group(2) else (int(match.group(3)) if match.group(3) else None)
        if last is not None and last < first:
            raise UserError(f"--chapters {spec!r}: {first}-{last} runs backwards")
        ranges.append((first, last))
    return ranges


def _select(book: Book, wanted: list[tuple[int, Optional[int]]], spec: str) -> None:
    """Keep the chapters whose numbers `wanted` names, numbered again from 1."""
    keep = [c for c in book.chapters
            if any(first <= c.index and (last is None or c.index <= last) for first, last in wanted)]
    if not keep:
        count = len(book.chapters)
        raise UserError(f"--chapters {spec}: the book has {count} chapter{'s' if count != 1 else ''}",
                        book.source)
    for chapter in book.chapters:
        if chapter not in keep:
            book.unread.append(Unread(chapter.source, chapter.start, chapter.end, "chapter not selected"))
    for number, chapter in enumerate(keep, start=1):
        chapter.index = number
    book.chapters = keep


def _is_epub(path: Path) -> bool:
    """An .epub file, or any file that is a ZIP archive (an EPUB under another name)."""
    if path.suffix.lower() == EPUB_SUFFIX:
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == _ZIP_MAGIC
    except OSError:
        return False


def slugify(text: str, max_length: int = 80) -> str:
    """A lowercase file-name-safe slug, never empty: Latin letters lose their accents
    ("Café: Part 1" -> "cafe-part-1"); other scripts are kept as they are
    ("Война и мир" -> "война-и-мир"), so titles in any script stay apart."""
    letters = []
    for ch in unicodedata.normalize("NFC", clean_title(text)):
        plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
        letters.append(plain if plain or ch.isascii() else ch)
    slug = re.sub(r"[\W_]+", "-", "".join(letters).lower()).strip("-")
    return slug[:max_length].rstrip("-") or "untitled"


# --------------------------------------------------------------------------- one file

def _read_file(path: Path, unread: list[Unread], notes: list[str],
               front_matter: bool) -> tuple[list[Chapter], dict[str, str]]:
    """The chapters of a single story file (an untitled one takes the book's
    title later) and the book metadata found in it."""
    text = _decoded(path, notes)
    lines, meta = _story_lines(text, path, unread)
    blocks = drop_apparatus(_blocks(lines), unread, str(path))
    items = _nested(list(_items(blocks, headings_anywhere=True)))
    book_heading = _book_title_heading(items)
    if book_heading is not None:
        items.remove(book_heading)
        meta.setdefault("title", book_heading.heading.title)
        line_end = text.find("\n", book_heading.start)
        unread.append(Unread(str(path), book_heading.start, len(text) if line_end < 0 else line_end, "book title"))
    chapters = _chapters(items, path, text, unread, front_matter)
    if not chapters:
        raise UserError("the story has no text to read", str(path))
    return chapters, meta


def _bounded_paragraphs(chapter: Chapter) -> list[Paragraph]:
    """The chapter's paragraphs with any too long to read as one cut into
    pieces (`audiobook.text.layout.bounded`): later stages look at a quote's
    paragraph as its scene, and a whole book in one paragraph would make
    every scene the book."""
    paragraphs: list[Paragraph] = []
    for paragraph in chapter.paragraphs:
        spans = bounded(chapter.source_text, paragraph.start, paragraph.end)
        if len(spans) == 1:
            paragraphs.append(paragraph)
            continue
        paragraphs += [Paragraph(start, end) for start, end in spans]
    return paragraphs


def _decoded(path: Path, notes: list[str]) -> str:
    """The file's text; a note for the user when it was not UTF-8."""
    decoded = read_text(path)
    if decoded.encoding:
        notes.append(f"{path}: not UTF-8; read as {decoded.encoding}")
    return decoded.text


def _story_lines(text: str, path: Path,
                 unread: list[Unread]) -> tuple[list[Optional[_Line]], dict[str, str]]:
    """The lines of the story proper (None for blank ones) and its metadata."""
    raw = text.split("\n")
    preamble = split_preamble(raw, path)
    offsets = _line_offsets(raw)
    if preamble.first > 0:
        unread.append(Unread(str(path), 0, offsets[preamble.first] if preamble.first < len(raw) else len(text),
                             "front matter"))
    if preamble.last < len(raw):
        unread.append(Unread(str(path), offsets[preamble.last], len(text), "licence"))
    lines = [_trimmed(raw[i], offsets[i]) for i in range(preamble.first, preamble.last)]
    return lines, preamble.meta


def _line_offsets(raw: list[str]) -> list[int]:
    """The offset at which each line starts."""
    offsets, offset = [], 0
    for line in raw:
        offsets.append(offset)
        offset += len(line) + 1
    return offsets


# --------------------------------------------------------------------------- items

def _items(blocks: list[list[_Line]], headings_anywhere: bool) -> Iterator[_Item]:
    """Headings and paragraphs in reading order.  Without `headings_anywhere`,
    only headings before the first paragraph count; later heading-like lines
    are read as text.  Bare figures counting up (`1`, `2`, `3` on lines of
    their own) number chapters."""
    seen_text = False
    numbered = numbered_chapters(blocks) if headings_anywhere else {}
    index = 0
    while index < len(blocks):
        block = blocks[index]
        heading = (parse_heading(block[0].text, len(block) == 1)
                   if headings_anywhere or not seen_text else None)
        if index in numbered:
            heading = Heading(f"Chapter {numbered[index]}", CHAPTER_RANK, False, f"chapter:{numbered[index]}")
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


def _nested(items: list[_Item]) -> list[_Item]:
    """The items with named numbered headings made parts when one of them
    is followed at once by bare numerals counting from one (``I. A SCANDAL IN
    BOHEMIA``, then ``I.``, ``II.``, ``III.``): stories in a collection, or
    chapters in parts, each cut into numbered sections.  A part is called by
    its name alone."""
    found = [item.heading for item in items if isinstance(item, _Found)]
    restarts = sum(1 for before, after in zip(found, found[1:])
                   if _numbered(before) and before.named and _numbered(after) and not after.named
                   and after.key == "chapter:1")
    if not restarts:
        return items
    for item in items:
        if isinstance(item, _Found) and _numbered(item.heading) and item.heading.named:
            item.heading = replace(item.heading, rank=PART_RANK, title=item.heading.name)
    return items


def _numbered(heading: Heading) -> bool:
    """A plain-text chapter heading with a number."""
    return heading.rank == CHAPTER_RANK and not heading.markdown and heading.key.startswith("chapter:")


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

def _chapters(items: list[_Item], path: Path, text: str, unread: list[Unread],
              front_matter: bool = False) -> list[Chapter]:
    """Chapters from the items.  Text before the first heading is a chapter
    ("Opening") only if it is prose, holds a line that opens like a heading,
    or `front_matter` is asked for; a story without headings is one chapter
    with an empty title, which the caller fills in."""
    source = str(path)
    groups = _groups(items, unread, source, len(text))
    has_headings = len(groups) > 1
    if has_headings and groups[0].paragraphs and not (
            front_matter or _is_prose(groups[0].paragraphs, text) or _tries_heading(groups[0], text)):
        opening = groups.pop(0)
        unread.append(Unread(source, opening.paragraphs[0].start, opening.paragraphs[-1].end, "front matter"))
    chapters = []
    for group in groups:
        paragraphs = _tidy_breaks(group.paragraphs, unread, source)
        if not paragraphs:
            continue
        title = _group_title(group.headings) if group.headings else (
            OPENING_TITLE if has_headings else "")
        start = paragraphs[0].start if group.start is None else group.start
        chapters.append(Chapter(len(chapters) + 1, title, start, paragraphs[-1].end, paragraphs,
                                source=source, source_text=text))
    return chapters


def _tries_heading(group: _Group, text: str) -> bool:
    """Whether a paragraph of `group` opens like a heading the reader did not make one of."""
    return any(looks_like_heading(text[p.start:p.end].split("\n", 1)[0].strip())
               for p in group.paragraphs)


def _groups(items: list[_Item], unread: list[Unread], source: str, text_end: int) -> list[_Group]:
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
    if pending:
        unread.append(Unread(source, pending[0].start, text_end, "heading with no text after it"))
    return groups


def _group_title(headings: list[Heading]) -> str:
    """A chapter's title from the headings before it: the last one, under the
    part heading just before it if there is one.  Earlier headings in the run
    (an unmarked table of contents) are dropped."""
    last = headings[-1]
    if len(headings) > 1 and headings[-2].rank < last.rank:
        return f"{headings[-2].title} — {last.title}"
    return last.title


def _tidy_breaks(paragraphs: list[Paragraph], unread: list[Unread], source: str) -> list[Paragraph]:
    """Paragraphs without scene breaks at either end or repeated back to back."""
    tidy: list[Paragraph] = []
    for paragraph in paragraphs:
        if paragraph.scene_break and (not tidy or tidy[-1].scene_break):
            unread.append(Unread(source, paragraph.start, paragraph.end, "scene break"))
            continue
        tidy.append(paragraph)
    while tidy and tidy[-1].scene_break:
        dropped = tidy.pop()
        unread.append(Unread(source, dropped.start, dropped.end, "scene break"))
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

def _read_folder(folder: Path, unread: list[Unread], notes: list[str],
                 front_matter: bool) -> tuple[list[Chapter], dict[str, str]]:
    """One chapter per story file in `folder`, in natural order; the book
    metadata comes from the first file that has front matter."""
    files = sorted((f for f in folder.iterdir()
                    if f.is_file() and f.suffix.lower() in STORY_SUFFIXES and not f.name.startswith(".")),
                   key=_natural_key)
    if not files:
        raise UserError(f"no story files ({', '.join(STORY_SUFFIXES)}) in this folder", str(folder))
    chapters, book_meta = [], {}
    for file in files:
        chapter, meta = _read_chapter_file(file, unread, notes)
        chapter.index = len(chapters) + 1
        chapters.append(chapter)
        book_meta = book_meta or meta
    return chapters, book_meta


def _read_chapter_file(path: Path, unread: list[Unread], notes: list[str]) -> tuple[Chapter, dict[str, str]]:
    """A file of a folder story as one chapter, titled by its top heading or its name."""
    text = _decoded(path, notes)
    lines, meta = _story_lines(text, path, unread)
    chapters = _chapters(list(_items(_blocks(lines), headings_anywhere=False)), path, text, unread)
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
