"""Plain data passed between the pipeline stages.

Nothing here does any work: the stages (text, attribution, casting, synthesis,
assembly, export) take these values in and hand new ones on.  Text-side values
(`Book`, `Chapter`, `Paragraph`, `Segment`, `Character`) carry character
offsets into the source file they came from; audio-side values (`Voice`,
`SpeechJob`, `Cue`, `ChapterAudio`, `BookInfo`) know nothing of parsing.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Iterator, Optional

NARRATION = "narration"
DIALOGUE = "dialogue"
UNKNOWN_SPEAKER = "unknown"
GENDERS = ("male", "female", "unknown")


# --------------------------------------------------------------------------- text side

@dataclass
class Sentence:
    """One utterance of a segment: what the text says and what the engine is given.

    `text` is the original words (shown in subtitles and the script);
    `spoken` is the same words made ready for speech by the normalisation
    stage (numbers, abbreviations, Roman numerals spelled out), before any
    lexicon or engine command.  A very long sentence is cut into several of
    these at clause or word boundaries, so no utterance is unbounded.
    """

    text: str
    spoken: str


@dataclass
class Segment:
    """A run of text read by one voice.

    `start`/`end` are offsets into the chapter's source text.  For dialogue the
    span may include the quotation marks; `text` is what is spoken (marks
    stripped).  `speaker` is None for narration, a canonical character name,
    or ``"unknown"``.  `rule` names the attribution rule that decided the
    speaker and `confidence` is that rule's confidence in [0, 1].
    """

    kind: str
    text: str
    start: int
    end: int
    speaker: Optional[str] = None
    rule: str = ""
    confidence: float = 1.0
    voice: Optional[str] = None  # set by casting: the cast entry whose voice reads it
    sentences: list[Sentence] = field(default_factory=list)  # set by normalisation, in reading order

    @property
    def is_dialogue(self) -> bool:
        return self.kind == DIALOGUE


@dataclass
class Paragraph:
    """A paragraph of the source, split into segments.  A scene break is a
    paragraph with ``scene_break=True`` and no segments."""

    start: int
    end: int
    segments: list[Segment] = field(default_factory=list)
    scene_break: bool = False


@dataclass
class Chapter:
    index: int  # 1-based
    title: str
    start: int
    end: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    source: str = ""  # path of the file the offsets refer to
    source_text: str = field(default="", repr=False)  # that file's whole text
    spoken_title: str = ""  # the title as spoken, set by normalisation

    @property
    def segments(self) -> list[Segment]:
        return [s for p in self.paragraphs for s in p.segments]


@dataclass
class Unread:
    """A stretch of a source text the reader chose not to read: front matter,
    a table of contents, a licence, a chapter not selected.  `source` is the
    file (as in `Chapter.source`) whose text the offsets index."""

    source: str
    start: int
    end: int
    reason: str


@dataclass
class Book:
    title: str
    chapters: list[Chapter]
    source: str = ""  # the story file or folder as given
    author: Optional[str] = None
    year: Optional[str] = None
    cover: Optional[str] = None  # path to an image
    language: Optional[str] = None  # BCP 47 code (``en``, ``en-GB``), where the book says
    description: Optional[str] = None
    series: Optional[str] = None
    series_index: Optional[str] = None
    cover_image: Optional[bytes] = field(default=None, repr=False)  # image bytes from the book itself (EPUB)
    notes: list[str] = field(default_factory=list)  # what the reader tells the user (the encoding it read)
    unread: list["Unread"] = field(default_factory=list)  # text deliberately not read, and why

    def segments(self) -> Iterator[Segment]:
        for chapter in self.chapters:
            yield from chapter.segments


@dataclass
class Character:
    """A person who may speak.  `aliases` are other names the text uses."""

    name: str
    aliases: list[str] = field(default_factory=list)
    gender: str = "unknown"

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


# --------------------------------------------------------------------------- audio side

@dataclass(frozen=True)
class Voice:
    """Engine settings for one voice.  `id` is an engine voice id, optionally
    with an eSpeak variant (``en-us+f3``); rate in words per minute, pitch
    0-100, volume 0.0-1.0."""

    id: str
    rate: int = 175
    pitch: int = 50
    volume: float = 1.0


@dataclass(frozen=True)
class SpeechJob:
    """One independent unit of synthesis: text and voice in, audio out."""

    text: str
    voice: Voice

    def key(self) -> str:
        """A content address for caching: equal jobs give equal keys."""
        blob = json.dumps([self.text, asdict(self.voice)], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class Cue:
    """A timed stretch of a chapter's audio, for subtitles and checks."""

    start_ms: int
    end_ms: int
    speaker: str  # "narrator" or a character name
    text: str


@dataclass
class ChapterAudio:
    index: int
    title: str
    audio: object  # pydub.AudioSegment
    cues: list[Cue] = field(default_factory=list)


@dataclass
class BookInfo:
    """What the export stage needs to know about the book."""

    title: str
    slug: str
    author: Optional[str] = None
    year: Optional[str] = None
    cover: Optional[str] = None
    narrator: Optional[str] = None  # who reads it, for the narrator tags
    language: Optional[str] = None
    description: Optional[str] = None
    series: Optional[str] = None
    series_index: Optional[str] = None
    cover_data: Optional[bytes] = field(default=None, repr=False)  # JPEG/PNG bytes when no `cover` file (EPUB)
