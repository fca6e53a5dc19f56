"""Words the engine misreads: abbreviations, Roman numerals, a few symbols.

* An abbreviation is expanded only where its table says it stands for that
  word: ``No.`` is "number" before a digit and "no" elsewhere, ``St.`` is
  "Saint" before a name and "Street" after one (``St. Mary St.``).
* A Roman numeral is read after a heading word (Chapter XIV, Book II, Act V:
  cardinals), after World War, and after a monarch's or pope's name (Henry
  VIII, Louis XIV, Elizabeth II: "the Eighth").  The letter I is a numeral
  only in those places and never before a word that shows it is the pronoun
  (Elizabeth I am ...), so the pronoun is never read as "one".
"""
from __future__ import annotations

import functools
import re

from audiobook.text.normalise.language import Language
from audiobook.text.normalise.numbers import cardinal, ordinal

_ROMAN = re.compile(r"M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
# A word that may be a Roman numeral: upper case, or lower case of two letters or more (after Chapter).
# A lone `I` is only ever read as one after a capitalised word (Chapter I, Henry I, World War I), so
# the pronoun elsewhere (`and I`) sends no sentence through the numeral patterns.
_NUMERAL_HINT = re.compile(r"\b(?:[IVXLCDM]{2,}|[VXLCDM]|[ivxlcdm]{2,})\b|[A-Z][\w'’]*\.?\s+I\b")
# Abbreviations whose capitals mean something else: MS. is a manuscript, CO. a county.
_NOT_IN_CAPITALS = frozenset({"Ms", "Co", "Ch", "Gen", "Fig", "Mar", "May", "Sen", "Rev"})
_CLOSERS = "\"')]}"
_LAST_WORD = re.compile(r"\w+$")
#: Longer than any abbreviation's last word: how far before a full stop `_may_abbreviate` looks.
_LONGEST_ABBREVIATION = 16
# Abbreviations that close a phrase (etc., Ltd.): at the end of a sentence their full stop is kept.
_STOPWORDS = frozenset("the a an in on at to from of and or by for with near past into along down up via off "
                       "towards toward across through beyond behind outside inside opposite old".split())
# Abbreviations read one way before a name and another after one.
_BEFORE_AFTER = {"St": ("saint", "street"), "Dr": (None, "Drive"), "Sr": ("sister", "senior")}


def roman_value(numeral: str) -> int:
    """The value of a valid upper-case Roman numeral, else 0."""
    if not numeral or not _ROMAN.fullmatch(numeral):
        return 0
    total = 0
    for here, after in zip(numeral, numeral[1:] + " "):
        value = _VALUES[here]
        total += -value if after != " " and _VALUES[after] > value else value
    return total


class Words:
    """The word rules for one language, compiled once."""

    def __init__(self, lang: Language) -> None:
        self.lang = lang
        self.n2w = lang.num2words
        table: dict[str, list] = {}
        for short, spoken, when in lang.abbreviations:
            table.setdefault(short, []).append((spoken, when))
            if short.upper() != short and len(short) > 1 and short not in _NOT_IN_CAPITALS:
                table.setdefault(short.upper(), []).append((spoken, when))
        self.table = table
        self._last_words = {re.split(r"[\s.]", short)[-1] for short in table}  # `al` of `et al`
        alternatives = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
        self.abbreviation = re.compile(rf"(?<![\w.])({alternatives})\.") if table else None
        bare = "|".join(sorted(lang.bare_titles, key=len, reverse=True))
        self.bare = re.compile(rf"(?<![\w.])({bare})(?=\s+[A-Z])(?!\.)\b") if bare else None
        self.bare_saint = re.compile(r"(?<![\w.])St(?=\s|$|[,;:!?])")
        if lang.heading_words:
            heads = "|".join(sorted(lang.heading_words, key=len, reverse=True))
            self.heading = re.compile(rf"\b((?i:{heads}))(\.?\s+)([IVXLCDM]+|[ivxlcdm]{{2,}})(?![\w'’])")
            self.regnal = re.compile(r"\b([A-Z][a-z]+)(\s+)([IVXLCDM]+)(?=['’]s\b|(?![\w'’]))")
        else:
            self.heading = self.regnal = None
        self.war = re.compile(r"\b(World War)(\s+)([IVX]+)\b")
        self.ww = re.compile(r"\bWW(I{1,3})\b")

    def __call__(self, text: str) -> str:
        if self.abbreviation is not None and self._may_abbreviate(text):
            text = self.abbreviation.sub(lambda m: self._abbreviation(m, text), text)
        if self.bare is not None:
            text = self.bare.sub(lambda m: self.lang.bare_titles[m.group(1)], text)
        if "St" in text and self.lang.code == "en":
            text = self.bare_saint.sub(lambda m: self._either("St", _word_before(text, m.start()),
                                                              text[m.end():m.end() + 24].lstrip()), text)
        if self.heading is not None and ("WW" in text or _NUMERAL_HINT.search(text)):
            text = self._numerals(text)
        return self._symbols(text)

    # ----------------------------------------------------------------- abbreviations

    def _may_abbreviate(self, text: str) -> bool:
        """False for a text whose only full stop ends it after a word that is
        no abbreviation: most sentences, which need no search."""
        dot = text.find(".")
        if dot < 0:
            return False
        if dot < len(text.rstrip(_CLOSERS + " \n")) - 1:
            return True
        word = _LAST_WORD.search(text, max(0, dot - _LONGEST_ABBREVIATION), dot)
        return word is None or word.group() in self._last_words

    def _abbreviation(self, m: re.Match, text: str) -> str:
        short = m.group(1)
        before = _word_before(text, m.start())
        after = text[m.end():m.end() + 24].lstrip()
        at_end = not text[m.end():].strip(_CLOSERS + " ")
        if short.rstrip(".") in _BEFORE_AFTER and self.lang.code == "en":
            spoken = self._either(short, before, after)
            if spoken is not None:
                return spoken + ("." if at_end else "")
        for spoken, when in self.table[short]:
            if _applies(when, before, after):
                return spoken + ("." if at_end else "")
        return m.group(0)

    def _either(self, short: str, before: str, after: str):
        """St. as Saint before a name and Street after one; Dr. as Doctor or Drive; Sr. as Sister or Senior."""
        ahead, behind = _BEFORE_AFTER[short]
        named_before = bool(before) and (before[:1].isupper() and before.lower().strip(",") not in _STOPWORDS
                                         or before[:1].isdigit())
        named_after = after[:1].isupper()
        if named_before and (not named_after or short == "Sr"):
            word = behind
        elif named_after:
            word = ahead
        else:
            word = behind
        if word is None:
            return None  # Dr. as Doctor: the table's reading
        return self.lang.word(word)

    # ----------------------------------------------------------------- Roman numerals

    def _numerals(self, text: str) -> str:
        def heading(m: re.Match) -> str:
            word, space, numeral = m.groups()
            value = roman_value(numeral.upper())
            if not value or numeral == "I" and (word.islower() or self._pronoun(text, m.end())):
                return m.group(0)
            return f"{word}{space}{cardinal(value, self.n2w)}"

        def war(m: re.Match) -> str:
            value = roman_value(m.group(3))
            return f"{m.group(1)}{m.group(2)}{cardinal(value, self.n2w)}" if value else m.group(0)

        def regnal(m: re.Match) -> str:
            name, space, numeral = m.groups()
            value = roman_value(numeral)
            if not value or value > 60:
                return m.group(0)
            titled = _word_before(text, m.start()).lower() in self.lang.regnal_titles
            known = name.lower() in self.lang.regnal_names
            if numeral == "I" and (not (known or titled) or self._pronoun(text, m.end())):
                return m.group(0)
            if len(numeral) == 1 and numeral not in "IV" and not titled:
                return m.group(0)  # Malcolm X, Planet X
            before = _word_before(text, m.start())
            if known or titled or before[:1].isupper() and before.lower() not in _STOPWORDS:
                return f"{name}{space}{self.lang.word('the')} {ordinal(value, self.n2w)}"
            if len(numeral) > 1 and set(numeral) <= set("IVX"):
                return f"{name}{space}{cardinal(value, self.n2w)}"  # Apollo XI, Rocky II
            return m.group(0)

        if "WW" in text:
            text = self.ww.sub(lambda m: f"World War {cardinal(len(m.group(1)), self.n2w)}", text)
        text = self.war.sub(war, text)
        text = self.heading.sub(heading, text)
        return self.regnal.sub(regnal, text)

    def _pronoun(self, text: str, end: int) -> bool:
        """Whether the I ending at `end` is followed by a word that shows it is the pronoun."""
        rest = text[end:end + 16]
        if rest[:1] and rest[:1] in "'’":
            return True
        following = rest.split()
        return bool(following) and following[0].strip(",.;:!?").lower() in self.lang.pronoun_followers

    # ----------------------------------------------------------------- symbols

    def _symbols(self, text: str) -> str:
        if self.lang.code != "en":
            return text
        if "#" in text:
            text = re.sub(r"#\s?(?=\d)", f"{self.lang.word('number')} ", text)
        if "/" in text:
            text = re.sub(r"\b([a-z]{2,})/([a-z]{2,})\b", lambda m: f"{m.group(1)} {m.group(2)}" if m.group(2) == "or"
                          else f"{m.group(1)} {self.lang.word('or')} {m.group(2)}", text)
        for symbol, spoken in self.lang.symbols.items():
            if symbol in text:
                text = text.replace(symbol, spoken)
        return text


def _applies(when: str, before: str, after: str) -> bool:
    if when == "always":
        return True
    if when == "before_number":
        return after[:1].isdigit() or bool(re.match(r"[IVXLCDM]+\b", after))
    if when == "before_name":
        return after[:1].isupper()
    if when == "after_name":
        return before[:1].isupper()
    if when == "between_names":
        return before[:1].isupper() and after[:1].isupper()
    return False


def _word_before(text: str, at: int) -> str:
    """The word just before offset `at` (its punctuation stripped), or ''."""
    head = text[max(0, at - 30):at].split()
    return head[-1].strip("\"'(,;:") if head else ""


@functools.lru_cache(maxsize=None)
def words_for(lang: Language) -> Words:
    return Words(lang)
