"""Assembly: pauses by boundary, seams, loudness per voice, peak limiting, parts.

Most tests use made-up signals whose right answer is known; the seams and the
dialogue-tag pause are also measured on real speech from the engine.
"""
from __future__ import annotations

import numpy as np
import pytest

from audiobook.audio import loudness
from audiobook.audio.assembly import (CEILING_DBTP, SAMPLE_RATE, SILENCE_DBFS, VARIATION, Piece, assemble_chapter,
                                      from_array, pause_ms, prepare, split_at_pauses, to_array, trim)
from audiobook.audio.profiles import DEFAULT, PROFILES
from audiobook.casting import DEFAULT_PAUSES
from audiobook.model import ChapterAudio, Cue, SpeechJob, Voice
from audiobook.pipeline import _pieces_plan, make_script
from audiobook.text.sentences import split_clauses

RATE = SAMPLE_RATE


def tone(seconds: float, level_db: float = -20.0, hz: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return 10 ** (level_db / 20) * np.sqrt(2) * np.sin(2 * np.pi * hz * t)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE))


def window_db(x: np.ndarray) -> float:
    return loudness.rms_db(x)


# --------------------------------------------------------------------------- pauses

def test_every_boundary_has_a_pause_of_its_own():
    kinds = {
        "clause": pause_ms("clause", DEFAULT_PAUSES, 2000),
        "dialogue tag": pause_ms("dialogue_tag", DEFAULT_PAUSES, 2000, speaker_changed=True),
        "sentence": pause_ms("sentence", DEFAULT_PAUSES, 2000),
        "speaker change after a sentence": pause_ms("sentence", DEFAULT_PAUSES, 2000, speaker_changed=True),
        "paragraph": pause_ms("paragraph", DEFAULT_PAUSES, 2000),
        "paragraph and speaker": pause_ms("paragraph", DEFAULT_PAUSES, 2000, speaker_changed=True),
        "scene": pause_ms("scene_break", DEFAULT_PAUSES, 2000),
        "chapter title": pause_ms("chapter_title", DEFAULT_PAUSES, 2000),
    }
    assert len(set(kinds.values())) == len(kinds), kinds
    assert kinds["dialogue tag"] < kinds["clause"] < kinds["sentence"] < kinds["speaker change after a sentence"]
    assert kinds["speaker change after a sentence"] < kinds["paragraph"] < kinds["scene"]


def test_pauses_vary_a_little_with_what_came_before_and_never_at_random():
    after = [pause_ms("sentence", DEFAULT_PAUSES, ms) for ms in (500, 1500, 3000, 6000, 20000)]
    assert after == sorted(after) and len(set(after)) == len(after) - 1  # grows, then stays
    assert after[0] >= DEFAULT_PAUSES["sentence"]
    assert after[-1] <= DEFAULT_PAUSES["sentence"] * (1 + VARIATION) + 1
    assert pause_ms("paragraph", DEFAULT_PAUSES, 4321) == pause_ms("paragraph", DEFAULT_PAUSES, 4321)


@pytest.mark.parametrize("text, key", [("I was going to—", "dash"), ("I was going to --", "dash"),
                                       ("Well…", "ellipsis"), ("Well...”", "ellipsis")])
def test_a_line_ending_in_a_dash_or_ellipsis_keeps_its_pause(text, key):
    plain = pause_ms("dialogue_tag", DEFAULT_PAUSES, 1000, "I was going to.")
    marked = pause_ms("dialogue_tag", DEFAULT_PAUSES, 1000, text)
    assert plain < DEFAULT_PAUSES[key] <= marked


def test_dashes_and_ellipses_inside_a_line_cut_it_into_clauses():
    assert split_clauses("I was going to—well, no.") == ["I was going to—", "well, no."]
    assert split_clauses("Wait... what is it?") == ["Wait...", "what is it?"]
    assert split_clauses("A well-known fact, she said.") == ["A well-known fact, she said."]
    assert split_clauses("...and then") == ["...and then"]


def test_the_plan_names_each_boundary(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text('# One\n\nTom came in. "Is the oil in?" asked Tom.\n\n'
                     '"Every drop," said Martha. "I was going to—well, no."\n\n* * *\n\nNight fell.\n',
                     encoding="utf-8")
    voices = tmp_path / "voices.yaml"
    voices.write_text("characters:\n  Martha: {gender: female}\n  Tom: {gender: male}\n", encoding="utf-8")
    script = make_script(story, voices)
    plan = [(p.text, p.gap) for p in _pieces_plan(script.book.chapters[0])]
    assert plan == [("One", "none"), ("Tom came in.", "chapter_title"), ("Is the oil in?", "sentence"),
                    ("asked Tom.", "dialogue_tag"), ("Every drop,", "paragraph"), ("said Martha.", "dialogue_tag"),
                    ("I was going to—", "sentence"), ("well, no.", "clause"), ("Night fell.", "scene_break")]


def quiet_runs_ms(x: np.ndarray, threshold_db: float = -50.0, window_ms: int = 5) -> list[float]:
    """Lengths of the stretches quieter than `threshold_db` inside `x` (not at its ends)."""
    size = RATE * window_ms // 1000
    frames = x[:x.size // size * size].reshape(-1, size)
    quiet = 10 * np.log10(np.mean(frames ** 2, axis=1) + 1e-20) < threshold_db
    runs, run = [], 0
    for index, q in enumerate(quiet):
        if q:
            run += 1
        elif run:
            if index - run > 0:
                runs.append(run * window_ms)
            run = 0
    return runs


@pytest.mark.parametrize("voice", [Voice("gmw/en-us+f3", 172, 62), Voice("gmw/en-gb-x-rp", 165, 45),
                                   Voice("gmw/en-us", 220, 50)])
def test_dialogue_tag_pause_is_no_longer_than_the_engines_comma(engine, voice):
    """Measured alike on both: the silence the engine makes at a comma inside
    a line, and the silence assembly puts between a quote and its tag."""
    line = to_array(engine.render(SpeechJob("Yes, I know, she said.", voice)))
    comma = max(quiet_runs_ms(line))
    pieces = [Piece(engine.render(SpeechJob("Yes, I know,", voice)), "Jo", "Yes, I know,", "none"),
              Piece(engine.render(SpeechJob("she said.", voice)), "narrator", "she said.", "dialogue_tag")]
    chapter = assemble_chapter(1, "Test", pieces, DEFAULT_PAUSES)
    first, second = chapter.cues
    x = to_array(chapter.audio)
    seam = x[first.end_ms * RATE // 1000 - RATE // 10:second.start_ms * RATE // 1000 + RATE // 10]
    tag = max(quiet_runs_ms(seam))
    assert 0 < tag <= comma, (tag, comma)


# --------------------------------------------------------------------------- seams

def test_trim_removes_silence_but_never_low_sound():
    decay = tone(0.3, -20) * np.exp(-np.arange(int(0.3 * RATE)) / (0.05 * RATE))  # a final consonant dying away
    x = np.concatenate([silence(0.2), tone(0.5, -20), decay, silence(0.3)])
    kept = trim(x)
    assert kept.size < x.size - 0.4 * RATE  # the silences went
    # every sample louder than the silence threshold is still there
    loud = np.abs(x) > 10 ** ((SILENCE_DBFS + 3) / 20)
    assert np.count_nonzero(np.abs(kept) > 10 ** ((SILENCE_DBFS + 3) / 20)) == np.count_nonzero(loud)
    # and what is cut away is silence
    edge = RATE * 5 // 1000
    assert window_db(kept[:edge]) < SILENCE_DBFS and window_db(kept[-edge:]) < SILENCE_DBFS


def test_seams_fade_instead_of_cutting_into_speech():
    t = np.arange(int(0.6 * RATE)) / RATE
    x = np.concatenate([silence(0.05), 0.35 * np.cos(2 * np.pi * 220 * t), silence(0.05)])  # full level at once
    out = prepare(Piece(from_array(x), "narrator", "text"))
    jump = 0.35  # the raw signal's first step, from silence to full level
    onset = int(np.argmax(np.abs(out) > 1e-4))
    assert np.max(np.abs(np.diff(out[:onset + RATE // 500]))) < jump / 4
    assert abs(out[0]) < 1e-6 and abs(out[-1]) < 1e-6
    edge = RATE * 5 // 1000
    assert window_db(out[:edge]) < -40 and window_db(out[-edge:]) < -40


def test_real_speech_is_joined_without_cutting_into_it(engine):
    """Energy at every cut point of real speech: the first and last 5 ms of
    each piece as placed in the chapter are near silence."""
    voice = Voice("gmw/en-us+f3", 172, 62)
    texts = ["Yes.", "This is it, she said.", "Wait... what?", "Stop!", "He looked at the glass."]
    pieces = [Piece(engine.render(SpeechJob(t, voice)), "Jo", t, "sentence") for t in texts]
    chapter = assemble_chapter(1, "Test", pieces, DEFAULT_PAUSES)
    x = to_array(chapter.audio)
    edge = RATE * 5 // 1000
    for cue in chapter.cues:
        start, end = cue.start_ms * RATE // 1000, cue.end_ms * RATE // 1000
        assert window_db(x[start:start + edge]) < -45, cue
        assert window_db(x[end - edge:end]) < -45, cue
        assert window_db(x[start:end]) > -35, cue  # and the speech itself is there


# --------------------------------------------------------------------------- loudness

def test_limiter_holds_true_peaks_and_leaves_quiet_audio_alone():
    rng = np.random.default_rng(7)
    x = rng.normal(0, 0.05, RATE)
    x[RATE // 2] = 0.99
    limited = loudness.limit(x, -6.0, RATE)
    assert loudness.true_peak_db(limited) <= -6.0 + 1e-6
    assert np.count_nonzero(np.abs(limited - x) > 1e-12) < 0.1 * RATE  # only around the peak
    quiet = x * 0.2
    assert np.array_equal(loudness.limit(quiet, -6.0, RATE), quiet)


def test_each_voice_is_brought_to_one_loudness_and_keeps_its_own_variation():
    loud_voice = [tone(1.0, -12, 200), tone(1.0, -15, 200)]  # two sentences 3 dB apart
    soft_voice = [tone(1.0, -30, 300), tone(1.0, -33, 300)]
    gains = {}
    for name, sentences in (("loud", loud_voice), ("soft", soft_voice)):
        gains[name] = loudness.TARGET_LUFS - loudness.integrated_lufs(np.concatenate(sentences), RATE)
    pieces = [Piece(from_array(s), name, name, "sentence", gains[name])
              for name, group in (("loud", loud_voice), ("soft", soft_voice)) for s in group]
    chapter = assemble_chapter(1, "Test", pieces, DEFAULT_PAUSES)
    x = to_array(chapter.audio)
    levels = [loudness.rms_db(x[c.start_ms * RATE // 1000 + 800:c.end_ms * RATE // 1000 - 800])
              for c in chapter.cues]
    assert abs(levels[0] - levels[2]) < 0.5 and abs(levels[1] - levels[3]) < 0.5  # voices level
    assert 2.5 < levels[0] - levels[1] < 3.5 and 2.5 < levels[2] - levels[3] < 3.5  # variation kept
    assert loudness.true_peak_db(x) <= CEILING_DBTP + 1e-6


def test_a_quiet_chapter_is_moved_into_the_rms_window():
    piece = Piece(from_array(tone(3.0, -40)), "narrator", "quiet")
    chapter = assemble_chapter(1, "Quiet", [piece], DEFAULT_PAUSES)
    assert -22.6 <= loudness.rms_db(to_array(chapter.audio)) <= -18.4


def test_assembly_is_deterministic_and_uses_the_profiles_room_tone():
    pieces = [Piece(from_array(np.concatenate([silence(0.1), tone(0.8, -20), silence(0.2)])), "n", "a", "sentence"),
              Piece(from_array(tone(0.5, -22)), "m", "b", "sentence", 1.5)]
    first = assemble_chapter(1, "T", pieces, DEFAULT_PAUSES, PROFILES["acx"])
    second = assemble_chapter(1, "T", pieces, DEFAULT_PAUSES, PROFILES["acx"])
    assert first.audio.raw_data == second.audio.raw_data and first.cues == second.cues
    assert first.cues[0].start_ms == PROFILES["acx"].head_ms
    assert len(first.audio) - first.cues[-1].end_ms == PROFILES["acx"].tail_ms


# --------------------------------------------------------------------------- parts

def test_a_long_chapter_is_split_into_parts_in_its_longest_pauses():
    speech, cues, at = [silence(0.7)], [], 700
    lengths = [900, 1200, 800, 1500, 700, 1000, 1100, 900]
    pauses = [300, 300, 1500, 300, 300, 300, 1400, 300]
    for number, (length, pause) in enumerate(zip(lengths, pauses)):
        speech.append(tone(length / 1000, -20))
        cues.append(Cue(at, at + length, "narrator", f"line {number}"))
        speech.append(silence(pause / 1000))
        at += length + pause
    audio = from_array(np.concatenate(speech))
    chapter = ChapterAudio(3, "Long", audio, cues)
    parts = split_at_pauses(chapter, max_ms=11_000, head_ms=700, tail_ms=2000)
    assert len(parts) == 2
    assert [p.title for p in parts] == ["Long (part 1 of 2)", "Long (part 2 of 2)"]
    assert all(len(p.audio) <= 11_000 for p in parts)
    assert [c.text for p in parts for c in p.cues] == [c.text for c in cues]
    assert parts[1].cues[0].text == "line 3"  # after the longest pause near the middle
    for part in parts:
        assert part.cues[0].start_ms == 700 and len(part.audio) - part.cues[-1].end_ms == 2000
        x = to_array(part.audio)
        for cue in part.cues:  # the speech moved with its cues
            assert loudness.rms_db(x[cue.start_ms * RATE // 1000 + 50:cue.end_ms * RATE // 1000 - 50]) > -21
    assert split_at_pauses(chapter, max_ms=60_000, head_ms=700, tail_ms=2000) == [chapter]
    many = split_at_pauses(chapter, max_ms=6000, head_ms=700, tail_ms=2000)
    assert len(many) > 2 and all(len(p.audio) <= 6000 for p in many)
    assert [c.text for p in many for c in p.cues] == [c.text for c in cues]


def test_the_default_profile_never_splits():
    chapter = ChapterAudio(1, "T", from_array(tone(1.0)), [Cue(0, 1000, "n", "x")])
    from audiobook.audio.assembly import split_parts

    assert split_parts(chapter, DEFAULT) == [chapter]
    assert split_parts(chapter, PROFILES["acx"]) == [chapter]
