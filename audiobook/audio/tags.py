"""Tag formats: ID3v2.4 for MP3 files, iTunes atoms for m4b, FFMETADATA chapters.

This is the one module that knows how titles, authors, covers and chapter
marks are spelled inside audio files.  It writes tags onto files that already
hold their audio; it never encodes audio itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from mutagen.id3 import (
    APIC,
    CHAP,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLEN,
    TPE1,
    TPE2,
    TRCK,
    CTOCFlags,
    PictureType,
)
from mutagen.mp4 import MP4, MP4Cover

from audiobook.errors import UserError

GENRE = "Audiobook"
UTF8 = 3  # ID3 text encoding byte for UTF-8 (ID3v2.4 only)
MP4_MEDIA_KIND_AUDIOBOOK = 2  # value of the iTunes 'stik' atom

_IMAGE_SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


@dataclass(frozen=True)
class Cover:
    """A cover image: its bytes and MIME type (``image/jpeg`` or ``image/png``)."""

    data: bytes
    mime: str


@dataclass(frozen=True)
class ChapterMark:
    """Where a chapter sits inside a single-file book, in milliseconds."""

    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Tags:
    """What one audio file is labelled with.

    `title` is the file's own title (a chapter title, or the book title for a
    single-file book); `album` is always the book title.  `track` is
    ``(n, total)`` for a chapter file and None for a whole book.
    """

    title: str
    album: str
    artist: Optional[str] = None
    year: Optional[str] = None
    track: Optional[tuple[int, int]] = None
    length_ms: Optional[int] = None
    cover: Optional[Cover] = None


def image_mime(data: bytes) -> Optional[str]:
    """The MIME type of JPEG or PNG image bytes, or None for anything else."""
    for signature, mime in _IMAGE_SIGNATURES.items():
        if data.startswith(signature):
            return mime
    return None


def read_cover(path: str | Path) -> Cover:
    """Load a JPEG or PNG cover image; a missing or unsupported file is a UserError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read cover image: {exc.strerror or exc}", str(path)) from exc
    mime = image_mime(data)
    if mime is None:
        raise UserError("cover image must be a JPEG or PNG file", str(path))
    return Cover(data, mime)


# --------------------------------------------------------------------------- ID3 (MP3)

def write_id3(path: Path, tags: Tags, chapters: Sequence[ChapterMark] = ()) -> None:
    """Replace the ID3 tag of the MP3 at `path` with an ID3v2.4 tag.

    With `chapters`, the tag also gets one CHAP frame per chapter (each with a
    TIT2 title sub-frame) and a top-level, ordered CTOC frame listing them.
    """
    id3 = ID3()
    for frame in _id3_text_frames(tags):
        id3.add(frame)
    if tags.cover is not None:
        id3.add(APIC(encoding=UTF8, mime=tags.cover.mime, type=PictureType.COVER_FRONT,
                     desc="Cover", data=tags.cover.data))
    for frame in _id3_chapter_frames(tags.album, chapters):
        id3.add(frame)
    id3.save(path, v2_version=4, v1=0)


def _id3_text_frames(tags: Tags) -> list:
    """The text frames for `tags`, leaving out fields that are not known."""
    frames = [
        TIT2(encoding=UTF8, text=[tags.title]),
        TALB(encoding=UTF8, text=[tags.album]),
        TCON(encoding=UTF8, text=[GENRE]),
    ]
    if tags.artist:
        frames += [TPE1(encoding=UTF8, text=[tags.artist]), TPE2(encoding=UTF8, text=[tags.artist])]
    if tags.year:
        frames.append(TDRC(encoding=UTF8, text=[tags.year]))
    if tags.track:
        frames.append(TRCK(encoding=UTF8, text=[f"{tags.track[0]}/{tags.track[1]}"]))
    if tags.length_ms is not None:
        frames.append(TLEN(encoding=UTF8, text=[str(tags.length_ms)]))
    return frames


def _id3_chapter_frames(book_title: str, chapters: Sequence[ChapterMark]) -> list:
    """CHAP frames for `chapters` plus the CTOC that orders them (nothing if none)."""
    if not chapters:
        return []
    ids = [f"chp{number}" for number in range(len(chapters))]
    frames: list = [
        CHAP(element_id=element_id, start_time=mark.start_ms, end_time=mark.end_ms,
             sub_frames=[TIT2(encoding=UTF8, text=[mark.title])])
        for element_id, mark in zip(ids, chapters)
    ]
    frames.append(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                       child_element_ids=ids, sub_frames=[TIT2(encoding=UTF8, text=[book_title])]))
    return frames


# --------------------------------------------------------------------------- MP4 (m4b)

def write_mp4(path: Path, tags: Tags) -> None:
    """Set the iTunes-style tags (and cover) of the MP4/m4b file at `path`."""
    mp4 = MP4(path)
    mp4.clear()
    mp4["\xa9nam"] = [tags.title]
    mp4["\xa9alb"] = [tags.album]
    mp4["\xa9gen"] = [GENRE]
    mp4["stik"] = [MP4_MEDIA_KIND_AUDIOBOOK]
    if tags.artist:
        mp4["\xa9ART"] = [tags.artist]
        mp4["aART"] = [tags.artist]
    if tags.year:
        mp4["\xa9day"] = [tags.year]
    if tags.track:
        mp4["trkn"] = [tags.track]
    if tags.cover is not None:
        kind = MP4Cover.FORMAT_PNG if tags.cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
        mp4["covr"] = [MP4Cover(tags.cover.data, imageformat=kind)]
    mp4.save()


# --------------------------------------------------------------------------- FFMETADATA

def ffmetadata(chapters: Sequence[ChapterMark]) -> str:
    """An FFMETADATA1 document declaring `chapters` (times in milliseconds)."""
    lines = [";FFMETADATA1"]
    for mark in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={mark.start_ms}",
            f"END={mark.end_ms}",
            f"title={_ffmetadata_escape(mark.title)}",
        ]
    return "\n".join(lines) + "\n"


def _ffmetadata_escape(value: str) -> str:
    """Escape the characters FFMETADATA gives a meaning to (``= ; # \\`` and newlines)."""
    for char in ("\\", "=", ";", "#", "\n"):
        value = value.replace(char, "\\" + char)
    return value
