"""Read an EPUB (2 or 3) into a `Book`.

The book's text is made of its spine documents in reading order: each
document's blocks (paragraphs, headings, scene breaks) separated by blank
lines, documents too.  That text is every chapter's ``source_text``, what
``audiobook text`` prints, and what the offsets of ``script --format json``
index.  Footnote references and footnote bodies are not in it; front and
back matter are, but are not read unless asked for (listed in
``Book.unread``).

Chapters come from the navigation (the EPUB 3 nav document, else the EPUB 2
NCX), falling back to the spine, one chapter per document.  Front matter
(cover, title page, copyright, contents, dedication ...) and back matter
(notes, index ...) are found by EPUB semantics first (``epub:type`` on the
document, the nav landmarks, the EPUB 2 guide, ``linear="no"``), then by the
table-of-contents label, then by file name.

Standard library only (zipfile, ElementTree, html.parser): ebooklib is
AGPL-licensed, and a reader of its own can refuse a broken or locked book in
one line and read a merely sloppy one.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from audiobook.errors import UserError
from audiobook.model import Book, Chapter, Paragraph, Unread
from audiobook.text.epub import html as xhtml
from audiobook.text.epub.package import Archive, NavEntry, Package, read_package, resolve
from audiobook.text.headings import chapter_title, parse_heading

FRONT = frozenset("cover titlepage title-page halftitlepage halftitle copyright-page copyright toc contents "
                  "loi lot dedication imprint frontmatter epigraph acknowledgments acknowledgements "
                  "contributors other-credits landmarks page-list errata".split())
BACK = frozenset("index notes footnotes endnotes rearnotes bibliography glossary colophon backmatter "
                 "colophon".split())
READ = frozenset("bodymatter chapter part prologue epilogue preface foreword introduction preamble "
                 "conclusion afterword appendix division volume subchapter text".split())
_LABEL = re.compile(
    r"(?:cover|title\s*page|half\s*title|copyright(?:\s+page)?|(?:table\s+of\s+)?contents|dedication|"
    r"epigraph|acknowledge?ments?|(?:foot|end)?notes|index|glossary|bibliography|colophon|imprint|"
    r"also\s+by\b.*|other\s+books\s+by\b.*|about\s+the\s+(?:author|publisher|book)s?|list\s+of\s+\w+|landmarks|"
    r"title|praise\b.*|books\s+by\b.*|by\s+the\s+same\s+author)"
    r"\s*[.:]?", re.IGNORECASE)
_NAME = re.compile(
    r"(?:^|[^a-z])(cover|titlepage|title-page|title_page|halftitle|half-title|copyright|toc|contents|"
    r"dedication|epigraph|acknowledge?ments?|endnotes|footnotes|notes|colophon|imprint|"
    r"about-?the-?author|alsoby|also-by|landmarks|frontmatter|backmatter)(?:$|[^a-z])", re.IGNORECASE)


@dataclass
class _Doc:
    path: str
    blocks: list[tuple[int, int, xhtml.Block]]  # start, end offsets in the book's text, and the block
    anchors: dict[str, int]
    title: str
    matter: Optional[str]  # why it is front or back matter, or None


@dataclass
class _Start:
    doc: int
    block: int
    title: Optional[str]
    depth: int = 0
    matter: Optional[str] = None
    leading: bool = False  # a document before the navigation's first entry


def read_epub(path: Path, front_matter: bool = False) -> Book:
    """The book in the EPUB at `path`; a UserError naming it for a broken,
    locked (DRM) or empty one."""
    archive = Archive(path)
    try:
        package = read_package(archive)
        docs, text = _documents(archive, package)
        chapters, unread = _chapters(docs, text, package.toc, str(path), front_matter)
        cover = _cover(archive, package)
    finally:
        archive.close()
    if not chapters:
        if any(u.reason.startswith(("front matter", "back matter")) for u in unread):
            raise UserError("no readable chapters (only front and back matter; "
                            "--include-front-matter reads it)", str(path))
        raise UserError("no readable chapters: the EPUB holds no text", str(path))
    meta = package.metadata
    return Book(title=meta.get("title") or "", chapters=chapters, source=str(path), author=meta.get("author"),
                year=meta.get("year"), language=meta.get("language"), description=meta.get("description"),
                series=meta.get("series"), series_index=meta.get("series_index"), cover_image=cover,
                unread=unread)


# --------------------------------------------------------------------------- documents

def _documents(archive: Archive, package: Package) -> tuple[list[_Doc], str]:
    """Every spine document as blocks placed in the book's text, and that text."""
    trees = []
    for item, linear in package.spine:
        if not archive.has(item.path):
            continue  # a spine entry with no file: read the rest
        trees.append((item, linear, xhtml.parse(archive.text(item.path))))
    targets: dict[str, set[str]] = {}
    for item, _, tree in trees:
        for href in xhtml.note_targets(tree):
            target, fragment = resolve(item.path, href)
            if fragment:
                targets.setdefault(target, set()).add(fragment)
    docs: list[_Doc] = []
    pieces: list[str] = []
    offset = 0
    for item, linear, tree in trees:
        extracted = xhtml.extract(tree, targets.get(item.path, set()))
        placed = []
        for block in extracted.blocks:
            if pieces:
                pieces.append("\n\n")
                offset += 2
            pieces.append(block.text)
            placed.append((offset, offset + len(block.text), block))
            offset += len(block.text)
        matter = _matter(item, linear, tree, package)
        docs.append(_Doc(item.path, placed, extracted.anchors, extracted.title, matter))
    return docs, "".join(pieces) + ("\n" if pieces else "")


def _matter(item, linear: bool, tree: xhtml.Node, package: Package) -> Optional[str]:
    """Why a document is front or back matter ("front matter (copyright)"), or None if it is read."""
    types = set(package.semantics.get(item.path, set()))
    body = xhtml.find(tree, "body")
    if body is not None:
        types |= body.types()
        top = [c for c in body.children if isinstance(c, xhtml.Node)]
        for node in top[:2]:
            if node.tag in ("section", "div", "article", "nav"):
                types |= node.types()
    types = {t.split(":")[-1] for t in types}
    if types & READ:
        return None
    if types & FRONT:
        return f"front matter ({sorted(types & FRONT)[0]})"
    if types & BACK:
        return f"back matter ({sorted(types & BACK)[0]})"
    if "nav" in item.properties:
        return "front matter (contents)"
    if not linear:
        return "front matter (not in the reading order)"
    name = _NAME.search(posixpath.splitext(posixpath.basename(item.path))[0]) or _NAME.search(item.id)
    if name or posixpath.splitext(posixpath.basename(item.path))[0].lower() == "title":
        word = name.group(1).lower() if name else "title page"
        return f"{_side(word)} ({word})"
    return None


_BACK_WORDS = re.compile(r"notes|index|glossary|bibliography|colophon|also|other books|about|back",
                         re.IGNORECASE)


def _side(word: str) -> str:
    """"back matter" for notes, an index, "also by" ...; "front matter" for the rest."""
    return "back matter" if _BACK_WORDS.match(word.strip()) or word.lower().startswith(
        ("foot", "end")) else "front matter"


# --------------------------------------------------------------------------- chapters

def _starts(docs: list[_Doc], toc: list[NavEntry]) -> list[_Start]:
    """Where chapters start, in reading order: the navigation's entries placed in
    the text, and every document before the first of them (or every document, without navigation)."""
    index = {doc.path: i for i, doc in enumerate(docs)}
    index.update({doc.path.lower(): i for i, doc in enumerate(docs)})
    starts: list[_Start] = []
    for entry in toc:
        doc = index.get(entry.path, index.get(entry.path.lower()))
        if doc is None:
            continue
        block = docs[doc].anchors.get(entry.fragment, 0) if entry.fragment else 0
        label = entry.title.strip()
        matter = f"{_side(label)} ({label.lower()})" if _LABEL.fullmatch(label) else None
        starts.append(_Start(doc, min(block, len(docs[doc].blocks)), label or None, entry.depth, matter))
    starts.sort(key=lambda s: (s.doc, s.block))
    merged: list[_Start] = []
    for start in starts:
        if merged and (merged[-1].doc, merged[-1].block) == (start.doc, start.block):
            parent = merged.pop()
            if parent.title and start.title and parent.depth < start.depth and parent.matter is None:
                start.title = f"{parent.title} — {start.title}"
        merged.append(start)
    if not merged:  # no navigation: a document opening with a heading starts a chapter; others go on the last
        return [_Start(i, 0, None) for i, doc in enumerate(docs)
                if i == 0 or doc.matter or docs[i - 1].matter or _opens_with_heading(doc)]
    first_doc = merged[0].doc
    leading = [_Start(i, 0, None, leading=True) for i in range(first_doc)]
    if merged and merged[0].block > 0:
        leading.append(_Start(first_doc, 0, None, leading=True))
    known = {s.doc for s in merged}
    # a document the navigation skips stays with the chapter before it, unless it is front or back matter
    extra = [_Start(i, 0, None) for i in range(first_doc, len(docs)) if i not in known and docs[i].matter]
    return sorted(leading + merged + extra, key=lambda s: (s.doc, s.block))


def _is_prose(blocks: list) -> bool:
    """Whether blocks are story rather than a title page or a dedication: 50 words in
    paragraphs of 12 words or more that end a sentence."""
    words = sum(len(b.text.split()) for _, _, b in blocks
                if len(b.text.split()) >= 12 and re.search(r"[.!?…][\"'”’)\]]*$", b.text))
    return words >= 50


def _bare_number(title: str) -> bool:
    return bool(re.fullmatch(r"\d+|[IVXLCDM]+", title.strip().rstrip(".")))


def _opens_with_heading(doc: _Doc) -> bool:
    return bool(doc.blocks) and (doc.blocks[0][2].level > 0 or _is_heading_text(doc.blocks[0][2].text, None))


def _chapters(docs: list[_Doc], text: str, toc: list[NavEntry], source: str,
              front_matter: bool) -> tuple[list[Chapter], list[Unread]]:
    starts = _starts(docs, toc)
    chapters: list[Chapter] = []
    unread: list[Unread] = []
    prefix: Optional[str] = None
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else _Start(len(docs), 0, None)
        pieces = _blocks_between(docs, start, end)
        matter = start.matter or docs[start.doc].matter
        if not matter and start.leading and not _is_prose(pieces):
            matter = "front matter (before the table of contents' first entry)"
        if matter and not front_matter:
            if pieces:
                unread.append(Unread(source, pieces[0][0], pieces[-1][1], matter))
            continue
        blocks = [piece for piece in pieces]
        title, blocks = _title(start.title, blocks, docs[start.doc].title)
        paragraphs = _paragraphs(blocks, unread, source)
        if not paragraphs:
            following = starts[number + 1] if number + 1 < len(starts) else None
            if start.title and following is not None and following.depth > start.depth:
                prefix = start.title  # a part's title page: its title goes before its first chapter's
            continue
        if prefix and start.title and start.depth > 0:
            title = f"{prefix} — {title}"
        prefix = None
        chapters.append(Chapter(len(chapters) + 1, title or f"Chapter {len(chapters) + 1}",
                                pieces[0][0], paragraphs[-1].end, paragraphs, source=source, source_text=text))
    return chapters, unread


def _blocks_between(docs: list[_Doc], start: _Start, end: _Start) -> list[tuple[int, int, xhtml.Block]]:
    blocks = []
    for doc in range(start.doc, min(end.doc, len(docs) - 1) + 1):
        first = start.block if doc == start.doc else 0
        last = end.block if doc == end.doc else len(docs[doc].blocks)
        if doc != start.doc and docs[doc].matter:
            continue  # back matter after the last chapter is its own start; see _starts
        blocks += docs[doc].blocks[first:last]
    return blocks


def _title(given: Optional[str], blocks: list, doc_title: str) -> tuple[Optional[str], list]:
    """The chapter's title and its blocks after the heading lines that open it."""
    headings = []
    while blocks and (blocks[0][2].level or blocks[0][2].scene_break or _is_heading_text(blocks[0][2].text, given)):
        if not blocks[0][2].scene_break:
            headings.append(blocks[0][2].text)
        blocks = blocks[1:]
        if len(headings) >= 3:
            break
    if given:
        if _bare_number(given) and not headings:
            return f"Chapter {given.strip().rstrip('.')}", blocks
        return chapter_title(given), blocks
    if headings:
        first = parse_heading(headings[0].replace("\n", " "), True)
        title = chapter_title(headings[0].replace("\n", " "))
        if len(headings) > 1 and (first is None or not first.named):
            title = f"{title}: {chapter_title(headings[1].replace(chr(10), ' '))}"
        return title, blocks
    return (chapter_title(doc_title) if doc_title else None), blocks


def _is_heading_text(text: str, given: Optional[str]) -> bool:
    """A paragraph styled as text that is the chapter's heading ("CHAPTER I", the entry's own label)."""
    if len(text) > 120:
        return False
    if given and _key(text) and _key(text) in _key(given):
        return True
    heading = parse_heading(text.replace("\n", " "), True)
    return heading is not None and not heading.markdown


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _paragraphs(blocks: list, unread: list[Unread], source: str) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    for start, end, block in blocks:
        if block.scene_break and (not paragraphs or paragraphs[-1].scene_break):
            unread.append(Unread(source, start, end, "scene break"))
            continue
        paragraphs.append(Paragraph(start, end, scene_break=block.scene_break))
    while paragraphs and paragraphs[-1].scene_break:
        dropped = paragraphs.pop()
        unread.append(Unread(source, dropped.start, dropped.end, "scene break"))
    return paragraphs


def _cover(archive: Archive, package: Package) -> Optional[bytes]:
    if not package.cover_path:
        return None
    try:
        return archive.read(package.cover_path)
    except UserError:
        return None  # a missing cover image does not stop the book
