"""Export writes real, tagged, chaptered files: checked by decoding them with ffmpeg
and reading their tags back with mutagen."""
from __future__ import annotations

import array
import re
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp4 import MP4

from audiobook.audio import export
from audiobook.audio.export import FORMATS, export_book, parse_formats, safe_filename
from audiobook.audio.runtime import prepare_audio
from audiobook.errors import UserError
from audiobook.model import BookInfo, ChapterAudio, Cue

FFMPEG = prepare_audio()
from pydub import AudioSegment  # noqa: E402  (after the runtime has pointed pydub at ffmpeg)
from pydub.generators import Sine  # noqa: E402

DATA = Path(__file__).parent / "data" / "export"
LEAD_IN_MS = 200  # silence before each chapter's tone, so its onset marks the chapter start
TOLERANCE_MS = 50
DECODE_RATE = 44100
HOSTILE_TITLE = "../../etc/x: a/b?"
CHAPTERS = [("The Start", 330, 2100), (HOSTILE_TITLE, 550, 3333), ("The End", 880, 1500)]
INFO = BookInfo(title="A Small Tale", slug="a-small-tale", author="Ann Author", year="1905",
                cover=str(DATA / "cover.png"))


def make_chapters(spec: list[tuple[str, int, int]] = CHAPTERS) -> list[ChapterAudio]:
    """Chapters of (title, tone Hz, tone ms): silence, then the tone; two voiced cues each."""
    chapters = []
    for index, (title, frequency, tone_ms) in enumerate(spec, start=1):
        tone = Sine(frequency, sample_rate=22050).to_audio_segment(tone_ms, volume=-6).set_channels(1)
        audio = AudioSegment.silent(LEAD_IN_MS, frame_rate=22050) + tone
        cues = [Cue(0, 1000, "narrator", f"Chapter {index} <begins>"),
                Cue(1000, 1800, "Anna", "Tea & cake?")]
        chapters.append(ChapterAudio(index, title, audio, cues))
    return chapters


def decode(path: Path) -> array.array:
    """The file's audio as mono 16-bit samples at DECODE_RATE, decoded by ffmpeg."""
    pcm = subprocess.run([FFMPEG, "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
                          "-ar", str(DECODE_RATE), "-"], capture_output=True, check=True).stdout
    return array.array("h", pcm)


def duration_ms(samples: array.array) -> float:
    return len(samples) * 1000 / DECODE_RATE


def onsets_ms(samples: array.array, threshold: int = 1000, quiet_ms: int = 150) -> list[float]:
    """Times where sound starts after at least `quiet_ms` of near-silence."""
    found, quiet_run, needed = [], 10 ** 9, quiet_ms * DECODE_RATE // 1000
    for position, value in enumerate(samples):
        if abs(value) > threshold:
            if quiet_run >= needed:
                found.append(position * 1000 / DECODE_RATE)
            quiet_run = 0
        else:
            quiet_run += 1
    return found


def ffmpeg_info(path: Path) -> str:
    """What `ffmpeg -i` prints about a file (on stderr)."""
    return subprocess.run([FFMPEG, "-hide_banner", "-i", str(path)], capture_output=True, text=True).stderr


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """One export in both formats, shared by the read-back tests."""
    root = tmp_path_factory.mktemp("export")
    out = root / "output"
    messages: list[str] = []
    paths = export_book(INFO, make_chapters(), out, ("chapters", "mp3", "m4b"), messages.append)
    return {"root": root, "out": out / INFO.slug, "mp3": out / f"{INFO.slug}-mp3", "m4b": out / f"{INFO.slug}-m4b",
            "paths": paths, "messages": messages}


@pytest.fixture(scope="module")
def chapter_files(book) -> list[Path]:
    return sorted(p for p in book["paths"] if p.suffix == ".mp3" and p.name[0].isdigit())


@pytest.fixture(scope="module")
def decoded_chapter_ms(chapter_files) -> list[float]:
    return [duration_ms(decode(path)) for path in chapter_files]


def test_writes_every_edition_in_a_folder_of_its_own(book):
    names = sorted(path.name for path in book["paths"] if path.parent == book["out"])
    assert names == sorted(
        [f"0{n} - {stem}.{ext}" for n, stem in [(1, "The Start"), (2, "..-..-etc-x - a-b"), (3, "The End")]
         for ext in ("mp3", "vtt", "lrc")] + ["a-small-tale.m3u8", "cover.png", "metadata.json", "metadata.opf"])
    assert sorted(p.name for p in book["paths"] if p.parent == book["mp3"]) == [
        "a-small-tale.mp3", "a-small-tale.vtt", "cover.png", "metadata.json", "metadata.opf"]
    assert sorted(p.name for p in book["paths"] if p.parent == book["m4b"]) == [
        "a-small-tale.m4b", "a-small-tale.vtt", "cover.png", "metadata.json", "metadata.opf"]
    for folder in ("out", "mp3", "m4b"):  # besides the files, only the hidden manifest
        assert sorted(p.name for p in book[folder].iterdir() if p.name.startswith(".")) == [".audiobook-manifest.json"]
        assert {p for p in book[folder].iterdir() if not p.name.startswith(".")} == {
            p for p in book["paths"] if p.parent == book[folder]}
    assert sorted(p.name for p in book["root"].iterdir()) == ["output"]  # nothing escaped upwards
    assert book["messages"] == [f"wrote {path}" for path in book["paths"]]


def test_chapter_mp3_tags(chapter_files):
    for number, path in enumerate(chapter_files, start=1):
        tags = ID3(path)
        assert tags.version == (2, 3, 0)
        assert str(tags["TIT2"]) == CHAPTERS[number - 1][0]
        assert str(tags["TALB"]) == INFO.title
        assert str(tags["TPE1"]) == INFO.author
        assert str(tags["TPE2"]) == INFO.author
        assert str(tags["TRCK"]) == f"{number}/3"
        assert str(tags["TCON"]) == "Audiobook"
        assert str(tags["TDRC"]) == "1905"
        cover = tags.getall("APIC")[0]
        assert cover.mime == "image/png"
        assert cover.data == (DATA / "cover.png").read_bytes()


def test_chapter_mp3_audio_is_mono_speech_quality_and_full_length(chapter_files, decoded_chapter_ms):
    for (_, _, tone_ms), path, decoded in zip(CHAPTERS, chapter_files, decoded_chapter_ms):
        assert decoded == pytest.approx(LEAD_IN_MS + tone_ms, abs=TOLERANCE_MS)
        info = ffmpeg_info(path)
        assert "mono" in info and "64 kb/s" in info and re.search(r"(22050|44100) Hz", info)


def test_single_mp3_chapters_match_the_decoded_chapters(book, decoded_chapter_ms):
    path = book["mp3"] / "a-small-tale.mp3"
    tags = ID3(path)
    assert str(tags["TIT2"]) == INFO.title and str(tags["TALB"]) == INFO.title
    assert str(tags["TPE1"]) == INFO.author and str(tags["TCON"]) == "Audiobook"
    assert tags.getall("APIC")[0].data == (DATA / "cover.png").read_bytes()

    toc = tags.getall("CTOC")[0]
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    chaps = [tags[f"CHAP:{element_id}"] for element_id in toc.child_element_ids]
    assert [str(chap.sub_frames["TIT2"]) for chap in chaps] == [title for title, _, _ in CHAPTERS]

    start = 0.0
    for chap, length in zip(chaps, decoded_chapter_ms):
        assert chap.start_time == pytest.approx(start, abs=TOLERANCE_MS)
        assert chap.end_time == pytest.approx(start + length, abs=TOLERANCE_MS)
        start += length

    samples = decode(path)
    assert duration_ms(samples) == pytest.approx(chaps[-1].end_time, abs=TOLERANCE_MS)
    heard = onsets_ms(samples)
    assert len(heard) == len(chaps)
    for onset, chap in zip(heard, chaps):  # each chapter's tone starts where its CHAP says
        assert onset == pytest.approx(chap.start_time + LEAD_IN_MS, abs=TOLERANCE_MS)


def test_m4b_chapters_tags_and_cover(book, decoded_chapter_ms):
    path = book["m4b"] / "a-small-tale.m4b"
    info = ffmpeg_info(path)
    listed = re.findall(r"Chapter #\d+:\d+: start ([\d.]+), end ([\d.]+)\s+Metadata:\s+title\s+: (.*)", info)
    assert [title for _, _, title in listed] == [title for title, _, _ in CHAPTERS]
    start = 0.0
    for (begin, end, _), length in zip(listed, decoded_chapter_ms):
        assert float(begin) * 1000 == pytest.approx(start, abs=TOLERANCE_MS)
        assert float(end) * 1000 == pytest.approx(start + length, abs=TOLERANCE_MS)
        start += length
    assert duration_ms(decode(path)) == pytest.approx(start, abs=TOLERANCE_MS)
    assert re.search(r"Audio: aac.*mono", info)
    assert re.search(r"Video: png.*\(attached pic\)", info)

    tags = MP4(path)
    assert tags["\xa9nam"] == [INFO.title] and tags["\xa9alb"] == [INFO.title]
    assert tags["\xa9ART"] == [INFO.author] and tags["aART"] == [INFO.author]
    assert tags["\xa9gen"] == ["Audiobook"] and tags["\xa9day"] == ["1905"]
    assert bytes(tags["covr"][0]) == (DATA / "cover.png").read_bytes()


def test_playlist_lists_every_chapter_with_its_duration(book, chapter_files, decoded_chapter_ms):
    lines = (book["out"] / "a-small-tale.m3u8").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#EXTM3U"
    entries = [(lines[i], lines[i + 1]) for i, line in enumerate(lines) if line.startswith("#EXTINF:")]
    assert [name for _, name in entries] == [path.name for path in chapter_files]
    for (extinf, name), (title, _, _), length in zip(entries, CHAPTERS, decoded_chapter_ms):
        seconds, label = re.fullmatch(r"#EXTINF:(\d+),(.*)", extinf).groups()
        assert abs(int(seconds) - length / 1000) <= 0.5 + TOLERANCE_MS / 1000
        assert label == f"{INFO.author} - {title}"
        assert (book["out"] / name).is_file()


def test_subtitles_label_each_voice(book, chapter_files):
    vtt = chapter_files[0].with_suffix(".vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n")
    assert "00:00:00.000 --> 00:00:01.000\n<v narrator>Chapter 1 &lt;begins&gt;" in vtt
    assert "00:00:01.000 --> 00:00:01.800\n<v Anna>Tea &amp; cake?" in vtt
    lrc = chapter_files[1].with_suffix(".lrc").read_text(encoding="utf-8")
    assert "[00:01.00]Anna: Tea & cake?" in lrc
    whole = (book["mp3"] / "a-small-tale.vtt").read_text(encoding="utf-8")
    assert whole == (book["m4b"] / "a-small-tale.vtt").read_text(encoding="utf-8")
    third_start = ID3(book["mp3"] / "a-small-tale.mp3")["CHAP:chp2"].start_time
    assert f"{export._vtt_time(third_start + 1000)} --> {export._vtt_time(third_start + 1800)}\n<v Anna>" in whole


def test_formats_choose_the_editions(tmp_path):
    chapters = make_chapters()[:1]
    paths = export_book(BookInfo("Solo", "solo"), chapters, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in paths) == [
        "solo/01 - The Start.lrc", "solo/01 - The Start.mp3", "solo/01 - The Start.vtt", "solo/metadata.json",
        "solo/metadata.opf", "solo/solo.m3u8"]
    only_m4b = export_book(BookInfo("Solo", "solo"), chapters, tmp_path / "m4b", ("m4b",))
    assert sorted(p.relative_to(tmp_path).as_posix() for p in only_m4b) == [
        "m4b/solo-m4b/metadata.json", "m4b/solo-m4b/metadata.opf", "m4b/solo-m4b/solo.m4b", "m4b/solo-m4b/solo.vtt"]
    tags = ID3(tmp_path / "solo" / "01 - The Start.mp3")
    assert "TPE1" not in tags and "APIC" not in str(tags.keys()) and "TDRC" not in tags
    assert "#EXTINF:2,The Start" in (tmp_path / "solo" / "solo.m3u8").read_text(encoding="utf-8")


def test_interrupted_export_keeps_earlier_files_and_leaves_no_partials(tmp_path, monkeypatch):
    export_book(INFO, make_chapters(), tmp_path)
    folder = tmp_path / INFO.slug
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    real_encode, calls = export.encode, []

    def encode_then_fail(dest, *args, **kwargs):
        real_encode(dest, *args, **kwargs)
        calls.append(dest)
        if len(calls) == 2:
            assert dest.exists() and dest.name.endswith(".partial")
            raise KeyboardInterrupt

    monkeypatch.setattr(export, "encode", encode_then_fail)
    changed = [(title + " again", frequency, tone_ms // 2) for title, frequency, tone_ms in CHAPTERS]
    with pytest.raises(KeyboardInterrupt):
        export_book(INFO, make_chapters(changed), tmp_path)
    after = {path.name: path for path in folder.iterdir()}
    assert not [name for name in after if name.endswith(".partial") or "staging" in name]
    assert all(after[name].read_bytes() == data for name, data in before.items() if not name.startswith("."))
    assert "01 - The Start again.mp3" in after and "02 - ..-..-etc-x - a-b again.mp3" not in after


class UnreadableAudio(AudioSegment):
    """Audio whose samples cannot be read: the export is interrupted while ffmpeg runs."""

    @property
    def raw_data(self) -> bytes:
        raise KeyboardInterrupt


def test_export_interrupted_while_encoding_leaves_no_partials(tmp_path):
    chapters = make_chapters()
    good = chapters[1].audio
    chapters[1].audio = UnreadableAudio(data=good._data, sample_width=good.sample_width,
                                        frame_rate=good.frame_rate, channels=good.channels)
    with pytest.raises(KeyboardInterrupt):
        export_book(INFO, chapters, tmp_path)
    folder = tmp_path / INFO.slug
    assert sorted(path.name for path in folder.iterdir()) == [
        ".audiobook-manifest.json", "01 - The Start.lrc", "01 - The Start.mp3", "01 - The Start.vtt"]
    assert duration_ms(decode(folder / "01 - The Start.mp3")) == pytest.approx(2300, abs=TOLERANCE_MS)


def test_format_names():
    assert parse_formats(["mp3,m4b"]) == ["mp3", "m4b"]
    assert parse_formats(["M4B", " mp3 ", "m4b"]) == ["m4b", "mp3"]
    assert FORMATS == ("chapters", "mp3", "m4b")
    with pytest.raises(UserError, match="unknown format 'ogg'"):
        parse_formats(["mp3,ogg"])
    with pytest.raises(UserError):
        export_book(INFO, make_chapters(), Path("unused"), ("wav",))


def test_missing_cover_is_a_user_error(tmp_path):
    info = BookInfo("Tale", "tale", cover=str(tmp_path / "nope.jpg"))
    with pytest.raises(UserError) as caught:
        export_book(info, make_chapters(), tmp_path / "out")
    assert caught.value.path == str(tmp_path / "nope.jpg")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("title, expected", [
    ("Chapter 1: The Beginning", "Chapter 1 - The Beginning"),
    (HOSTILE_TITLE, "etc-x - a-b"),
    ('What <is> "this"?*', "What is 'this'"),
    ("  ..hidden.. ", "hidden"),
    ("tab\there\x00\x07null\u200e", "tab herenull"),
    ("CON", "_CON"),
    ("lpt1.txt", "_lpt1.txt"),
    ("Console", "Console"),
    ("", "untitled"),
    ("???", "untitled"),
])
def test_safe_filename(title, expected):
    assert safe_filename(title) == expected


def test_safe_filename_caps_length_in_bytes():
    name = safe_filename("é" * 300, max_len=121)
    assert name == "é" * 60 and len(name.encode("utf-8")) == 120
    assert len(safe_filename("x" * 500)) == 120
    assert safe_filename("CON" + " ." * 10 + "x", max_len=24) == "_CON"  # no trailing dots after the cut


def test_a_stop_signal_during_a_commit_waits_until_the_file_is_in_place_and_recorded(tmp_path, monkeypatch):
    """A signal that comes while a finished file is moved into place takes
    effect once it is recorded: what the build says it kept is what is there."""
    import os as os_module
    import signal as signal_module

    from audiobook import errors
    from audiobook.audio.files import EditionFolder

    real_replace = os_module.replace

    def replace_then_signal(source, target):
        real_replace(source, target)
        errors.stop(signal_module.SIGTERM)  # what the handler does when SIGTERM comes right here

    with EditionFolder(tmp_path / "book") as folder:
        temporary = folder.temporary("01 - One.mp3")
        temporary.write_bytes(b"audio")
        monkeypatch.setattr(os_module, "replace", replace_then_signal)
        with pytest.raises(errors.Interrupted) as stopped:
            folder.commit(temporary, "01 - One.mp3")
        monkeypatch.setattr(os_module, "replace", real_replace)
        assert stopped.value.signum == signal_module.SIGTERM
        assert (tmp_path / "book" / "01 - One.mp3").read_bytes() == b"audio"
        assert "01 - One.mp3" in folder.entries
    with pytest.raises(errors.Interrupted):  # with nothing under way, a stop signal stops at once
        errors.stop(signal_module.SIGINT)


def test_a_stop_signal_held_by_a_step_that_fails_does_not_stop_a_later_step():
    import signal as signal_module

    from audiobook import errors

    with pytest.raises(OSError):
        with errors.whole():
            errors.stop(signal_module.SIGTERM)
            raise OSError("disk full")  # the failure ends the work; the signal is not left pending
    with errors.whole():
        pass  # nothing is raised here
