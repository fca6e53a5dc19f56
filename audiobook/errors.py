"""Errors a user can cause and fix (the CLI prints them as one line and exits 2), failures while
working (exit 1), and the signal that stops the work (130 for Ctrl-C, 143 for SIGTERM)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional


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


#: A stop signal that came while a step that must not be cut in two was running (`whole`), and how deep.
_HELD = {"depth": 0, "signum": None}


@contextmanager
def whole() -> Iterator[None]:
    """While the block runs, a stop signal waits (`stop`): a file moved into
    place is recorded before the work unwinds, so what is kept is what is said
    to be kept.  The signal takes effect as soon as the block is done."""
    _HELD["depth"] += 1
    try:
        yield
    finally:
        _HELD["depth"] -= 1
        held = _HELD["signum"] if _HELD["depth"] == 0 else None
        if held is not None:  # taken now, even when the block failed: the failure stops the work already
            _HELD["signum"] = None
    if held is not None:
        raise Interrupted(held)


def stop(signum: int) -> None:
    """Stop the work for a signal: raise `Interrupted` now, or once the step
    under way (`whole`) is done."""
    if _HELD["depth"]:
        _HELD["signum"] = signum
        return
    raise Interrupted(signum)
