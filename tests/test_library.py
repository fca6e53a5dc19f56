"""The files library managers read beside the audio: metadata.json, metadata.opf, the cover."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from audiobook.audio.library import (
    METADATA_JSON,
    METADATA_OPF,
    abs_metadata_json,
    library_files,
    opf_metadata,
    series_label,
)
from audiobook.audio.tags import ChapterMark, read_cover
from audiobook.model import BookInfo

DATA = Path(__file__).parent / "data" / "export"
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
INFO = BookInfo(title="The Lighthouse", slug="the-lighthouse", author="Ann Author; Bo Writer", year="1905-06-01",
                narrator="Nora Reader", language="en-GB", description="First line.\nSecond <line> & more.",
                series="Coast Tales", series_index="2")
MARKS = [ChapterMark("Prologue", 0, 61_250), ChapterMark("The Storm", 61_250, 3_600_000),
         ChapterMark("Ünïcode — 章", 3_600_000, 3_725_001)]


def test_metadata_json_is_audiobookshelfs_format_with_the_chapters():
    document = json.loads(abs_metadata_json(INFO, MARKS))
    assert document["title"] == "The Lighthouse"
    assert document["authors"] == ["Ann Author", "Bo Writer"] and document["narrators"] == ["Nora Reader"]
    assert document["series"] == ["Coast Tales #2"]
    assert document["publishedYear"] == "1905" and document["language"] == "en-GB"
    assert document["description"] == "First line.\nSecond <line> & more."
    assert document["chapters"] == [
        {"id": 0, "start": 0.0, "end": 61.25, "title": "Prologue"},
        {"id": 1, "start": 61.25, "end": 3600.0, "title": "The Storm"},
        {"id": 2, "start": 3600.0, "end": 3725.001, "title": "Ünïcode — 章"}]
    # every key Audiobookshelf's own metadata.json has for a book, and no other
    assert set(document) == {"tags", "chapters", "title", "subtitle", "authors", "narrators", "series", "genres",
                             "publishedYear", "publishedDate", "publisher", "description", "isbn", "asin",
                             "language", "explicit", "abridged"}


def test_a_book_with_little_known_has_empty_fields_not_made_up_ones():
    document = json.loads(abs_metadata_json(BookInfo(title="Tale", slug="tale"), MARKS[:1]))
    assert document["authors"] == document["narrators"] == document["series"] == []
    assert document["publishedYear"] is None and document["language"] is None and document["description"] is None
    assert document["chapters"] == [{"id": 0, "start": 0.0, "end": 61.25, "title": "Prologue"}]


def test_opf_names_author_and_narrator_by_role_and_carries_the_series():
    root = ET.fromstring(opf_metadata(INFO, read_cover(DATA / "cover.png")).encode("utf-8"))
    assert root.tag == "{http://www.idpf.org/2007/opf}package"
    metadata = root.find("opf:metadata", NS)
    creators = [(c.text, c.get("{http://www.idpf.org/2007/opf}role")) for c in metadata.findall("dc:creator", NS)]
    assert creators == [("Ann Author", "aut"), ("Bo Writer", "aut"), ("Nora Reader", "nrt")]
    assert metadata.find("dc:title", NS).text == "The Lighthouse"
    assert metadata.find("dc:language", NS).text == "en-GB" and metadata.find("dc:date", NS).text == "1905-06-01"
    assert metadata.find("dc:description", NS).text == "First line.\nSecond <line> & more."
    meta = {m.get("name"): m.get("content") for m in metadata.findall("opf:meta", NS)}
    assert meta == {"calibre:series": "Coast Tales", "calibre:series_index": "2"}
    assert root.find("opf:guide/opf:reference", NS).get("href") == "cover.png"


def test_the_cover_is_a_file_named_for_its_format():
    png, jpg = read_cover(DATA / "cover.png"), read_cover(DATA / "cover.jpg")
    files = library_files(INFO, MARKS, png)
    assert list(files) == [METADATA_JSON, METADATA_OPF, "cover.png"] and files["cover.png"] == png.data
    assert "cover.jpg" in library_files(INFO, MARKS, jpg)
    assert list(library_files(INFO, MARKS)) == [METADATA_JSON, METADATA_OPF]  # no cover, no cover file


def test_terminal_escapes_and_control_characters_never_reach_the_files():
    hostile = BookInfo(title="\x1b[31mRed\x1b[0m Book\x07", slug="red-book", author="Ann\x00 Author",
                       narrator="\u202eNora", description="a\x1b]0;owned\x07b\x01c", series="S\x1b[2Jaga",
                       series_index="3")
    marks = [ChapterMark("One\x1b[1m!", 0, 1000)]
    files = library_files(hostile, marks)
    for content in files.values():
        assert not any(ord(char) < 32 and char != "\n" or char in "\x7f\u202e" for char in content.decode())
    document = json.loads(files[METADATA_JSON])
    assert (document["title"], document["authors"], document["narrators"], document["description"]) == (
        "Red Book", ["Ann Author"], ["Nora"], "abc")
    assert document["chapters"][0]["title"] == "One!" and document["series"] == ["Saga #3"]
    ET.fromstring(files[METADATA_OPF])  # still well-formed XML


def test_series_label():
    assert series_label(BookInfo("T", "t", series="Saga", series_index="2.5")) == "Saga #2.5"
    assert series_label(BookInfo("T", "t", series="Saga")) == "Saga"
    assert series_label(BookInfo("T", "t", series_index="2")) is None
