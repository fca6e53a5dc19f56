"""The files library managers read beside the audio: metadata.json, metadata.opf, the cover."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from audiobook.audio.library import (
    METADATA_JSON,
    METADATA_OPF,
    abs_metadata_json,
    library_files,
    opf_metadata,
    series_label,
)
from audiobook.audio.runtime import prepare_audio
from audiobook.audio.tags import ChapterMark, read_cover
from audiobook.cli import main
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


# --------------------------------------------------------------------------- a real build, read back

def ffmpeg_chapter_titles(path: Path) -> list[str]:
    """Chapter titles in the order ffmpeg (and so ffprobe, and Audiobookshelf) lists them."""
    info = subprocess.run([prepare_audio(), "-hide_banner", "-i", str(path)], capture_output=True, text=True).stderr
    return re.findall(r"Chapter #\d+:\d+: start [\d.]+, end [\d.]+\s+Metadata:\s+title\s+: (.*)", info)


FRONT_MATTER = ("---\ntitle: Waves\nauthor: Ann Author\nyear: 1905\ncover: cover.jpg\nlanguage: en-GB\n"
                "description: \"Three hundred waves; one shore.\"\nseries: Coast Tales\nseries_index: 2\n---\n\n")


def build_story(folder: Path, chapters: list[tuple[str, str]], *options: str) -> Path:
    """Build a story of (title, text) chapters with its details in front matter; return the output folder."""
    shutil.copy(DATA / "cover.jpg", folder / "cover.jpg")
    story = folder / "waves.txt"
    story.write_text(FRONT_MATTER + "\n\n".join(f"{title}\n\n{text}" for title, text in chapters) + "\n",
                     encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(story), "--no-voices", "--out", str(folder / "out"),
                                       "--jobs", "1", "--narrator", "Nora Reader", *options])
    assert result.exit_code == 0, result.output
    return folder / "out"


@pytest.fixture(scope="module")
def waves(tmp_path_factory):
    """A 300-chapter story built into the one-file MP3 edition, with ID3v2.4 asked for."""
    return build_story(tmp_path_factory.mktemp("waves"), [(f"Chapter {n}", f"Wave {n}.") for n in range(1, 301)],
                       "--format", "mp3", "--id3", "2.4")


@pytest.fixture(scope="module")
def tale(tmp_path_factory):
    """Three chapters whose titles get shorter (frames sorted by size would list them backwards), all editions."""
    return build_story(tmp_path_factory.mktemp("tale"), [("Chapter One: The Longest Night", "A wave."),
                                                         ("Chapter Two: Dawn", "Another."), ("Chapter Three", "The last.")],
                       "--format", "chapters,mp3,m4b")


def test_300_chapters_are_listed_in_order_in_the_one_file_mp3(waves):
    titles = [f"Chapter {n}" for n in range(1, 301)]
    assert ffmpeg_chapter_titles(waves / "waves-mp3" / "waves.mp3") == titles
    document = json.loads((waves / "waves-mp3" / METADATA_JSON).read_text(encoding="utf-8"))
    assert [chapter["title"] for chapter in document["chapters"]] == titles
    starts = [chapter["start"] for chapter in document["chapters"]]
    assert starts == sorted(starts) and len(set(starts)) == 300
    tables = ID3(waves / "waves-mp3" / "waves.mp3").getall("CTOC")
    assert sorted(len(toc.child_element_ids) for toc in tables) == [2, 45, 255]


def test_three_chapters_in_order_in_every_edition(tale):
    titles = ["Chapter One: The Longest Night", "Chapter Two: Dawn", "Chapter Three"]
    assert ffmpeg_chapter_titles(tale / "waves-mp3" / "waves.mp3") == titles
    assert ffmpeg_chapter_titles(tale / "waves-m4b" / "waves.m4b") == titles
    for edition in ("waves", "waves-mp3", "waves-m4b"):
        document = json.loads((tale / edition / METADATA_JSON).read_text(encoding="utf-8"))
        assert [chapter["title"] for chapter in document["chapters"]] == titles


def test_the_built_files_carry_what_a_library_shows(waves, tale):
    cover = (DATA / "cover.jpg").read_bytes()
    id3 = ID3(waves / "waves-mp3" / "waves.mp3")
    assert id3.version == (2, 4, 0)  # as asked with --id3 2.4
    chapter_file = ID3(tale / "waves" / "01 - Chapter One - The Longest Night.mp3")
    assert chapter_file.version == (2, 3, 0)  # the default
    for tags in (id3, chapter_file):
        assert {key: str(tags[key]) for key in ("TALB", "TPE1", "TCOM", "TDRC", "TLAN", "MVNM", "MVIN")} == {
            "TALB": "Waves", "TPE1": "Ann Author", "TCOM": "Nora Reader", "TDRC": "1905", "TLAN": "eng",
            "MVNM": "Coast Tales", "MVIN": "2"}
        assert str(tags["TXXX:NARRATOR"]) == "Nora Reader"
        assert str(tags["TXXX:DESCRIPTION"]) == "Three hundred waves; one shore."
        assert tags.getall("APIC")[0].data == cover
    mp4 = MP4(tale / "waves-m4b" / "waves.m4b")
    assert mp4["\xa9nrt"] == mp4["\xa9wrt"] == ["Nora Reader"] and mp4["desc"] == ["Three hundred waves; one shore."]
    assert mp4["\xa9mvn"] == ["Coast Tales"] and mp4["\xa9mvi"] == [2] and bytes(mp4["covr"][0]) == cover
    for edition in ("waves", "waves-mp3", "waves-m4b"):
        assert (tale / edition / "cover.jpg").read_bytes() == cover
        document = json.loads((tale / edition / METADATA_JSON).read_text(encoding="utf-8"))
        assert (document["narrators"], document["series"], document["language"], document["publishedYear"]) == (
            ["Nora Reader"], ["Coast Tales #2"], "en-GB", "1905")
        opf = ET.fromstring((tale / edition / METADATA_OPF).read_bytes())
        assert [c.text for c in opf.iter("{http://purl.org/dc/elements/1.1/}creator")] == ["Ann Author",
                                                                                          "Nora Reader"]


def test_without_narrator_the_narrators_voice_is_named(tmp_path):
    story = tmp_path / "s.txt"
    story.write_text("A short tale.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(story), "--no-voices", "--out", str(tmp_path / "out"),
                                       "--jobs", "1"])
    assert result.exit_code == 0, result.output
    [mp3] = (tmp_path / "out" / "s").glob("*.mp3")
    narrator = str(ID3(mp3)["TCOM"])
    assert narrator.startswith("eSpeak NG ") and len(narrator) > len("eSpeak NG ")
    assert json.loads((tmp_path / "out" / "s" / METADATA_JSON).read_text())["narrators"] == [narrator]
