"""Digits as words: currency, dates, times, percentages, decades, ranges,
ordinals, years, cardinals with separators and decimals, negatives, fractions.

Number words come from num2words in the book's language; how amounts of
money are said comes from the language's table, not from num2words'
currency mode (which reads ``5`` as five pence and ``1000000`` as ten
thousand pounds).  The rules run in that order, most specific first, each
one regular-expression pass over the sentence, so the cost grows with the
text's length.
"""
from __future__ import annotations

import functools
import re

from num2words import num2words

from audiobook.text.normalise.language import Language

_DIGIT = re.compile(r"\d")
_LONGEST = 15  # digits beyond which a number is read digit by digit
_DIGIT_WORDS = {}


# --------------------------------------------------------------------------- words for numbers

@functools.lru_cache(maxsize=4096)
def cardinal(value: int, lang: str) -> str:
    if value < 0:
        return f"minus {cardinal(-value, lang)}" if lang == "en" else num2words(value, lang=lang)
    if len(str(value)) > _LONGEST:
        return digits(str(value), lang)
    return num2words(value, lang=lang)


@functools.lru_cache(maxsize=4096)
def ordinal(value: int, lang: str) -> str:
    if len(str(value)) > _LONGEST:
        return digits(str(value), lang)
    return num2words(value, lang=lang, to="ordinal")


@functools.lru_cache(maxsize=4096)
def year(value: int, lang: str) -> str:
    return num2words(value, lang=lang, to="year")


def digits(text: str, lang: str) -> str:
    """Each digit of `text` on its own: 007 -> zero zero seven."""
    return " ".join(cardinal(int(d), lang) for d in text if d.isdigit())


def decimal(whole: str, fraction: str, lang: Language) -> str:
    """`whole` point each digit of `fraction`: 3.14 -> three point one four."""
    head = integer(whole, lang) if whole else cardinal(0, lang.num2words)
    return f"{head} {lang.word('point')} {digits(fraction, lang.num2words)}" if fraction else head


def integer(text: str, lang: Language) -> str:
    """A run of digits (group separators allowed) as a cardinal; a leading
    zero or great length reads digit by digit."""
    bare = text.replace(lang.group, "")
    if len(bare) > 1 and bare.startswith("0") or len(bare) > _LONGEST:
        return digits(bare, lang.num2words)
    return cardinal(int(bare), lang.num2words)


def plural(words: str) -> str:
    """The last word of `words` made plural: nineteen ninety -> nineteen nineties."""
    head, _, last = words.rpartition(" ")
    if "-" in last:
        stem, _, last = last.rpartition("-")
        head = f"{head} {stem}-".strip() if head else f"{stem}-"
        joiner = ""
    else:
        joiner = " " if head else ""
    last = last[:-1] + "ies" if last.endswith("y") else last + ("es" if last.endswith(("x", "s")) else "s")
    return f"{head}{joiner}{last}"


# --------------------------------------------------------------------------- the rules

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # 1,234.5 or 1234.5
_B = r"(?<![\w.,])"  # not inside a word or a longer number
_E = r"(?![\w]|[.,]\d)"


class Numbers:
    """The number rules for one language, compiled once."""

    def __init__(self, lang: Language) -> None:
        self.lang = lang
        self.n2w = lang.num2words
        symbols = "".join(re.escape(s) for s in lang.currencies)
        prefixes = "|".join(sorted(lang.dollar_prefixes, key=len, reverse=True))
        scales = "|".join(sorted((re.escape(s) for s in lang.scales), key=len, reverse=True))
        self.currency = re.compile(
            rf"(?<![\w.,])(-)?(?:({prefixes})(?=\$))?([{symbols}])\s?({_NUM})"
            rf"(?:\s?(?:–|-|to)\s?[{symbols}]?({_NUM}))?(?:\s?({scales})\b)?(?![\w]|[.,]\d)"
        ) if symbols else None
        self.pence = re.compile(rf"{_B}(\d+)\s?([p¢])(?!\w|\.\s?m\b)")  # 5p, not 5 p.m.
        months = "|".join(lang.months)
        short = "|".join(lang.month_abbreviations)
        self.month_day = re.compile(
            rf"\b({months}|(?:{short})\.?)\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!:\d|\.\d|,\d)(?:(,?)\s+(\d{{4}})\b)?"
        ) if months else None
        self.day_month = re.compile(
            rf"{_B}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({months}|(?:{short})\.?)(?:(,?)\s+(\d{{4}})\b)?"
        ) if months else None
        self.iso = re.compile(r"(?<![\w.,/-])(\d{4})-(\d{2})-(\d{2})(?![\w/-]|\.\d)")
        self.slashed = re.compile(r"(?<![\w.,/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\w/]|\.\d)")
        self.clock = re.compile(
            r"(?<![\w.,:])(\d{1,2})(?:([:.])(\d{2}))?\s?([AaPp])\.?\s?[Mm]\b\.?"
        )
        self.colon_time = re.compile(r"(?<![\w.,:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\w:]|[.,]\d)")
        self.dot_time = re.compile(r"(?<![\w.,:])([01]?\d|2[0-3])\.([0-5]\d)(?![\w.]|,\d)")
        self.percent = re.compile(rf"{_B}(-)?(?:({_NUM})\s?(?:–|-|to)\s?)?({_NUM})\s?%")
        self.decade = re.compile(r"(?<![\w.,])(?:'(\d0)|(\d{1,3}0))'?s\b")
        self.range = re.compile(rf"{_B}({_NUM})\s?[–-]\s?({_NUM}){_E}|{_B}({_NUM})\s[–]\s({_NUM}){_E}")
        self.ordinal = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(st|nd|rd|th|ST|ND|RD|TH)\b")
        self.fraction = re.compile(rf"{_B}(\d+)?\s?([{''.join(lang.fractions)}])" if lang.fractions else r"(?!x)x")
        self.slash_fraction = re.compile(r"(?<![\w.,/])(\d{1,2})/(\d{1,2})(?![\w/]|\.\d)")
        self.fractions_hint = re.compile(f"[{''.join(lang.fractions)}]") if lang.fractions else None
        self.number = re.compile(r"(?<![\w.,])(-)?(\d+(?:[.,]\d+)*)(?![\w.]\d)")

    # ----------------------------------------------------------------- entry point

    def __call__(self, text: str) -> str:
        if not _DIGIT.search(text) and not (self.fractions_hint and self.fractions_hint.search(text)):
            return text
        for rule in (self._currency, self._dates, self._times, self._pence, self._percent, self._decades,
                     self._fractions, self._ranges, self._ordinals, self._numbers):
            text = rule(text)
        return text

    # ----------------------------------------------------------------- money

    def _currency(self, text: str) -> str:
        if self.currency is None or not any(s in text for s in self.lang.currencies):
            return text

        def say(m: re.Match) -> str:
            minus, prefix, symbol, amount, upper, scale = m.groups()
            money = self.lang.currencies[symbol]
            nation = f"{self.lang.dollar_prefixes[prefix]} " if prefix else ""
            words = self._money(amount, money, nation, scale, upper)
            return f"{self.lang.word('minus')} {words}" if minus else words

        return self.currency.sub(say, text)

    def _money(self, amount: str, money, nation: str, scale, upper) -> str:
        scale_word = self.lang.scales.get(scale or "", "")
        if upper:
            low = self._amount_number(amount)
            high = self._amount_number(upper)
            unit = money.many
            return f"{low} {self.lang.word('to')} {high}{' ' + scale_word if scale_word else ''} {nation}{unit}"
        whole, _, fraction = amount.replace(self.lang.group, "").partition(".")
        if scale_word:
            return f"{self._amount_number(amount)} {scale_word} {nation}{money.many}"
        units = int(whole or 0)
        if fraction and len(fraction) > 2 or fraction and not money.sub_many:
            return f"{decimal(whole, fraction, self.lang)} {nation}{money.many}"
        cents = int((fraction + "0")[:2]) if fraction else 0
        main = f"{cardinal(units, self.n2w)} {nation}{money.one if units == 1 else money.many}"
        sub = f"{cardinal(cents, self.n2w)} {money.sub_one if cents == 1 else money.sub_many}"
        if not cents:
            return main
        if not units:
            return sub
        if money.style == "short":
            return f"{main} {cardinal(cents, self.n2w)}"
        return f"{main} {self.lang.word('and')} {sub}"

    def _amount_number(self, amount: str) -> str:
        whole, _, fraction = amount.replace(self.lang.group, "").partition(".")
        return decimal(whole, fraction.rstrip("0") if fraction.strip("0") else "", self.lang)

    def _pence(self, text: str) -> str:
        if "p" not in text and "¢" not in text:
            return text
        pound = self.lang.currencies.get("£")
        cent = self.lang.currencies.get("$")

        def say(m: re.Match) -> str:
            value = int(m.group(1))
            money = pound if m.group(2) == "p" else cent
            if money is None:
                return m.group(0)
            return f"{cardinal(value, self.n2w)} {money.sub_one if value == 1 else money.sub_many}"

        return self.pence.sub(say, text)

    # ----------------------------------------------------------------- dates and times

    def _month(self, name: str) -> int:
        name = name.rstrip(".")
        if name in self.lang.months:
            return self.lang.months.index(name) + 1
        return self.lang.month_abbreviations.get(name, 0)

    def _date(self, day: int, month: int, year_text, comma=",") -> str:
        words = f"{self.lang.word('the')} {ordinal(day, self.n2w)} {self.lang.word('of')} {self.lang.months[month - 1]}"
        return f"{words}{comma or ''} {self._year(int(year_text))}" if year_text else words

    def _year(self, value: int) -> str:
        return year(value, self.n2w)

    def _dates(self, text: str) -> str:
        if self.month_day is None:
            return text

        def month_day(m: re.Match) -> str:
            month, day, comma, year_text = m.groups()
            day_value = int(day)
            if not 1 <= day_value <= 31:
                return m.group(0)
            words = f"{self.lang.months[self._month(month) - 1]} {ordinal(day_value, self.n2w)}"
            return f"{words}{comma or ''} {self._year(int(year_text))}" if year_text else words

        def day_month(m: re.Match) -> str:
            day, month, comma, year_text = m.groups()
            if not 1 <= int(day) <= 31:
                return m.group(0)
            words = self._date(int(day), self._month(month), year_text, comma)
            the = self.lang.word("the")
            if text[max(0, m.start() - len(the) - 1):m.start()].lower() == the + " ":
                words = words[len(the) + 1:]  # "the 4th of July": the article is there already
            return words

        def iso(m: re.Match) -> str:
            year_text, month, day = m.groups()
            if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
                return m.group(0)
            return self._date(int(day), int(month), year_text)

        def slashed(m: re.Match) -> str:
            first, second, year_text = (int(g) for g in m.groups())
            if len(m.group(3)) == 2:
                year_text = 2000 + year_text if year_text < 30 else 1900 + year_text
            day, month = (second, first) if self.lang.month_first else (first, second)
            if month > 12 and day <= 12:
                day, month = month, day
            if not (1 <= month <= 12 and 1 <= day <= 31):
                return m.group(0)
            return self._date(day, month, year_text)

        text = self.iso.sub(iso, text)
        if "/" in text:
            text = self.slashed.sub(slashed, text)
        text = self.month_day.sub(month_day, text)
        return self.day_month.sub(day_month, text)

    def _clock(self, hour: int, minute: int) -> str:
        if minute == 0:
            return cardinal(hour, self.n2w)
        if minute < 10:
            return f"{cardinal(hour, self.n2w)} {self.lang.word('oh')} {cardinal(minute, self.n2w)}"
        return f"{cardinal(hour, self.n2w)} {cardinal(minute, self.n2w)}"

    def _times(self, text: str) -> str:
        def clock(m: re.Match) -> str:
            hour, _, minute, half = m.groups()
            hour, minute = int(hour), int(minute or 0)
            if hour > 12 or minute > 59:
                return m.group(0)
            words = self._clock(hour, minute)
            half = self.lang.word('am' if half in 'Aa' else 'pm')
            trail = "." if m.group(0).endswith(".") and not half.endswith(".") and m.end() == len(text.rstrip()) else ""
            return f"{words} {half}{trail}"

        def colon(m: re.Match) -> str:
            hour, minute, second = m.groups()
            if int(hour) > 24 or int(minute) > 59:
                return m.group(0)
            if int(minute) == 0 and not second:
                if int(hour) > 12 or len(hour) == 2 and hour.startswith("0"):  # 14:00, 09:00: the 24-hour clock
                    spoken_hour = cardinal(int(hour), self.n2w)
                    if hour.startswith("0") and int(hour):
                        spoken_hour = f"{self.lang.word('oh')} {spoken_hour}"
                    return f"{spoken_hour} {self.lang.word('hundred')}"
                return f"{cardinal(int(hour), self.n2w)} {self.lang.word(chr(111) + chr(39) + 'clock')}"
            words = self._clock(int(hour), int(minute))
            if second:
                words += f" {self.lang.word('and')} {cardinal(int(second), self.n2w)} seconds" \
                    if self.lang.code == "en" else f" {cardinal(int(second), self.n2w)}"
            return words

        def dot(m: re.Match) -> str:
            before = text[max(0, m.start() - 12):m.start()].split()
            after = text[m.end():m.end() + 16].split()
            timed = bool(before) and before[-1].lower() in self.lang.time_words
            service = bool(after) and after[0].lower().strip(",.;:") in self.lang.timetabled
            if not (timed or service):
                return m.group(0)
            return self._clock(int(m.group(1)), int(m.group(2)))

        text = self.clock.sub(clock, text)
        if ":" in text:
            text = self.colon_time.sub(colon, text)
        if self.lang.time_words:
            text = self.dot_time.sub(dot, text)
        return text

    # ----------------------------------------------------------------- other shapes of number

    def _percent(self, text: str) -> str:
        if "%" not in text:
            return text

        def say(m: re.Match) -> str:
            minus, low, high = m.groups()
            words = self._plain(high)
            if low:
                words = f"{self._plain(low)} {self.lang.word('to')} {words}"
            words = f"{self.lang.word('minus')} {words}" if minus else words
            return f"{words} {self.lang.word('percent')}"

        return self.percent.sub(say, text)

    def _decades(self, text: str) -> str:
        if "0s" not in text and "0's" not in text:
            return text

        def say(m: re.Match) -> str:
            short, full = m.groups()
            if short:
                return plural(cardinal(int(short), self.n2w))
            value = int(full)
            if value >= 1000:
                words = self._year(value) if value % 100 else (
                    f"{cardinal(value // 100, self.n2w)} hundred" if value % 1000 else cardinal(value, self.n2w))
            else:
                words = cardinal(value, self.n2w)
            return plural(words)

        return self.decade.sub(say, text)

    def _fractions(self, text: str) -> str:
        def vulgar(m: re.Match) -> str:
            whole, symbol = m.groups()
            top, bottom = self.lang.fractions[symbol]
            words = self._fraction_words(top, bottom)
            if whole:
                if top == 1 and bottom in (2, 4):
                    words = f"{self.lang.word('a')} {words.split()[-1]}"  # one and a half
                return f"{cardinal(int(whole), self.n2w)} {self.lang.word('and')} {words}"
            if top == 1 and bottom == 2 and text[m.end():m.end() + 3].lower() in (" a ", " an"):
                return words.split()[-1]  # half a cup
            return words

        def slash(m: re.Match) -> str:
            top, bottom = int(m.group(1)), int(m.group(2))
            if not (2 <= bottom <= 10 and 0 < top < bottom):  # 24/7, 9/11, 50/50: two numbers said in turn
                return f"{integer(m.group(1), self.lang)} {integer(m.group(2), self.lang)}"
            return self._fraction_words(top, bottom)

        if self.lang.fractions and any(f in text for f in self.lang.fractions):
            text = self.fraction.sub(vulgar, text)
        if "/" in text and self.lang.code == "en":
            text = self.slash_fraction.sub(slash, text)
        return text

    def _fraction_words(self, top: int, bottom: int) -> str:
        if self.lang.code != "en":
            return f"{cardinal(top, self.n2w)} / {cardinal(bottom, self.n2w)}"
        if bottom == 2:
            name = "half" if top == 1 else "halves"
        elif bottom == 4:
            name = "quarter" if top == 1 else "quarters"
        else:
            name = ordinal(bottom, self.n2w) + ("s" if top != 1 else "")
        return f"{cardinal(top, self.n2w)} {name}"

    def _ranges(self, text: str) -> str:
        if "-" not in text and "–" not in text:
            return text

        def say(m: re.Match) -> str:
            low, high = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            return f"{self._range_end(low, high)} {self.lang.word('to')} {self._range_end(high, low)}"

        return self.range.sub(say, text)

    def _range_end(self, number: str, other: str) -> str:
        """One end of a range: a year when both ends look like years (1939-1945, 1939-45)."""
        if len(number) == 4 and number.isdigit() and 1100 <= int(number) <= 2099 and other.isdigit() \
                and (len(other) == 4 and 1100 <= int(other) <= 2099 or len(other) == 2):
            return self._year(int(number))
        return self._plain(number)

    def _ordinals(self, text: str) -> str:
        def say(m: re.Match) -> str:
            value = int(m.group(1).replace(",", ""))
            suffix = m.group(2).lower()
            expected = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
            if suffix != expected and not (suffix == "d" and expected in ("nd", "rd")):
                return m.group(0)
            return ordinal(value, self.n2w)

        return self.ordinal.sub(say, text)

    def _numbers(self, text: str) -> str:
        def say(m: re.Match) -> str:
            minus, body = m.groups()
            start = m.start()
            if minus and start > 0 and not text[start - 1].isspace() and text[start - 1] not in "([\"'":
                return text[start] + say_body(body, start + 1)  # a hyphen joining, not a minus sign
            words = say_body(body, m.start(2))
            return f"{self.lang.word('minus')} {words}" if minus else words

        def say_body(body: str, at: int) -> str:
            if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", body):
                if re.fullmatch(r"\d{4}", body) and self._is_year(int(body), text, at):
                    return self._year(int(body))
                return self._plain(body)
            # 1.2.3, 1,2: each number on its own
            parts = re.split(r"([.,])", body)
            return " ".join(integer(p, self.lang) if p[0].isdigit() else
                            ("," if p == "," else self.lang.word("point")) for p in parts if p).replace(" ,", ",")

        return self.number.sub(say, text)

    def _plain(self, number: str) -> str:
        whole, _, fraction = number.partition(".")
        return decimal(whole, fraction, self.lang)

    def _is_year(self, value: int, text: str, at: int) -> bool:
        if 1100 <= value <= 2099 and value % 1000 >= 100 or 2000 < value <= 2099:
            return True
        if 1000 <= value <= 2099:  # 1066 and 2000 are years after "in", cardinals elsewhere
            before = text[max(0, at - 12):at].split()
            after = text[at + 4:at + 10].split()
            return bool(before and before[-1].lower().strip(".") in self.lang.year_words
                        or after and after[0].strip(".,").lower() in ("ad", "bc", "ce", "bce"))
        return False


@functools.lru_cache(maxsize=None)
def numbers_for(lang: Language) -> Numbers:
    return Numbers(lang)
