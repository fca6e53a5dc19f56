"""Recognise chapter headings, title lines, scene breaks and contents markers.

Every function here looks at one trimmed line of text; deciding which lines
of a story to ask about is the reader's job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

PART_RANK = 1
CHAPTER_RANK = 2

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
             "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"]
_WORD_VALUES = {word: value for value, word in enumerate(_UNITS, start=1)}
_WORD_VALUES.update({word: 20 + 10 * i for i, word in enumerate(_TENS)})
_WORD_VALUES.update({word: value for value, word in enumerate(_ORDINALS, start=1)})

_ROMAN = r"(?=[ivxlcdm])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})"
_WORDS = (rf"(?:{'|'.join(_TENS)})(?:[-\s](?:{'|'.join(_UNITS[:9])}))?"
          rf"|{'|'.join(_UNITS)}|(?:the\s+)?(?:{'|'.join(_ORDINALS)}|last)")
_NUMBER = rf"\d+|{_ROMAN}|{_WORDS}"
_KEYWORDS = {"chapter": ("Chapter", CHAPTER_RANK), "chap.": ("Chapter", CHAPTER_RANK),
             "section": ("Section", CHAPTER_RANK), "part": ("Part", PART_RANK),
             "book": ("Book", PART_RANK), "volume": ("Volume", PART_RANK),
             "vol.": ("Volume", PART_RANK)}
_NAMED = ("prologue", "epilogue", "preface", "foreword", "introduction", "afterword", "interlude")

_NUMBERED = re.compile(
    rf"(?P<keyword>chapter|chap\.|section|part|book|volume|vol\.)\s+(?P<number>{_NUMBER})\b(?P<rest>.*)",
    re.IGNORECASE)
_NAMED_HEADING = re.compile(rf"(?P<keyword>{'|'.join(_NAMED)})\b(?P<rest>.*)", re.IGNORECASE)
_BARE_ROMAN = re.compile(rf"(?P<number>{_ROMAN.upper()})\.?")
_ROMAN_TITLED = re.compile(rf"(?P<number>{_ROMAN.upper()})\.\s+(?P<name>\S.*)")
_MARKDOWN = re.compile(r"(?P<hashes>#{1,6})\s+(?P<text>.+?)(?:\s+#+)?")
_SEPARATOR = re.compile(r"\s*(?:[.:;—–]|--?)\s*")
_SCENE_BREAK = re.compile(r"(?:\*\s*){3,}|(?:-\s*){3,}|(?:~\s*){3,}|#|⁂(?:\s*⁂)*|(?:\*\s*)+")
_CONTENTS = re.compile(r"(?:#{1,6}\s+)?(?:table\s+of\s+)?contents\s*[.:]?", re.IGNORECASE)
SMALL_WORDS = frozenset(
    "a an the and but or nor for so yet of in on at to by up with from into onto upon over "
    "as off out per via than de la le du von van der".split())
_CLOSING = ",;:\"'“”‘’«»("
_MAX_TITLE_CHARS = 80
_MAX_HEADING_CHARS = 200  # a "Chapter 3: ..." line; a Markdown heading may be longer
_MAX_MARKDOWN_CHARS = 1000
_MAX_NAMED_WORDS = 30
_ATTEMPT = re.compile(
    rf"(?:#{{1,6}}\s|(?:chapter|chap\.|section|part|book|volume|vol\.)\s+(?:{_NUMBER})\b"
    rf"|(?:{'|'.join(_NAMED)})\b\W*$)", re.IGNORECASE)
_MAX_TITLE_WORDS = 12
_SET_APART = re.compile(r"\s{3,}|\t")


@dataclass(frozen=True)
class Heading:
    """A recognised heading.

    `title` is what the chapter is called ("Chapter IV: The Storm"); `rank`
    orders parts above chapters (markdown: the number of ``#``); `named` says
    the title already carries a name, so no separate title line may be joined;
    `key` identifies the heading regardless of spelling ("chapter:4").
    """

    title: str
    rank: int
    named: bool
    key: str
    markdown: bool = False

    @property
    def name(self) -> str:
        """The name a numbered heading carries ("The Storm" of "Chapter IV: The Storm"), else its title."""
        return self.title.split(": ", 1)[1] if self.named and ": " in self.title else self.title

    def with_name(self, name: str) -> "Heading":
        """This heading joined with the short title line that follows it."""
        return replace(self, title=f"{self.title}: {_clean_name(name)}", named=True)


def parse_heading(line: str, standalone: bool) -> Optional[Heading]:
    """The heading `line` is, or None.  A `standalone` line is a whole block on
    its own, which lets a bare Roman numeral ("IV.") count as a heading."""
    if len(line) > _MAX_MARKDOWN_CHARS:
        return None
    markdown = _MARKDOWN.fullmatch(line)
    if markdown:
        return _markdown_heading(markdown.group("text"), len(markdown.group("hashes")))
    if len(line) > _MAX_HEADING_CHARS:
        return None
    if not line[:1].isupper():
        return None
    heading = _keyword_heading(line)
    if heading is None and standalone:
        bare = _BARE_ROMAN.fullmatch(line)
        if bare:
            number = bare.group("number")
            heading = Heading(f"Chapter {number}", CHAPTER_RANK, False, f"chapter:{_value(number)}")
        titled = _ROMAN_TITLED.fullmatch(line)
        if titled and is_title_line(titled.group("name")):  # "IV. THE BOSCOMBE VALLEY MYSTERY"
            number = titled.group("number")
            heading = Heading(f"Chapter {number}", CHAPTER_RANK, False,
                              f"chapter:{_value(number)}").with_name(titled.group("name"))
    return heading


def chapter_title(line: str) -> str:
    """A heading's text as a chapter title: a recognised heading in its usual
    form ("CHAPTER IV. THE STORM" -> "Chapter IV: The Storm"), any other text
    out of capitals and without a lone trailing full stop."""
    line = " ".join(line.split())
    heading = parse_heading(line, True)
    return heading.title if heading is not None and not heading.markdown else _clean_name(line)


def looks_like_heading(line: str) -> bool:
    """Whether `line` opens like a heading ("# ...", "Chapter 3 ...", "Prologue")
    whether or not `parse_heading` makes one of it: such a line is never
    skipped as front matter."""
    return bool(_ATTEMPT.match(line))


def is_title_line(line: str) -> bool:
    """Whether `line` reads like a chapter's name ("Down the Rabbit-Hole"):
    short, in title case or capitals, and not a sentence, a quote or a heading."""
    words = line.split()
    if not words or len(words) > _MAX_TITLE_WORDS or len(line) > _MAX_TITLE_CHARS:
        return False
    if not line[0].isupper() and not line[0].isdigit():
        return False
    letters = [c for c in line if c.isalpha()]
    capitals = bool(letters) and all(c.isupper() for c in letters)
    quoted = capitals and line.count("“") == line.count("”") == 1 and line.index("“") < line.index("”")
    if (line[-1] in _CLOSING and not quoted) or is_scene_break(line) or parse_heading(line, True):
        return False  # (a name in capitals may end in a quoted one: `DOVER: “THE FISHERMAN'S REST”`)
    if capitals:
        return True
    if line.endswith(".") and not line.endswith(".."):
        return False
    return all(not w[0].isalpha() or w[0].isupper() or w.lower() in SMALL_WORDS for w in words)


def is_scene_break(line: str) -> bool:
    """Whether `line` alone marks a scene break (``***``, ``* * *``, ``#``, ``⁂``, ``---``, ``~~~``)."""
    return bool(_SCENE_BREAK.fullmatch(line))


def is_contents_marker(line: str) -> bool:
    """Whether `line` opens a table of contents ("Contents", "TABLE OF CONTENTS")."""
    return bool(_CONTENTS.fullmatch(line))


def entry_key(line: str) -> str:
    """A key under which a contents entry and the heading it lists compare equal."""
    heading = parse_heading(line, True)
    if heading is not None:
        return heading.key
    return " ".join(re.findall(r"\w+", line.lower()))


def _keyword_heading(line: str) -> Optional[Heading]:
    """A "Chapter 12", "PART ONE--The Old Buccaneer" or "Prologue" heading, or None."""
    numbered = _NUMBERED.fullmatch(line)
    if numbered:
        label, rank = _KEYWORDS[numbered.group("keyword").lower()]
        number = numbered.group("number")
        key = f"{label.lower()}:{_value(number)}"
        return _with_rest(Heading(f"{label} {_spell_number(number)}", rank, False, key),
                          numbered.group("rest"))
    named = _NAMED_HEADING.fullmatch(line)
    if named:
        word = named.group("keyword").capitalize()
        return _with_rest(Heading(word, CHAPTER_RANK, False, word.lower()), named.group("rest"))
    return None


def _with_rest(heading: Heading, rest: str) -> Optional[Heading]:
    """`heading` completed by the text after its label ("Chapter 12: The Storm",
    "CHAPTER I THE CONSUL'S YARN"), or None when that text is ordinary prose
    ("Book one of the series was dull.")."""
    if not rest.strip(" .:;—–-"):
        return heading
    separator = _SEPARATOR.match(rest)
    if separator:  # "Chapter 1: 'Tis the Season", "Chapter 2 -- ...And Then", "Chapter 3. #1 Fan"
        name = rest[separator.end():].strip()
        if not name:
            return heading
        return heading.with_name(name) if len(name.split()) <= _MAX_NAMED_WORDS else None
    name = rest.strip()
    # A gap sets a name apart as typeset, small words in lower case too: "CHAPTER XIII   The Fellow of no Delicacy".
    set_apart = _SET_APART.match(rest) and name[:1].isupper() and len(name.split()) <= _MAX_TITLE_WORDS
    return heading.with_name(name) if rest[:1].isspace() and (set_apart or is_title_line(name)) else None


def _markdown_heading(text: str, level: int) -> Heading:
    """A ``#`` heading: a keyword heading keeps its usual form, any other text is the title."""
    heading = _keyword_heading(text[:1].upper() + text[1:])
    if heading is not None:
        return replace(heading, markdown=True)
    title = _clean_name(text)
    return Heading(title, level, True, " ".join(re.findall(r"\w+", title.lower())), markdown=True)


def _clean_name(name: str) -> str:
    """A chapter name without a lone trailing full stop, and out of capitals."""
    name = name.strip()
    if name.endswith(".") and not name.endswith(".."):
        name = name[:-1].rstrip()
    letters = [c for c in name if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        name = " ".join(_capitalise(word, i) for i, word in enumerate(name.split()))
    return name


def _capitalise(word: str, position: int) -> str:
    """One word of a title in title case (small words stay lower inside the title)."""
    lower = word.lower()
    if position and lower in SMALL_WORDS:
        return lower
    if re.fullmatch(_ROMAN, lower):
        return word
    return "-".join(part[:1].upper() + part[1:] for part in lower.split("-"))


def _spell_number(number: str) -> str:
    """How a heading's number is written in its title: "IV", "12", "Twenty-One", "the First"."""
    if re.fullmatch(_ROMAN, number, re.IGNORECASE):
        return number.upper()
    words = re.split(r"([-\s]+)", number.lower())
    return "".join(w if w in ("the", " ") or not w.strip("- ") else w.capitalize() for w in words)


def _value(number: str) -> int | str:
    """The numeric value of a heading number, so "IV", "4" and "Four" compare equal."""
    lower = number.lower()
    if lower.isdigit():
        return int(lower)
    if re.fullmatch(_ROMAN, lower):
        return _roman_value(lower)
    words = re.split(r"[-\s]+", lower.removeprefix("the").strip())
    if all(w in _WORD_VALUES for w in words):
        return sum(_WORD_VALUES[w] for w in words)
    return lower


def _roman_value(numeral: str) -> int:
    """The value of a valid lowercase Roman numeral."""
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for current, following in zip(numeral, numeral[1:] + " "):
        value = values[current]
        total += -value if values.get(following, 0) > value else value
    return total
