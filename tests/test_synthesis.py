"""The synthesis stage against the real engine (pyttsx3 on eSpeak NG)."""
from __future__ import annotations

import pytest

from audiobook.audio.synthesis import Engine
from audiobook.model import SpeechJob, Voice
from tests.acoustics import fundamental_hz

LONG = ("She turned to look at him sharply and narrowed her eyes, but something told her he knew she "
        "was being genuine, and the air between them seemed frozen as they went silent and stared. ") * 2


def test_voice_ids_resolve_to_the_engines_own(engine: Engine):
    assert engine.resolve("en-us") == "gmw/en-us"
    assert engine.resolve("en-us+f3") == "gmw/en-us+f3"
    assert engine.resolve("English (America)") == "gmw/en-us"
    assert "f3" in engine.variants() and "m3" in engine.variants()


@pytest.mark.parametrize("bad, message", [("elvish", "unknown voice 'elvish'"),
                                          ("en-us+nosuch", "unknown voice variant 'nosuch'")])
def test_unknown_voice_ids_are_refused(engine: Engine, bad: str, message: str):
    with pytest.raises(ValueError, match=message):
        engine.resolve(bad)


def test_every_job_gets_its_own_voice_even_when_voices_alternate(engine: Engine):
    """Alternating voices on long texts is where pyttsx3 silently writes no file."""
    low, high = Voice("gmw/en-us+m3", 170, 20), Voice("gmw/en-us+f3", 170, 80)
    pitches = []
    for i in range(6):
        audio = engine.render(SpeechJob(f"Line {i}. {LONG}", low if i % 2 else high))
        assert len(audio) > 5000
        pitches.append(fundamental_hz(audio))
    highs, lows = pitches[0::2], pitches[1::2]
    assert min(highs) > max(lows) * 1.3, pitches


def test_rate_changes_duration(engine: Engine):
    slow = engine.render(SpeechJob(LONG, Voice("gmw/en-us", rate=110)))
    fast = engine.render(SpeechJob(LONG, Voice("gmw/en-us", rate=260)))
    assert len(slow) > 1.6 * len(fast)


def test_volume_changes_level(engine: Engine):
    loud = engine.render(SpeechJob("Hello there, how are you today?", Voice("gmw/en-us", volume=1.0)))
    soft = engine.render(SpeechJob("Hello there, how are you today?", Voice("gmw/en-us", volume=0.3)))
    assert loud.dBFS - soft.dBFS > 6


def test_engine_output_stays_off_stdout(engine: Engine, capfd):
    engine.render(SpeechJob("Nothing should be printed.", Voice("gmw/en-us")))
    out, err = capfd.readouterr()
    assert "Audio saved" not in out + err


def test_same_job_same_key_and_different_voice_different_key():
    job = SpeechJob("Hey,", Voice("gmw/en-us+m3", 170, 32))
    assert job.key() == SpeechJob("Hey,", Voice("gmw/en-us+m3", 170, 32)).key()
    assert job.key() != SpeechJob("Hey,", Voice("gmw/en-us+m3", 171, 32)).key()


def test_phonemes_in_double_brackets_are_spoken_as_phonemes(engine: Engine):
    """Lexicon entries may be eSpeak phonemes: [[h@l'oU]] sounds like "hello", not like its letters."""
    voice = Voice("gmw/en-us")
    word = len(engine.render(SpeechJob("hello", voice)))
    phonemes = len(engine.render(SpeechJob("[[h@l'oU]]", voice)))
    assert abs(phonemes - word) < 0.2 * word
