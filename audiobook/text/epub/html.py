"""A forgiving (X)HTML tree, and the plain text of an EPUB content document.

Content documents are parsed with the standard library's HTML parser, not an
XML parser: real books carry undeclared entities (``&nbsp;``), stray tags and
bad nesting that a strict parser refuses, and a reader of books should read
what a browser would show.

`extract` turns a document into blocks (paragraphs, headings, scene breaks)
of whitespace-normalised text, leaving out what is not read aloud: scripts
and styles, footnote references and footnote bodies, page-break markers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Iterator, Optional

from audiobook.text.headings import is_scene_break

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
BLOCKS = frozenset(
    "address article aside blockquote body caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header hgroup li main nav ol p pre section table tbody td tfoot th thead tr ul".split())
HEADINGS = {f"h{n}": n for n in range(1, 7)}
NOT_READ_TAGS = frozenset("head script style template svg math object audio video iframe noscript".split())
NOTE_TYPES = frozenset("footnote footnotes endnote endnotes rearnote rearnotes note notes".split())
NOTE_ROLES = frozenset("doc-footnote doc-endnote doc-endnotes doc-notes".split())
_NOTE_CLASS = re.compile(r"(?:^|[\s_-])(?:foot|end|rear)?notes?(?:$|[\s_\d-])|(?:^|[\s_-])fn\d*(?:$|[\s_-])"
                         r"|footnote|endnote", re.IGNORECASE)
_NOTE_ID = re.compile(r"^(?:fn|ftn|footnote|endnote|note|en|n)[-_:.]?\d+[a-z]?$", re.IGNORECASE)
_NOTE_BODY_ID = re.compile(r"^(?:fn|ftn|footnote|endnote|note)[-_:.]?\d+[a-z]?$", re.IGNORECASE)
_NOTE_MARK = re.compile(r"^[\[(]?(?:\d{1,4}|[*†‡§¶#]{1,3}|[a-z]|[ivxlc]{1,6})[\])]?\.?$", re.IGNORECASE)
_PAGE_CLASS = re.compile(r"page-?(?:num|number|break|marker)|pagenum", re.IGNORECASE)
_BREAK_CLASS = re.compile(r"scene|section-?break|space-?break|ornament|dinkus|separator|asterism|"
                          r"(?:^|[\s_-])(?:break|sep|divider)(?:$|[\s_\d-])", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\f\v\n\u00a0\u2002-\u200a\u3000]+")


# --------------------------------------------------------------------------- the tree

@dataclass
class Node:
    """An element: its tag, attributes and children (Nodes and strings)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list = field(default_factory=list)

    def get(self, name: str) -> str:
        return self.attrs.get(name) or ""

    def types(self) -> set[str]:
        """Its EPUB structural semantics (``epub:type``) and ARIA role, as words."""
        return set((self.get("epub:type") + " " + self.get("role")).lower().split())

    def iter(self) -> Iterator["Node"]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(markup: str) -> Node:
    """The document tree of `markup`; never raises on bad markup."""
    builder = _TreeBuilder()
    try:
        builder.feed(markup)
        builder.close()
    except (AssertionError, ValueError):  # the parser gives up on some garbage: keep what it read
        pass
    return builder.root


def find(root: Node, tag: str) -> Optional[Node]:
    return next((node for node in root.iter() if node.tag == tag), None)


# --------------------------------------------------------------------------- notes

def is_noteref(node: Node) -> bool:
    """A link to a footnote or endnote (``<a epub:type="noteref">``, ``<a href="#fn3"><sup>3</sup></a>``,
    ``<sup><a href="#n3">3</a></sup>``)."""
    if node.tag == "sup":
        inner = [child for child in node.children if isinstance(child, Node)]
        return (len(inner) == 1 and inner[0].tag == "a" and "#" in inner[0].get("href")
                and bool(_NOTE_MARK.match(_SPACE.sub("", node.text()))))
    if node.tag != "a":
        return False
    if node.types() & {"noteref", "doc-noteref", "annoref"}:
        return True
    href = node.get("href")
    if "#" not in href:
        return False
    mark = _SPACE.sub("", node.text())
    if not _NOTE_MARK.match(mark):
        return False
    fragment = href.split("#", 1)[1]
    in_sup = any(isinstance(c, Node) and c.tag in ("sup", "small") for c in node.children)
    return in_sup or bool(_NOTE_ID.match(fragment) or _NOTE_CLASS.search(node.get("class"))
                          or _NOTE_CLASS.search(node.get("id")))


def is_note_body(node: Node) -> bool:
    """A footnote, endnote or a list of them, or an aside: not read."""
    if node.tag == "aside":
        return True
    if node.types() & (NOTE_TYPES | NOTE_ROLES):
        return True
    return node.tag in BLOCKS and node.tag != "body" and bool(
        _NOTE_CLASS.search(node.get("class")) or _NOTE_BODY_ID.match(node.get("id")))


def note_targets(root: Node) -> set[str]:
    """The fragment ids footnote references in this document point to (``doc.xhtml#fn1`` as given)."""
    return {link.get("href") for node in root.iter() if is_noteref(node)
            for link in node.iter() if link.tag == "a" and link.get("href")}


# --------------------------------------------------------------------------- blocks

@dataclass
class Block:
    """A paragraph, a heading (`level` 1-6) or a scene break of a document."""

    text: str
    level: int = 0
    scene_break: bool = False


@dataclass
class Extracted:
    """A document's blocks, where each of its element ids falls (block index), and its `<title>`."""

    blocks: list[Block]
    anchors: dict[str, int]
    title: str = ""


class _Extractor:
    def __init__(self, skip_ids: set[str]) -> None:
        self.skip_ids = skip_ids
        self.blocks: list[Block] = []
        self.anchors: dict[str, int] = {}
        self.parts: list[str] = []
        self.level = 0

    def flush(self) -> None:
        lines = [_SPACE.sub(" ", line).strip() for line in "".join(self.parts).split("\n")]
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append(Block(text, self.level, scene_break=not self.level and is_scene_break(text)))
        self.parts = []
        self.level = 0

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.parts.append(child.replace("\n", " "))
            else:
                self.element(child)

    def element(self, node: Node) -> None:
        tag = node.tag
        if node.get("id"):
            self.anchors.setdefault(node.get("id"), len(self.blocks))
        if tag in NOT_READ_TAGS or node.get("hidden") or "pagebreak" in node.types() or \
                "doc-pagebreak" in node.types() or _PAGE_CLASS.search(node.get("class")):
            return
        if is_noteref(node) or is_note_body(node) or node.get("id") in self.skip_ids:
            return
        if tag in BLOCKS and self.skip_ids and _leading_ids(node) & self.skip_ids:
            return  # <p><a id="fn1" href="#ref1">1</a> The note.</p>
        if tag == "br":
            self.parts.append("\n")
            return
        if tag == "hr" or (tag in BLOCKS and _BREAK_CLASS.search(node.get("class"))
                           and not re.search(r"\w", node.text())):
            self.flush()
            self.blocks.append(Block("* * *", scene_break=True))
            return
        if tag not in BLOCKS:
            self.walk(node)
            return
        self.flush()
        if tag in HEADINGS:
            self.level = HEADINGS[tag]
        self.walk(node)
        self.flush()


def _leading_ids(node: Node) -> set[str]:
    """The ids of the elements that open `node`, before any of its text."""
    ids: set[str] = set()
    for child in node.children:
        if isinstance(child, str):
            if child.strip():
                break
            continue
        if child.get("id"):
            ids.add(child.get("id"))
        ids |= _leading_ids(child)
        if child.text().strip():
            break
    return ids


def extract(root: Node, skip_ids: set[str] = frozenset()) -> Extracted:
    """The blocks of a parsed content document, without the elements whose id is in `skip_ids`
    (the footnotes other documents refer to)."""
    title_node = find(root, "title")
    body = find(root, "body") or root
    extractor = _Extractor(set(skip_ids))
    extractor.walk(body)
    extractor.flush()
    title = _SPACE.sub(" ", title_node.text()).strip() if title_node else ""
    return Extracted(extractor.blocks, extractor.anchors, title)


def plain_text(node: Node) -> str:
    """A node's text with whitespace made single spaces."""
    return _SPACE.sub(" ", node.text()).strip()


def plain(markup: str) -> str:
    """Text from a snippet of HTML (a book's description), whitespace made single spaces."""
    return _SPACE.sub(" ", parse(markup).text()).strip()
