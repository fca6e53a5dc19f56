"""Hear a voice before building the book: a character's first lines in their
narration context, or any text in any voice.

    from audiobook.preview import preview_character, preview_voice
    path = preview_character("stories/princess.txt", "Jo", lines=2, pitch=70)
    path = preview_voice("Are you faking?", "en-us+m3", rate=160)

Each writes one short MP3 in ``OUT/preview/`` and returns its path.
"""
from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Optional

from audiobook import casting
from audiobook.errors import UserError
from audiobook.model import DIALOGUE, Chapter, SpeechJob, Voice
from audiobook.pipeline import Script, check_voices, engine_for, make_script, render_pieces, resolve_voice
from audiobook.text.normalise import speakable
from audiobook.text.reader import slugify

PREVIEW_FOLDER = "preview"


def preview_character(story: str | Path, name: str, lines: int = 3, voices: Optional[str | Path] = None,
                      script: Optional[str | Path] = None, out: str | Path = "output",
                      voice: Optional[str] = None, rate: Optional[int] = None, pitch: Optional[int] = None,
                      volume: Optional[float] = None, engine=None) -> Path:
    """Render the first `lines` lines of the character `name` (a cast name or
    alias), with the paragraphs they stand in, and return the MP3's path.
    `voice`, `rate`, `pitch` and `volume` override the character's cast
    settings for this preview only.  `engine`: a running `Engine` to use."""
    from audiobook.audio.assembly import assemble_chapter
    from audiobook.audio.export import write_mp3

    cast_script = make_script(story, voices, script=script)
    speaker = find_speaker(cast_script, name)
    chapter = excerpt(cast_script, speaker, lines)
    with engine_for(engine) as engine:
        check_voices(cast_script, engine)
        role = cast_script.roles.get(speaker) or cast_script.roles[casting.NARRATOR]
        settings = {"id": voice, "rate": rate, "pitch": pitch, "volume": volume}
        role.voice = replace(role.voice, **{k: v for k, v in settings.items() if v is not None})
        role.voice = replace(role.voice, id=resolve_voice(engine, role.voice.id, "--voice"))
        audio = assemble_chapter(1, chapter.title, render_pieces(engine, cast_script, chapter),
                                 cast_script.cast.pauses).audio
    return write_mp3(audio, Path(out) / PREVIEW_FOLDER / f"{cast_script.slug}-{slugify(speaker)}.mp3")


def preview_voice(text: str, voice: str, rate: int = 175, pitch: int = 50, volume: float = 1.0,
                  out: str | Path = "output", engine=None) -> Path:
    """Render `text` in `voice` (an engine id, short id or name, with an
    optional ``+variant``) and return the MP3's path.  `engine`: a running
    `Engine` to use."""
    from audiobook.audio.export import write_mp3

    if not text.strip():
        raise UserError("give some text to say, e.g. audiobook preview --voice en-us+f3 \"Hello there.\"")
    with engine_for(engine) as engine:
        engine_id = resolve_voice(engine, voice, "--voice")
        audio = engine.render(SpeechJob(casting.spoken_text(speakable(text), {}), Voice(engine_id, rate, pitch, volume)))
    return write_mp3(audio, Path(out) / PREVIEW_FOLDER / f"voice-{slugify(voice)}.mp3")


def find_speaker(script: Script, name: str) -> str:
    """The speaker `name` means (cast name or alias, any case), or a
    `UserError` with the speakers the story has."""
    wanted = name.strip().casefold()
    for character in script.characters:
        if wanted in (n.casefold() for n in character.names):
            return character.name
    speakers = sorted(r for r in script.roles if r != casting.NARRATOR)
    if wanted in (s.casefold() for s in speakers):
        return next(s for s in speakers if s.casefold() == wanted)
    hint = difflib.get_close_matches(name, speakers, n=1)
    suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
    raise UserError(f"no character {name!r} speaks in the story{suggestion}; speakers: {', '.join(speakers)}",
                    script.book.source)


def excerpt(script: Script, speaker: str, lines: int) -> Chapter:
    """A chapter made of the paragraphs holding `speaker`'s first `lines`
    lines, titled with the speaker's name."""
    paragraphs, found = [], 0
    for chapter in script.book.chapters:
        for paragraph in chapter.paragraphs:
            said = sum(1 for s in paragraph.segments if s.kind == DIALOGUE and s.speaker == speaker)
            if said and found < lines:
                paragraphs.append(paragraph)
                found += said
    if not paragraphs:
        raise UserError(f"{speaker} has no lines in the story", script.book.source)
    return Chapter(index=1, title=speaker, start=paragraphs[0].start, end=paragraphs[-1].end,
                   paragraphs=paragraphs)
