"""Tags written by audiobook.audio.tags read back with mutagen and ffmpeg."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3, CTOCFlags, Encoding
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4Cover

from audiobook.audio.runtime import prepare_audio
from audiobook.audio.tags import (
    ChapterMark,
    Tags,
    ffmetadata,
    id3_language,
    image_mime,
    parse_id3_version,
    read_cover,
    write_id3,
    write_mp4,
)
from audiobook.errors import UserError

FFMPEG = prepare_audio()
DATA = Path(__file__).parent / "data" / "export"
MARKS = [ChapterMark("Prologue", 0, 400), ChapterMark("Ünïcode — 章", 400, 1000)]


def make_audio(path: Path, *args: str) -> Path:
    """One second of tone encoded by ffmpeg into `path` (format from its suffix)."""
    subprocess.run([FFMPEG, "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=1",
                    "-ac", "1", *args, str(path)], check=True)
    return path


def test_cover_mime_is_detected_from_content(tmp_path):
    assert read_cover(DATA / "cover.png").mime == "image/png"
    assert read_cover(DATA / "cover.jpg").mime == "image/jpeg"
    disguised = tmp_path / "cover.jpg"
    disguised.write_bytes((DATA / "cover.png").read_bytes())
    assert read_cover(disguised).mime == "image/png"
    assert image_mime(b"GIF89a...") is None


def test_bad_or_missing_cover_is_a_user_error(tmp_path):
    text = tmp_path / "cover.jpg"
    text.write_text("not an image")
    with pytest.raises(UserError, match="JPEG or PNG") as caught:
        read_cover(text)
    assert caught.value.path == str(text)
    with pytest.raises(UserError, match="cannot read cover") as caught:
        read_cover(tmp_path / "missing.png")
    assert caught.value.path == str(tmp_path / "missing.png")


BOOK = dict(narrator="Nora Reader", description="A tale of woe; and = joy.", language="en-GB",
            series="The Lighthouse Saga", series_index="2")


def ffmpeg_chapters(path: Path) -> list[tuple[float, float, str]]:
    """(start s, end s, title) of every chapter, in the order ffmpeg (and so ffprobe) lists them."""
    info = subprocess.run([FFMPEG, "-hide_banner", "-i", str(path)], capture_output=True, text=True).stderr
    listed = re.findall(r"Chapter #\d+:\d+: start ([\d.]+), end ([\d.]+)\s+Metadata:\s+title\s+: (.*)", info)
    return [(float(start), float(end), title) for start, end, title in listed]


def ffmpeg_tags(path: Path) -> dict[str, str]:
    """The file's tags under the names ffprobe gives them (what Audiobookshelf reads), keys lower-cased."""
    dump = subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"],
                          capture_output=True, text=True, check=True).stdout
    head = dump.split("[CHAPTER]")[0]
    pairs = (line.split("=", 1) for line in head.splitlines()[1:] if "=" in line)
    return {key.lower(): value.replace("\\", "") for key, value in pairs}


def test_id3_chapter_file_tags_round_trip(tmp_path):
    """The default tag is ID3v2.3: UTF-16 text, TYER for the year, every library field there."""
    path = make_audio(tmp_path / "a.mp3")
    cover = read_cover(DATA / "cover.jpg")
    write_id3(path, Tags("Chapter Two", "The Book", "Ann Author", "1905", (2, 7), 1000, cover, **BOOK))
    raw = ID3(path, translate=False)
    assert raw.version == (2, 3, 0)
    assert "TYER" in raw and "TDRC" not in raw
    assert all(frame.encoding == Encoding.UTF16 for frame in raw.values() if hasattr(frame, "encoding")
               and frame.FrameID != "APIC")
    tags = ID3(path)
    assert {key: str(tags[key]) for key in ("TIT2", "TALB", "TPE1", "TPE2", "TRCK", "TCON", "TDRC", "TLEN",
                                            "TCOM", "TLAN", "MVNM", "MVIN")} == {
        "TIT2": "Chapter Two", "TALB": "The Book", "TPE1": "Ann Author", "TPE2": "Ann Author",
        "TRCK": "2/7", "TCON": "Audiobook", "TDRC": "1905", "TLEN": "1000", "TCOM": "Nora Reader",
        "TLAN": "eng", "MVNM": "The Lighthouse Saga", "MVIN": "2"}
    assert {key: str(tags[f"TXXX:{key}"]) for key in ("NARRATOR", "DESCRIPTION", "SERIES", "SERIES-PART")} == {
        "NARRATOR": "Nora Reader", "DESCRIPTION": BOOK["description"], "SERIES": "The Lighthouse Saga",
        "SERIES-PART": "2"}
    assert str(tags.getall("COMM")[0]) == BOOK["description"] and tags.getall("COMM")[0].lang == "eng"
    picture = tags.getall("APIC")[0]
    assert (picture.mime, picture.type, picture.data) == ("image/jpeg", 3, cover.data)
    assert MP3(path).info.length == pytest.approx(1.0, abs=0.1)  # the audio is still there


def test_what_a_library_manager_reads_from_the_mp3(tmp_path):
    """Audiobookshelf's fields, under ffprobe's names: narrator from composer, series, language..."""
    path = make_audio(tmp_path / "a.mp3")
    write_id3(path, Tags("The Book", "The Book", "Ann Author", "1905", **BOOK))
    seen = ffmpeg_tags(path)
    assert {key: seen.get(key) for key in ("title", "album", "artist", "composer", "date", "language",
                                           "description", "comment", "series", "series-part")} == {
        "title": "The Book", "album": "The Book", "artist": "Ann Author", "composer": "Nora Reader",
        "date": "1905", "language": "eng", "description": BOOK["description"], "comment": BOOK["description"],
        "series": "The Lighthouse Saga", "series-part": "2"}


def test_id3v24_on_request_is_utf8_with_tdrc(tmp_path):
    path = make_audio(tmp_path / "a.mp3")
    write_id3(path, Tags("Ünïcode — 章", "The Book", year="1905-06-01", **BOOK), MARKS, version=4)
    raw = ID3(path, translate=False)
    assert raw.version == (2, 4, 0) and str(raw["TDRC"]) == "1905-06-01" and "TYER" not in raw
    assert raw["TIT2"].encoding == Encoding.UTF8 and str(raw["TIT2"]) == "Ünïcode — 章"
    chap = raw.getall("CHAP")[1]
    assert chap.sub_frames["TIT2"].encoding == Encoding.UTF8 and str(chap.sub_frames["TIT2"]) == "Ünïcode — 章"


def test_id3v23_chapter_titles_are_utf16_and_read_back(tmp_path):
    path = make_audio(tmp_path / "a.mp3")
    write_id3(path, Tags("Book", "Book"), MARKS)
    chap = ID3(path, translate=False).getall("CHAP")[1]
    assert chap.sub_frames["TIT2"].encoding == Encoding.UTF16 and str(chap.sub_frames["TIT2"]) == "Ünïcode — 章"
    assert [title for _, _, title in ffmpeg_chapters(path)] == ["Prologue", "Ünïcode — 章"]


@pytest.mark.parametrize("version", [3, 4])
def test_ffmpeg_lists_the_chapters_in_order(tmp_path, version):
    """Titles of falling length: frames sorted by size would come out backwards."""
    path = make_audio(tmp_path / "book.mp3")
    marks = [ChapterMark("The Longest Title Of The Three", 0, 300), ChapterMark("Two", 300, 600),
             ChapterMark("Middling Three", 600, 1000)]
    write_id3(path, Tags("The Book", "The Book", cover=read_cover(DATA / "cover.png")), marks, version=version)
    assert ffmpeg_chapters(path) == [(0.0, 0.3, "The Longest Title Of The Three"), (0.3, 0.6, "Two"),
                                     (0.6, 1.0, "Middling Three")]
    tags = ID3(path)
    assert str(tags["TIT2"]) == "The Book" and tags.getall("APIC")  # the other frames are intact


def many_marks(count: int, length_ms: int) -> list[ChapterMark]:
    """`count` chapters filling `length_ms`, titled so that no two neighbours are the same size."""
    step = length_ms // count
    return [ChapterMark(f"Chapter {n + 1}" + " of the night" * (7 - n % 7), n * step, (n + 1) * step)
            for n in range(count)]


def test_300_chapters_in_order_under_a_tree_of_tables(tmp_path):
    path = make_audio(tmp_path / "book.mp3", "-t", "30")
    marks = many_marks(300, 30_000)
    write_id3(path, Tags("The Book", "The Book"), marks)
    assert [title for _, _, title in ffmpeg_chapters(path)] == [mark.title for mark in marks]
    assert ffmpeg_chapters(path)[299][:2] == (29.9, 30.0)
    tags = ID3(path)
    tables = {toc.element_id: toc for toc in tags.getall("CTOC")}
    top = [toc for toc in tables.values() if toc.flags & CTOCFlags.TOP_LEVEL]
    assert len(top) == 1 and len(top[0].child_element_ids) == 2
    leaves = [tables[child] for child in top[0].child_element_ids]
    assert [len(toc.child_element_ids) for toc in leaves] == [255, 45]
    assert all(toc.flags & CTOCFlags.ORDERED for toc in tables.values())
    ordered = [tags[f"CHAP:{chap}"] for toc in leaves for chap in toc.child_element_ids]
    assert [str(chap.sub_frames["TIT2"]) for chap in ordered] == [mark.title for mark in marks]
    assert [str(toc.sub_frames["TIT2"]) for toc in leaves] == ["Chapters 1-255", "Chapters 256-300"]


def test_exactly_255_chapters_need_no_second_level(tmp_path):
    path = make_audio(tmp_path / "book.mp3")
    write_id3(path, Tags("The Book", "The Book"), many_marks(255, 1000))
    assert [len(toc.child_element_ids) for toc in ID3(path).getall("CTOC")] == [255]


def test_m4b_lists_300_chapters_in_order(tmp_path):
    marks = many_marks(300, 30_000)
    chapters_file = tmp_path / "chapters.txt"
    chapters_file.write_text(ffmetadata(marks), encoding="utf-8")
    path = make_audio(tmp_path / "book.m4b", "-t", "30", "-f", "ffmetadata", "-i", str(chapters_file),
                      "-map", "0:a", "-map_chapters", "1", "-map_metadata", "1", "-c:a", "aac", "-f", "ipod")
    write_mp4(path, Tags("The Book", "The Book", **BOOK))
    listed = ffmpeg_chapters(path)
    assert [title for _, _, title in listed] == [mark.title for mark in marks]
    assert [start for start, _, _ in listed] == sorted(start for start, _, _ in listed)


def test_id3_rewrite_replaces_the_old_tag(tmp_path):
    path = make_audio(tmp_path / "a.mp3")
    write_id3(path, Tags("Old", "Book", "Someone", "2000", (1, 2), cover=read_cover(DATA / "cover.png")))
    write_id3(path, Tags("New", "Book"))
    tags = ID3(path)
    assert str(tags["TIT2"]) == "New"
    assert not {"TPE1", "TPE2", "TDRC", "TRCK"} & set(tags.keys()) and not tags.getall("APIC")


def test_id3_chapters_are_ordered_under_a_top_level_toc(tmp_path):
    path = make_audio(tmp_path / "book.mp3")
    write_id3(path, Tags("The Book", "The Book"), MARKS)
    tags = ID3(path)
    toc = tags.getall("CTOC")[0]
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    chaps = [tags[f"CHAP:{element_id}"] for element_id in toc.child_element_ids]
    assert [(str(c.sub_frames["TIT2"]), c.start_time, c.end_time) for c in chaps] == [
        ("Prologue", 0, 400), ("Ünïcode — 章", 400, 1000)]


def test_mp4_tags_round_trip(tmp_path):
    path = make_audio(tmp_path / "book.m4b", "-c:a", "aac", "-f", "ipod")
    cover = read_cover(DATA / "cover.jpg")
    write_mp4(path, Tags("The Book", "The Book", "Ann Author", "1905", cover=cover, **BOOK))
    tags = MP4(path)
    assert tags["\xa9nam"] == ["The Book"] and tags["\xa9alb"] == ["The Book"]
    assert tags["\xa9ART"] == ["Ann Author"] and tags["aART"] == ["Ann Author"]
    assert tags["\xa9gen"] == ["Audiobook"] and tags["\xa9day"] == ["1905"] and tags["stik"] == [2]
    assert tags["covr"][0].imageformat == MP4Cover.FORMAT_JPEG and bytes(tags["covr"][0]) == cover.data
    assert tags["\xa9wrt"] == tags["\xa9nrt"] == ["Nora Reader"]
    assert tags["desc"] == tags["ldes"] == [BOOK["description"]]
    assert tags["\xa9mvn"] == ["The Lighthouse Saga"] and tags["\xa9mvi"] == [2]
    freeform = {key.rsplit(":", 1)[1]: bytes(value[0]).decode() for key, value in tags.items()
                if key.startswith("----")}
    assert freeform == {"LANGUAGE": "en-GB", "SERIES": "The Lighthouse Saga", "SERIES-PART": "2"}
    assert tags.info.length == pytest.approx(1.0, abs=0.1)
    seen = ffmpeg_tags(path)  # as Audiobookshelf reads them
    assert (seen["composer"], seen["description"], seen["series"], seen["series-part"], seen["language"]) == (
        "Nora Reader", BOOK["description"], "The Lighthouse Saga", "2", "en-GB")


def test_a_fractional_series_index_is_kept_as_text(tmp_path):
    mp3, m4b = make_audio(tmp_path / "a.mp3"), make_audio(tmp_path / "a.m4b", "-c:a", "aac", "-f", "ipod")
    tags = Tags("Book", "Book", series="Saga", series_index="2.5")
    write_id3(mp3, tags)
    write_mp4(m4b, tags)
    assert str(ID3(mp3)["TXXX:SERIES-PART"]) == "2.5" and "MVIN" not in ID3(mp3)
    assert "\xa9mvi" not in MP4(m4b) and ffmpeg_tags(m4b)["series-part"] == "2.5"


@pytest.mark.parametrize("given, expected", [("2.3", 3), ("2.4", 4), ("3", 3), ("v2.4", 4), (" 2.3 ", 3)])
def test_id3_version_names(given, expected):
    assert parse_id3_version(given) == expected


@pytest.mark.parametrize("bad", ["2.2", "5", "", "2.", "24"])
def test_other_id3_versions_are_refused(bad):
    with pytest.raises(UserError, match="choose 2.3 or 2.4"):
        parse_id3_version(bad)


@pytest.mark.parametrize("language, code", [("en", "eng"), ("en-GB", "eng"), ("fr", "fre"), ("de-CH", "ger"),
                                            ("zh-Hans", "chi"), ("grc", "grc"), ("xx", None), ("", None),
                                            ("not a code", None), ("und", None)])
def test_id3_language_is_iso_639_2(language, code):
    assert id3_language(language) == code


def test_ffmetadata_chapters_survive_ffmpeg(tmp_path):
    tricky = ChapterMark("a=b; c#d \\ e", 400, 1000)
    chapters_file = tmp_path / "chapters.txt"
    chapters_file.write_text(ffmetadata([MARKS[0], tricky]), encoding="utf-8")
    path = make_audio(tmp_path / "book.m4b", "-f", "ffmetadata", "-i", str(chapters_file),
                      "-map", "0:a", "-map_chapters", "1", "-map_metadata", "1", "-c:a", "aac", "-f", "ipod")
    info = subprocess.run([FFMPEG, "-hide_banner", "-i", str(path)], capture_output=True, text=True).stderr
    listed = re.findall(r"Chapter #\d+:\d+: start ([\d.]+), end ([\d.]+)\s+Metadata:\s+title\s+: (.*)", info)
    assert [(float(start), float(end), title) for start, end, title in listed] == [
        (0.0, 0.4, "Prologue"), (0.4, 1.0, "a=b; c#d \\ e")]


def test_terminal_escapes_in_titles_never_reach_the_tags(tmp_path):
    mp3, m4b = make_audio(tmp_path / "a.mp3"), make_audio(tmp_path / "a.m4b", "-c:a", "aac", "-f", "ipod")
    tags = Tags("\x1b[31mRed\x1b[0m", "Book\x07", narrator="\u202eNora", description="one\x1b]0;x\x07\ntwo")
    write_id3(mp3, tags, [ChapterMark("Ch\x1b[1mapter\x00", 0, 1000)])
    write_mp4(m4b, tags)
    id3 = ID3(mp3)
    assert (str(id3["TIT2"]), str(id3["TALB"]), str(id3["TCOM"]), str(id3["TXXX:DESCRIPTION"])) == (
        "Red", "Book", "Nora", "one\ntwo")
    assert str(id3.getall("CHAP")[0].sub_frames["TIT2"]) == "Chapter"
    mp4 = MP4(m4b)
    assert (mp4["\xa9nam"], mp4["\xa9nrt"], mp4["desc"]) == (["Red"], ["Nora"], ["one\ntwo"])
    assert "\x1b" not in ffmetadata([ChapterMark("a\x1b[2Jb", 0, 1)])
