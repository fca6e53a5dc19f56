"""Errors a user can cause and fix.  The CLI prints them as one line and exits 2."""
from __future__ import annotations

from typing import Optional


class UserError(Exception):
    """Bad input: a missing or malformed story, cast or option.

    Rendered as ``FILE:LINE: message`` (or ``FILE: message`` without a line).
    """

    def __init__(self, message: str, path: Optional[str] = None, line: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class EngineError(Exception):
    """The speech engine or the audio tools failed (not the user's input)."""
