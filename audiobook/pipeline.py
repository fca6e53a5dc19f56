"""The library API: story in, script or audiobook out.

    from audiobook.pipeline import make_script, build
    script = make_script("stories/princess.txt")          # text stages only, fast
    result = build("stories/princess.txt", out="output")   # the whole pipeline

The CLI is a thin layer over these functions; tests call them directly.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

from audiobook import casting
from audiobook.attribution import attribute
from audiobook.errors import UserError
from audiobook.model import DIALOGUE, Book, BookInfo, Chapter, SpeechJob, Voice
from audiobook.text.quotes import segment_book
from audiobook.text.reader import read_story, slugify

Progress = Callable[[int, int], None]  # (segments done, segments in all)
Message = Callable[[str], None]


@dataclass
class Script:
    """A book with every segment attributed and cast."""

    book: Book
    cast: casting.Cast
    roles: dict[str, casting.Role]
    slug: str

    def voice_of(self, role: str) -> Voice:
        return self.roles[role].voice


@dataclass
class BuildResult:
    files: list[Path]
    chapters: int
    duration_ms: int
    seconds: float
    segments: int
    roles: dict[str, casting.Role] = field(default_factory=dict)


# --------------------------------------------------------------------------- text stages

def make_script(story: str | Path, voices: Optional[str | Path] = None, title: Optional[str] = None,
                author: Optional[str] = None) -> Script:
    """Read, segment, attribute and cast a story: everything short of audio."""
    story = Path(story)
    cast = casting.load_cast(casting.find_cast_file(story, Path(voices) if voices else None))
    book = read_story(story, title=title, author=author)
    segment_book(book)
    attribute(book, cast.characters or None, narrator=cast.narrator_character)
    roles = casting.assign_voices(book, cast)
    return Script(book=book, cast=cast, roles=roles, slug=slugify(story.stem if story.is_file() else story.name))


def script_json(script: Script) -> dict:
    """The script as the documented JSON contract."""
    return {
        "source": script.book.source,
        "chapters": [
            {
                "index": chapter.index,
                "title": chapter.title,
                "start": chapter.start,
                "end": chapter.end,
                "segments": [
                    {
                        "kind": s.kind,
                        "speaker": s.speaker if s.kind == DIALOGUE else None,
                        "voice": script.voice_of(s.voice).id,
                        "text": s.text,
                        "start": s.start,
                        "end": s.end,
                        "rule": s.rule or s.kind,
                        "confidence": round(float(s.confidence), 3),
                    }
                    for s in chapter.segments
                ],
            }
            for chapter in script.book.chapters
        ],
    }


def script_text(script: Script) -> Iterator[str]:
    """The script for people: a heading per chapter, then `speaker: line`."""
    for chapter in script.book.chapters:
        yield f"## {chapter.index}. {chapter.title}"
        for paragraph in chapter.paragraphs:
            if paragraph.scene_break:
                yield "   * * *"
            for s in paragraph.segments:
                who = s.speaker if s.kind == DIALOGUE else "narrator"
                yield f"{who}: {s.text}"
        yield ""


# --------------------------------------------------------------------------- audio stages

def build(story: str | Path, voices: Optional[str | Path] = None, out: str | Path = "output",
          formats: Sequence[str] = ("mp3",), title: Optional[str] = None, author: Optional[str] = None,
          cover: Optional[str | Path] = None, progress: Optional[Progress] = None,
          message: Optional[Message] = None) -> BuildResult:
    """Produce the audiobook of `story` in ``OUT/<story-slug>/`` and say what was written."""
    from audiobook.audio.assembly import assemble_chapter
    from audiobook.audio.export import export_book, parse_formats
    from audiobook.audio.synthesis import Engine
    from audiobook.audio.tags import read_cover

    started = time.monotonic()
    parse_formats(formats)  # fail on a bad --format before any work
    script = make_script(story, voices, title=title, author=author)
    book = script.book
    if cover:
        book.cover = str(cover)
    if book.cover:
        read_cover(book.cover)  # a missing or unreadable cover fails before any synthesis
    with Engine() as engine:
        _resolve_voices(script, engine)
        total = sum(len(_pieces_plan(c)) for c in book.chapters)
        done = 0
        chapters_audio = []
        for chapter in book.chapters:
            pieces = []
            for plan in _pieces_plan(chapter):
                pieces.append(_render(engine, script, plan))
                done += 1
                if progress:
                    progress(done, total)
            chapters_audio.append(assemble_chapter(chapter.index, chapter.title, pieces, script.cast.pauses))
    info = BookInfo(title=book.title, slug=script.slug, author=book.author, year=book.year, cover=book.cover)
    files = export_book(info, chapters_audio, Path(out) / script.slug, formats, progress=message)
    return BuildResult(
        files=files,
        chapters=len(chapters_audio),
        duration_ms=sum(len(c.audio) for c in chapters_audio),
        seconds=time.monotonic() - started,
        segments=total,
        roles=script.roles,
    )


@dataclass
class _Planned:
    role: str
    text: str
    gap: str


def _pieces_plan(chapter: Chapter) -> list[_Planned]:
    """What a chapter says, in order: its title, then every speakable segment
    with the kind of gap that comes before it."""
    plan = [_Planned(casting.NARRATOR, chapter.title, "none")]
    gap = "chapter_title"
    for paragraph in chapter.paragraphs:
        if paragraph.scene_break:
            gap = "scene_break"
            continue
        for segment in paragraph.segments:
            if not _SPEAKABLE.search(segment.text):
                continue
            plan.append(_Planned(segment.voice or casting.NARRATOR, segment.text, gap))
            gap = "sentence"
        if gap == "sentence":
            gap = "paragraph"
    return plan


_SPEAKABLE = re.compile(r"\w")


def _render(engine, script: Script, plan: _Planned):
    from audiobook.audio.assembly import Piece

    text = casting.spoken_text(plan.text, casting.lexicon_for(plan.role, script.cast))
    audio = engine.render(SpeechJob(text, script.voice_of(plan.role)))
    return Piece(audio=audio, speaker=plan.role, text=plan.text, gap=plan.gap)


def _resolve_voices(script: Script, engine) -> None:
    """Replace every role's voice id by the engine's own id, or fail naming
    the line of voices.yaml that set it."""
    for role in script.roles.values():
        try:
            resolved = engine.resolve(role.voice.id)
        except ValueError as err:
            line = script.cast.line_of(role.key) if role.key else None
            raise UserError(f"{role.key or role.name}: {err}", script.cast.path, line) from None
        role.voice = Voice(resolved, role.voice.rate, role.voice.pitch, role.voice.volume)
