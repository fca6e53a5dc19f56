"""EPUB 2 and EPUB 3 books: chapters, what is not read, metadata, cover, errors."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from audiobook.errors import UserError
from audiobook.text.quotes import segment_book
from audiobook.text.reader import read_story
from tests.conftest import ROOT
from tests.epub_maker import COVER, XHTML, make_epub

TITLES = ["Chapter One: The Rain", "Chapter Two: The Road", "Chapter Three: The Bridge"]
NOT_READ = ["FOOTNOTE-BODY", "ENDNOTE-BODY", "Copyright", "For my mother", "by Ann Author", "RAIN BOOK",
            "Notes", "12"]


def read_texts(book):
    return [book.chapters[0].source_text[p.start:p.end] for c in book.chapters for p in c.paragraphs]


@pytest.fixture(scope="module", params=[2, 3])
def epub(request, tmp_path_factory):
    return make_epub(tmp_path_factory.mktemp(f"epub{request.param}") / "rain.epub", request.param)


def test_chapters_come_from_the_navigation_in_order(epub):
    book = read_story(epub)
    assert [c.title for c in book.chapters] == TITLES
    assert [c.index for c in book.chapters] == [1, 2, 3]
    # a chapter split over two files is one chapter; the heading opening it is its title, not read
    assert [book.chapters[1].source_text[p.start:p.end] for p in book.chapters[1].paragraphs] == [
        "The road ran north.", "It ran on for miles, past the mill."]


def test_front_matter_back_matter_footnotes_and_page_numbers_are_not_read(epub):
    book = read_story(epub)
    spoken = " ".join(read_texts(book))
    for unread in NOT_READ:
        assert unread not in spoken
    reasons = [u.reason for u in book.unread]
    assert any(r.startswith("front matter") for r in reasons) and any(r.startswith("back matter") for r in reasons)
    text = book.chapters[0].source_text
    assert "Copyright" in text and "For my mother" in text  # in the text, listed as unread
    assert "FOOTNOTE-BODY" not in text and "ENDNOTE-BODY" not in text  # never in the text at all


def test_scene_breaks_are_pauses_and_dialogue_is_found(epub):
    book = read_story(epub)
    first = book.chapters[0]
    assert [p.scene_break for p in first.paragraphs] == [False, False, True, False]
    segment_book(book)
    spoken = [s.text for s in book.segments() if s.is_dialogue]
    assert spoken[:2] == ["Is it raining?", "Not yet,"]
    assert "Lord keep us," in spoken and "the bridge is down." in spoken


def test_metadata_and_cover(epub):
    book = read_story(epub)
    assert (book.title, book.author, book.series, book.series_index) == ("The Rain Book", "Ann Author",
                                                                         "Weather", "2")
    assert book.description == "A wet story."
    assert book.language in ("en", "en-GB") and book.year in ("2019", "2021")
    assert book.cover_image == COVER


def test_front_matter_can_be_included_and_chapters_chosen(epub):
    book = read_story(epub, front_matter=True)
    spoken = " ".join(read_texts(book))
    assert "For my mother" in spoken and "Copyright" in spoken
    assert "FOOTNOTE-BODY" not in spoken
    chosen = read_story(epub, chapters="2-3")
    assert [c.title for c in chosen.chapters] == TITLES[1:]


def test_spine_gives_the_chapters_without_navigation(tmp_path):
    path = make_epub(tmp_path / "bare.epub", 2, toc=[])
    book = read_story(path)
    assert [c.title for c in book.chapters] == ["Chapter One", "Chapter Two", "Chapter Three"]
    assert "For my mother" not in " ".join(read_texts(book))


def test_text_command_prints_the_text_script_offsets_index(tmp_path):
    path = make_epub(tmp_path / "rain.epub", 3)
    run = [sys.executable, "-m", "audiobook"]
    text = subprocess.run(run + ["text", str(path)], capture_output=True, text=True, cwd=ROOT).stdout
    script = json.loads(subprocess.run(run + ["script", str(path), "--no-voices", "--format", "json"],
                                       capture_output=True, text=True, cwd=ROOT).stdout)
    assert [c["title"] for c in script["chapters"]] == TITLES
    for chapter in script["chapters"]:
        for segment in chapter["segments"]:
            shown = text[segment["start"]:segment["end"]]
            assert (shown.strip("\u201c\u201d'") if segment["kind"] == "dialogue" else shown) == segment["text"]
    assert text[script["chapters"][0]["start"]:].startswith("Chapter One")


def _rezip(source, target, drop=(), replace=None):
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            new.writestr(info, (replace or {}).get(info.filename, old.read(info.filename)))
    return target


@pytest.mark.parametrize("damage, message", [
    ("drm", "DRM"),
    ("not-zip", "not a readable EPUB"),
    ("no-opf", "not an EPUB"),
    ("bad-opf", "broken EPUB"),
    ("empty", "no readable chapters"),
    ("only-front", "no readable chapters"),
])
def test_a_broken_locked_or_empty_epub_is_one_line_exit_2(tmp_path, damage, message):
    good = make_epub(tmp_path / "good.epub", 3)
    bad = tmp_path / "bad.epub"
    if damage == "drm":
        make_epub(bad, 3, encrypted="OEBPS/text/ch1.xhtml")
    elif damage == "not-zip":
        bad.write_bytes(b"PK\x03\x04 this is no zip at all")
    elif damage == "no-opf":
        _rezip(good, bad, drop=("META-INF/container.xml", "OEBPS/content.opf"))
    elif damage == "bad-opf":
        _rezip(good, bad, replace={"OEBPS/content.opf": b"<package><metadata><unclosed></package>"})
    elif damage == "empty":
        make_epub(bad, 3, toc=[], docs=[("a.xhtml", "A", "", "<div><img src='x.png'/></div>")])
    else:
        make_epub(bad, 3, toc=[("Copyright", 0)],
                  docs=[("a.xhtml", "A", ' epub:type="copyright-page"', "<p>Copyright 2020.</p>")])
    with pytest.raises(UserError) as caught:
        read_story(bad)
    assert message in str(caught.value) and str(bad) in str(caught.value)
    done = subprocess.run([sys.executable, "-m", "audiobook", "script", str(bad)], capture_output=True,
                          text=True, cwd=ROOT)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr


def test_font_obfuscation_is_not_drm(tmp_path):
    path = make_epub(tmp_path / "fonts.epub", 3)
    encryption = ('<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                  'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                  '<enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>'
                  '<enc:CipherData><enc:CipherReference URI="OEBPS/fonts/a.otf"/></enc:CipherData>'
                  '</enc:EncryptedData></encryption>')
    with zipfile.ZipFile(path, "a") as book:
        book.writestr("META-INF/encryption.xml", encryption)
    assert [c.title for c in read_story(path).chapters] == TITLES


def test_sloppy_markup_is_still_read(tmp_path):
    docs = [("c1.xhtml", "One", "", "<h1>Start</h1><p>Some &mdash; text &nbsp; <b>bold<p>Unclosed &amp; odd"
                                    "</i></div><p>Last words.")]
    book = read_story(make_epub(tmp_path / "sloppy.epub", 3, toc=[("Start", 0)], docs=docs))
    assert [c.title for c in book.chapters] == ["Start"]
    assert read_texts(book) == ["Some \u2014 text bold", "Unclosed & odd", "Last words."]


def test_an_epub_builds_into_tagged_chapters_with_its_cover(tmp_path):
    """One real build (eSpeak NG and ffmpeg): titles, tags and the book's own cover reach the files."""
    from mutagen.id3 import ID3
    from mutagen.mp4 import MP4

    path = make_epub(tmp_path / "rain.epub", 3)
    done = subprocess.run([sys.executable, "-m", "audiobook", "build", str(path), "--no-voices", "--out",
                           str(tmp_path / "out"), "--format", "chapters,m4b"], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    mp3s = sorted((tmp_path / "out").glob("*/*.mp3"))
    assert [ID3(f)["TIT2"].text[0] for f in mp3s] == TITLES
    tags = ID3(mp3s[0])
    assert (tags["TALB"].text[0], tags["TPE1"].text[0], str(tags["TDRC"].text[0])) == ("The Rain Book", "Ann Author",
                                                                                       "2021")
    assert tags.getall("APIC")[0].data == COVER
    m4b = MP4(next((tmp_path / "out").glob("*/*.m4b")))
    assert m4b.tags["\xa9nam"] == ["The Rain Book"] and bytes(m4b.tags["covr"][0]) == COVER
    assert any(f.name == "cover.png" and f.read_bytes() == COVER for f in (tmp_path / "out").glob("*/*"))


def test_an_unmarked_title_page_before_the_contents_is_skipped_and_bare_numbers_are_chapters(tmp_path):
    docs = [("p0.xhtml", "T", "", "<h1>THE BOOK</h1><p>by Some One</p><p>For Ann.</p>"),
            ("p1.xhtml", "1", "", "<p>" + "It rained all day and all night on the hills. " * 8 + "</p>"),
            ("p2.xhtml", "2", "", "<p>Then the sun came out.</p>")]
    book = read_story(make_epub(tmp_path / "plain.epub", 2, toc=[("1", 1), ("2.", 2)], docs=docs))
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2"]
    assert "by Some One" not in " ".join(read_texts(book))
    assert [c.title for c in read_story(tmp_path / "plain.epub", front_matter=True).chapters][0] == "The Book"
