"""Speaker attribution: who says each quote.

`attribute` sets `speaker`, `rule` and `confidence` on every dialogue
segment of a segmented book, with the ordered rules of
`audiobook.attribution.rules`: each pairs a quote-to-mention sieve
(`mentions`, reading the tag grammar of `grammar` over the sentence
subjects of `subjects`) with mention-to-speaker
sieves (`speakers`); `engine` runs them and spreads their decisions.  `discover_characters` finds the characters
of a book when no cast is given.
"""
from __future__ import annotations

from typing import Optional

from audiobook.attribution.context import Story
from audiobook.attribution.narrator import first_person_character, is_first_person, narrator_sections
from audiobook.attribution.discovery import discover_characters
from audiobook.attribution.names import NameIndex
from audiobook.attribution.engine import run_rules
from audiobook.model import Book, Character

__all__ = ["attribute", "discover_characters"]

NARRATOR = "narrator"


def narrator_name(story: Story, narrator: Optional[str]) -> str:
    """The name first-person speech goes to: the declared narrator, else the
    cast's character called narrator, else the character the first-person
    narration seems to belong to, else ``"narrator"``."""
    return declared_narrator(story, narrator) or first_person_character(story) or NARRATOR


def declared_narrator(story: Story, narrator: Optional[str]) -> Optional[str]:
    """The narrator the user names: declared, or the cast's character called narrator."""
    if narrator:
        return narrator
    for character in story.names.characters.values():
        if NARRATOR in (n.casefold() for n in character.names):
            return character.name
    return None


def attribute(book: Book, cast: Optional[list[Character]], narrator: Optional[str] = None,
              strict: bool = False) -> Story:
    """Set speaker, rule and confidence on every dialogue segment.  `cast`
    None means discover the characters from the text.  Speaker is a canonical
    cast name (an alias maps to its character) or "unknown".  Whatever the
    text, every quote gets a speaker: a rule failing on text it was not
    written for decides nothing there (`strict` raises instead, for tests).
    Returns the story the rules read, each quote with its context (for tools
    that measure the rules)."""
    characters = discover_characters(book) if cast is None else cast
    story = Story.build(book, NameIndex(characters))
    story.strict = strict
    try:
        declared = declared_narrator(story, narrator)
        story.narrator = declared or first_person_character(story) or NARRATOR
        story.first_person = is_first_person(story)
        if not declared:  # one the user names tells the whole book; with no `I` found, only headings say who
            story.narrations = narrator_sections(story, story.narrator, by_answers=story.narrator != NARRATOR)
    except Exception:  # text the narrator finder was not written for: `I` stays the narrator
        if strict:
            raise
        story.narrator = narrator or NARRATOR
    return run_rules(story)
