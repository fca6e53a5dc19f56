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


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Builds under test keep their speech cache in a folder of their own, not the user's."""
    import os

    folder = tmp_path_factory.mktemp("xdg-cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous
