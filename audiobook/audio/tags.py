"""Tag formats: ID3v2 for MP3 files, iTunes atoms for m4b, FFMETADATA chapters.

This is the one module that knows how titles, authors, narrators, series,
covers and chapter marks are spelled inside audio files.  It writes tags onto
files that already hold their audio; it never encodes audio itself.

Which fields, and why (what library managers and taggers read):

* Audiobookshelf takes a book's details from ffprobe's names for the tags of
  its first audio file: the narrator from ``composer`` (ID3 ``TCOM``, MP4
  ``©wrt``), the description from ``description`` or else ``comment``, the
  series from ``series`` or ``mvnm`` and its number from ``series-part`` or
  ``mvin``, the language from ``language``, the year from ``date``.  ffprobe
  names an ID3 ``TXXX`` frame and an MP4 ``----`` atom by their description,
  so ``TXXX:SERIES`` and ``----:com.apple.iTunes:SERIES`` arrive as
  ``series``.
* tone and m4b-tool (and Apple Books) read the narrator from MP4 ``©nrt``, the
  series from the movement fields (ID3 ``MVNM``/``MVIN``, MP4
  ``©mvn``/``©mvi``, a number only) and a long description from ``ldes``;
  taggers that keep a narrator field in ID3 use ``TXXX:NARRATOR``.
* The ID3 language frame ``TLAN`` holds an ISO 639-2 code (``eng``), the
  book's language as given (BCP 47, ``en-GB``) goes into the MP4 and
  metadata-file fields.

ID3v2.3 is written by default: it is the version the widest range of players,
car stereos and older Windows and Apple software reads.  It has no UTF-8, so
its text is UTF-16; ``TDRC`` becomes ``TYER``; chapter sub-frames follow the
same rules.  ID3v2.4 (UTF-8) is there for those who want it.

Chapters in an MP3 are ``CHAP`` frames under ``CTOC`` tables.  ffprobe and the
players built on it list chapters in the order the ``CHAP`` frames sit in the
file, and mutagen writes frames sorted by size, so the frames are put back in
chapter order after mutagen has saved the tag.  A ``CTOC`` lists at most 255
children (its count is one byte): a longer book gets a top-level table over
tables of at most 255 chapters each.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Optional, Sequence

import langcodes
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    MVIN,
    MVNM,
    TALB,
    TCOM,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TLEN,
    TPE1,
    TPE2,
    TRCK,
    TXXX,
    CTOCFlags,
    PictureType,
)
from mutagen.mp4 import MP4, MP4Cover, MP4FreeForm

from audiobook.errors import UserError
from audiobook.printable import printable

GENRE = "Audiobook"
UTF8 = 3  # ID3 text encoding byte for UTF-8 (ID3v2.4 only; mutagen writes UTF-16 into a v2.3 tag)
ID3_VERSIONS = (3, 4)  # the ID3v2 minor versions write_id3 can write
DEFAULT_ID3_VERSION = 3
CTOC_MAX_CHILDREN = 255  # a CTOC frame's child count is one byte
MP4_MEDIA_KIND_AUDIOBOOK = 2  # value of the iTunes 'stik' atom
_ITUNES = "----:com.apple.iTunes:"  # freeform MP4 atoms, read by ffprobe under their own name

_IMAGE_SIGNATURES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


@dataclass(frozen=True)
class Cover:
    """A cover image: its bytes and MIME type (``image/jpeg`` or ``image/png``)."""

    data: bytes
    mime: str

    @property
    def extension(self) -> str:
        """``.jpg`` or ``.png``: the file-name suffix for these bytes."""
        return ".png" if self.mime == "image/png" else ".jpg"


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
    ``(n, total)`` for a chapter file and None for a whole book.  `language`
    is a BCP 47 code (``en``, ``en-GB``); `series_index` the book's number
    in `series` as text (``2``, ``2.5``).
    """

    title: str
    album: str
    artist: Optional[str] = None
    year: Optional[str] = None
    track: Optional[tuple[int, int]] = None
    length_ms: Optional[int] = None
    cover: Optional[Cover] = None
    narrator: Optional[str] = None
    description: Optional[str] = None
    language: Optional[str] = None
    series: Optional[str] = None
    series_index: Optional[str] = None


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


def id3_language(language: Optional[str]) -> Optional[str]:
    """The ISO 639-2 code ID3 wants for a BCP 47 language (``en-GB`` -> ``eng``,
    ``fr`` -> ``fre``), or None when the code names no known language."""
    if not language:
        return None
    try:
        code = langcodes.Language.get(language.strip()).to_alpha3(variant="B")
    except (ValueError, LookupError):  # malformed, or no ISO 639-2 code
        return None
    return None if code == "und" else code


def parse_id3_version(text: str) -> int:
    """``2.3``, ``2.4``, ``3`` or ``4`` -> 3 or 4; anything else is a UserError."""
    value = text.strip().lower().removeprefix("v").removeprefix("id3v")
    minor = value.removeprefix("2.")
    if minor in ("3", "4") and value in (minor, f"2.{minor}"):
        return int(minor)
    raise UserError(f"unknown ID3 version {text!r}: choose 2.3 or 2.4")


def shown(tags: Tags) -> Tags:
    """`tags` with every text field made printable: no escape sequences or control
    characters, one line each (the description keeps its line breaks)."""
    changes = {}
    for field in fields(tags):
        value = getattr(tags, field.name)
        if isinstance(value, str):
            changes[field.name] = printable(value, lines=field.name == "description")
    return replace(tags, **changes)


def _shown_marks(chapters: Sequence[ChapterMark]) -> list[ChapterMark]:
    return [replace(mark, title=printable(mark.title)) for mark in chapters]


# --------------------------------------------------------------------------- ID3 (MP3)

def write_id3(path: Path, tags: Tags, chapters: Sequence[ChapterMark] = (),
              version: int = DEFAULT_ID3_VERSION) -> None:
    """Replace the ID3 tag of the MP3 at `path` with an ID3v2.`version` tag.

    With `chapters`, the tag also gets one CHAP frame per chapter (each with a
    TIT2 title sub-frame), in chapter order in the file, under an ordered
    top-level CTOC (a tree of CTOCs past 255 chapters).
    """
    if version not in ID3_VERSIONS:
        raise ValueError(f"ID3v2 version must be one of {ID3_VERSIONS}, not {version!r}")
    tags, chapters = shown(tags), _shown_marks(chapters)
    id3 = ID3()
    for frame in _id3_text_frames(tags):
        id3.add(frame)
    if tags.cover is not None:
        id3.add(APIC(encoding=UTF8, mime=tags.cover.mime, type=PictureType.COVER_FRONT,
                     desc="Cover", data=tags.cover.data))
    chapter_frames = _id3_chapter_frames(tags.album, chapters)
    for frame in chapter_frames:
        id3.add(frame)
    if version == 3:
        id3.update_to_v23()  # TDRC -> TYER, in chapter sub-frames too; text turns UTF-16 on saving
    id3.save(path, v2_version=version, v1=0)
    if chapter_frames:
        _put_frames_in_order(path, [frame.element_id for frame in chapter_frames])


def _id3_text_frames(tags: Tags) -> list:
    """The text frames for `tags`, leaving out fields that are not known."""
    frames = [
        TIT2(encoding=UTF8, text=[tags.title]),
        TALB(encoding=UTF8, text=[tags.album]),
        TCON(encoding=UTF8, text=[GENRE]),
    ]
    if tags.artist:
        frames += [TPE1(encoding=UTF8, text=[tags.artist]), TPE2(encoding=UTF8, text=[tags.artist])]
    if tags.narrator:
        frames += [TCOM(encoding=UTF8, text=[tags.narrator]),
                   TXXX(encoding=UTF8, desc="NARRATOR", text=[tags.narrator])]
    if tags.year:
        frames.append(TDRC(encoding=UTF8, text=[tags.year]))
    language = id3_language(tags.language)
    if language:
        frames.append(TLAN(encoding=UTF8, text=[language]))
    if tags.description:
        frames += [TXXX(encoding=UTF8, desc="DESCRIPTION", text=[tags.description]),
                   COMM(encoding=UTF8, lang=language or "und", desc="", text=[tags.description])]
    if tags.series:
        frames += [TXXX(encoding=UTF8, desc="SERIES", text=[tags.series]),
                   MVNM(encoding=UTF8, text=[tags.series])]
        if tags.series_index:
            frames.append(TXXX(encoding=UTF8, desc="SERIES-PART", text=[tags.series_index]))
            if tags.series_index.isdigit():  # the movement number is a whole number
                frames.append(MVIN(encoding=UTF8, text=[tags.series_index]))
    if tags.track:
        frames.append(TRCK(encoding=UTF8, text=[f"{tags.track[0]}/{tags.track[1]}"]))
    if tags.length_ms is not None:
        frames.append(TLEN(encoding=UTF8, text=[str(tags.length_ms)]))
    return frames


def _id3_chapter_frames(book_title: str, chapters: Sequence[ChapterMark]) -> list:
    """The CTOC tables, top level first, then one CHAP frame per chapter in
    order (nothing if there are no chapters).

    Past 255 chapters the top-level table lists tables of at most 255
    entries each (titled ``Chapters 1-255``, ...), as deep as needed.
    """
    if not chapters:
        return []
    chaps = [CHAP(element_id=f"chp{number}", start_time=mark.start_ms, end_time=mark.end_ms,
                  sub_frames=[TIT2(encoding=UTF8, text=[mark.title])])
             for number, mark in enumerate(chapters)]
    level = [(chap.element_id, number, number) for number, chap in enumerate(chaps, start=1)]
    levels: list[list] = []  # the tables under the top one, lowest level first
    while len(level) > CTOC_MAX_CHILDREN:
        groups = [level[i:i + CTOC_MAX_CHILDREN] for i in range(0, len(level), CTOC_MAX_CHILDREN)]
        tables, level = [], []
        for group in groups:
            first, last = group[0][1], group[-1][2]
            element_id = f"toc{sum(map(len, levels)) + len(tables) + 1}"
            tables.append(CTOC(element_id=element_id, flags=CTOCFlags.ORDERED,
                               child_element_ids=[child for child, _, _ in group],
                               sub_frames=[TIT2(encoding=UTF8, text=[f"Chapters {first}-{last}"])]))
            level.append((element_id, first, last))
        levels.append(tables)
    top = CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
               child_element_ids=[child for child, _, _ in level],
               sub_frames=[TIT2(encoding=UTF8, text=[book_title])])
    return [top, *(table for tables in reversed(levels) for table in tables), *chaps]


def _put_frames_in_order(path: Path, element_ids: Sequence[str]) -> None:
    """Rewrite the ID3v2 tag at the start of `path` so its CTOC and CHAP frames
    follow `element_ids`' order, after the text frames and before any picture.

    The tag keeps its size, so only its frame area is rewritten in place.
    The layout is the ID3v2.3/2.4 one mutagen writes: a 10-byte header, no
    extended header, frames of a 10-byte header (4-byte id, size, 2 flag
    bytes) and their data, then zero padding.
    """
    rank = {element_id.encode("latin-1"): number for number, element_id in enumerate(element_ids)}
    with open(path, "r+b") as file:
        header = file.read(10)
        magic, major, _revision, flags, size = struct.unpack(">3sBBB4s", header)
        if magic != b"ID3" or major not in ID3_VERSIONS or flags:
            raise ValueError(f"{path}: not an ID3v2.3/2.4 tag as written by mutagen")
        body = file.read(_syncsafe(size))
        frames, position = [], 0
        while position + 10 <= len(body) and body[position] != 0:
            frame_id, raw_size = body[position:position + 4], body[position + 4:position + 8]
            frame_size = _syncsafe(raw_size) if major == 4 else struct.unpack(">I", raw_size)[0]
            frames.append((frame_id, body[position:position + 10 + frame_size]))
            position += 10 + frame_size

        def key(item: tuple[int, tuple[bytes, bytes]]) -> tuple[int, int]:
            index, (frame_id, frame) = item
            if frame_id in (b"CTOC", b"CHAP"):
                element_id = frame[10:frame.index(b"\x00", 10)]
                return 1, rank.get(element_id, len(rank))
            return (2 if frame_id == b"APIC" else 0), index

        ordered = b"".join(frame for _, (_, frame) in sorted(enumerate(frames), key=key))
        assert len(ordered) == position  # the same frames, in another order
        file.seek(10)
        file.write(ordered)


def _syncsafe(data: bytes) -> int:
    """A 4-byte ID3 size with 7 bits per byte."""
    value = 0
    for byte in data:
        value = (value << 7) | (byte & 0x7F)
    return value


# --------------------------------------------------------------------------- MP4 (m4b)

def write_mp4(path: Path, tags: Tags) -> None:
    """Set the iTunes-style tags (and cover) of the MP4/m4b file at `path`.

    The container's chapters (written by the encoder) are left as they are.
    """
    tags = shown(tags)
    mp4 = MP4(path)
    mp4.clear()
    mp4["\xa9nam"] = [tags.title]
    mp4["\xa9alb"] = [tags.album]
    mp4["\xa9gen"] = [GENRE]
    mp4["stik"] = [MP4_MEDIA_KIND_AUDIOBOOK]
    if tags.artist:
        mp4["\xa9ART"] = [tags.artist]
        mp4["aART"] = [tags.artist]
    if tags.narrator:
        mp4["\xa9wrt"] = [tags.narrator]  # composer: Audiobookshelf's narrator
        mp4["\xa9nrt"] = [tags.narrator]  # tone, m4b-tool, Apple Books
    if tags.year:
        mp4["\xa9day"] = [tags.year]
    if tags.description:
        mp4["desc"] = [tags.description]
        mp4["ldes"] = [tags.description]
        mp4["\xa9cmt"] = [tags.description]
    if tags.language:
        mp4[_ITUNES + "LANGUAGE"] = [_freeform(tags.language)]
    if tags.series:
        mp4["\xa9mvn"] = [tags.series]
        mp4[_ITUNES + "SERIES"] = [_freeform(tags.series)]
        mp4["shwm"] = [1]  # show the movement (series) fields
        if tags.series_index:
            mp4[_ITUNES + "SERIES-PART"] = [_freeform(tags.series_index)]
            if tags.series_index.isdigit() and int(tags.series_index) < 1 << 16:
                mp4["\xa9mvi"] = [int(tags.series_index)]
    if tags.track:
        mp4["trkn"] = [tags.track]
    if tags.cover is not None:
        kind = MP4Cover.FORMAT_PNG if tags.cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
        mp4["covr"] = [MP4Cover(tags.cover.data, imageformat=kind)]
    mp4.save()


def _freeform(text: str) -> MP4FreeForm:
    return MP4FreeForm(text.encode("utf-8"))


# --------------------------------------------------------------------------- FFMETADATA

def ffmetadata(chapters: Sequence[ChapterMark]) -> str:
    """An FFMETADATA1 document declaring `chapters` (times in milliseconds)."""
    lines = [";FFMETADATA1"]
    for mark in _shown_marks(chapters):
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
