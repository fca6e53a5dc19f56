"""Writing files into an output folder so that no reader ever sees half a file.

Every file is written under a temporary name in the same folder and renamed
into place only once complete; the writer remembers what it wrote.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

Progress = Callable[[str], None]


class FolderWriter:
    """Writes files into one folder atomically and remembers what it wrote."""

    def __init__(self, out_dir: Path, progress: Optional[Progress]):
        out_dir.mkdir(parents=True, exist_ok=True)
        self.out_dir = out_dir
        self.progress = progress
        self.written: list[Path] = []

    @contextmanager
    def staged(self, name: str) -> Iterator[Path]:
        """Yield a temporary path for `name`; move it into place if the block succeeds.

        On any failure the temporary file is removed and the final name keeps
        whatever it held before.
        """
        final = self.out_dir / name
        partial = self.out_dir / f".{name}.partial"
        try:
            yield partial
            os.replace(partial, final)
        finally:
            partial.unlink(missing_ok=True)
        self.written.append(final)
        if self.progress:
            self.progress(f"wrote {final}")

    def text(self, name: str, content: str) -> None:
        """Write a UTF-8 text file atomically."""
        with self.staged(name) as partial:
            partial.write_text(content, encoding="utf-8", newline="\n")
