"""Normalisation: the words of the text made ready for speech.

The stage between attribution and casting.  Every segment gets its
`Sentence` list (the original words for subtitles and the script, and the
spoken form), every chapter its spoken title.  The spoken form is safe (no
control characters, ANSI escapes or phoneme brackets from the story reach
the engine), plain (curly quotes, odd spaces, markup gone; dashes and
ellipses kept as the pauses they are) and read out (numbers, dates, times,
money, abbreviations, Roman numerals), by the tables of the book's
language (`language_for`).  No utterance is longer than `MAX_UTTERANCE`
characters: a longer sentence becomes several, cut at clause boundaries,
else between words, else between characters.  A user's lexicon is applied
after this, at synthesis (`casting.spoken_text`).
"""
from __future__ import annotations

import re
from typing import Optional

from audiobook.model import Book, Sentence
from audiobook.text.normalise.clean import clean, pauses, strip_controls, strip_escapes, tidy
from audiobook.text.normalise.language import Language, language_for
from audiobook.text.normalise.numbers import cardinal, numbers_for
from audiobook.text.normalise.words import roman_value, words_for
from audiobook.text.sentences import MAX_UTTERANCE, bound, split_sentences

__all__ = ["MAX_UTTERANCE", "Language", "language_for", "normalise_book", "sentences", "speakable", "spoken_title"]

_PADDED = re.compile(r"^(\s*)0+(?=\d)")  # 01 My Early Home: chapter one
_BARE_NUMERAL = re.compile(r"^\s*([IVXLCDM]+)(?=$|[.:\s]\s*)")


def normalise_book(book: Book) -> Book:
    """Set every segment's sentences and every chapter's spoken title."""
    lang = language_for(book.language)
    for chapter in book.chapters:
        chapter.spoken_title = spoken_title(chapter.title, lang)
        for segment in chapter.segments:
            segment.sentences = sentences(segment.text, lang)
    return book


def sentences(text: str, lang: Optional[Language] = None, limit: int = MAX_UTTERANCE) -> list[Sentence]:
    """`text` as Sentences in reading order, none spoken in more than `limit` characters."""
    lang = lang or language_for(None)
    found = []
    for sentence in split_sentences(strip_escapes(text)):
        for piece in bound(sentence, limit):
            found.extend(_bounded(piece, lang, limit))
    return found


def _bounded(piece: str, lang: Language, limit: int) -> list[Sentence]:
    """`piece` as one Sentence, or several when its spoken form is longer than `limit`."""
    spoken = speakable(piece, lang)
    if len(spoken) <= limit:
        return [Sentence(strip_controls(piece).strip(), spoken)]
    budget = max(1, int(len(piece) * limit / len(spoken) * 0.9))
    if budget >= len(piece):
        budget = len(piece) - 1
    if budget < 1:
        return [Sentence(strip_controls(piece).strip(), spoken[:limit])]
    return [s for part in bound(piece, budget) for s in _bounded(part, lang, limit)]


def speakable(text: str, lang: Optional[Language] = None) -> str:
    """`text` as the engine should be given it (before any lexicon)."""
    lang = lang or language_for(None)
    text = clean(text)
    if lang.num2words:
        text = words_for(lang)(text)
        text = numbers_for(lang)(text)
    text = pauses(text)
    return tidy(text)


def spoken_title(title: str, lang: Optional[Language] = None) -> str:
    """A chapter title as spoken: a numeral standing alone is a number (XIV. The Return)."""
    lang = lang or language_for(None)
    if lang.num2words:
        title = _PADDED.sub(r"\1", title)
        match = _BARE_NUMERAL.match(title)
        if match and roman_value(match.group(1)) and not (match.group(1) == "I" and title[match.end():].strip()[:1].isalpha()):
            title = title[:match.start(1)] + cardinal(roman_value(match.group(1)), lang.num2words) + title[match.end(1):]
    return " ".join(s.spoken for s in sentences(title, lang))
