"""Export: the finished chapter audio becomes files a player shows right.

Into one output folder go, for a book with the slug ``tale``:

* ``NN - <Chapter title>.mp3`` per chapter, ID3v2.4-tagged, with
  speaker-labelled subtitles beside it (``.vtt`` and ``.lrc``);
* ``tale.m3u8``, an extended M3U playlist of the chapter files;
* ``tale.vtt``, subtitles for the single-file book;
* ``tale.mp3``, the whole book in one file with ID3 CHAP/CTOC chapters (format ``mp3``);
* ``tale.m4b``, AAC in MP4 with container chapters and cover (format ``m4b``).

Each file is written under a hidden ``.<name>.partial`` name and renamed into
place only once complete, so an interrupted run never leaves a broken file
under a final name.

The single-file MP3 is encoded from the joined PCM rather than by gluing the
chapter MP3s together: each MP3 carries encoder delay and padding, so frames
copied end to end put a gap of a few tens of milliseconds at every join and
the chapter marks would drift from the audio.  Encoding the joined audio makes
every chapter boundary an exact sample count.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from contextlib import suppress
from pathlib import Path
from typing import IO, TYPE_CHECKING, Callable, Iterable, Optional, Sequence

from audiobook.audio.files import FolderWriter
from audiobook.audio.profiles import DEFAULT, Profile
from audiobook.audio.runtime import prepare_audio
from audiobook.audio.tags import ChapterMark, Cover, Tags, ffmetadata, read_cover, write_id3, write_mp4
from audiobook.errors import EngineError, UserError
from audiobook.model import BookInfo, ChapterAudio, Cue

if TYPE_CHECKING:
    from pydub import AudioSegment

FORMATS = ("mp3", "m4b")  # what --format accepts, comma-separated

SAMPLE_RATE = DEFAULT.sample_rate  # Hz, of every encoded file (the profile's)
BITRATE = DEFAULT.bitrate  # speech, mono
_SAMPLE_WIDTH = 2  # bytes; PCM goes to ffmpeg as signed 16-bit little-endian
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
                     *(f"LPT{n}" for n in range(1, 10))}
_REPLACEMENTS = {":": " -", "/": "-", "\\": "-", "|": "-", '"': "'", "<": "", ">": "", "?": "", "*": ""}
_TRIM = " .-_"

Progress = Callable[[str], None]


# --------------------------------------------------------------------------- entry point

def export_book(info: BookInfo, chapters: list[ChapterAudio], out_dir: Path,
                formats: Sequence[str] = ("mp3",), progress: Optional[Progress] = None,
                profile: Profile = DEFAULT) -> list[Path]:
    """Write the audiobook into out_dir (created if needed) and return the paths written.

    Chapter MP3s, their subtitles, the playlist and the whole book's
    subtitles are always written; the single-file MP3 with format ``mp3`` and
    the m4b with format ``m4b``.  `profile` sets the sample rate and bitrate.
    """
    wanted = parse_formats(formats)
    if not chapters:
        raise UserError("the book has no chapters to export")
    cover = read_cover(info.cover) if info.cover else None
    audio = _uniform([chapter.audio for chapter in chapters])
    marks = chapter_marks([chapter.title for chapter in chapters], audio)
    writer = FolderWriter(Path(out_dir), progress)
    chapter_files = _write_chapters(writer, info, chapters, audio, cover, profile)
    writer.text(f"{_slug(info)}.m3u8", playlist(info, chapter_files, marks))
    writer.text(f"{_slug(info)}.vtt", webvtt(_book_cues(chapters, marks)))
    if "mp3" in wanted:
        _write_single_mp3(writer, info, audio, marks, cover, profile)
    if "m4b" in wanted:
        _write_m4b(writer, info, audio, marks, cover, profile)
    return writer.written


def write_mp3(audio: "AudioSegment", path: Path) -> Path:
    """Encode `audio` as one untagged MP3 at `path` (a preview, say), replacing
    it whole or not at all."""
    with FolderWriter(path.parent, None).staged(path.name) as partial:
        encode(partial, [audio], "mp3")
    return path


def parse_formats(formats: Sequence[str]) -> list[str]:
    """Split and check format names (each item may itself be comma-separated)."""
    names = [name.strip().lower() for item in formats for name in item.split(",") if name.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown:
        raise UserError(f"unknown format {unknown[0]!r}: choose from {', '.join(FORMATS)}")
    if not names:
        raise UserError(f"no output format given: choose from {', '.join(FORMATS)}")
    return names


def _slug(info: BookInfo) -> str:
    """The file-name stem of the book-level files."""
    return safe_filename(info.slug or info.title)


# --------------------------------------------------------------------------- file names

def safe_filename(name: str, max_len: int = 120) -> str:
    """A file name safe on every OS from any title.

    Path separators and the characters Windows reserves are replaced or
    dropped, control characters removed, whitespace collapsed, leading and
    trailing dots, dashes and spaces trimmed, Windows device names (``CON``,
    ``LPT1``...) prefixed with ``_``, and the result cut to at most `max_len`
    bytes of UTF-8.  Never empty.
    """
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", name))
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

def _uniform(segments: list[AudioSegment]) -> list[AudioSegment]:
    """The segments in one PCM layout (16-bit, the highest rate and channel count
    among them), so they can be joined and measured by sample counts."""
    rate = max(segment.frame_rate for segment in segments)
    channels = max(segment.channels for segment in segments)
    return [segment.set_sample_width(_SAMPLE_WIDTH).set_frame_rate(rate).set_channels(channels)
            for segment in segments]


def chapter_marks(titles: Sequence[str], audio: Sequence[AudioSegment]) -> list[ChapterMark]:
    """Each chapter's start and end in the joined book, from sample counts.

    Times are rounded from the running sample total, so they never drift.
    """
    marks, samples = [], 0
    for title, segment in zip(titles, audio):
        start = samples
        samples += int(segment.frame_count())
        marks.append(ChapterMark(title, _ms(start, segment.frame_rate), _ms(samples, segment.frame_rate)))
    return marks


def _ms(samples: int, rate: int) -> int:
    """Milliseconds (rounded) of `samples` at `rate`."""
    return round(samples * 1000 / rate)


def _book_cues(chapters: Sequence[ChapterAudio], marks: Sequence[ChapterMark]) -> list[Cue]:
    """Every chapter's cues, moved onto the single-file book's timeline."""
    return [Cue(cue.start_ms + mark.start_ms, cue.end_ms + mark.start_ms, cue.speaker, cue.text)
            for chapter, mark in zip(chapters, marks) for cue in chapter.cues]


# --------------------------------------------------------------------------- writing files

def _write_chapters(writer: FolderWriter, info: BookInfo, chapters: Sequence[ChapterAudio],
                    audio: Sequence[AudioSegment], cover: Optional[Cover],
                    profile: Profile = DEFAULT) -> list[Path]:
    """Per chapter: the tagged MP3, then its WebVTT and LRC subtitles.

    Returns the chapter MP3 paths in order.
    """
    total, files = len(chapters), []
    for number, (chapter, segment) in enumerate(zip(chapters, audio), start=1):
        stem = chapter_stem(number, total, chapter.title)
        tags = _book_tags(info, chapter.title, cover, len(segment), track=(number, total))
        with writer.staged(f"{stem}.mp3") as partial:
            encode(partial, [segment], "mp3", profile=profile)
            write_id3(partial, tags)
        files.append(writer.out_dir / f"{stem}.mp3")
        writer.text(f"{stem}.vtt", webvtt(chapter.cues))
        writer.text(f"{stem}.lrc", lrc(chapter.cues, tags))
    return files


def _write_single_mp3(writer: FolderWriter, info: BookInfo, audio: Sequence[AudioSegment],
                      marks: Sequence[ChapterMark], cover: Optional[Cover], profile: Profile = DEFAULT) -> None:
    """The whole book as one MP3 with CHAP/CTOC chapter frames."""
    tags = _book_tags(info, info.title, cover, marks[-1].end_ms)
    with writer.staged(f"{_slug(info)}.mp3") as partial:
        encode(partial, audio, "mp3", profile=profile)
        write_id3(partial, tags, marks)


def _write_m4b(writer: FolderWriter, info: BookInfo, audio: Sequence[AudioSegment],
               marks: Sequence[ChapterMark], cover: Optional[Cover], profile: Profile = DEFAULT) -> None:
    """The whole book as AAC in MP4 with container chapters and cover."""
    tags = _book_tags(info, info.title, cover, marks[-1].end_ms)
    with tempfile.TemporaryDirectory() as scratch, writer.staged(f"{_slug(info)}.m4b") as partial:
        chapters_file = Path(scratch) / "chapters.txt"
        chapters_file.write_text(ffmetadata(marks), encoding="utf-8")
        encode(partial, audio, "m4b", chapters_file, profile=profile)
        write_mp4(partial, tags)


def _book_tags(info: BookInfo, title: str, cover: Optional[Cover], length_ms: int,
               track: Optional[tuple[int, int]] = None) -> Tags:
    """Tags for one file of this book."""
    return Tags(title=title, album=info.title, artist=info.author, year=info.year,
                track=track, length_ms=length_ms, cover=cover)


# --------------------------------------------------------------------------- encoding

_CODEC_ARGS = {  # the bitrate follows "-b:a" (libmp3lame with -b:a alone is constant bitrate)
    "mp3": ["-c:a", "libmp3lame", "-b:a", BITRATE, "-id3v2_version", "0", "-write_xing", "1", "-f", "mp3"],
    "m4b": ["-c:a", "aac", "-b:a", BITRATE, "-movflags", "+faststart", "-f", "ipod"],
}


def _codec_args(kind: str, profile: Profile) -> list[str]:
    """The encoder's arguments for `kind` at the profile's bitrate."""
    args = list(_CODEC_ARGS[kind])
    args[args.index("-b:a") + 1] = profile.bitrate
    return args


def encode(dest: Path, audio: Sequence[AudioSegment], kind: str,
           chapters_file: Optional[Path] = None, profile: Profile = DEFAULT) -> None:
    """Encode the segments, joined in order, into `dest` as ``mp3`` or ``m4b``.

    The PCM is streamed to the ffmpeg the runtime finds; output
    is mono at the profile's sample rate and bitrate.  `chapters_file` is an FFMETADATA file whose
    chapters go into the container.
    """
    first = audio[0]
    command = [prepare_audio(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
               "-f", "s16le", "-ar", str(first.frame_rate), "-ac", str(first.channels), "-i", "pipe:0"]
    if chapters_file is None:
        command += ["-map_metadata", "-1"]
    else:  # the chapter titles travel with the file's (otherwise empty) metadata
        command += ["-f", "ffmetadata", "-i", str(chapters_file), "-map_chapters", "1", "-map_metadata", "1"]
    command += ["-map", "0:a", "-ac", "1", "-ar", str(profile.sample_rate),
                *_codec_args(kind, profile), str(dest)]
    _run_ffmpeg(command, (segment.raw_data for segment in audio))


def _run_ffmpeg(command: list[str], chunks: Iterable[bytes]) -> None:
    """Run ffmpeg feeding `chunks` to its standard input; EngineError if it fails.

    If feeding is interrupted (an exception, Ctrl-C), ffmpeg is killed before
    the exception goes on, so it cannot write on after the caller cleans up.
    """
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                       stderr=errors)
        except OSError as exc:
            raise EngineError(f"cannot run ffmpeg ({command[0]}): {exc}") from exc
        try:
            _feed(process.stdin, chunks)
            status = process.wait()
        except BaseException:
            process.kill()
            process.wait()
            raise
        if status != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip().splitlines()
            raise EngineError(f"ffmpeg failed: {message[-1] if message else f'exit status {status}'}")


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
    lines = ["#EXTM3U", f"#PLAYLIST:{info.title}"]
    for path, mark in zip(files, marks):
        label = f"{info.author} - {mark.title}" if info.author else mark.title
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
    text = " ".join(text.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def lrc(cues: Sequence[Cue], tags: Tags) -> str:
    """LRC lyrics: one ``[mm:ss.xx]Speaker: text`` line per cue."""
    lines = [f"[ti:{tags.title}]", f"[al:{tags.album}]"]
    if tags.artist:
        lines.append(f"[ar:{tags.artist}]")
    lines += [f"[{_lrc_time(cue.start_ms)}]{cue.speaker}: {' '.join(cue.text.split())}" for cue in cues]
    return "\n".join(lines) + "\n"


def _lrc_time(ms: int) -> str:
    """``mm:ss.xx`` (minutes may exceed 59)."""
    minutes, rest = divmod(max(ms, 0), 60_000)
    return f"{minutes:02d}:{rest // 1000:02d}.{rest % 1000 // 10:02d}"
