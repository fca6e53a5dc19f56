"""Who is in a story, and a voices.yaml proposal for them.

`find_cast` lists the characters the story's text shows (those of an
existing cast file and the ones discovered, most lines first), with how many
lines each speaks and their first line.  `merge_proposal` adds them to a voices.yaml
*text*: new characters are appended under ``characters:`` and missing keys
are added to existing entries, so every setting, comment and the order the
user wrote stay as they were.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

import yaml

from audiobook import casting, safeyaml
from audiobook.attribution import attribute
from audiobook.characters import cast_characters
from audiobook.errors import UserError
from audiobook.model import DIALOGUE, Character, Voice
from audiobook.text.quotes import segment_book
from audiobook.text.reader import read_story

INDENT = "  "
PROPOSED_KEYS = ("aliases", "gender", "voice", "rate", "pitch")


@dataclass
class Found:
    """A character as the story shows them."""

    character: Character
    lines: int = 0
    first_line: str = ""
    in_cast: bool = False  # already has an entry in the cast file
    voice: Optional[Voice] = None  # the voice casting gives them
    absent: bool = False  # a cast entry the story never names


@dataclass
class CastFinding:
    cast: casting.Cast
    found: list[Found] = field(default_factory=list)


def find_cast(story: str | Path, cast_file: Optional[Path] = None) -> CastFinding:
    """The characters of `story`, most lines first: the cast file's (which
    claim every discovered form of their names) and everyone else the text
    shows.  A cast entry the story never names is kept at the end, with a
    warning, so the report shows it is unused."""
    cast = casting.load_cast(cast_file)
    book = read_story(Path(story))
    segment_book(book)
    merged = cast_characters(book, cast)
    characters = merged.characters
    attribute(book, characters, narrator=cast.narrator_character)
    cast.warnings.extend(merged.notes)
    proposed_cast = casting.Cast(path=cast.path, narrator=cast.narrator, narrator_character=cast.narrator_character,
                                 members={c.name: replace(cast.members.get(c.name) or casting.CastMember(c),
                                                          character=c) for c in characters},
                                 defaults=cast.defaults)
    roles = casting.assign_voices(book, proposed_cast, characters)
    found = {c.name: Found(c, in_cast=c.name in cast.members) for c in characters}
    for segment in book.segments():
        entry = found.get(segment.speaker or "") if segment.kind == DIALOGUE else None
        if entry:
            entry.lines += 1
            entry.first_line = entry.first_line or " ".join(segment.text.split())
    for entry in found.values():
        role = roles.get(entry.character.name)
        entry.voice = role.voice if role else None
    ordered = sorted(found.values(), key=lambda f: -f.lines)
    ordered += [Found(cast.members[name].character, in_cast=True, absent=True) for name in merged.absent]
    return CastFinding(cast=cast, found=ordered)


def report(finding: CastFinding) -> list[str]:
    """One line per character: name, aliases, gender, lines, first line."""
    rows = []
    width = max((len(f.character.name) for f in finding.found), default=4)
    for entry in finding.found:
        aliases = f" ({', '.join(entry.character.aliases)})" if entry.character.aliases else ""
        first = f'  "{_clip(entry.first_line)}"' if entry.first_line else ""
        origin = "  [not in this story]" if entry.absent else "" if entry.in_cast else "  [new]"
        rows.append(f"{entry.character.name:<{width}}  {entry.character.gender:<7} {entry.lines:>3} line{'s' if entry.lines != 1 else ' '}"
                    f"{origin}{aliases}{first}")
    return rows


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- voices.yaml text

def merge_proposal(text: str, finding: CastFinding) -> str:
    """`text` (a voices.yaml, possibly empty) with the proposal merged in:
    an entry for every speaking character not yet in it, and the missing
    keys of existing entries.  Nothing the text already sets is changed."""
    lines = text.splitlines()
    root = safeyaml.compose(text, finding.cast.path) if text.strip() else None
    characters = _top_value(root, "characters")
    speaking = [f for f in finding.found if f.lines or f.in_cast]
    if characters is None or _is_null(characters):
        entries = [line for f in speaking for line in _entry(f, INDENT, set())]
        if not text.strip():
            return _joined(_fresh(finding, entries))
        if not entries:
            return text
        return _joined(_without_null_characters(lines, root) + ["", "characters:", *entries])
    if not isinstance(characters, yaml.MappingNode) or characters.flow_style:
        raise UserError("characters must be written one per line (block style) for a proposal to be merged",
                        finding.cast.path, characters.start_mark.line + 1)
    inserts: list[tuple[int, list[str]]] = []
    existing = {key.value: (key, value) for key, value in characters.value}
    indent = " " * characters.value[0][0].start_mark.column if characters.value else INDENT
    for entry in speaking:
        if entry.character.name in existing:
            inserts.append(_missing_keys(entry, *existing[entry.character.name], lines))
    new = [line for f in speaking if f.character.name not in existing for line in _entry(f, indent, set())]
    if new:
        inserts.append((_end_line(characters, lines), new))
    # Bottom up, so earlier positions stay valid; at one position, later inserts go below earlier ones.
    for _order, (at, added) in sorted(enumerate(inserts), key=lambda p: (p[1][0], p[0]), reverse=True):
        lines[at:at] = added
    return _joined(lines)


def _fresh(finding: CastFinding, entries: list[str]) -> list[str]:
    """A whole new voices.yaml around the character `entries`."""
    narrator = finding.cast.narrator
    return ["# The cast: `audiobook voices` lists the voice ids; `audiobook preview` plays a character.",
            "narrator:", f"{INDENT}voice: {casting.short_id(narrator.id)}", f"{INDENT}rate: {narrator.rate}",
            f"{INDENT}pitch: {narrator.pitch}", "", "characters:", *entries]


def _entry(entry: Found, indent: str, present: set[str]) -> list[str]:
    """The YAML lines of one character entry (its name line, then its keys)."""
    return [f"{indent}{_scalar(entry.character.name)}:", *_keys(entry, indent + INDENT, present)]


def _keys(entry: Found, indent: str, present: set[str]) -> list[str]:
    """Lines for the proposed keys of `entry` not in `present`."""
    values = {"aliases": entry.character.aliases or None, "gender": entry.character.gender}
    if entry.voice is not None and "voice" not in present:
        values.update(voice=casting.short_id(entry.voice.id), rate=entry.voice.rate, pitch=entry.voice.pitch)
    return [f"{indent}{key}: {_scalar(values[key])}" for key in PROPOSED_KEYS
            if key not in present and values.get(key) is not None]


def _missing_keys(entry: Found, key_node, value, lines: list[str]) -> tuple[int, list[str]]:
    """Where to insert, and the lines of, the keys an existing entry lacks."""
    if _is_null(value):
        indent = " " * key_node.start_mark.column + INDENT
        return key_node.start_mark.line + 1, _keys(entry, indent, set())
    if not isinstance(value, yaml.MappingNode) or value.flow_style or not value.value:
        return 0, []
    present = {k.value for k, _v in value.value}
    indent = " " * value.value[0][0].start_mark.column
    return _end_line(value, lines), _keys(entry, indent, present)


def _end_line(node, lines: list[str]) -> int:
    """The index of the line after a block node's last non-blank, non-comment line."""
    last = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node
    end = last.end_mark.line + (1 if last.end_mark.column else 0)
    while end > 0 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return max(end, last.start_mark.line + 1)


def _top_value(root, key: str):
    if not isinstance(root, yaml.MappingNode):
        return None
    return next((value for k, value in root.value if k.value == key), None)


def _is_null(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _without_null_characters(lines: list[str], root) -> list[str]:
    """`lines` without a bare ``characters:`` line (it is written again with entries)."""
    key = next((k for k, _v in root.value if k.value == "characters"), None) if isinstance(
        root, yaml.MappingNode) else None
    if key is None:
        return lines
    return lines[:key.start_mark.line] + lines[key.start_mark.line + 1:]


def _scalar(value) -> str:
    """`value` as one line of YAML (quoted where YAML needs it)."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()
    return dumped.removesuffix("\n...").removesuffix("...").strip()


def _joined(lines: list[str]) -> str:
    return "\n".join(lines).rstrip("\n") + "\n"


def write_proposal(path: Path, finding: CastFinding) -> str:
    """Merge the proposal into the cast file at `path` (created if missing),
    check the result loads, write it whole, and return the new text."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    new = merge_proposal(old, finding)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(new, encoding="utf-8")
    try:
        casting.load_cast(partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return new
