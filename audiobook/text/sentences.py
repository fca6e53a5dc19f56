"""Splitting text into sentences, for pacing and subtitles."""
from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms messrs dr st sr jr prof capt col gen lt sgt rev hon mt no vs etc e.g i.e".split()
)
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([A-Za-z.]+)[.]$")


def split_sentences(text: str) -> list[str]:
    """`text` cut after each sentence end that is followed by a capitalised word.

    The pieces, stripped, joined with single spaces give back the words of
    `text`; a full stop after a title (``Mr.``, ``Dr.``) or an initial does
    not end a sentence.
    """
    pieces, start = [], 0
    for match in _END.finditer(text):
        end = match.end()
        word = _LAST_WORD.search(text, start, match.start() + 1)
        if word and _is_abbreviation(word.group(1)):
            continue
        pieces.append(text[start:end].strip())
        start = end
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


_CLAUSE_END = re.compile(r"(?:—|\s–|--|…|\.\.\.)[”’)\]]*\s*(?=\S*[^\W_])")


def split_clauses(sentence: str) -> list[str]:
    """`sentence` cut after each dash (em dash, spaced en dash, ``--``) or
    ellipsis inside it that more words follow, so each can get a pause of its
    own; the pieces joined with single spaces give back its words."""
    pieces, start = [], 0
    for match in _CLAUSE_END.finditer(sentence):
        if not re.search(r"[^\W_]", sentence[start:match.start()]):
            continue  # nothing said yet: "...and then"
        pieces.append(sentence[start:match.end()].strip())
        start = match.end()
    pieces.append(sentence[start:].strip())
    return [piece for piece in pieces if piece]


def ends_sentence(text: str) -> bool:
    """Whether `text` closes with sentence-final punctuation."""
    return bool(re.search(r"[.!?…][\"'”’)\]]*\s*$", text))


def starts_sentence(text: str) -> bool:
    """Whether `text` opens like a sentence: its first letter or digit is a capital or a number."""
    first = re.search(r"[^\W_]", text)
    return bool(first) and (first.group(0).isupper() or first.group(0).isdigit())


def _is_abbreviation(word: str) -> bool:
    bare = word.rstrip(".").lower()
    return bare in ABBREVIATIONS or (len(bare) == 1 and bare.isalpha())
