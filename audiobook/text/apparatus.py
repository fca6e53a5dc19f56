"""What a printed book sets around its story that is not read aloud.

A plain-text book often keeps the apparatus of the printed one: a table of
contents (marked by a "Contents" line, or only by the page numbers that end
its entries), a list of illustrations, and markers where the pictures stood
(``[Illustration: "They all drew to the fire"]``).  This module finds them
among the reader's blocks and lists them as unread, so a listener hears the
story, not its page numbers, and a picture's caption is never taken for a
line of dialogue.
"""
from __future__ import annotations

import re
from typing import Optional

from audiobook.model import Unread
from audiobook.text.headings import entry_key, is_contents_marker, is_title_line, looks_like_heading, parse_heading
from audiobook.text.layout import Line

_CONTENTS_SCAN_LINES = 400
#: A page number ending a contents or list entry: after a run of spaces, a tab or leader dots.
_PAGE_NUMBER = re.compile(r"(?:\s{2,}|\t|\s*\.{2,}\s*)(?:\d+|[ivxlc]+)$")
_PAGE_NUMBER_ENDS = frozenset("0123456789ivxlc")
#: How far from a line's end a page number and what sets it apart may start.
_PAGE_NUMBER_REACH = 40
#: A picture's place: ``[Illustration]``, ``[Illustration: caption]`` (over several lines too),
#: or a Markdown image standing alone.
_PICTURE = re.compile(r"\[\s*(?:illustration|picture|image|frontispiece|plate)\b[^\]]*\]|!\[[^\]]*\]\([^)]*\)",
                      re.IGNORECASE | re.DOTALL)
#: Entries with page numbers that make a block run a list, not text.
LIST_ENTRIES = 5
#: The most words of a line inside such a list that has no page number (`Part Second.`, `CHAPTER  PAGE`).
_LIST_HEADER_WORDS = 4
#: How many such lines right before a list's first entry belong to it.
_LIST_LEAD = 2


def drop_apparatus(blocks: list[list[Line]], unread: list[Unread], source: str) -> list[list[Line]]:
    """The blocks without picture markers, a marked table of contents, and
    unmarked lists of entries ending in page numbers; each is listed in `unread`."""
    kept = []
    for block in blocks:
        if _PICTURE.fullmatch(" ".join(line.text for line in block)):
            unread.append(Unread(source, block[0].start, block[-1].end, "illustration"))
        else:
            kept.append(block)
    kept = _drop_illustration_lists(_drop_contents(kept, unread, source), unread, source)
    return _drop_page_lists(kept, unread, source)


# --------------------------------------------------------------------------- marked contents

def _drop_contents(blocks: list[list[Line]], unread: list[Unread], source: str) -> list[list[Line]]:
    """The blocks without a table of contents: a "Contents" line and the
    entries after it, up to the heading the first entry names (or, failing
    that, up to the last heading before the first prose)."""
    marker = next((i for i, b in enumerate(blocks)
                   if len(b) == 1 and is_contents_marker(b[0].text)), None)
    if marker is None:
        return blocks
    end = _contents_end(blocks, marker + 1)
    if end > marker:
        unread.append(Unread(source, blocks[marker][0].start, blocks[end - 1][-1].end, "table of contents"))
    return blocks[:marker] + blocks[end:]


def _contents_end(blocks: list[list[Line]], first: int) -> int:
    """The index of the first block after the contents entries that start at `first`."""
    first_key: Optional[str] = None
    last_heading = first
    scanned = 0
    for index in range(first, len(blocks)):
        if _ILLUSTRATIONS.fullmatch(blocks[index][0].text.strip()):
            return index  # a list of illustrations follows the contents: dropped on its own
        for position, line in enumerate(blocks[index]):
            entry = _PAGE_NUMBER.sub("", line.text) or line.text
            if first_key is not None and entry_key(entry) == first_key and position == 0:
                return index
            entry_line = (parse_heading(entry, True) is not None or is_title_line(entry) or looks_like_heading(entry)
                          or entry != line.text)  # whatever its words, a line ending in a page number is an entry
            if not entry_line and not (position and parse_heading(blocks[index][0].text, True)):
                return last_heading if last_heading > first else index  # (a heading's entry may wrap over lines)
            first_key = first_key or entry_key(entry)
            scanned += 1
        if parse_heading(blocks[index][0].text, len(blocks[index]) == 1):
            last_heading = index
        if scanned > _CONTENTS_SCAN_LINES:
            break
    return first


# --------------------------------------------------------------------------- list of illustrations

#: What heads a list of the pictures: `ILLUSTRATIONS`, `List of Illustrations`.
_ILLUSTRATIONS = re.compile(r"(?:(?:list|table)\s+of\s+)?(?:illustrations|plates)\s*[.:]?", re.IGNORECASE)
#: The most words of a caption in such a list.
_CAPTION_WORDS = 12


def _drop_illustration_lists(blocks: list[list[Line]], unread: list[Unread], source: str) -> list[list[Line]]:
    """The blocks without a list of illustrations: a line heading it and the
    captions after it, one short line each, up to the first heading or the
    first block that is not such a line."""
    kept: list[list[Line]] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if not (len(block) == 1 and _ILLUSTRATIONS.fullmatch(block[0].text.strip())):
            kept.append(block)
            index += 1
            continue
        end = index + 1
        while end < len(blocks) and len(blocks[end]) == 1 and len(blocks[end][0].text.split()) <= _CAPTION_WORDS \
                and parse_heading(blocks[end][0].text, True) is None:
            end += 1
        unread.append(Unread(source, block[0].start, blocks[end - 1][-1].end, "list of illustrations"))
        index = end
    return kept


# --------------------------------------------------------------------------- page lists

def _ends_in_page_number(text: str) -> bool:
    """True when a line ends in a page number set apart (`Gossip ....... 293`, `Gossip   xxiv`)."""
    if not text or text[-1] not in _PAGE_NUMBER_ENDS:  # most lines: no need to search them
        return False
    return _PAGE_NUMBER.search(text, max(0, len(text) - _PAGE_NUMBER_REACH)) is not None


def _kind(block: list[Line]) -> str:
    """"entry" for a block of lines ending in page numbers, "header" for a
    short line that may head or divide such a list, else "text"."""
    if all(_ends_in_page_number(line.text) and len(line.text.split()) > 1 for line in block):
        return "entry"
    if len(block) == 1 and len(block[0].text.split()) <= _LIST_HEADER_WORDS:
        return "header"
    return "text"


def _drop_page_lists(blocks: list[list[Line]], unread: list[Unread], source: str) -> list[list[Line]]:
    """The blocks without runs of `LIST_ENTRIES` or more entries ending in
    page numbers (a table of contents or a list of illustrations with no
    "Contents" line), together with the short headers among them and up to
    `_LIST_LEAD` right before the first entry."""
    kinds = [_kind(block) for block in blocks]
    drop = [False] * len(blocks)
    index = 0
    while index < len(blocks):
        if kinds[index] != "entry":
            index += 1
            continue
        end, last_entry, entries = index, index, 0
        while end < len(blocks) and kinds[end] != "text":
            if kinds[end] == "entry":
                last_entry, entries = end, entries + 1
            end += 1
        if entries >= LIST_ENTRIES:
            first = index
            while first > 0 and index - first < _LIST_LEAD and kinds[first - 1] == "header" and not drop[first - 1]:
                first -= 1
            for position in range(first, last_entry + 1):
                drop[position] = True
            unread.append(Unread(source, blocks[first][0].start, blocks[last_entry][-1].end, "table of contents"))
        index = last_entry + 1
    return [block for block, dropped in zip(blocks, drop) if not dropped]
