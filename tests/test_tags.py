"""Tags written by audiobook.audio.tags read back with mutagen and ffmpeg."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4, MP4Cover

from audiobook.audio.runtime import prepare_audio
from audiobook.audio.tags import (
    ChapterMark,
    Tags,
    ffmetadata,
    image_mime,
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


def test_id3_chapter_file_tags_round_trip(tmp_path):
    path = make_audio(tmp_path / "a.mp3")
    cover = read_cover(DATA / "cover.jpg")
    write_id3(path, Tags("Chapter Two", "The Book", "Ann Author", "1905", (2, 7), 1000, cover))
    tags = ID3(path)
    assert tags.version == (2, 4, 0)
    assert {key: str(tags[key]) for key in ("TIT2", "TALB", "TPE1", "TPE2", "TRCK", "TCON", "TDRC", "TLEN")} == {
        "TIT2": "Chapter Two", "TALB": "The Book", "TPE1": "Ann Author", "TPE2": "Ann Author",
        "TRCK": "2/7", "TCON": "Audiobook", "TDRC": "1905", "TLEN": "1000"}
    picture = tags.getall("APIC")[0]
    assert (picture.mime, picture.type, picture.data) == ("image/jpeg", 3, cover.data)
    assert MP3(path).info.length == pytest.approx(1.0, abs=0.1)  # the audio is still there


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
    write_mp4(path, Tags("The Book", "The Book", "Ann Author", "1905", cover=cover))
    tags = MP4(path)
    assert tags["\xa9nam"] == ["The Book"] and tags["\xa9alb"] == ["The Book"]
    assert tags["\xa9ART"] == ["Ann Author"] and tags["aART"] == ["Ann Author"]
    assert tags["\xa9gen"] == ["Audiobook"] and tags["\xa9day"] == ["1905"] and tags["stik"] == [2]
    assert tags["covr"][0].imageformat == MP4Cover.FORMAT_JPEG and bytes(tags["covr"][0]) == cover.data
    assert tags.info.length == pytest.approx(1.0, abs=0.1)


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
