"""Errors a user can cause and fix (the CLI prints them as one line and exits 2), failures while
working (exit 1), and the signal that stops the work (130 for Ctrl-C, 143 for SIGTERM)."""
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


class Interrupted(BaseException):
    """The process was asked to stop while working: Ctrl-C (SIGINT), SIGTERM or SIGHUP.

    A `BaseException`, like `KeyboardInterrupt`, so that no ``except
    Exception`` on the way out swallows it: every ``finally`` and context
    manager runs, which is what removes staged files.  `kept` lists the
    finished files left in place, when the interrupted work knows them (a
    build does); None when it wrote nothing.
    """

    def __init__(self, signum: int, kept: Optional[list] = None):
        super().__init__(signum)
        self.signum = signum
        self.kept = kept
