"""A multi-chapter book through the whole pipeline, every output format:
real text, real pyttsx3, real ffmpeg; checked by decoding and reading tags back."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp4 import MP4

from audiobook.audio.assembly import HEAD_MS
from audiobook.casting import DEFAULT_PAUSES
from audiobook.pipeline import build
from tests.acoustics import decode, read_vtt

DATA = Path(__file__).parent / "data"
STORY = DATA / "books" / "the_lighthouse.txt"
COVER = DATA / "export" / "cover.png"
TITLES = ["Prologue", "Chapter 1", "Chapter Two: The Storm", "Epilogue"]
TOLERANCE_MS = 50


@pytest.fixture(scope="module")
def book(tmp_path_factory, engine):
    out = tmp_path_factory.mktemp("books")
    result = build(STORY, out=out, formats=["chapters,mp3,m4b"], author="M. Keeper", cover=COVER, use_cast=False,
                   engine=engine)
    return result, out / "the-lighthouse"


def test_each_edition_has_a_folder_of_its_own(book):
    result, folder = book
    root = folder.parent
    assert result.folders == [root / "the-lighthouse", root / "the-lighthouse-mp3", root / "the-lighthouse-m4b"]
    audio = {f.name: sorted(p.name for p in f.iterdir() if p.suffix in (".mp3", ".m4b")) for f in result.folders}
    assert audio == {"the-lighthouse": [p.name for p in chapter_files(folder)],
                     "the-lighthouse-mp3": ["the-lighthouse.mp3"], "the-lighthouse-m4b": ["the-lighthouse.m4b"]}
    assert (folder / "cover.png").read_bytes() == COVER.read_bytes()
    visible = {p for f in result.folders for p in f.iterdir() if not p.name.startswith(".")}
    assert visible == set(result.files)
    assert sorted(p.name for p in root.iterdir()) == ["the-lighthouse", "the-lighthouse-m4b", "the-lighthouse-mp3"]


def chapter_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("[0-9]* - *.mp3"))


def test_every_heading_style_gives_a_chapter_in_order(book):
    result, folder = book
    files = chapter_files(folder)
    assert result.chapters == 4
    assert [p.name for p in files] == [f"0{n} - {t.replace(':', ' -')}.mp3" for n, t in enumerate(TITLES, 1)]
    assert [str(ID3(p)["TIT2"]) for p in files] == TITLES
    assert [str(ID3(p)["TRCK"]) for p in files] == ["1/4", "2/4", "3/4", "4/4"]
    tags = ID3(files[0])
    assert str(tags["TALB"]) == "The Lighthouse" and str(tags["TPE1"]) == "M. Keeper"
    assert tags.getall("APIC")[0].data == COVER.read_bytes()


def test_each_chapter_opens_with_its_title_and_skips_the_gutenberg_text(book):
    _result, folder = book
    spoken = []
    for path, title in zip(sorted(folder.glob("[0-9]* - *.vtt")), TITLES):
        chapter = read_vtt(path)
        assert chapter[0][2:] == ("narrator", title)
        assert chapter[0][0] == HEAD_MS
        spoken += [text for *_x, text in chapter]
    text = " ".join(spoken)
    assert "Gutenberg" not in text and "licence" not in text and "CONTENTS" not in text
    assert "Every drop," in text and "Hold the door!" in text


def test_scene_break_is_a_longer_pause(book):
    _result, folder = book
    chapter = read_vtt(sorted(folder.glob("[0-9]* - *.vtt"))[1])
    after = next(i for i, c in enumerate(chapter) if c[3].startswith("Tom did not sleep"))
    assert chapter[after][0] - chapter[after - 1][1] >= DEFAULT_PAUSES["scene_break"]
    gaps = [b[0] - a[1] for a, b in zip(chapter, chapter[1:]) if b is not chapter[after]]
    assert max(gaps) < DEFAULT_PAUSES["scene_break"]


def test_single_file_chapters_match_the_chapter_files(book):
    _result, folder = book
    lengths = [len(decode(p)) for p in chapter_files(folder)]
    frames = ID3(folder.parent / "the-lighthouse-mp3" / "the-lighthouse.mp3").getall("CHAP")
    starts = [0]
    for length in lengths:
        starts.append(starts[-1] + length)
    assert [str(f.sub_frames["TIT2"]) for f in sorted(frames, key=lambda f: f.start_time)] == TITLES
    for frame, start, end in zip(sorted(frames, key=lambda f: f.start_time), starts, starts[1:]):
        assert abs(frame.start_time - start) <= TOLERANCE_MS and abs(frame.end_time - end) <= TOLERANCE_MS


def test_m4b_has_the_chapters_and_cover(book, ffmpeg):
    _result, folder = book
    m4b = folder.parent / "the-lighthouse-m4b" / "the-lighthouse.m4b"
    info = subprocess.run([ffmpeg, "-hide_banner", "-i", str(m4b)], capture_output=True, text=True).stderr
    listed = re.findall(r"Chapter #\d+:\d+: start ([\d.]+), end ([\d.]+)\s+Metadata:\s+title\s+: (.+)", info)
    assert [title.strip() for *_x, title in listed] == TITLES
    lengths = [len(decode(p)) for p in chapter_files(folder)]
    for (start, end, _title), length in zip(listed, lengths):
        assert abs((float(end) - float(start)) * 1000 - length) <= TOLERANCE_MS
    assert MP4(m4b).tags["covr"][0] == COVER.read_bytes()


def test_playlist_lists_every_chapter_file(book):
    _result, folder = book
    lines = (folder / "the-lighthouse.m3u8").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#EXTM3U"
    assert [line for line in lines if not line.startswith("#")] == [p.name for p in chapter_files(folder)]
    assert sum(line.startswith("#EXTINF:") for line in lines) == 4


def test_pauses_from_voices_yaml_shape_the_gaps(tmp_path, engine):
    """A sentence pause follows sentence ends only; a speaker change adds its own
    pause to a sentence or paragraph pause; a dialogue tag gets the short tag
    pause; each pause is the one set, lengthened a little after a long piece."""
    from audiobook.audio.assembly import VARIATION

    voices = tmp_path / "voices.yaml"
    voices.write_text("characters:\n  Martha: {gender: female}\n  Tom: {gender: male}\n"
                      "pauses: {sentence: 900, speaker_change: 400, paragraph: 1300, dialogue_tag: 50}\n",
                      encoding="utf-8")
    build(STORY, voices=voices, out=tmp_path, engine=engine)
    chapter = read_vtt(tmp_path / "the-lighthouse" / "02 - Chapter 1.vtt")
    gap = {b[3]: b[0] - a[1] for a, b in zip(chapter, chapter[1:])}

    def about(measured, configured):
        return configured <= measured <= configured * (1 + VARIATION) + 1

    assert about(gap["asked Tom."], 50)                  # "Is the oil in?" asked Tom.: its dialogue tag
    assert about(gap["Every drop,"], 1300 + 400)         # new paragraph, new speaker
    assert about(gap["said Martha."], 50)                # "Every drop," continues into its tag
    assert about(gap["Go and sleep."], 900 + 400)        # after "said Martha." a new sentence, new speaker
    assert about(gap["He watched the sea until the morning."], 900)  # same speaker, next sentence
