"""Split paragraphs into narration and dialogue segments.

Dialogue is text inside double quotes (straight ``"`` or curly ``“ ”``), or,
in a book that uses them for speech, single quotes (``‘ ’`` or straight
``'``) told apart from apostrophes (*don't*, *Phil's*, *the girls' room*,
*'em*).  Books that open speech with a dash (``—Come up!`` or ``--Come up!``)
are handled too.  A quote left open at the end of a paragraph runs to the
paragraph's end; the next paragraph re-opens it (see `continues_quote`).
A short quoted word or title inside a sentence (a nickname, a scare quote)
is a mention, not speech, and stays in the narration.

Every segment keeps offsets into ``chapter.source_text``; its `text` has
control characters and terminal escapes removed (`audiobook.text.clean`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from audiobook.model import DIALOGUE, NARRATION, Book, Chapter, Paragraph, Segment
from audiobook.text.clean import strip_controls

DOUBLE = "double"
SINGLE = "single"

DOUBLE_OPEN, DOUBLE_CLOSE = "“", "”"
SINGLE_OPEN, SINGLE_CLOSE = "‘", "’"
STRAIGHT_DOUBLE, STRAIGHT_SINGLE = '"', "'"
QUOTE_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + STRAIGHT_DOUBLE + STRAIGHT_SINGLE
CLOSING_MARKS = DOUBLE_CLOSE + SINGLE_CLOSE + STRAIGHT_DOUBLE + STRAIGHT_SINGLE

#: Characters after which a quotation mark starts a quote.
OPENING_CONTEXT = "([{—–-\"“‘/_"
#: Words written with a leading apostrophe: an elision, not the start of a quote.
ELISIONS = frozenset(
    "em tis twas twere twill twould twouldn cause cos bout till til neath gainst round "
    "im er ere ow e ave alf appen un n s t d ll re ve m nt".split()
)
#: Punctuation that ends spoken words; a quote ending without it may be a mention.
SPEECH_END = ",.!?;:…—–-"
#: Verbs that introduce speech directly before a quote (`he said "no"`).
INTRODUCING_VERBS = frozenset(
    "said says say cried cries asked asks answered answers replied replies called calls shouted shouts "
    "whispered whispers exclaimed exclaims added adds muttered mutters murmured murmurs began begins "
    "continued continues repeated repeats yelled yells screamed screams went".split()
)
#: Words after which a short quoted phrase is a name or title, even with a comma inside the marks.
NAMING_WORDS = frozenset("the a an of in at to as by from called named word words his her their its our my this".split())
MAX_MENTION_WORDS = 5
MAX_TITLE_WORDS = 10

_DASH_START = re.compile(r"(—|--)(?=[^\s\-—])")
#: A quotation mark that may open a quotation: at the start of a word (`_opens`), after a space, the
#: start of the text or an opening bracket or dash, with no space after it.
_ANY_MARK = re.compile("[%s]" % re.escape(QUOTE_MARKS))
_OPENING_MARK = re.compile(r"(?:(?<=[\s%s])|^)[%s](?!\s|$)" % (
    re.escape(OPENING_CONTEXT), re.escape(DOUBLE_OPEN + STRAIGHT_DOUBLE + SINGLE_OPEN + STRAIGHT_SINGLE)))
_DASH_TAG = re.compile(
    r"(?<=[,.!?])\s+(?=(?:he|she|I|they|we|said|says|cried|asked|answered|replied|murmured|"
    r"[A-Z][\w'’.]*(?:\s[A-Z][\w'’]*)?\s(?:said|says|cried|asked|answered|replied|murmured))\b)"
)
_SENTENCE_END = re.compile(r"[.!?]\s+(?=\S)")
_TAG_VERBS = ("said|says|asked|asks|cried|answered|replied|whispered|shouted|called|muttered|murmured|"
              "exclaimed|added|continued|began|repeated|yelled|screamed|snapped|sighed|laughed")
_UNCLOSED_TAG = re.compile(
    rf"[,!?…—–](?=\s+(?:(?:he|she|they|I|we|you|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’-]*)?|the\s+\w+|his\s+\w+|"
    rf"her\s+\w+|my\s+\w+)\s+(?:{_TAG_VERBS})|(?:{_TAG_VERBS})\s+(?:he|she|they|I|we|[A-Z]\w*|the\s+\w+))\b)")
_WORD = re.compile(r"[A-Za-z]+")
#: Verbs by which narration names a short utterance as a thing said (`she stammered a "No."`).
UTTERING_VERBS = INTRODUCING_VERBS | frozenset(
    "stammered faltered gasped breathed sobbed sighed uttered gave managed shouted called whispered "
    "murmured muttered growled roared bellowed sang hissed stammering faltering giving uttering".split())
#: What leads into a short utterance used as a noun: a verb of saying and `a` with up to two words of
#: manner (`stammered a "No."`, `gave a hearty "Hallo!"`), or a possessive with one or two
#: (`her gentle "Come in"`; not `her "Princess"`).
_UTTERANCE_LEAD = re.compile(r"\b(?:(?P<verb>[a-z]+)\s+(?:a|an|one)(?:\s+[a-z]+){0,2}|"
                             r"(?:her|his|their|my|our|your)(?:\s+[a-z]+){1,2})$", re.I)
_WORD_END = re.compile(r"[A-Za-z]+$")


@dataclass
class QuoteSpan:
    """A quotation found in a paragraph: `start`/`end` include the marks,
    `inner_start`/`inner_end` bound the spoken words."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool = True


@dataclass(frozen=True)
class QuoteStyle:
    """How a book marks speech: its main quotation marks and whether a
    leading dash opens speech."""

    marks: str = DOUBLE
    dashes: bool = False


# --------------------------------------------------------------------------- style


def detect_style(texts: Iterable[str]) -> QuoteStyle:
    """Guess the book's quotation style from its paragraphs' texts."""
    double_openers = single_openers = dash_paragraphs = 0
    for text in texts:
        for mark in _OPENING_MARK.finditer(text):
            i = mark.start()
            if mark.group() in DOUBLE_OPEN + STRAIGHT_DOUBLE:
                double_openers += 1
            elif not _is_elision(text, i):
                single_openers += 1
        if _DASH_START.match(text):
            dash_paragraphs += 1
    marks = SINGLE if single_openers > double_openers else DOUBLE
    return QuoteStyle(marks, dashes=dash_paragraphs >= 2 and dash_paragraphs > double_openers + single_openers)


def _opens(text: str, i: int) -> bool:
    """True when the mark at `i` sits at the start of a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in OPENING_CONTEXT) and not after.isspace()


def _closes(text: str, i: int) -> bool:
    """True when the mark at `i` is not followed by a letter or digit."""
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isalnum()


def _is_elision(text: str, i: int) -> bool:
    """True when the apostrophe at `i` starts an elided word ('em, 'tis, '90s)."""
    if i + 1 < len(text) and text[i + 1].isdigit():
        return True
    word = _WORD.match(text, i + 1)
    return bool(word) and word.group().lower() in ELISIONS


def _is_apostrophe_after_word(text: str, i: int) -> bool:
    """True when the closing-looking mark at `i` ends a word as an apostrophe
    (`the girls' room`, `goin' home`) rather than closing a quote."""
    before = text[i - 1] if i > 0 else " "
    if not before.isalpha():
        return False
    rest = text[i + 1:i + 3]
    if not (rest[:1] == " " and rest[1:2].islower()):
        return False
    word = _WORD_END.search(text, max(0, i - 20), i)
    return bool(word) and word.group().endswith(("s", "in"))


# --------------------------------------------------------------------------- scanning


def find_quotes(text: str, start: int, end: int, style: QuoteStyle) -> list[QuoteSpan]:
    """The quotations in ``text[start:end]`` (one paragraph), in order."""
    if style.dashes and _DASH_START.match(text, start):
        return _dash_quotes(text, start, end)
    spans = _scan(text, start, end, _single_mark if style.marks == SINGLE else _double_mark,
                  SINGLE_CLOSE + STRAIGHT_SINGLE if style.marks == SINGLE else DOUBLE_CLOSE + STRAIGHT_DOUBLE)
    spans = [_cut_at_tag(text, span) if not span.closed else span for span in spans]
    return _with_other_marks(text, start, end, spans, style)


def _cut_at_tag(text: str, span: QuoteSpan) -> QuoteSpan:
    """An unclosed quote ended before a speech tag it runs into (“It's late, Tom said.):
    the tag is narration, not the speaker's words."""
    tag = _UNCLOSED_TAG.search(text, span.inner_start, span.inner_end)
    if tag is None:
        return span
    stop = tag.start() + 1
    return QuoteSpan(span.start, stop, span.inner_start, stop, closed=False)


def _with_other_marks(text: str, start: int, end: int, spans: list[QuoteSpan],
                      style: QuoteStyle) -> list[QuoteSpan]:
    """`spans` and the speech the book marks the other way (‘Lord keep us,’ she whispered, in a
    book of double quotes): outside every span, a quote opening a clause and closed right after
    speech punctuation."""
    opener, closer = (DOUBLE_OPEN + STRAIGHT_DOUBLE, DOUBLE_CLOSE + STRAIGHT_DOUBLE) if style.marks == SINGLE \
        else (SINGLE_OPEN + STRAIGHT_SINGLE, SINGLE_CLOSE + STRAIGHT_SINGLE)
    found: list[QuoteSpan] = []
    position = start
    for span in spans + [QuoteSpan(end, end, end, end)]:
        gap_end = span.start
        i = position
        while i < gap_end:
            i = _next_of(text, opener, i, gap_end)
            if i < gap_end and _opens(text, i) and _opens_clause(text, i, start) and (
                    style.marks == SINGLE or not _is_elision(text, i)):
                close = _other_close(text, i + 1, gap_end, closer)
                if close is not None:
                    found.append(_span(text, i, close + 1, closed=True))
                    i = close + 1
                    continue
            i += 1
        position = span.end
    if not found:
        return spans
    return sorted(spans + [s for s in found if s.inner_end > s.inner_start], key=lambda s: s.start)


def _next_of(text: str, marks: str, i: int, stop: int) -> int:
    """Where the first of `marks` is in ``text[i:stop]``, else `stop`."""
    found = [at for at in (text.find(mark, i, stop) for mark in marks) if at >= 0]
    return min(found, default=stop)


def _opens_clause(text: str, i: int, start: int) -> bool:
    """True when the mark at `i` starts the paragraph, follows clause punctuation or a verb of speaking."""
    before = text[start:i].rstrip()
    if not before or before[-1] in ",:;.!?…—–-(":
        return True
    word = _WORD_END.search(before)
    return bool(word) and word.group().lower() in INTRODUCING_VERBS


def _other_close(text: str, begin: int, stop: int, closer: str) -> Optional[int]:
    """The closing mark of a quote opened just before `begin`: right after speech punctuation,
    not followed by a letter; None if the quote has none before `stop`."""
    for j in range(begin, stop):
        if text[j] in closer and j > begin and text[j - 1] in SPEECH_END and _closes(text, j):
            return j
        if text[j] == "\n" and j + 1 < stop and text[j + 1] == "\n":
            break
    return None


def _double_mark(text: str, i: int, is_open: bool) -> Optional[str]:
    """'open', 'close' or None for the mark at `i` in a double-quote book."""
    ch = text[i]
    if ch == DOUBLE_OPEN:  # an opening mark where a closing one belongs (“It's here,“ Tom said) closes
        return "close" if is_open and _in_closing_position(text, i) else "open"
    if ch == DOUBLE_CLOSE:  # and a closing mark where an opening one belongs opens
        return "close" if is_open else ("open" if _opens(text, i) and not _closes_after_word(text, i) else None)
    if ch == STRAIGHT_DOUBLE:  # one that can only open ( ... he said. "What) starts a new quote
        return "open" if not is_open or (_opens(text, i) and not _closes_after_word(text, i)) else "close"
    return None


def _in_closing_position(text: str, i: int) -> bool:
    """True when the mark at `i` ends a word or its punctuation and is not followed by a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and before not in OPENING_CONTEXT and not after.isalnum()


def _closes_after_word(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    return not before.isspace() and before not in OPENING_CONTEXT


def _single_mark(text: str, i: int, is_open: bool) -> Optional[str]:
    """'open', 'close' or None for the mark at `i` in a single-quote book."""
    ch = text[i]
    if ch not in SINGLE_OPEN + SINGLE_CLOSE + STRAIGHT_SINGLE:
        return None
    if not is_open:
        if ch != SINGLE_CLOSE and _opens(text, i) and not _is_elision(text, i):
            return "open"
        return None
    if ch != SINGLE_OPEN and _closes(text, i) and not _is_apostrophe_after_word(text, i):
        return "close"
    return None


def _scan(text: str, start: int, end: int, classify: Callable[[str, int, bool], Optional[str]],
          closers: str = "") -> list[QuoteSpan]:
    """Walk the paragraph pairing opening and closing marks.  A paragraph
    whose first mark closes speech that nothing in it opened (`… and that
    is all it says," he added.`, after a letter or a verse quoted within
    the speech) goes on with the speech left open before it."""
    spans: list[QuoteSpan] = []
    opened: Optional[int] = None
    first = True
    for mark in _ANY_MARK.finditer(text, start, end):  # the marks alone: a paragraph is mostly letters
        i = mark.start()
        if first and text[i] in closers and _resumes(text, start, i):
            spans.append(QuoteSpan(start, i + 1, start, len(text[start:i].rstrip()) + start))
            first = False
            continue
        first = False
        kind = classify(text, i, opened is not None)
        if kind == "open" and opened is not None:  # a new quote opens before the last one closed
            spans.append(_span(text, opened, i, closed=False))
        if kind == "open":
            opened = i
        elif kind == "close" and opened is not None:
            spans.append(_span(text, opened, i + 1, closed=True))
            opened = None
    if opened is not None:
        spans.append(_span(text, opened, end, closed=False))
    return [s for s in spans if s.inner_end > s.inner_start]


def _resumes(text: str, start: int, i: int) -> bool:
    """True when the mark at `i`, the paragraph's first, closes speech: the
    paragraph does not open with a mark, the mark follows the punctuation
    that ends spoken words and no word follows it."""
    return (i > start and text[start] not in QUOTE_MARKS and text[i - 1] in SPEECH_END
            and text[i - 2:i] != ".." and _closes(text, i) and _in_closing_position(text, i))


def _span(text: str, opened: int, stop: int, closed: bool) -> QuoteSpan:
    """A span from the opening mark at `opened` to `stop` (past the closing mark if any)."""
    inner_start, inner_end = opened + 1, stop - 1 if closed else stop
    if text.startswith("--", opened):
        inner_start += 1
    while inner_start < inner_end and text[inner_start].isspace():
        inner_start += 1
    while inner_end > inner_start and text[inner_end - 1].isspace():
        inner_end -= 1
    return QuoteSpan(opened, stop if closed else inner_end, inner_start, inner_end, closed)


def _dash_quotes(text: str, start: int, end: int) -> list[QuoteSpan]:
    """Speech opened by a dash at the paragraph start, with no closing mark.
    A tag (`, he said.`) interrupts it; speech resumes after the tag's sentence."""
    pos = _DASH_START.match(text, start).end()
    tag = _DASH_TAG.search(text, pos, end)
    if not tag:
        return [_span(text, start, _trim_trailing_dash(text, pos, end), closed=False)]
    spans = [_span(text, start, tag.start(), closed=False)]
    resume = _SENTENCE_END.search(text, tag.end(), end)
    if resume:
        spans.append(_span(text, resume.end() - 1, _trim_trailing_dash(text, resume.end(), end), closed=False))
    return spans


def _trim_trailing_dash(text: str, start: int, end: int) -> int:
    """`end` moved back over a closing `--` that some editions put after speech."""
    while end > start and text[end - 1] in "-—":
        end -= 1
    return end


# --------------------------------------------------------------------------- mentions


def is_mention(text: str, span: QuoteSpan, paragraph: Paragraph) -> bool:
    """True for a quoted word or title inside a sentence (`calling her "Princess"`),
    which the narrator reads: short, no closing punctuation, run into the prose."""
    if not span.closed:
        return False
    inner = text[span.inner_start:span.inner_end]
    if len(inner.split()) > (MAX_TITLE_WORDS if _is_title(inner) else MAX_MENTION_WORDS):
        return False
    before = text[paragraph.start:span.start].rstrip()
    if not before or not before[-1].isalnum():
        return False
    if _utterance(inner, before):
        return False
    previous_word = _WORD_END.search(before)
    previous_word = previous_word.group().lower() if previous_word else ""
    if inner[-1] in ",." and previous_word in NAMING_WORDS:  # at the "Trois Couronnes," it must be added
        return True
    return inner[-1] not in SPEECH_END and previous_word not in INTRODUCING_VERBS


def _utterance(inner: str, before: str) -> bool:
    """True for short words someone says, named as a thing said inside a
    sentence: after a verb of saying and `a` (`she stammered a "No."`) or
    after a possessive and a word of manner (`her gentle "Come in"`), opening with a
    capital and either ending a sentence or running on in lower case (not
    `his "Old Faithful"`, a name)."""
    lead = _UTTERANCE_LEAD.search(before)
    if lead is None or not inner[:1].isupper():
        return False
    if lead.group("verb") and lead.group("verb").lower() not in UTTERING_VERBS:
        return False
    words = inner.split()
    return inner[-1] in ".!?" or (len(words) > 1 and any(w[:1].islower() for w in words[1:]))


def _is_title(words: str) -> bool:
    """True for title case (`The Old Man and the Sea`): every long word capitalised."""
    return all(w[:1].isupper() for w in words.split() if len(w) > 3)


# --------------------------------------------------------------------------- segments


def segment_paragraph(text: str, paragraph: Paragraph, style: QuoteStyle) -> list[Segment]:
    """The paragraph's narration and dialogue segments, in order."""
    spans = [s for s in find_quotes(text, paragraph.start, paragraph.end, style)
             if not is_mention(text, s, paragraph)]
    segments: list[Segment] = []
    pos = paragraph.start
    for span in spans:
        _add_narration(segments, text, pos, span.start)
        segments.append(Segment(DIALOGUE, strip_controls(text[span.inner_start:span.inner_end]), span.start, span.end))
        pos = span.end
    _add_narration(segments, text, pos, paragraph.end)
    return segments


def _add_narration(segments: list[Segment], text: str, start: int, end: int) -> None:
    """Append the narration in ``text[start:end]``, trimmed; skip it if blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        segments.append(Segment(NARRATION, strip_controls(text[start:end]), start, end))


def continues_quote(chapter: Chapter, index: int) -> bool:
    """True when paragraph `index` re-opens a quote its predecessor left open
    (the same speech running on over a paragraph break)."""
    if index == 0:
        return False
    previous, paragraph = chapter.paragraphs[index - 1], chapter.paragraphs[index]
    if not previous.segments or not paragraph.segments:
        return False
    last, first = previous.segments[-1], paragraph.segments[0]
    text = chapter.source_text
    return (last.is_dialogue and first.is_dialogue and first.start == paragraph.start
            and text[last.start] in QUOTE_MARKS and text[last.end - 1] not in CLOSING_MARKS)


def segment_book(book: Book) -> None:
    """Fill every non-scene-break paragraph's `segments` (narration/dialogue,
    with offsets into chapter.source_text) for all chapters."""
    style = detect_style(
        ch.source_text[p.start:p.end] for ch in book.chapters for p in ch.paragraphs if not p.scene_break
    )
    for chapter in book.chapters:
        for paragraph in chapter.paragraphs:
            if not paragraph.scene_break:
                paragraph.segments = segment_paragraph(chapter.source_text, paragraph, style)
