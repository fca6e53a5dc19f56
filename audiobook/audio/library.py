"""The files a library manager reads beside a book's audio.

An edition folder (the chapter files, or the one-file MP3, or the m4b) gets:

* ``metadata.json``, Audiobookshelf's own metadata file: title, authors,
  narrators, series (``Name #2``), year, description, language and the
  chapters in seconds on the book's timeline.  Audiobookshelf prefers it to
  the audio tags when it scans a folder.
* ``metadata.opf``, an OPF package document with the Dublin Core metadata
  (``dc:creator`` with the roles ``aut`` and ``nrt``, ``dc:language``,
  ``dc:date``, ``dc:description``) and Calibre's series fields, which
  Audiobookshelf and Calibre-style tools read.
* ``cover.jpg`` or ``cover.png``, the cover image as a file: what folder-based
  players show when they do not look inside the audio.

These are pure functions: they return each file's contents and write nothing;
the export stage puts them in the folder with the rest of the edition.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Optional, Sequence

from audiobook.audio.tags import GENRE, ChapterMark, Cover
from audiobook.model import BookInfo
from audiobook.printable import printable

METADATA_JSON = "metadata.json"
METADATA_OPF = "metadata.opf"

_OPF = "http://www.idpf.org/2007/opf"
_DC = "http://purl.org/dc/elements/1.1/"
ET.register_namespace("", _OPF)
ET.register_namespace("dc", _DC)
ET.register_namespace("opf", _OPF)


def library_files(info: BookInfo, marks: Sequence[ChapterMark], cover: Optional[Cover] = None) -> dict[str, bytes]:
    """File name -> contents of every library file for one edition of the book.

    `marks` are the chapters on the edition's timeline (for an edition of
    chapter files, one file after another).
    """
    files = {METADATA_JSON: abs_metadata_json(info, marks).encode("utf-8"),
             METADATA_OPF: opf_metadata(info, cover).encode("utf-8")}
    if cover is not None:
        files[cover_name(cover)] = cover.data
    return files


def cover_name(cover: Cover) -> str:
    """``cover.jpg`` or ``cover.png``, from the image's own bytes."""
    return "cover" + cover.extension


def series_label(info: BookInfo) -> Optional[str]:
    """``Series #2``, the way Audiobookshelf writes a series with its number (None without a series)."""
    series = _one_line(info.series)
    if not series:
        return None
    index = _one_line(info.series_index)
    return f"{series} #{index.replace(' ', '')}" if index else series


def abs_metadata_json(info: BookInfo, marks: Sequence[ChapterMark]) -> str:
    """Audiobookshelf's ``metadata.json`` for the book: its documented keys, chapters in seconds."""
    label = series_label(info)
    document = {
        "tags": [],
        "chapters": [{"id": number, "start": mark.start_ms / 1000, "end": mark.end_ms / 1000,
                      "title": _one_line(mark.title) or f"Chapter {number + 1}"}
                     for number, mark in enumerate(marks)],
        "title": _one_line(info.title),
        "subtitle": None,
        "authors": _names(info.author),
        "narrators": _names(info.narrator),
        "series": [label] if label else [],
        "genres": [],
        "publishedYear": _year(info.year),
        "publishedDate": None,
        "publisher": None,
        "description": printable(info.description, lines=True) if info.description else None,
        "isbn": None,
        "asin": None,
        "language": _one_line(info.language) or None,
        "explicit": False,
        "abridged": False,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def opf_metadata(info: BookInfo, cover: Optional[Cover] = None) -> str:
    """An OPF 2.0 package document holding the book's metadata (and naming the cover file)."""
    package = ET.Element(f"{{{_OPF}}}package", {"version": "2.0", "unique-identifier": "id"})
    metadata = ET.SubElement(package, f"{{{_OPF}}}metadata")

    def dc(name: str, text: Optional[str], **attributes: str) -> None:
        if text:
            element = ET.SubElement(metadata, f"{{{_DC}}}{name}", {f"{{{_OPF}}}{k}": v for k, v in attributes.items()})
            element.text = text

    dc("identifier", f"audiobook:{_one_line(info.slug) or 'book'}", id="id")
    dc("title", _one_line(info.title))
    for author in _names(info.author):
        dc("creator", author, role="aut")
    for narrator in _names(info.narrator):
        dc("creator", narrator, role="nrt")
    dc("language", _one_line(info.language))
    dc("date", _one_line(info.year))
    dc("description", printable(info.description, lines=True) if info.description else None)
    dc("subject", GENRE)
    if _one_line(info.series):
        ET.SubElement(metadata, f"{{{_OPF}}}meta", {"name": "calibre:series", "content": _one_line(info.series)})
        if _one_line(info.series_index):
            ET.SubElement(metadata, f"{{{_OPF}}}meta",
                          {"name": "calibre:series_index", "content": _one_line(info.series_index)})
    if cover is not None:
        guide = ET.SubElement(package, f"{{{_OPF}}}guide")
        ET.SubElement(guide, f"{{{_OPF}}}reference", {"type": "cover", "title": "Cover", "href": cover_name(cover)})
    ET.indent(package)
    return ET.tostring(package, encoding="unicode", xml_declaration=True) + "\n"


def _one_line(text: Optional[str]) -> str:
    return printable(text) if text else ""


def _names(text: Optional[str]) -> list[str]:
    """People named in one field: ``A; B`` and ``A & B`` are two."""
    cleaned = _one_line(text)
    if not cleaned:
        return []
    for separator in (";", " & "):
        cleaned = cleaned.replace(separator, "\x00")
    return [name.strip() for name in cleaned.split("\x00") if name.strip()]


def _year(date: Optional[str]) -> Optional[str]:
    """The year of a date (``1905-06-01`` -> ``1905``), if it starts with one."""
    text = _one_line(date)
    return text[:4] if len(text) >= 4 and text[:4].isdigit() else None
