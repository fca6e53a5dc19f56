"""The whole pipeline on the sample story: real text, real pyttsx3, real ffmpeg."""
from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.id3 import ID3
from pydub.silence import detect_nonsilent

from audiobook.audio.synthesis import Engine
from audiobook.pipeline import build
from tests.acoustics import decode, fundamental_hz, read_vtt
from tests.conftest import SAMPLE_STORY, SAMPLE_VOICES


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build the sample book once, recording every job the real engine renders."""
    jobs = []
    real_render = Engine.render_many  # render goes through it too

    def recording_render(self, batch):
        jobs.extend(batch)
        return real_render(self, batch)

    patch = pytest.MonkeyPatch()
    patch.setattr(Engine, "render_many", recording_render)
    try:
        out = tmp_path_factory.mktemp("out")
        result = build(SAMPLE_STORY, voices=SAMPLE_VOICES, out=out, cache=False)  # every job rendered here
    finally:
        patch.undo()
    return result, jobs, out / "princess"


def test_build_writes_the_chapter_files(built):
    result, _jobs, folder = built
    names = sorted(p.name for p in folder.iterdir())
    assert names == [".audiobook-manifest.json", "01 - Princess.lrc", "01 - Princess.mp3", "01 - Princess.vtt",
                     "metadata.json", "metadata.opf", "princess.m3u8"]
    assert set(result.files) == {p for p in folder.iterdir() if not p.name.startswith(".")}
    assert sorted(p.name for p in folder.parent.iterdir()) == ["princess"]  # one edition by default
    assert result.chapters == 1


def test_mp3_decodes_and_its_duration_is_the_speech(built):
    result, _jobs, folder = built
    audio = decode(folder / "01 - Princess.mp3")
    assert abs(len(audio) - result.duration_ms) < 150
    # The story is about 1,000 words: at 155-172 words a minute that is several minutes of speech.
    assert 4 * 60_000 < len(audio) < 10 * 60_000
    voiced = sum(end - start for start, end in detect_nonsilent(audio, min_silence_len=400, silence_thresh=-45))
    assert voiced > 0.7 * len(audio)


def test_tags_are_readable(built):
    _result, _jobs, folder = built
    tags = ID3(folder / "01 - Princess.mp3")
    assert tags.version[:2] == (2, 3)  # ID3v2.3, what most players read
    assert str(tags["TIT2"]) == "Princess"
    assert str(tags["TALB"]) == "Princess"
    assert str(tags["TRCK"]) == "1/1"
    assert str(tags["TCON"]) == "Audiobook"


def test_each_speaker_is_rendered_with_the_configured_voice(built):
    _result, jobs, folder = built
    by_voice = {job.voice.id: job.voice for job in jobs}
    assert by_voice["gmw/en-us+m3"].rate == 170 and by_voice["gmw/en-us+m3"].pitch == 32
    assert by_voice["gmw/en-us+f3"].rate == 172 and by_voice["gmw/en-us+f3"].pitch == 62
    assert by_voice["gmw/en+f2"].pitch == 70
    assert by_voice["gmw/en-gb-x-rp"].rate == 165
    spoken = {job.text: job.voice.id for job in jobs}
    assert spoken["Are you faking?"] == "gmw/en-us+m3"          # "..." Alex asked
    assert spoken["Not like this one,"] == "gmw/en-us+f3"        # "..." Jo finally choked out
    assert spoken["Much better now that Phil's gone,"] == "gmw/en+f2"  # "..." Mrs. Daniels laughed
    cues = read_vtt(folder / "01 - Princess.vtt")
    assert {speaker for *_x, speaker, _t in cues} >= {"narrator", "Alex Karev", "Jo Wilson", "Mrs. Daniels"}


def test_dialogue_is_audibly_in_the_characters_voices(built):
    """Measured on the decoded MP3: Jo's lines sit well above Alex's in pitch."""
    _result, _jobs, folder = built
    audio = decode(folder / "01 - Princess.mp3")
    pitch = {}
    for speaker in ("Alex Karev", "Jo Wilson"):
        lines = [audio[start:end] for start, end, who, _text in read_vtt(folder / "01 - Princess.vtt") if who == speaker]
        pitch[speaker] = fundamental_hz(sum(lines[1:], lines[0]))
    assert pitch["Jo Wilson"] > 1.3 * pitch["Alex Karev"] > 0, pitch
