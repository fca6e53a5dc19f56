"""The library API: story in, script or audiobook out.

    from audiobook.pipeline import make_script, build
    script = make_script("stories/princess.txt")          # text stages only, fast
    result = build("stories/princess.txt", out="output")   # the whole pipeline

A user's corrected script (`audiobook.corrections`) is applied after
attribution and before casting, by both.

The CLI is a thin layer over these functions; tests call them directly.
"""
from __future__ import annotations

import contextlib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager, Iterator, Optional, Sequence

from audiobook import casting, corrections
from audiobook.attribution import attribute, discover_characters
from audiobook.errors import UserError
from audiobook.model import DIALOGUE, Book, BookInfo, Chapter, Character, SpeechJob, Voice
from audiobook.text.quotes import segment_book
from audiobook.text.reader import read_story, slugify
from audiobook.text.sentences import ends_sentence, split_clauses, split_sentences, starts_sentence

Progress = Callable[[int, int], None]  # (segments done, segments in all)
Message = Callable[[str], None]


@dataclass
class Script:
    """A book with every segment attributed and cast."""

    book: Book
    cast: casting.Cast
    roles: dict[str, casting.Role]
    slug: str
    characters: list[Character] = field(default_factory=list)  # who may speak, as attributed
    notes: list[str] = field(default_factory=list)  # warnings for the user: cast file, script corrections

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
                author: Optional[str] = None, script: Optional[str | Path] = None,
                use_cast: bool = True) -> Script:
    """Read, segment, attribute and cast a story: everything short of audio.

    `voices` is the cast file (default: found beside the story; none at all
    when `use_cast` is false, so characters are discovered from the text);
    `script` a user's corrected TSV script whose speakers override the
    attribution.
    """
    story = Path(story)
    cast_file = casting.find_cast_file(story, Path(voices) if voices else None) if use_cast else None
    cast = casting.load_cast(cast_file)
    fixes = corrections.read_corrections(script) if script else []
    book = read_story(story, title=title, author=author)
    segment_book(book)
    characters = cast.characters or discover_characters(book)
    attribute(book, characters, narrator=cast.narrator_character)
    notes = list(cast.warnings)
    if script:
        notes += corrections.apply_corrections(book, fixes, characters, script, cast.narrator_character)
    roles = casting.assign_voices(book, cast, characters)
    return Script(book=book, cast=cast, roles=roles, slug=slugify(story.stem if story.is_file() else story.name),
                  characters=characters, notes=notes)


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


def script_tsv(script: Script) -> str:
    """The script as an editable TSV (see `audiobook.corrections`)."""
    return corrections.script_tsv(script.book)


def cast_report(script: Script) -> list[str]:
    """Who reads what: every speaker, its voice, its number of lines and
    where the voice came from, then which speakers fell back to defaults or
    to an automatic voice."""
    roles = list(script.roles.values())
    width = max(len(r.name) for r in roles)
    lines = [f"Cast ({len(roles)} voices, from {script.cast.path or 'no voices.yaml: all automatic'}):"]
    for role in roles:
        voice = role.voice
        lines.append(f"  {role.name:<{width}}  {casting.short_id(voice.id):<14} rate {voice.rate:>3} "
                     f"pitch {voice.pitch:>3}  {_lines_read(script, role):<22} {_origin(role)}")
    for source, label in (("defaults", "fell back to defaults"), ("automatic", "got an automatic voice")):
        names = [r.name for r in roles if r.source == source and r.name != casting.NARRATOR]
        if names:
            lines.append(f"{len(names)} speaker{'s' if len(names) != 1 else ''} {label}: {', '.join(names)}")
    return lines


def _lines_read(script: Script, role: casting.Role) -> str:
    count = f"{role.lines} line{'s' if role.lines != 1 else ''}"
    if role.name != casting.NARRATOR:
        return count
    if role.lines:
        return f"narration, {count} as {script.cast.narrator_character or 'narrator'}"
    return "narration"


def _origin(role: casting.Role) -> str:
    if role.source == "defaults":
        return f"from voices.yaml {role.key.rsplit('.', 1)[0]} (no voice of its own)"
    if role.source == "automatic":
        return "automatic (no voice set)"
    return "from voices.yaml"


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
          cover: Optional[str | Path] = None, script: Optional[str | Path] = None,
          progress: Optional[Progress] = None, message: Optional[Message] = None,
          on_script: Optional[Callable[[Script], None]] = None, engine=None,
          use_cast: bool = True, profile: Optional[str] = None) -> BuildResult:
    """Produce the audiobook of `story` in ``OUT/<story-slug>/`` and say what was written.

    Everything the user gave is checked before any audio is made and before
    anything is written.  `on_script` is told the cast script once it is
    checked, before synthesis starts.  `engine` is a running synthesis
    `Engine` to use (default: one started for this build).  `profile` names
    the output profile (`audiobook.audio.profiles`: default or acx).
    """
    from audiobook.audio.assembly import assemble_chapter, split_parts
    from audiobook.audio.profiles import get_profile
    from audiobook.audio.export import export_book, parse_formats
    from audiobook.audio.tags import read_cover

    started = time.monotonic()
    parse_formats(formats)  # fail on a bad --format before any work
    output = get_profile(profile)
    cast_script = make_script(story, voices, title=title, author=author, script=script, use_cast=use_cast)
    book = cast_script.book
    if cover:
        book.cover = str(cover)
    if book.cover:
        read_cover(book.cover)  # a missing or unreadable cover fails before any synthesis
    with engine_for(engine) as engine:
        check_voices(cast_script, engine)
        out_dir = _writable_folder(Path(out) / cast_script.slug)
        if on_script:
            on_script(cast_script)
        plans = [_pieces_plan(c) for c in book.chapters]
        total = sum(len(plan) for plan in plans)
        counter = _Counter(total, progress)
        chapters_audio = [part for c, plan in zip(book.chapters, plans)
                          for part in split_parts(assemble_chapter(
                              c.index, c.title, _render_plan(engine, cast_script, plan, counter.tick),
                              cast_script.cast.pauses, output), output)]
    info = BookInfo(title=book.title, slug=cast_script.slug, author=book.author, year=book.year, cover=book.cover)
    files = export_book(info, chapters_audio, out_dir, formats, progress=message, profile=output)
    return BuildResult(
        files=files,
        chapters=len(chapters_audio),
        duration_ms=sum(len(c.audio) for c in chapters_audio),
        seconds=time.monotonic() - started,
        segments=total,
        roles=cast_script.roles,
    )


def _writable_folder(folder: Path) -> Path:
    """`folder`, created if need be, or a `UserError` before any work is done."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UserError(f"cannot create the output folder: {err.strerror}", folder) from None
    if not os.access(folder, os.W_OK):
        raise UserError("cannot write into the output folder", folder)
    return folder


def engine_for(engine=None) -> ContextManager:
    """`engine` itself, left running, or else a new `Engine` closed after use."""
    if engine is not None:
        return contextlib.nullcontext(engine)
    from audiobook.audio.synthesis import Engine

    return Engine()


class _Counter:
    """Counts rendered pieces and reports them to a `Progress` callback."""

    def __init__(self, total: int, progress: Optional[Progress]) -> None:
        self.done, self.total, self.progress = 0, total, progress

    def tick(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)


def render_pieces(engine, script: Script, chapter: Chapter, tick: Optional[Callable[[], None]] = None) -> list:
    """Render what `chapter` says, title first, as assembly pieces."""
    return _render_plan(engine, script, _pieces_plan(chapter), tick)


def _render_plan(engine, script: Script, plan: list[_Planned], tick: Optional[Callable[[], None]]) -> list:
    pieces = []
    for planned in plan:
        pieces.append(_render(engine, script, planned))
        if tick:
            tick()
    return pieces


@dataclass
class _Planned:
    role: str
    text: str
    gap: str


def _pieces_plan(chapter: Chapter) -> list[_Planned]:
    """What a chapter says, in order: its title, then every sentence of every
    speakable segment, with the kind of gap that comes before it.

    Sentences are rendered one by one so the pause after a sentence is the
    one voices.yaml sets and subtitles follow the speech sentence by
    sentence.  Within a paragraph, a piece that follows a sentence end gets
    the sentence pause; one that continues a sentence ("Hey," he started.
    "Is it?" asked Tom.) the short dialogue-tag pause; a sentence is cut at
    its inner dashes and ellipses into clauses, so each gets its pause.
    """
    plan = [_Planned(casting.NARRATOR, chapter.title, "none")]
    gap = "chapter_title"
    for paragraph in chapter.paragraphs:
        if paragraph.scene_break:
            gap = "scene_break"
            continue
        for segment in paragraph.segments:
            for sentence in split_sentences(segment.text):
                if not _SPEAKABLE.search(sentence):
                    continue
                if gap == "sentence" and not starts_sentence(sentence):
                    gap = "dialogue_tag"  # "Is the oil in?" asked Tom.
                for number, clause in enumerate(split_clauses(sentence)):
                    plan.append(_Planned(segment.voice or casting.NARRATOR, clause, gap if number == 0 else "clause"))
                gap = "sentence" if ends_sentence(sentence) else "dialogue_tag"
        if gap in ("sentence", "dialogue_tag"):
            gap = "paragraph"
    return plan


_SPEAKABLE = re.compile(r"\w")


def _render(engine, script: Script, plan: _Planned):
    from audiobook.audio.assembly import Piece

    text = casting.spoken_text(plan.text, casting.lexicon_for(plan.role, script.cast))
    voice = script.voice_of(plan.role)
    audio = engine.render(SpeechJob(text, voice))
    return Piece(audio=audio, speaker=plan.role, text=plan.text, gap=plan.gap, gain_db=voice_gain(engine, voice))


def voice_gain(engine, voice: Voice) -> float:
    """The gain that brings `voice` to the book's loudness (measured once per
    voice setting on a fixed passage: see `audiobook.audio.loudness`)."""
    from audiobook.audio.assembly import voice_gain as measured_gain

    return measured_gain(lambda text: engine.render(SpeechJob(text, voice)), voice)


def list_voices(language: Optional[str] = None, engine=None) -> tuple[list, list[str]]:
    """The engine's voices (all, or those speaking `language`: ``en`` takes in
    ``en-us`` and ``en-gb-x-rp``) and the variants usable with any of them."""
    with engine_for(engine) as engine:
        voices, variants = engine.voices(), engine.variants()
    if language:
        wanted = language.strip().lower()
        voices = [v for v in voices if any(_speaks(code, wanted) for code in (*v.languages, casting.short_id(v.id)))]
    return sorted(voices, key=lambda v: casting.short_id(v.id)), variants


def _speaks(code: str, language: str) -> bool:
    code = code.lower()
    return code == language or code.startswith(language + "-")


def check_voices(script: Script, engine) -> None:
    """Check every voice id voices.yaml sets, used or not, and replace every
    role's voice id by the engine's own; a voice the engine lacks fails
    naming the line of voices.yaml that set it."""
    for key, voice_id in casting.configured_voice_ids(script.cast):
        resolve_voice(engine, voice_id, key, script.cast)
    for role in script.roles.values():
        resolved = resolve_voice(engine, role.voice.id, role.key or role.name, script.cast)
        role.voice = Voice(resolved, role.voice.rate, role.voice.pitch, role.voice.volume)


def resolve_voice(engine, voice_id: str, key: str, cast: Optional[casting.Cast] = None) -> str:
    """The engine's id for `voice_id`, or a `UserError` naming `key` (and its
    line in `cast`'s file when it came from there)."""
    try:
        return engine.resolve(voice_id)
    except ValueError as err:
        path = cast.path if cast else None
        raise UserError(f"{key}: {err}", path, cast.line_of(key) if cast else None) from None
