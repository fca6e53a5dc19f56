"""What the normalisation rules need to know about a language, and which languages have tables.

A `Language` is plain data: its number words come from num2words (which
speaks many languages), everything else (abbreviations, currency names,
heading words) from its table.  A language without a table of its own gets
`Language.plain`: the text is cleaned and bounded but its digits are left to
the speech engine, which reads numbers in its own language.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from typing import Optional


@dataclass(frozen=True)
class Currency:
    """A currency's names; `style` is how an amount with cents is said:
    ``short`` (three pounds fifty) or ``and`` (three dollars and fifty cents)."""

    one: str
    many: str
    sub_one: str
    sub_many: str
    style: str = "and"


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per table
class Language:
    code: str
    num2words: Optional[str] = None  # num2words' code; None: digits are left to the engine
    decimal: str = "."
    group: str = ","
    words: dict = field(default_factory=dict)
    abbreviations: tuple = ()
    bare_titles: dict = field(default_factory=dict)
    heading_words: frozenset = frozenset()
    regnal_titles: frozenset = frozenset()
    regnal_names: frozenset = frozenset()
    pronoun_followers: frozenset = frozenset()
    months: tuple = ()
    month_abbreviations: dict = field(default_factory=dict)
    currencies: dict = field(default_factory=dict)
    dollar_prefixes: dict = field(default_factory=dict)
    scales: dict = field(default_factory=dict)
    time_words: frozenset = frozenset()
    timetabled: frozenset = frozenset()  # words after a time that leaves: the 10.15 train
    year_words: frozenset = frozenset()
    fractions: dict = field(default_factory=dict)
    symbols: dict = field(default_factory=dict)
    month_first: bool = False  # 5/12/2020 is the 12th of May (United States usage)

    @classmethod
    def plain(cls, code: str) -> "Language":
        return cls(code=code)

    def word(self, key: str) -> str:
        return self.words.get(key, key)


def _tables() -> dict[str, Language]:
    from audiobook.text.normalise.english import ENGLISH

    return {"en": ENGLISH}


@functools.lru_cache(maxsize=None)
def language_for(code: Optional[str]) -> Language:
    """The tables for a BCP 47 code (``en``, ``en-GB``, ``ru``); None means English."""
    code = (code or "en").strip().replace("_", "-")
    base, _, region = code.partition("-")
    table = _tables().get(base.lower())
    if table is None:
        return Language.plain(base.lower())
    if base.lower() == "en" and region.upper() in ("US", "PH"):
        return replace(table, code=code, month_first=True)
    return table
