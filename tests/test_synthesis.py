"""The synthesis stage against the real engine (pyttsx3 on eSpeak NG)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.audio import utterances
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


# --------------------------------------------------------------- the text is spoken, never obeyed

def test_embedded_commands_in_the_text_are_not_obeyed(engine: Engine):
    """\\x010A would silence the rest, \\x01 with many nines and H would echo it for minutes."""
    voice = Voice("gmw/en-us")
    plain = engine.render(SpeechJob("Hello there, how are you today?", voice))
    silenced = engine.render(SpeechJob("Hello there,\x010A how are you today?", voice))
    echoed = engine.render(SpeechJob("Hello there, \x01" + "9" * 5000 + "H how are you today?", voice))
    spoken = engine.render(SpeechJob("Hello there, 0A how are you today?", voice))
    assert silenced.raw_data == spoken.raw_data  # the command's characters are read as text
    assert len(silenced) > len(plain)
    assert silenced[len(silenced) // 2:].dBFS > plain.dBFS - 6  # the rest is not silenced
    nines = engine.render(SpeechJob("Hello there, " + "9" * 5000 + "H how are you today?", voice))
    assert echoed.raw_data == nines.raw_data  # no echo of 93 seconds: the digits are read


def test_an_unclosed_double_bracket_does_not_turn_the_rest_into_phonemes(engine: Engine):
    voice = Voice("gmw/en-us")
    words = engine.render(SpeechJob("Tom said citation needed and went home to sleep.", voice))
    unclosed = engine.render(SpeechJob("Tom said [[citation needed and went home to sleep.", voice))
    assert abs(len(unclosed) - len(words)) < 0.15 * len(words)


def test_engine_text_keeps_balanced_phonemes_and_nothing_that_commands():
    assert utterances.speakable("a\x01" + "80S b\x1b[31m c\td\n") == "a 80S b [31m c d"
    assert utterances.speakable("say [[h@l'oU]] now") == "say [[h@l'oU]] now"
    assert utterances.speakable("[[citation needed") == "[citation needed"
    assert utterances.speakable("x [[[a]]] y ]] z [[ [[b]]") == "x [[[a]]] y ] z [ [[b]]"
    assert utterances.speakable("lone \ud800 surrogate") == "lone surrogate"


@pytest.mark.parametrize("text", [
    ("word " * 7000),  # 35 KB, no punctuation
    ("Это обычный абзац, в котором нет заглавных букв после точки. " * 500),
    ("x" * 30000),  # no space at all
    ("see [[" + "h@l'oU " * 5000 + "]] and " * 3),  # a huge phoneme group
])
def test_long_text_is_cut_into_bounded_pieces_that_keep_every_word(text: str):
    pieces = utterances.pieces(text)
    assert len(pieces) > 1
    assert all(0 < len(p) <= utterances.MAX_CHARS for p in pieces)
    assert all(p.count("[[") == p.count("]]") for p in pieces)
    strip = lambda s: s.replace("[[", " ").replace("]]", " ").split()  # noqa: E731
    assert "".join(w for p in pieces for w in strip(p)) == "".join(strip(utterances.speakable(text)))


def test_thirty_kilobytes_in_one_job_are_spoken_without_crashing_the_engine(engine: Engine):
    text = "and then she walked on without a word " * 800  # 30 KB, one clause
    audio = engine.render(SpeechJob(text, Voice("gmw/en-us", rate=450)))
    words_per_minute = len(text.split()) / (len(audio) / 60000)
    assert 150 < words_per_minute < 600, words_per_minute


# --------------------------------------------------------------- determinism and batches

def test_render_many_gives_each_job_what_rendering_it_alone_gives(engine: Engine):
    voice = Voice("gmw/en-us+f3", 172, 62)
    jobs = [SpeechJob(t, voice) for t in ("Hey,", "You okay?", "Are you faking?", LONG)]
    together = engine.render_many(jobs)
    alone = [engine.render(job) for job in reversed(jobs)][::-1]
    assert [a.raw_data for a in together] == [a.raw_data for a in alone]
    assert all(len(a) > 300 for a in together)


_SAMPLE_LINES = """
import hashlib, json, sys
from audiobook.audio import utterances
from audiobook.audio.synthesis import Engine
from audiobook.model import SpeechJob, Voice
lines = json.loads(sys.argv[1])
engine = Engine()
if sys.argv[2] == "reversed":  # another history before each line: other voices, other lengths
    engine.render(SpeechJob("Something else first, in another voice entirely.", Voice("gmw/en-us+klatt")))
    lines = lines[::-1]
out = {}
for text, voice in lines:
    out[text + voice[0]] = hashlib.sha256(engine.render(SpeechJob(text, Voice(*voice))).raw_data).hexdigest()
print(json.dumps([engine.deterministic, out]))
"""


def test_same_job_gives_the_same_samples_in_two_fresh_processes():
    """Breathy variants (Jo's +f3) and Klatt voices draw random numbers and carry state
    from one utterance to the next: pinned, each line is the same in any process and order."""
    import json
    import subprocess
    import sys

    from tests.conftest import ROOT

    jo, alex, other = ["gmw/en-us+f3", 172, 62], ["gmw/en-us+m3", 170, 32], ["gmw/en-us+klatt4", 160, 50]
    lines = [("\"Hey,\" he started.", alex), ("Joke's on you.", jo), ("You'll be fine.", jo),
             ("I'm not faking, Alex.", jo), ("There're other programs.", other), ("Sure.", jo)]
    runs = [subprocess.run([sys.executable, "-c", _SAMPLE_LINES, json.dumps(lines), order], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, check=True)
            for order in ("forward", "reversed")]
    (det1, first), (det2, second) = (json.loads(r.stdout) for r in runs)
    assert det1 and det2
    assert first == second
    assert len(set(first.values())) == len(lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab é[]\x01\x1b\n\t.,;") + ["[[", "]]", "Жж", "\u0301", "word "]),
                max_size=200).map("".join),
       st.integers(min_value=12, max_value=60))
def test_pieces_of_any_text_are_bounded_clean_and_keep_every_word(text: str, limit: int):
    pieces = utterances.pieces(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert not any(c in p for p in pieces for c in "\x01\x1b\n\t")
    for piece in pieces:  # phonemes only in balanced groups: every [[ is closed before the next opens
        depth = 0
        for token in re.findall(r"\[\[|\]\]", piece):
            depth += 1 if token == "[[" else -1
            assert depth in (0, 1), piece
        assert depth == 0, piece
    letters = lambda s: re.sub(r"[\s\[\]]", "", s)  # noqa: E731
    assert letters("".join(pieces)) == letters(utterances.speakable(text))


def test_a_job_with_nothing_to_say_gives_empty_audio(engine: Engine):
    assert len(engine.render(SpeechJob("\x01\x02 \n\t", Voice("gmw/en-us")))) == 0


def test_another_pyttsx3_driver_in_the_process_changes_nothing(engine: Engine):
    """pyttsx3.init() without a driver name builds a second eSpeak driver, which takes the
    synthesis callback and selects its own voice: the engine must still speak as asked."""
    import pyttsx3

    job = SpeechJob("You'll be fine.", Voice("gmw/en-us+f3", 172, 62))
    before = engine.render(job).raw_data
    other = pyttsx3.init()
    try:
        assert engine.render(job).raw_data == before
    finally:
        del other
