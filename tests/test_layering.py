"""The pipeline's layering: text stages import nothing from audio, audio stages know nothing of parsing."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "audiobook"
AUDIO = ("audiobook.audio", "pydub", "pyttsx3", "mutagen", "imageio_ffmpeg", "espeakng_loader")
TEXT = ("audiobook.text", "audiobook.attribution", "audiobook.casting", "audiobook.corrections", "yaml")


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def offending(folder: str, banned: tuple[str, ...]) -> list[str]:
    return [f"{path.name}: {name}" for path in sorted((PACKAGE / folder).glob("*.py"))
            for name in imports(path) if name.startswith(banned)]


@pytest.mark.parametrize("folder", ["text", "text/normalise", "attribution"])
def test_text_stages_import_nothing_from_audio(folder):
    assert offending(folder, AUDIO) == []


def test_audio_stages_know_nothing_of_parsing():
    assert offending("audio", TEXT) == []


def test_casting_imports_no_audio():
    assert [name for name in imports(PACKAGE / "casting.py") if name.startswith(AUDIO)] == []


def test_the_import_scan_sees_imports():
    """Guards the tests above against passing vacuously."""
    assert offending("audio", ("audiobook.model",)) and offending("text", ("audiobook.model",))
