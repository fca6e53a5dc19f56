"""What comes before (and after) the story proper: a YAML front-matter block
and a Project Gutenberg header and licence footer.

Both work on the story's lines (``text.split("\\n")``) and say which lines the
story proper occupies, so the reader keeps its offsets into the original text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional


from audiobook import safeyaml
from audiobook.errors import UserError

BOOK_KEYS = ("title", "author", "year", "cover", "language", "description", "series", "series_index")
_FENCE = "---"
_FENCE_END = ("---", "...")
_MAX_FRONT_MATTER_LINES = 100
_GUTENBERG_START = re.compile(r"\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
_GUTENBERG_END = re.compile(
    r"\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG|End of (?:the )?Project Gutenberg", re.IGNORECASE)
_GUTENBERG_FIELD = re.compile(r"(?P<key>Title|Author):\s*(?P<value>\S.*)")


@dataclass
class Preamble:
    """Where the story proper lies (lines `first` up to `last`, 0-based, `last`
    exclusive) and the book metadata found around it."""

    first: int
    last: int
    meta: dict[str, str] = field(default_factory=dict)


def split_preamble(lines: list[str], path: Path) -> Preamble:
    """Locate the story proper in `lines`, skipping front matter and a Gutenberg
    header and footer.  Raises UserError for a malformed front-matter block."""
    meta, first = _front_matter(lines, path)
    start, end, gutenberg = _gutenberg_bounds(lines, first)
    return Preamble(max(first, start), end, {**gutenberg, **meta})


def _front_matter(lines: list[str], path: Path) -> tuple[dict[str, str], int]:
    """Book metadata from a ``---`` YAML block opening the file, and the index
    of the first line after it (0 when there is none)."""
    if not lines or lines[0].lstrip("\ufeff").strip() != _FENCE:
        return {}, 0
    closing = next((i for i in range(1, min(len(lines), _MAX_FRONT_MATTER_LINES))
                    if lines[i].strip() in _FENCE_END), None)
    if closing is None:
        raise UserError("front matter opened with `---` is never closed by a `---` line",
                        str(path), 1)
    data = _parse_yaml("\n".join(lines[1:closing]), path)
    return _book_fields(data, lines, path), closing + 1


def _parse_yaml(block: str, path: Path) -> dict:
    """The front-matter block as a mapping; UserError with the file line if it is not one."""
    try:
        data = safeyaml.load(block, path, first_line=2)
    except UserError as error:
        raise UserError(f"malformed front matter: {error.message}", str(path), error.line or 2) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError("front matter must be `key: value` lines", str(path), 2)
    return data


def _book_fields(data: dict, lines: list[str], path: Path) -> dict[str, str]:
    """The title/author/year/cover entries as strings; a cover path is resolved
    against the story's folder and must exist."""
    meta: dict[str, str] = {}
    for key in BOOK_KEYS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            raise UserError(f"front matter `{key}` must be a single value", str(path),
                            _key_line(lines, key))
        meta[key] = str(value).strip()
    if "cover" in meta:
        cover = path.parent / meta["cover"]
        if not cover.is_file():
            raise UserError(f"cover image not found: {meta['cover']}", str(path),
                            _key_line(lines, "cover"))
        meta["cover"] = str(cover)
    return meta


def _key_line(lines: list[str], key: str) -> Optional[int]:
    """The 1-based line on which front-matter `key` is set."""
    pattern = re.compile(rf"\s*{key}\s*:")
    return next((i + 1 for i, line in enumerate(lines) if pattern.match(line)), None)


def _gutenberg_bounds(lines: list[str], first: int) -> tuple[int, int, dict[str, str]]:
    """The lines between a Project Gutenberg START and END marker, and the
    Title/Author fields of its header.  Without markers: all lines from `first`."""
    start = next((i for i in range(first, len(lines)) if _GUTENBERG_START.match(lines[i].strip())),
                 None)
    meta: dict[str, str] = {}
    if start is not None:
        for line in lines[first:start]:
            found = _GUTENBERG_FIELD.match(line.strip())
            if found and found.group("key").lower() not in meta:
                meta[found.group("key").lower()] = found.group("value").strip()
        first = start + 1
    end = next((i for i in range(first, len(lines)) if _GUTENBERG_END.match(lines[i].strip())),
               len(lines))
    return first, end, meta
