"""Export: finished chapter audio becomes the files a player shows right.

One edition per folder, so a library manager pointed at the output folder
imports each edition once.  For a book with the slug ``tale``:

* ``tale/`` (format ``chapters``, the default): ``NN - <Chapter title>.mp3``
  per chapter, tagged, with speaker-labelled subtitles beside it (``.vtt`` and
  ``.lrc``), the playlist ``tale.m3u8`` and the cover image;
* ``tale-mp3/`` (format ``mp3``): ``tale.mp3``, the whole book in one file
  with ID3 CHAP/CTOC chapters, and ``tale.vtt``, its subtitles;
* ``tale-m4b/`` (format ``m4b``): ``tale.m4b``, AAC in MP4 with container
  chapters and cover, and ``tale.vtt``.

Audio is encoded once, at the profile's sample rate (the engine's own
22,050 Hz by default), straight from the assembled PCM.  A one-file edition
is one long-lived ffmpeg process fed each chapter's PCM in order as the
chapters are finished, so no process ever holds the whole book.  Chapter
marks come from sample counts, so they never drift from the audio.

Every file is written in the folder's private staging area and renamed into
place once complete (see `audiobook.audio.files`).
"""
from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from contextlib import suppress
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable, Iterable, Optional, Sequence

from audiobook.audio.files import EditionFolder, FolderWriter, os_error, shown_path, write_text
from audiobook.audio.library import library_files
from audiobook.audio.profiles import DEFAULT, Profile
from audiobook.audio.runtime import prepare_audio
from audiobook.audio.tags import ChapterMark, Cover, Tags, ffmetadata, read_cover, write_id3, write_mp4
from audiobook.errors import EngineError, UserError
from audiobook.model import BookInfo, ChapterAudio, Cue
from audiobook.printable import printable

if TYPE_CHECKING:
    from pydub import AudioSegment

CHAPTERS = "chapters"
FORMATS = (CHAPTERS, "mp3", "m4b")  # what --format accepts, comma-separated
ONE_FILE = ("mp3", "m4b")  # the editions that hold the whole book in one file

SAMPLE_RATE = DEFAULT.sample_rate  # Hz of the default profile's files
BITRATE = DEFAULT.bitrate  # speech, mono
SAMPLE_WIDTH = 2  # bytes; PCM goes to ffmpeg as signed 16-bit little-endian
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
                     *(f"LPT{n}" for n in range(1, 10))}
_REPLACEMENTS = {":": " -", "/": "-", "\\": "-", "|": "-", '"': "'", "<": "", ">": "", "?": "", "*": ""}
_TRIM = " .-_"

Progress = Callable[[str], None]


# --------------------------------------------------------------------------- layout

def parse_formats(formats: Sequence[str]) -> list[str]:
    """Split and check format names (each item may itself be comma-separated);
    each name once, in the order given."""
    names = [name.strip().lower() for item in formats for name in item.split(",") if name.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown:
        raise UserError(f"unknown format {unknown[0]!r}: choose from {', '.join(FORMATS)}")
    if not names:
        raise UserError(f"no output format given: choose from {', '.join(FORMATS)}")
    return list(dict.fromkeys(names))


def edition_folder(out: Path, slug: str, kind: str) -> Path:
    """Where edition `kind` of the book `slug` goes: ``OUT/<slug>/`` for the
    chapter files, ``OUT/<slug>-mp3/`` and ``OUT/<slug>-m4b/`` for the one-file books."""
    return Path(out) / (slug if kind == CHAPTERS else f"{slug}-{kind}")


def book_stem(info: BookInfo) -> str:
    """The file-name stem of the book-level files."""
    return safe_filename(info.slug or info.title)


def cover_name(cover: Cover) -> str:
    """The cover image's file name in an edition folder."""
    from audiobook.audio.library import cover_name as named

    return named(cover)


def book_tags(info: BookInfo, title: str, cover: Optional[Cover], length_ms: int,
              track: Optional[tuple[int, int]] = None) -> Tags:
    """Tags for one file of this book."""
    return Tags(title=title, album=info.title, artist=info.author, year=info.year,
                track=track, length_ms=length_ms, cover=cover, narrator=info.narrator,
                description=info.description, language=info.language, series=info.series,
                series_index=info.series_index)


# --------------------------------------------------------------------------- file names

def safe_filename(name: str, max_len: int = 120) -> str:
    """A file name safe on every OS from any title.

    Path separators and the characters Windows reserves are replaced or
    dropped, control characters removed, whitespace collapsed, leading and
    trailing dots, dashes and spaces trimmed, Windows device names (``CON``,
    ``LPT1``...) prefixed with ``_``, and the result cut to at most `max_len`
    bytes of UTF-8.  Never empty.
    """
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", printable(name)))  # escape sequences gone whole
    text = "".join(_REPLACEMENTS.get(char, char) for char in text
                   if unicodedata.category(char)[0] != "C").strip(_TRIM)
    text = _cut_utf8(text, max_len).strip(_TRIM) or "untitled"
    if text.split(".")[0].strip().upper() in _WINDOWS_RESERVED:
        text = _cut_utf8("_" + text, max_len).rstrip(_TRIM)
    return text


def _cut_utf8(text: str, max_bytes: int) -> str:
    """`text` shortened to at most `max_bytes` bytes of UTF-8, on a character boundary."""
    return text.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")


def chapter_stem(number: int, total: int, title: str) -> str:
    """``NN - Title``: the file-name stem of chapter `number` of `total`."""
    width = max(2, len(str(total)))
    return safe_filename(f"{number:0{width}d} - {title}")


# --------------------------------------------------------------------------- timing

def chapter_marks(titles: Sequence[str], frames: Sequence[int], rate: int) -> list[ChapterMark]:
    """Each chapter's start and end in the joined book, from sample counts.

    Times are rounded from the running sample total, so they never drift.
    """
    marks, samples = [], 0
    for title, count in zip(titles, frames):
        start = samples
        samples += int(count)
        marks.append(ChapterMark(title, _ms(start, rate), _ms(samples, rate)))
    return marks


def _ms(samples: int, rate: int) -> int:
    """Milliseconds (rounded) of `samples` at `rate`."""
    return round(samples * 1000 / rate)


def book_cues(chapter_cues: Sequence[Sequence[Cue]], marks: Sequence[ChapterMark]) -> list[Cue]:
    """Every chapter's cues, moved onto the single-file book's timeline."""
    return [Cue(cue.start_ms + mark.start_ms, cue.end_ms + mark.start_ms, cue.speaker, cue.text)
            for cues, mark in zip(chapter_cues, marks) for cue in cues]


def pcm(audio: "AudioSegment") -> "AudioSegment":
    """`audio` as mono 16-bit samples (its own rate kept)."""
    if audio.channels != 1:
        audio = audio.set_channels(1)
    if audio.sample_width != SAMPLE_WIDTH:
        audio = audio.set_sample_width(SAMPLE_WIDTH)
    return audio


# --------------------------------------------------------------------------- one chapter's files

def chapter_files(staging: Path, info: BookInfo, number: int, total: int, chapter: ChapterAudio,
                  cover: Optional[Cover], profile: Profile = DEFAULT) -> dict[str, Path]:
    """Encode and tag chapter `number` of `total` into new files in `staging`:
    the MP3, its WebVTT and its LRC subtitles.  Returns ``{final name: file}``."""
    from audiobook.audio.files import unique_file

    stem = chapter_stem(number, total, chapter.title)
    audio = pcm(chapter.audio)
    tags = book_tags(info, chapter.title, cover, len(audio), track=(number, total))
    made: dict[str, Path] = {}
    try:
        mp3 = made[f"{stem}.mp3"] = unique_file(staging, f"{stem}.mp3")
        encode(mp3, [audio], "mp3", profile=profile)
        tag_file(write_id3, mp3, tags, (), profile.id3_version)
        for ext, content in (("vtt", webvtt(chapter.cues)), ("lrc", lrc(chapter.cues, tags))):
            path = made[f"{stem}.{ext}"] = unique_file(staging, f"{stem}.{ext}")
            write_text(path, content)
    except BaseException:
        for path in made.values():
            path.unlink(missing_ok=True)
        raise
    return made


def tag_file(writer, path: Path, *args) -> None:
    """Run a tag writer on `path`; an OS error names the file, in one line."""
    from mutagen import MutagenError

    try:
        writer(path, *args)
    except OSError as err:
        raise os_error(err, path) from None
    except MutagenError as err:
        cause = err.__context__ if isinstance(err.__context__, OSError) else None
        if cause is not None:
            raise os_error(cause, path) from None
        raise EngineError(f"{shown_path(path)}: cannot write the tags: {err}") from None


# --------------------------------------------------------------------------- one-file books

class OneFileBook:
    """A one-file edition being encoded: chapters' PCM goes in, in order, as
    they are finished; `finish` adds the chapters and tags and puts it in place.

    One ffmpeg process per book, fed through a pipe: memory does not grow
    with the book.  The m4b's chapter list is only known at the end, so its
    container is rewritten once with the chapters (a stream copy, not a
    second encode).
    """

    def __init__(self, folder: EditionFolder, info: BookInfo, kind: str, rate: int,
                 profile: Profile = DEFAULT):
        self.folder, self.info, self.kind, self.rate, self.profile = folder, info, kind, rate, profile
        self.name = f"{book_stem(info)}.{kind}"
        self.temporary = folder.temporary(self.name)
        self.titles: list[str] = []
        self.frames: list[int] = []
        self.cues: list[list[Cue]] = []
        self.finished = False
        self._encoder = StreamEncoder(self.temporary, kind, rate, profile)

    def add(self, title: str, audio: bytes | Iterable[bytes], frames: int, cues: Sequence[Cue]) -> None:
        """Append one chapter's 16-bit mono PCM at the book's rate."""
        self.add_audio(audio)
        self.add_chapter(title, frames, cues)

    def add_audio(self, audio: bytes | Iterable[bytes]) -> None:
        """Append PCM (16-bit mono at the book's rate) to the book."""
        self._encoder.write(audio)

    def add_chapter(self, title: str, frames: int, cues: Sequence[Cue]) -> None:
        """Mark the audio added since the last chapter as chapter `title`."""
        self.titles.append(title)
        self.frames.append(frames)
        self.cues.append(list(cues))

    def abort(self) -> None:
        self.finished = True
        self._encoder.abort()
        self.temporary.unlink(missing_ok=True)

    def finish(self, cover: Optional[Cover], key: str) -> list[Path]:
        """Close the encode, write chapters and tags, and put the book and its
        subtitles in place.  Returns the paths written."""
        self.finished = True
        try:
            self._encoder.finish()
            marks = chapter_marks(self.titles, self.frames, self.rate)
            tags = book_tags(self.info, self.info.title, cover, marks[-1].end_ms if marks else 0)
            if self.kind == "mp3":
                tag_file(write_id3, self.temporary, tags, marks, self.profile.id3_version)
            else:
                self._add_m4b_chapters(marks)
                tag_file(write_mp4, self.temporary, tags)
            written = [self.folder.commit(self.temporary, self.name, key=key,
                                          duration_ms=marks[-1].end_ms if marks else 0)]
        finally:
            self.temporary.unlink(missing_ok=True)
        stem = book_stem(self.info)
        written.append(self.folder.text(f"{stem}.vtt", webvtt(book_cues(self.cues, marks)), key=key))
        return written

    def _add_m4b_chapters(self, marks: Sequence[ChapterMark]) -> None:
        chaptered = self.folder.temporary(self.name)
        chapters_file = self.folder.temporary("chapters.txt")
        try:
            write_text(chapters_file, ffmetadata(marks))
            _run_ffmpeg([prepare_audio(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                         "-i", str(self.temporary), "-f", "ffmetadata", "-i", str(chapters_file),
                         "-map", "0:a", "-map_chapters", "1", "-map_metadata", "1", "-c", "copy",
                         "-movflags", "+faststart", "-f", "ipod", str(chaptered)], (), chaptered)
            chaptered.replace(self.temporary)
        finally:
            chaptered.unlink(missing_ok=True)
            chapters_file.unlink(missing_ok=True)


# --------------------------------------------------------------------------- in memory

def export_book(info: BookInfo, chapters: list[ChapterAudio], out: Path,
                formats: Sequence[str] = (CHAPTERS,), progress: Optional[Progress] = None,
                profile: Profile = DEFAULT) -> list[Path]:
    """Write the editions of a book whose chapters' audio is in memory, each
    in its folder under `out` (see `edition_folder`); return the paths written.

    A build streams instead (`audiobook.pipeline.build`); this serves small
    books and tests with the same files.
    """
    wanted = parse_formats(formats)
    if not chapters:
        raise UserError("the book has no chapters to export")
    cover = read_cover(info.cover) if info.cover else None
    audio = [pcm(chapter.audio) for chapter in chapters]
    rate = max(segment.frame_rate for segment in audio)
    audio = [segment.set_frame_rate(rate) for segment in audio]
    marks = chapter_marks([c.title for c in chapters], [int(a.frame_count()) for a in audio], rate)
    written: list[Path] = []
    for kind in wanted:
        with EditionFolder(edition_folder(out, info.slug, kind), progress) as folder:
            if kind == CHAPTERS:
                files = []
                for number, (chapter, segment) in enumerate(zip(chapters, audio), start=1):
                    made = chapter_files(folder.staging, info, number, len(chapters),
                                         ChapterAudio(chapter.index, chapter.title, segment, chapter.cues),
                                         cover, profile)
                    for name, temporary in made.items():
                        written.append(folder.commit(temporary, name))
                    files.append(written[-3])
                written.append(folder.text(f"{book_stem(info)}.m3u8", playlist(info, files, marks)))
            else:
                book = OneFileBook(folder, info, kind, rate, profile)
                try:
                    for chapter, segment in zip(chapters, audio):
                        book.add(chapter.title, segment.raw_data, int(segment.frame_count()), chapter.cues)
                except BaseException:
                    book.abort()
                    raise
                written += book.finish(cover, key="")
            for name, content in library_files(info, marks, cover).items():
                written.append(folder.data(name, content))
            folder.finish()
    return written


def write_mp3(audio: "AudioSegment", path: Path) -> Path:
    """Encode `audio` as one untagged MP3 at `path` (a preview, say), replacing
    it whole or not at all."""
    with FolderWriter(path.parent, None).staged(path.name) as partial:
        encode(partial, [pcm(audio)], "mp3")
    return path


# --------------------------------------------------------------------------- encoding

def _codec_args(kind: str, profile: Profile) -> list[str]:
    if kind == "mp3":
        return ["-c:a", "libmp3lame", "-b:a", profile.bitrate, "-id3v2_version", "0", "-write_xing", "1",
                "-f", "mp3"]
    return ["-c:a", "aac", "-b:a", profile.bitrate, "-movflags", "+faststart", "-f", "ipod"]


def _encode_command(dest: Path, kind: str, rate: int, profile: Profile) -> list[str]:
    return [prepare_audio(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0", "-map_metadata", "-1",
            "-map", "0:a", "-ac", "1", "-ar", str(profile.sample_rate), *_codec_args(kind, profile), str(dest)]


def encode(dest: Path, audio: Sequence["AudioSegment"], kind: str, profile: Profile = DEFAULT) -> None:
    """Encode the segments (mono 16-bit, one rate), joined in order, into
    `dest` as ``mp3`` or ``m4b`` at the profile's sample rate."""
    command = _encode_command(dest, kind, audio[0].frame_rate, profile)
    _run_ffmpeg(command, (segment.raw_data for segment in audio), dest)


class StreamEncoder:
    """One ffmpeg encode fed PCM through its standard input, piece by piece."""

    def __init__(self, dest: Path, kind: str, rate: int, profile: Profile = DEFAULT):
        self.dest = dest
        self._errors = tempfile.TemporaryFile()
        command = _encode_command(dest, kind, rate, profile)
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                             stderr=self._errors)
        except OSError as exc:
            self._errors.close()
            raise EngineError(f"cannot run ffmpeg ({command[0]}): {exc}") from exc

    def write(self, chunks: bytes | Iterable[bytes]) -> None:
        if isinstance(chunks, (bytes, bytearray, memoryview)):
            chunks = (chunks,)
        try:
            for chunk in chunks:
                self._process.stdin.write(chunk)
        except BrokenPipeError:
            self.finish()  # ffmpeg stopped early: its exit status says why
            raise EngineError(f"{shown_path(self.dest)}: ffmpeg stopped reading") from None
        except BaseException:
            self.abort()
            raise

    def finish(self) -> None:
        with suppress(BrokenPipeError):
            self._process.stdin.close()
        try:
            status = self._process.wait()
        except BaseException:
            self.abort()
            raise
        _check(status, self._errors, self.dest)

    def abort(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        with suppress(OSError):
            self._process.stdin.close()
        self._process.wait()
        self._errors.close()


def _check(status: int, errors: IO[bytes], dest: Path) -> None:
    if status == 0:
        errors.close()
        return
    errors.seek(0)
    message = errors.read().decode("utf-8", "replace").strip().splitlines()
    errors.close()
    dest = shown_path(dest)
    if message and "No space left" in message[-1]:
        raise EngineError(f"{dest}: cannot write: No space left on device")
    raise EngineError(f"{dest}: ffmpeg failed: {message[-1] if message else f'exit status {status}'}")


def _run_ffmpeg(command: list[str], chunks: Iterable[bytes], dest: Path) -> None:
    """Run ffmpeg feeding `chunks` to its standard input; EngineError if it fails.

    If feeding is interrupted (an exception, Ctrl-C), ffmpeg is killed before
    the exception goes on, so it cannot write on after the caller cleans up.
    """
    errors = tempfile.TemporaryFile()
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
    except OSError as exc:
        errors.close()
        raise EngineError(f"cannot run ffmpeg ({command[0]}): {exc}") from exc
    try:
        _feed(process.stdin, chunks)
        status = process.wait()
    except BaseException:
        process.kill()
        process.wait()
        errors.close()
        raise
    _check(status, errors, dest)


def _feed(pipe: IO[bytes], chunks: Iterable[bytes]) -> None:
    """Write the chunks to `pipe` and close it.

    If ffmpeg closed its end early, stop quietly: its exit status says why.
    """
    try:
        for chunk in chunks:
            pipe.write(chunk)
        pipe.close()
    except BrokenPipeError:
        with suppress(BrokenPipeError):
            pipe.close()


# --------------------------------------------------------------------------- text files

def playlist(info: BookInfo, files: Sequence[Path], marks: Sequence[ChapterMark]) -> str:
    """An extended M3U (UTF-8) listing `files` with durations and titles."""
    lines = ["#EXTM3U", f"#PLAYLIST:{printable(info.title)}"]
    for path, mark in zip(files, marks):
        label = printable(f"{info.author} - {mark.title}" if info.author else mark.title)
        lines += [f"#EXTINF:{round((mark.end_ms - mark.start_ms) / 1000)},{label}", path.name]
    return "\n".join(lines) + "\n"


def webvtt(cues: Sequence[Cue]) -> str:
    """WebVTT subtitles with a ``<v Speaker>`` voice span on every cue."""
    blocks = ["WEBVTT"]
    for number, cue in enumerate(cues, start=1):
        blocks.append(f"{number}\n{_vtt_time(cue.start_ms)} --> {_vtt_time(cue.end_ms)}\n"
                      f"<v {_vtt_escape(cue.speaker)}>{_vtt_escape(cue.text)}")
    return "\n\n".join(blocks) + "\n"


def _vtt_time(ms: int) -> str:
    """``HH:MM:SS.mmm``"""
    hours, rest = divmod(max(ms, 0), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _vtt_escape(text: str) -> str:
    """Cue text on one line with the WebVTT markup characters escaped."""
    text = printable(text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def lrc(cues: Sequence[Cue], tags: Tags) -> str:
    """LRC lyrics: one ``[mm:ss.xx]Speaker: text`` line per cue."""
    lines = [f"[ti:{printable(tags.title)}]", f"[al:{printable(tags.album)}]"]
    if tags.artist:
        lines.append(f"[ar:{printable(tags.artist)}]")
    lines += [f"[{_lrc_time(cue.start_ms)}]{printable(cue.speaker)}: {printable(cue.text)}" for cue in cues]
    return "\n".join(lines) + "\n"


def _lrc_time(ms: int) -> str:
    """``mm:ss.xx`` (minutes may exceed 59)."""
    minutes, rest = divmod(max(ms, 0), 60_000)
    return f"{minutes:02d}:{rest // 1000:02d}.{rest % 1000 // 10:02d}"
