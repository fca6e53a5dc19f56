"""Shared fixtures: the repository's sample story and one real speech engine."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_STORY = ROOT / "stories" / "princess.txt"
SAMPLE_VOICES = ROOT / "voices.yaml"


@pytest.fixture(scope="session")
def engine():
    """The real pyttsx3/eSpeak NG engine, started once for the session."""
    from audiobook.audio.synthesis import Engine

    with Engine() as real_engine:
        yield real_engine


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    from audiobook.audio.runtime import prepare_audio

    return prepare_audio()
