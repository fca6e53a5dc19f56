"""An EPUB's package: the ZIP container, the OPF (metadata, manifest, spine,
guide) and the navigation (EPUB 3 nav document, EPUB 2 NCX).

Read with the standard library (zipfile, ElementTree on expat, which does
not fetch external entities and limits entity expansion), so a broken or
hostile book fails with a `UserError` naming the file, never a traceback.
Every member is read with a size limit, so a ZIP bomb cannot fill memory.
"""
from __future__ import annotations

import html.entities
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import unquote
from xml.etree import ElementTree

from audiobook.errors import UserError
from audiobook.text.epub import html as xhtml

MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one document or image
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # everything read from one book
CONTENT_TYPES = ("application/xhtml+xml", "text/html", "application/x-dtbook+xml", "text/x-oeb1-document")
FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")


@dataclass
class Item:
    """A manifest entry: its id, path inside the ZIP, media type and properties."""

    id: str
    path: str
    media_type: str
    properties: set[str] = field(default_factory=set)


@dataclass
class NavEntry:
    """One entry of the table of contents: its label, target document and fragment, and depth."""

    title: str
    path: str
    fragment: str
    depth: int


@dataclass
class Package:
    """What the OPF and navigation say about the book."""

    manifest: dict[str, Item]  # by id
    spine: list[tuple[Item, bool]]  # items in reading order, and whether each is linear
    metadata: dict[str, object]
    toc: list[NavEntry]
    semantics: dict[str, set[str]]  # document path -> landmark/guide types ("cover", "toc", "bodymatter")
    cover_path: Optional[str]


class Archive:
    """The book's ZIP file, read member by member with limits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_total = 0
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise UserError(f"not a readable EPUB ({_reason(error)})", str(path)) from None
        self.names = {info.filename: info for info in self.zip.infolist() if not info.is_dir()}
        self.folded = {name.lower(): name for name in self.names}

    def close(self) -> None:
        self.zip.close()

    def has(self, name: str) -> bool:
        return self._name(name) is not None

    def _name(self, name: str) -> Optional[str]:
        return name if name in self.names else self.folded.get(name.lower())

    def read(self, name: str) -> bytes:
        """A member's bytes; a UserError if it is missing, broken or too large."""
        real = self._name(name)
        if real is None:
            raise UserError(f"broken EPUB: {name} is missing", str(self.path))
        try:
            with self.zip.open(real) as handle:
                data = handle.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as error:
            raise UserError(f"broken EPUB: cannot read {name} ({_reason(error)})", str(self.path)) from None
        if len(data) > MAX_MEMBER_BYTES:
            raise UserError(f"broken EPUB: {name} is larger than {MAX_MEMBER_BYTES // 2**20} MB",
                            str(self.path))
        self.read_total += len(data)
        if self.read_total > MAX_TOTAL_BYTES:
            raise UserError(f"EPUB too large: more than {MAX_TOTAL_BYTES // 2**20} MB of content",
                            str(self.path))
        return data

    def text(self, name: str) -> str:
        """A member decoded as text (UTF-8, UTF-16 with BOM, or what its XML declaration says)."""
        data = self.read(name)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16", errors="replace")
        declared = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", data)
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
        try:
            return data.decode(encoding, errors="replace").lstrip("\ufeff")
        except LookupError:
            return data.decode("utf-8", errors="replace").lstrip("\ufeff")


def _reason(error: Exception) -> str:
    return str(error).strip() or type(error).__name__


def local(tag: object) -> str:
    """An XML tag or attribute name without its namespace."""
    return str(tag).rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def attr(element, name: str) -> str:
    """An attribute by local name, whatever its namespace."""
    for key, value in element.attrib.items():
        if local(key) == name:
            return value
    return ""


def parse_xml(archive: Archive, name: str):
    """An XML member's root element; named HTML entities are tolerated."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", archive.text(name))
    for attempt in (text, _numeric_entities(text)):
        try:
            return ElementTree.fromstring(attempt)
        except ElementTree.ParseError as error:
            where = error.position[0] if getattr(error, "position", None) else None
            problem = f"{name} is not well-formed XML" + (f" (line {where})" if where else "")
        except (ValueError, RecursionError):
            problem = f"{name} cannot be read"
    raise UserError(f"broken EPUB: {problem}", str(archive.path))


def _numeric_entities(text: str) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES or name not in html.entities.name2codepoint:
            return match.group(0)
        return f"&#{html.entities.name2codepoint[name]};"
    return _ENTITY.sub(replace, text)


def resolve(base: str, href: str) -> tuple[str, str]:
    """The ZIP path and fragment `href` names, relative to the member `base`."""
    href = href.strip()
    target, _, fragment = href.partition("#")
    if not target:
        return base, unquote(fragment)
    if re.match(r"[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # http:, mailto: ...
        return "", ""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(target)))
    return path.lstrip("/"), unquote(fragment)


# --------------------------------------------------------------------------- the package

def read_package(archive: Archive) -> Package:
    """The book's OPF and navigation, after checking it carries no DRM."""
    opf_path = _opf_path(archive)
    _refuse_drm(archive)
    root = parse_xml(archive, opf_path)
    manifest = _manifest(root, opf_path)
    spine, ncx_id = _spine(root, manifest)
    if not spine:
        raise UserError("broken EPUB: its spine lists no documents", str(archive.path))
    metadata = _metadata(root)
    semantics: dict[str, set[str]] = {}
    for reference in _children(root, "guide", "reference"):
        path, _ = resolve(opf_path, attr(reference, "href"))
        semantics.setdefault(path, set()).add(attr(reference, "type").lower().removeprefix("other."))
    toc: list[NavEntry] = []
    nav = next((item for item in manifest.values() if "nav" in item.properties), None)
    if nav is not None and archive.has(nav.path):
        toc = _nav_toc(archive, nav.path, semantics)
    ncx = manifest.get(ncx_id) or next((i for i in manifest.values() if i.media_type == "application/x-dtbncx+xml"),
                                       None)
    if not toc and ncx is not None and archive.has(ncx.path):
        try:
            toc = _ncx_toc(archive, ncx.path)
        except UserError:
            toc = []  # a broken NCX: the spine still gives the chapters
    return Package(manifest, spine, metadata, toc, semantics, _cover_path(root, manifest, semantics))


def _opf_path(archive: Archive) -> str:
    if archive.has("META-INF/container.xml"):
        container = parse_xml(archive, "META-INF/container.xml")
        for rootfile in container.iter():
            if local(rootfile.tag) == "rootfile" and attr(rootfile, "full-path"):
                if archive.has(attr(rootfile, "full-path")):
                    return attr(rootfile, "full-path")
    found = sorted(name for name in archive.names if name.lower().endswith(".opf"))
    if not found:
        raise UserError("not an EPUB: no META-INF/container.xml and no package (.opf) file", str(archive.path))
    return found[0]


def _refuse_drm(archive: Archive) -> None:
    """A UserError if META-INF/encryption.xml encrypts anything but fonts (font obfuscation is no DRM)."""
    if not archive.has("META-INF/encryption.xml"):
        return
    try:
        root = parse_xml(archive, "META-INF/encryption.xml")
    except UserError:
        raise UserError("this EPUB is locked with DRM (it has an unreadable encryption.xml)",
                        str(archive.path)) from None
    for data in root.iter():
        if local(data.tag) != "encrypteddata":
            continue
        method = next((attr(e, "algorithm") for e in data.iter() if local(e.tag) == "encryptionmethod"), "")
        uri = next((attr(e, "uri") for e in data.iter() if local(e.tag) == "cipherreference"), "")
        if method in FONT_OBFUSCATION and re.search(r"\.(?:ttf|otf|woff2?|pfb|fnt)$", uri, re.IGNORECASE):
            continue
        raise UserError(f"this EPUB is locked with DRM ({unquote(uri) or 'content'} is encrypted); "
                        "only DRM-free books can be read", str(archive.path))


def _children(root, parent: str, child: str) -> list:
    return [element for section in root if local(section.tag) == parent
            for element in section if local(element.tag) == child]


def _manifest(root, opf_path: str) -> dict[str, Item]:
    manifest = {}
    for element in _children(root, "manifest", "item"):
        path, _ = resolve(opf_path, attr(element, "href"))
        item_id = attr(element, "id") or path
        manifest[item_id] = Item(item_id, path, attr(element, "media-type").lower(),
                                 set(attr(element, "properties").lower().split()))
    return manifest


def _spine(root, manifest: dict[str, Item]) -> tuple[list[tuple[Item, bool]], str]:
    spine, toc_id = [], ""
    for section in root:
        if local(section.tag) == "spine":
            toc_id = attr(section, "toc")
            for itemref in section:
                item = manifest.get(attr(itemref, "idref"))
                if local(itemref.tag) == "itemref" and item is not None and (
                        item.media_type in CONTENT_TYPES or item.path.lower().endswith((".xhtml", ".html", ".htm"))):
                    spine.append((item, attr(itemref, "linear").lower() != "no"))
    return spine, toc_id


def _metadata(root) -> dict[str, object]:
    """Title, authors, language, date, description and series from the OPF metadata."""
    block = next((section for section in root if local(section.tag) == "metadata"), None)
    if block is None:
        return {}
    elements = list(block.iter())
    refines: dict[str, dict[str, str]] = {}
    for element in elements:
        if local(element.tag) == "meta" and attr(element, "refines"):
            refines.setdefault(attr(element, "refines").lstrip("#"), {})[attr(element, "property")] = \
                (element.text or "").strip()

    def values(name: str) -> list:
        return [e for e in elements if local(e.tag) == name and (e.text or "").strip()]

    titles = values("title")
    main = [t for t in titles if refines.get(attr(t, "id"), {}).get("title-type") == "main"]
    title = (main or titles)[0].text.strip() if titles else None
    creators = values("creator")
    authors = [c for c in creators
               if (attr(c, "role") or refines.get(attr(c, "id"), {}).get("role", "aut")).lower() == "aut"]
    author = ", ".join(dict.fromkeys(c.text.strip() for c in (authors or creators))) or None
    dates = values("date")
    published = [d for d in dates if attr(d, "event").lower() in ("", "publication", "original-publication")]
    year = next((m.group() for d in (published or dates) for m in [re.search(r"\d{4}", d.text)] if m), None)
    languages = values("language")
    descriptions = values("description")
    named = {attr(e, "name").lower(): attr(e, "content") for e in elements if local(e.tag) == "meta"}
    series, index = named.get("calibre:series") or None, named.get("calibre:series_index") or None
    for element in elements:
        if local(element.tag) == "meta" and attr(element, "property") == "belongs-to-collection" and not series:
            details = refines.get(attr(element, "id"), {})
            if details.get("collection-type", "series") == "series":
                series = (element.text or "").strip() or None
                index = details.get("group-position") or index
    if index:
        index = re.sub(r"\.0+$", "", index.strip())
    return {"title": title, "author": author, "year": year,
            "language": languages[0].text.strip() if languages else None,
            "description": xhtml.plain(descriptions[0].text) if descriptions else None,
            "series": series, "series_index": index}


def _cover_path(root, manifest: dict[str, Item], semantics: dict[str, set[str]]) -> Optional[str]:
    """The cover image: EPUB 3 ``properties="cover-image"``, EPUB 2 ``<meta name="cover">``,
    else an image named cover."""
    images = [item for item in manifest.values() if item.media_type.startswith("image/")]
    for item in images:
        if "cover-image" in item.properties:
            return item.path
    metadata = next((section for section in root if local(section.tag) == "metadata"), None)
    if metadata is not None:
        for element in metadata.iter():
            if local(element.tag) == "meta" and attr(element, "name").lower() == "cover":
                content = attr(element, "content")
                item = manifest.get(content) or next((i for i in images if i.path.endswith(content)), None)
                if item is not None and item.media_type.startswith("image/"):
                    return item.path
    named = [item for item in images if "cover" in (item.id + " " + posixpath.basename(item.path)).lower()]
    return named[0].path if named else None


# --------------------------------------------------------------------------- navigation

def _nav_toc(archive: Archive, nav_path: str, semantics: dict[str, set[str]]) -> list[NavEntry]:
    """The EPUB 3 nav document's table of contents; its landmarks go into `semantics`."""
    root = xhtml.parse(archive.text(nav_path))
    navs = [node for node in root.iter() if node.tag == "nav"]
    for nav in navs:
        if "landmarks" in nav.types():
            for link in nav.iter():
                if link.tag == "a" and link.get("href"):
                    path, _ = resolve(nav_path, link.get("href"))
                    semantics.setdefault(path, set()).update(link.types())
    toc = next((nav for nav in navs if "toc" in nav.types()), navs[0] if navs else None)
    if toc is None:
        return []
    entries: list[NavEntry] = []
    _walk_nav_list(toc, nav_path, 0, entries)
    return entries


def _walk_nav_list(node: xhtml.Node, nav_path: str, depth: int, entries: list[NavEntry]) -> None:
    for child in node.children:
        if not isinstance(child, xhtml.Node):
            continue
        if child.tag == "li":
            label = next((c for c in child.children if isinstance(c, xhtml.Node) and c.tag in ("a", "span")), None)
            if label is not None and label.tag == "a" and label.get("href"):
                path, fragment = resolve(nav_path, label.get("href"))
                if path:
                    entries.append(NavEntry(xhtml.plain_text(label), path, fragment, depth))
            for sub in child.children:
                if isinstance(sub, xhtml.Node) and sub.tag in ("ol", "ul"):
                    _walk_nav_list(sub, nav_path, depth + 1, entries)
        elif child.tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):
            _walk_nav_list(child, nav_path, depth, entries)


def _ncx_toc(archive: Archive, ncx_path: str) -> list[NavEntry]:
    """The EPUB 2 NCX navMap."""
    root = parse_xml(archive, ncx_path)
    nav_map = next((e for e in root.iter() if local(e.tag) == "navmap"), None)
    entries: list[NavEntry] = []

    def walk(element, depth: int) -> None:
        for point in element:
            if local(point.tag) != "navpoint":
                continue
            label = next((e for e in point.iter() if local(e.tag) == "text"), None)
            content = next((e for e in point if local(e.tag) == "content"), None)
            if content is not None and attr(content, "src"):
                path, fragment = resolve(ncx_path, attr(content, "src"))
                if path:
                    title = " ".join("".join(label.itertext()).split()) if label is not None else ""
                    entries.append(NavEntry(title, path, fragment, depth))
            walk(point, depth + 1)

    if nav_map is not None:
        walk(nav_map, 0)
    return entries
