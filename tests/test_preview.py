"""Previews with the real engine: a character's lines, or any text in any voice."""
from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.errors import UserError
from audiobook.preview import preview_character, preview_voice
from tests.acoustics import decode, fundamental_hz

DATA = Path(__file__).parent / "data" / "casting"
STORY = DATA / "short.txt"


def test_a_voice_preview_is_a_short_mp3_in_that_voice(tmp_path, engine):
    low = decode(preview_voice("Are you faking? I think you are.", "en-us+m3", pitch=20, out=tmp_path,
                               engine=engine))
    high_path = preview_voice("Are you faking? I think you are.", "en-us+f3", pitch=80, out=tmp_path, engine=engine)
    assert high_path == tmp_path / "preview" / "voice-en-us-f3.mp3"
    high = decode(high_path)
    assert 800 < len(low) < 8000 and 800 < len(high) < 8000
    assert fundamental_hz(high) > 1.3 * fundamental_hz(low)


def test_a_character_preview_holds_their_lines_and_takes_overrides(tmp_path, engine):
    slow = decode(preview_character(STORY, "jo", lines=1, out=tmp_path / "a", rate=100, engine=engine))
    fast_path = preview_character(STORY, "Jo", lines=1, out=tmp_path / "b", rate=300, engine=engine)
    assert fast_path.name == "short-jo-wilson.mp3"
    assert len(slow) > len(decode(fast_path)) > 1000


def test_an_unknown_character_gets_a_suggestion_and_nothing_is_written(tmp_path):
    with pytest.raises(UserError, match="did you mean 'Jo Wilson'"):
        preview_character(STORY, "Jo Wilsen", out=tmp_path)
    assert not (tmp_path / "preview").exists()


def test_an_unknown_voice_is_refused(tmp_path, engine):
    with pytest.raises(UserError, match="unknown voice 'elvish'"):
        preview_voice("Hello.", "elvish", out=tmp_path, engine=engine)
    assert not (tmp_path / "preview").exists()
