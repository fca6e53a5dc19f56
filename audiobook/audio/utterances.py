"""What eSpeak is given for a job's text: only words to speak, in bounded pieces.

The text reaching the engine has already been normalised, and its only
markup is lexicon phonemes in ``[[...]]``.  This is the last line of defence
before libespeak-ng, which obeys its embedded commands (``\\x01`` ...) and
crashes on an utterance of some 20 KB:

* every control character (``\\x01``, escape, tabs, line breaks, C1 codes)
  becomes a space, and unpaired surrogates are dropped, so nothing in the
  text can act as a command;
* only balanced ``[[...]]`` groups stay phonemes; any other run of two or
  more brackets is reduced to one, so an unclosed ``[[`` cannot turn the
  rest of the text into phoneme codes;
* text longer than `MAX_CHARS` is split into pieces no longer than that:
  after a clause's punctuation if one ends in the second half of the piece,
  else at a space (a phoneme group split at a space is closed and reopened),
  else, for an unbroken run of letters, at the bound itself.

All of it is a pure function of the text, so equal jobs give equal pieces.
"""
from __future__ import annotations

import bisect
import re

MAX_CHARS = 2000  # at most 8 KB of UTF-8, far below the size that crashes libespeak-ng

_GROUP = re.compile(r"\[\[([^\[\]]*)\]\]")
_BRACKETS = re.compile(r"\[{2,}|\]{2,}")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode's control characters (category Cc), all of them
_SURROGATE = re.compile("[\ud800-\udfff]")  # unpaired halves: not encodable as UTF-8
_CLAUSE_END = re.compile(r"[.!?;:,\u2026\u2014\u3002\uff0c\uff1f\uff01](?=\s)")


def speakable(text: str) -> str:
    """`text` with every control character a space, and ``[[`` only in balanced groups."""
    cleaned = _CONTROL.sub(" ", _SURROGATE.sub("", text))
    out, last = [], 0
    for match in _GROUP.finditer(cleaned):
        out.append(_BRACKETS.sub(lambda m: m.group()[0], cleaned[last:match.start()]))
        inner = _SPACES.sub(" ", match.group(1)).strip()
        out.append(f"[[{inner}]]" if inner else " ")  # a space: joined, the brackets around could pair
        last = match.end()
    out.append(_BRACKETS.sub(lambda m: m.group()[0], cleaned[last:]))
    return _SPACES.sub(" ", "".join(out)).strip()


def pieces(text: str, limit: int = MAX_CHARS) -> list[str]:
    """`text` made speakable and split into pieces of at most `limit` characters."""
    text = speakable(text)
    if len(text) <= limit:
        return [text] if text else []
    groups = [m.span() for m in _GROUP.finditer(text)]
    starts = [start for start, _end in groups]
    spans: list[tuple[int, int]] = []
    begin = 0
    room = limit - 4  # for closing and reopening a phoneme group
    while len(text) - begin > room:
        cut = _cut(text, begin, room, groups, starts)
        spans.append((begin, cut))
        begin = cut
        while begin < len(text) and text[begin] == " ":
            begin += 1
    spans.append((begin, len(text)))
    return [_balanced(text, start, end, groups, starts) for start, end in spans if end > start]


def _cut(text: str, begin: int, limit: int, groups: list, starts: list) -> int:
    """Where the piece starting at `begin` ends: after a clause in its second half, else at its
    last space, else at `limit` characters; never inside a phoneme group's brackets, and inside a
    group only when the group is longer than a piece (then between its phonemes)."""
    window = text[begin:begin + limit + 1]
    clause = [m.end() for m in _CLAUSE_END.finditer(window, limit // 2)]
    space = window.rfind(" ", 1)
    cut = begin + (clause[-1] if clause else space if space > 0 else limit)
    i = bisect.bisect_right(starts, cut) - 1
    if i >= 0 and groups[i][0] < cut < groups[i][1]:
        opened, closed = groups[i]
        if opened > begin:
            return opened  # the group goes whole into the next piece
        cut = max(cut, opened + 3)
        if cut > closed - 3:
            cut = closed
    return cut


def _balanced(text: str, start: int, end: int, groups: list, starts: list) -> str:
    """text[start:end] with a phoneme group cut at either end closed or reopened."""
    part = text[start:end].strip()
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and groups[i][0] < start < groups[i][1]:  # begins inside a group
        part = "[[" + part.lstrip("[")
    j = bisect.bisect_right(starts, end) - 1
    if j >= 0 and groups[j][0] < end < groups[j][1]:  # ends inside a group
        part = part.rstrip("]") + "]]"
    return part
