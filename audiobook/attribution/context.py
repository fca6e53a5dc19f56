"""What the attribution rules look at: each quote with its surroundings.

`Story` walks a segmented `Book` once and records, for every dialogue
segment, the narration just before and after it, the paragraph it sits in,
whether it continues a quote from the previous paragraph, and who it
addresses (vocatives such as ``"Jo, I …"``).  It also lists every character
name found in the narration, so that rules can look for subjects of speech
verbs and resolve pronouns to recent characters.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable, Iterator, Optional

from audiobook.attribution.names import POLITE_TITLES, Mention, NameIndex, title_of
from audiobook.model import Book, Segment
from audiobook.text.quotes import continues_quote

#: Words before a name that still leave it a form of address (`Oh, Jo`, `my dear Jo`).
_ADDRESS_LEAD = re.compile(r"(?:^|[,;—–-]|\b(?:oh|o|ah|dear|my|good|well|yes|no|hello|hey|hi|you))\s*$", re.I)
#: A form of address right after a name that opens a line: the name is given, not called (`"Mugridge, sir."`).
THEN_ADDRESSED = re.compile(r",\s*(?:sir|ma['’]?am|madam|mum|my\s+lord|my\s+lady|your\s+(?:honou?r|worship|grace|"
                            r"majesty|highness|excellency))\b", re.I)
#: Words after which a name is an object, not what the sentence is about: a preposition or a transitive
#: verb (`noticed Tom`, `gave Tom`), but for `named` (`a classmate named Stewart`).
_BEFORE_OBJECT = re.compile(
    r"\b(?:(?i:of|to|at|with|for|from|about|by|upon|on|into|towards?|behind|beside|past|near|around|among|against|"
    r"beneath|across|through|over|under|after|before|like|than|gave|told|saw|asked|called|met|kissed|followed|"
    r"watched|let|left|took|found|caught|held|kept|led|bade|sent|brought|struck|knew|heard|taught|shook|woke)|"
    r"(?!named\b)[a-z]{2,}ed)\s+$")
#: How many paragraphs back a pronoun may reach for its character.
PRONOUN_REACH = 6
#: How many paragraphs in a row with no quote end a conversation.
SCENE_GAP = 3


#: What `Story.once` has not worked out yet (None may be an answer).
_MISSING = object()


@dataclass
class Quote:
    """A dialogue segment in its context.  `before`/`after` are the offsets of
    the narration between this quote and its neighbours in the paragraph."""

    segment: Segment
    chapter: int
    paragraph: int
    order: int
    before: tuple[int, int]
    after: tuple[int, int]
    continued: bool = False
    addressees: frozenset[str] = frozenset()
    unnamed: bool = False  # the tag names someone without a name (`a voice said`)
    gender: Optional[str] = None  # the tag's pronoun says the speaker is male or female
    beat_gender: Optional[str] = None  # an unresolved he or she next to an untagged quote says so
    excluded: frozenset[str] = frozenset()  # characters who cannot be the speaker
    tagged: bool = False  # its own tag names the speaker or gives a pronoun for them
    named: set[str] = field(default_factory=set)  # characters the quote's own words name
    mentions: list = field(default_factory=list)  # the names found in the quote's own words (`Mention`s)
    guessed: bool = False  # decided by a guess, or carried from one along a paragraph or a running-on quote
    how: str = ""  # how the sieve last asked found the speaker (for its confidence)
    found_by: str = ""  # how the sieve that decided it found the speaker

    speaker: Optional[str] = None  # as decided (kept on the segment too)

    def decide(self, speaker: str, rule: str, confidence: float) -> None:
        """Record the speaker and the rule that chose it."""
        self.speaker = speaker
        self.segment.speaker, self.segment.rule, self.segment.confidence = speaker, rule, round(confidence, 3)


@dataclass
class Story:
    """A segmented book prepared for attribution."""

    book: Book
    names: NameIndex
    narrator: str = "narrator"
    first_person: bool = False  # the narration is told by one of the characters, as `I`
    narrations: list[tuple[tuple[int, int], str]] = field(default_factory=list)  # where another `I` takes over
    quotes: list[Quote] = field(default_factory=list)
    by_paragraph: dict[tuple[int, int], list[Quote]] = field(default_factory=dict)
    mentions: list[list[Mention]] = field(default_factory=list)  # narration mentions per chapter
    _mention_starts: list[list[int]] = field(default_factory=list)
    _dialogue_spans: list[list[tuple[int, int]]] = field(default_factory=list)  # per chapter, sorted
    quoted_names: Counter = field(default_factory=Counter)  # name -> mentions inside quotes
    addressed: Counter = field(default_factory=Counter)  # name -> quotes addressing them
    kin: dict[str, str] = field(default_factory=dict)  # kin noun (`uncle`) -> the character it stands for
    _by_segment: dict[int, Quote] = field(default_factory=dict)
    cache: dict = field(default_factory=dict)  # what the rules work out once from the text, which never changes
    strict: bool = False  # let a rule's failure on unforeseen text through (tests), instead of skipping it
    failures: int = 0  # rule calls that failed and decided nothing

    @classmethod
    def build(cls, book: Book, names: NameIndex) -> "Story":
        story = cls(book, names)
        for c, chapter in enumerate(book.chapters):
            spans: list[tuple[int, int]] = []
            for p, paragraph in enumerate(chapter.paragraphs):
                story._add_paragraph(c, p, paragraph)
                spans.extend((q.segment.start, q.segment.end) for q in story.by_paragraph.get((c, p), []))
            found = [m for m in names.find(chapter.source_text, chapter.start, chapter.end)
                     if not _inside(spans, m.start)]
            story.mentions.append(found)
            story._dialogue_spans.append(spans)
            story._mention_starts.append([m.start for m in found])
        for quote in story.quotes:
            quote.addressees = story._vocatives(quote)
            story.addressed.update(quote.addressees)
        return story

    def _add_paragraph(self, c: int, p: int, paragraph) -> None:
        """Record the quotes of one paragraph with their narration neighbours."""
        dialogue = [s for s in paragraph.segments if s.is_dialogue]
        if not dialogue:
            return
        chapter = self.book.chapters[c]
        quotes = []
        for i, segment in enumerate(dialogue):
            before_start = dialogue[i - 1].end if i else paragraph.start
            after_end = dialogue[i + 1].start if i + 1 < len(dialogue) else paragraph.end
            quote = Quote(segment, c, p, i, (before_start, segment.start), (segment.end, after_end))
            quote.continued = i == 0 and continues_quote(chapter, p)
            quotes.append(quote)
        self.quotes.extend(quotes)
        self._by_segment.update((id(q.segment), q) for q in quotes)
        self.by_paragraph[(c, p)] = quotes

    def narrator_at(self, quote: Quote) -> str:
        """Who `I` is where the quote stands: the book's narrator, or the one
        telling that part of a book told by several in turn (`narrations`)."""
        i = bisect.bisect_right(self.narrations, ((quote.chapter, quote.paragraph), "\uffff")) - 1
        return self.narrations[i][1] if i >= 0 else self.narrator

    # ------------------------------------------------------------------ text

    def text(self, quote: Quote) -> str:
        return self.text_of(quote.chapter)

    def text_of(self, chapter: int) -> str:
        return self.book.chapters[chapter].source_text

    def before(self, quote: Quote) -> str:
        return self.text(quote)[quote.before[0]:quote.before[1]]

    def after(self, quote: Quote) -> str:
        return self.text(quote)[quote.after[0]:quote.after[1]]

    # ------------------------------------------------------------------ names

    def mentions_between(self, chapter: int, start: int, end: int) -> list[Mention]:
        """Narration mentions starting in [start, end)."""
        starts = self._mention_starts[chapter]
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        return self.mentions[chapter][lo:hi]

    def mention_at(self, chapter: int, offset: int) -> Optional[Mention]:
        """The narration mention starting exactly at `offset`, if any."""
        found = self.mentions_between(chapter, offset, offset + 1)
        return found[0] if found else None

    def paragraph_mentions(self, quote: Quote) -> list[Mention]:
        paragraph = self.book.chapters[quote.chapter].paragraphs[quote.paragraph]
        return self.mentions_between(quote.chapter, paragraph.start, paragraph.end)

    def recent_characters(self, quote: Quote, offset: int) -> Iterator[str]:
        """Characters named in the narration before `offset`, most recent first,
        reaching back a few paragraphs; then the speakers of recent quotes;
        then, nearest first, those named in the next few paragraphs."""
        first = self.paragraphs_back(quote, PRONOUN_REACH)
        for mention in reversed(self.mentions_between(quote.chapter, first, offset)):
            if mention.name:
                yield mention.name
        for other in reversed(self.previous_quotes(quote)):
            if other.speaker:
                yield other.speaker
        chapter = self.book.chapters[quote.chapter]
        last = chapter.paragraphs[min(len(chapter.paragraphs) - 1, quote.paragraph + PRONOUN_REACH)].end
        for mention in self.mentions_between(quote.chapter, offset, last):
            if mention.name:
                yield mention.name

    def prominence(self, chapter: Optional[int] = None) -> Counter:
        """How often the narration of a chapter (or of the whole book) names each character."""
        return self.once(("prominence", chapter), self._prominence, chapter)

    def _prominence(self, chapter: Optional[int]) -> Counter:
        chapters = self.mentions if chapter is None else [self.mentions[chapter]]  # the mentions never change
        return Counter(m.name for mentions in chapters for m in mentions if m.name)

    def previous_quotes(self, quote: Quote) -> list[Quote]:
        """Quotes of the same conversation within reach before this one, in
        order: back to a scene break or a stretch of `SCENE_GAP` paragraphs
        with no quote, which ends the conversation before."""
        return self.once(("previous quotes", id(quote)), self._previous_quotes, quote)  # only speakers change

    def _previous_quotes(self, quote: Quote) -> list[Quote]:
        first = max(self.conversation_start(quote.chapter, quote.paragraph), quote.paragraph - PRONOUN_REACH)
        return [q for p in range(first, quote.paragraph + 1) for q in self.by_paragraph.get((quote.chapter, p), [])
                if (q.paragraph, q.order) < (quote.paragraph, quote.order)]

    def paragraphs_back(self, quote: Quote, paragraphs: int) -> int:
        """The offset where the paragraph `paragraphs` before the quote's starts (at most the chapter's first)."""
        return self.book.chapters[quote.chapter].paragraphs[max(0, quote.paragraph - paragraphs)].start

    def conversation_start(self, chapter: int, paragraph: int) -> int:
        """The first paragraph of the conversation a paragraph belongs to (see `previous_quotes`)."""
        return self.once(("conversation", chapter, paragraph), self._conversation_start, chapter, paragraph)

    def _conversation_start(self, chapter: int, paragraph: int) -> int:
        paragraphs = self.book.chapters[chapter].paragraphs
        first, silent = paragraph, 0
        for p in range(paragraph - 1, max(-1, paragraph - PRONOUN_REACH - 1), -1):
            if paragraphs[p].scene_break:
                break
            silent = 0 if (chapter, p) in self.by_paragraph else silent + 1
            if silent >= SCENE_GAP:
                break
            first = p
        return first

    def once(self, key: Hashable, work: Callable[..., Any], *args: Any) -> Any:
        """What `work(*args)` gives, worked out the first time only and kept
        under `key`: for what the text alone decides, which never changes."""
        found = self.cache.get(key, _MISSING)
        if found is _MISSING:
            found = self.cache[key] = work(*args)
        return found

    def quotes_by_chapter(self) -> dict[int, list[Quote]]:
        """The quotes of each chapter that has any (by its index), in order."""
        chapters: dict[int, list[Quote]] = {}
        for quote in self.quotes:
            chapters.setdefault(quote.chapter, []).append(quote)
        return chapters

    def paragraph_speaker(self, chapter: int, paragraph: int) -> Optional[str]:
        """The speaker of a paragraph's quotes when they agree, else None."""
        speakers = {q.speaker for q in self.by_paragraph.get((chapter, paragraph), []) if q.speaker}
        return speakers.pop() if len(speakers) == 1 else None

    def paragraph_confidence(self, chapter: int, paragraph: int) -> float:
        """How sure the speaker of a paragraph's quotes is: its surest decided quote's confidence."""
        return max((q.segment.confidence for q in self.by_paragraph.get((chapter, paragraph), []) if q.speaker),
                   default=0.0)

    def in_dialogue(self, chapter: int, offset: int) -> bool:
        """True when the offset falls inside a quote."""
        return _inside(self._dialogue_spans[chapter], offset)

    def quote_at(self, segment: Segment) -> Optional[Quote]:
        """The quote of a dialogue segment."""
        return self._by_segment.get(id(segment))

    def has_quotes(self, chapter: int, paragraph: int) -> bool:
        return (chapter, paragraph) in self.by_paragraph

    def _vocatives(self, quote: Quote) -> frozenset[str]:
        """Characters the quote addresses by name (`"Jo, I …"`, `"…, Dr. Wilson?"`), not one it
        names to the one it addresses (`"Mugridge, sir."`)."""
        text = self.text(quote)
        segment = quote.segment
        inner_start = segment.start + (1 if text[segment.start] in "\"“‘'—-" else 0)
        found = set()
        for mention in self.names.find(text, segment.start, segment.end):
            quote.mentions.append(mention)
            self.quoted_names.update(mention.names)
            if mention.name:
                quote.named.add(mention.name)
            if text[mention.start:mention.end].casefold() in POLITE_TITLES:
                continue  # `"I wonder, Monsieur, …"`: anyone may be so called
            lead = text[inner_start:mention.start].rstrip()
            tail = text[mention.end:mention.end + 1]
            at_start = lead.strip("\"“‘'—- ") == ""
            completing = lead.strip("\"“‘' ")[:1] in ("-", "—", "–")  # `"--Mrs. Weston, I suppose,"`: one cut in
            if at_start and tail and tail in ",!?" and not completing and not THEN_ADDRESSED.match(text, mention.end):
                found |= mention.names
            elif not at_start and _ADDRESS_LEAD.search(lead) and (tail == "" or tail in ",.!?;—–\"”’'"):
                found |= mention.names
        return frozenset(found)


_THE = re.compile(r"\b[Tt]he\s+$")
_NEXT_WORDS = re.compile(r"\s+([a-z][a-z-]*)\s+(?:\w+ly\s+)?([a-z]+)\b")
#: Common verbs that do not end in `-ed`, and joining words: never the noun a name qualifies.
_NOT_NOUNS = frozenset("""said says spoke speaks cried cries went goes came comes began begins sang told tells made
took sat stood saw sees thought knew felt was were is are had has did does would could should will shall may might
must and or but who whom whose which that himself herself""".split())
#: Speech verbs that do not end in `-ed`, in their usual forms.
_SPEECH_VERB_FORMS = frozenset("says spoke speaks cries shouts asks answers replies returns whispers".split())


def _qualifies(text: str, end: int) -> bool:
    """True when the name at `end` qualifies the noun after it, which a verb
    then follows (`Steyne emissary cried`; not `Mem Sahib wrung her hands`)."""
    match = _NEXT_WORDS.match(text, end)
    if match is None:
        return False
    noun, verb = match.groups()
    return (noun not in _NOT_NOUNS and not noun.endswith(("ed", "ly"))
            and (verb in _NOT_NOUNS or verb.endswith("ed") or verb in _SPEECH_VERB_FORMS))


def is_subject(text: str, mention: Mention) -> bool:
    """True unless the name is plainly not what a sentence is about: the object
    of a preposition (`the portrait of Countess Amelia`), a possessive (`Jo's`),
    or a name qualifying a noun after `the` (`the Steyne emissary cried`; not
    a title standing alone, `the Captain`)."""
    if text.startswith(("'s", "’s"), mention.end):
        return False
    if _THE.search(text, max(0, mention.start - 4), mention.start) and _qualifies(text, mention.end) \
            and not title_of(text[mention.start:mention.end]):
        return False
    return not _BEFORE_OBJECT.search(text, max(0, mention.start - 14), mention.start)


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    """True when `offset` falls inside one of the sorted spans."""
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]
