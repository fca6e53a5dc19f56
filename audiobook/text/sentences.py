"""Splitting text into sentences, for pacing and subtitles, and cutting any
utterance down to a length the speech engine can take.

Sentences end at ``. ! ? …`` (and the full stops of other scripts: ``。！？``,
``।``, ``؟`` ...) before a word that does not start in lower case, so any
script splits, not only Latin capitals.  A full stop after a title (``Mr.``),
an initial or a dotted abbreviation (``e.g.``) does not end a sentence; one
after ``Tom's`` or ``isn't`` does.  Every step looks only at a few characters
around a candidate end, so the work grows with the length of the text, never
with its square.
"""
from __future__ import annotations

import re
import unicodedata

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms messrs mme mlle dr st sr jr prof capt col gen lt sgt cpl maj adm cmdr rev revd hon gov sen rep "
    "pres fr mt ft ave rd blvd no nos pp p vol vols ch chap fig para approx dept est vs v cf viz ca c "
    "etc e.g i.e a.k.a et al ibid inc ltd co corp bros esq jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Abbreviations only before a number (No. 10, p. 5); elsewhere the word ends a sentence (I said no.).
BEFORE_NUMBER = frozenset("no nos p pp vol vols ch fig".split())
# Sentence-final punctuation: Latin, Greek, Armenian, Arabic, Devanagari, Ethiopic, CJK, full-width forms.
_FINAL = ".!?…‼⁇⁈⁉։؟।॥።。！？．"
_CLOSERS = "\"'”’»›)\\]」』）】"
_OPENERS = "\"'“‘«‹(\\[「『（【¿¡"
# A run of final punctuation and closing marks before a space and more text,
# or after a CJK-style stop (which needs no space) anything at all.
_END = re.compile(rf"[{_FINAL}]+[{_CLOSERS}]*(?=\s+\S)|[。！？]+[{_CLOSERS}]*(?=\S)")
_CJK_STOPS = frozenset("。！？")
_ENDS = re.compile(rf"[{_FINAL}][{_CLOSERS}]*\s*$")
_SPACE = re.compile(r"\s")

#: The longest utterance, in characters, handed to the speech engine at once.
MAX_UTTERANCE = 1000


def split_sentences(text: str) -> list[str]:
    """`text` cut after each sentence end.

    The pieces, stripped, joined with single spaces give back the words of
    `text`; a full stop after a title (``Mr.``), an initial or an
    abbreviation does not end a sentence, one after a word ending in an
    apostrophe's letter (``Tom's.``, ``isn't.``) does.
    """
    pieces, start = [], 0
    for match in _END.finditer(text):
        if not _ends_here(text, start, match):
            continue
        end = match.end()
        pieces.append(text[start:end].strip())
        start = end
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def _ends_here(text: str, start: int, match: re.Match) -> bool:
    """Whether the punctuation `match` really closes a sentence begun at `start`."""
    mark = match.group(0)
    if mark[0] in _CJK_STOPS:
        return True
    after = text[match.end():match.end() + 40].lstrip()
    first = after.lstrip(_OPENERS)[:1]
    if first and first.islower():
        return False
    if mark[0] != "." or len(mark.rstrip(_CLOSERS)) > 1:
        return True  # ! ? … and "..." end a sentence before a capital
    word = _last_word(text, max(start, match.start() - 40), match.start())
    if word.lower() in BEFORE_NUMBER and len(word) > 1:
        return not first.isdigit()
    return not _is_abbreviation(word)


def _last_word(text: str, low: int, end: int) -> str:
    """The run of non-space characters ending at `end`, looking no further back than `low`."""
    begin = end
    while begin > low and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:end].lstrip(_OPENERS)


def _is_abbreviation(word: str) -> bool:
    if not word or "'" in word or "’" in word:
        return False  # Tom's. isn't. : a word, not an initial
    bare = word.lower()
    if bare in ABBREVIATIONS:
        return True
    if len(bare) == 1:
        return bare.isalpha()
    # dotted letters: U.S. e.g. a.k.a. J.R.R.
    return bool(re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", bare))


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
    return bool(_ENDS.search(text))


def starts_sentence(text: str) -> bool:
    """Whether `text` opens like a sentence: its first letter or digit is not
    lower case (a capital, a number, or a letter of a script without case)."""
    first = re.search(r"[^\W_]", text)
    return bool(first) and not first.group(0).islower()


# --------------------------------------------------------------------------- bounding

# Where a long sentence may be cut, best first: after a clause's punctuation,
# then at a space.  Each is searched for backwards within one window only.
_CLAUSE = re.compile(r"[,;:—–)\]}»”、，；：\u2026]+[\"'’]*\s+|\s+[—–(\[]")


def bound(text: str, limit: int = MAX_UTTERANCE) -> list[str]:
    """`text` cut into pieces of at most `limit` characters: at the last clause
    boundary (comma, semicolon, colon, dash, bracket) of each window, else its
    last space, else between two characters, never inside a combining mark.

    Work is proportional to the length of `text`.  Pieces are stripped;
    joined with single spaces they give back the words of `text`.
    """
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    pieces, start, size = [], 0, len(text)
    while size - start > limit:
        cut = _cut_point(text, start, start + limit)
        piece = text[start:cut].strip()
        if piece:
            pieces.append(piece)
        start = cut
        while start < size and text[start].isspace():
            start += 1
    rest = text[start:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def _cut_point(text: str, start: int, stop: int) -> int:
    """Where to end the piece that begins at `start` and may reach `stop`."""
    floor = start + (stop - start) // 3  # don't make a piece much shorter than it must be
    last = None
    for last in _CLAUSE.finditer(text, floor, stop):
        pass
    if last is not None:
        return last.end() if not last.group(0)[0].isspace() else last.start()
    space = _last_space(text, floor, stop)
    if space is not None:
        return space
    cut = stop
    while cut > start + 1 and unicodedata.combining(text[cut]):
        cut -= 1  # keep an accent with its letter
    return cut


def _last_space(text: str, low: int, high: int):
    found = max(text.rfind(space, low, high) for space in " \n\t\u3000\u00a0")
    return found if found > low else None
