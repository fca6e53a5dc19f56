"""Casting: read voices.yaml, and give every segment of a book its voice.

voices.yaml::

    narrator:            # the voice of narration (and of chapter titles)
      voice: en-us       # engine voice id, optionally with an eSpeak variant: en-us+f3
      rate: 165          # words per minute
      pitch: 50          # 0-100
      volume: 1.0        # 0.0-1.0
      character: Jane    # optional: the story is told in the first person by Jane
    characters:          # may list only some: everyone else is still found in the text
      Alex Karev:
        aliases: [Alex, Karev, Dr. Karev]   # other names for the same person
        gender: male     # male | female | unknown
        voice: en-us+m3
    ignore: [Hartfield, Ma'am]   # names that are not characters: never voiced
    defaults:            # voice settings for speakers without a voice of their own
      female: {voice: en-us+f2, pitch: 60}
    lexicon:             # word -> respelling, or eSpeak phonemes in [[...]]
      Karev: KAR-ev
    pauses:              # milliseconds
      paragraph: 600

Every mistake is reported as a `UserError` naming the file, line and key.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

from audiobook import safeyaml
from audiobook.errors import UserError
from audiobook.model import GENDERS, NARRATION, UNKNOWN_SPEAKER, Book, Character, Voice
from audiobook.palette import Palette

NARRATOR = "narrator"
VOICE_KEYS = ("voice", "rate", "pitch", "volume")
RANGES = {"rate": (80, 450), "pitch": (0, 100), "volume": (0.0, 1.0)}

DEFAULT_NARRATOR = Voice("gmw/en-us", rate=165, pitch=45)
# Pauses between pieces by the boundary between them (ms; each varies a little
# with the length of what came before).  A speaker change adds to the sentence
# and paragraph pauses; a dialogue tag ("Yes," she said) stays under eSpeak's
# own comma pause; a clause cut at a dash or ellipsis inside a line, or a line
# ending in one, keeps at least the dash's or the ellipsis's pause.
DEFAULT_PAUSES = {"sentence": 350, "paragraph": 750, "speaker_change": 200, "scene_break": 1800,
                  "chapter_title": 1200, "dialogue_tag": 40, "clause": 150, "dash": 250, "ellipsis": 500}

TOP_KEYS = ("narrator", "characters", "ignore", "defaults", "lexicon", "pauses")
CHARACTER_KEYS = ("aliases", "gender", *VOICE_KEYS, "lexicon")
NARRATOR_KEYS = (*VOICE_KEYS, "character")


@dataclass
class CastMember:
    """A character's entry: who they are and, optionally, how they sound."""

    character: Character
    voice: dict[str, Any] = field(default_factory=dict)  # only the keys the user set
    lexicon: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # key -> line in the file


@dataclass
class Cast:
    """Everything voices.yaml says."""

    path: Optional[str] = None
    narrator: Voice = DEFAULT_NARRATOR
    narrator_character: Optional[str] = None
    members: dict[str, CastMember] = field(default_factory=dict)
    defaults: dict[str, dict[str, Any]] = field(default_factory=dict)
    lexicon: dict[str, str] = field(default_factory=dict)
    pauses: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PAUSES))
    lines: dict[str, int] = field(default_factory=dict)  # "narrator.voice" etc. -> line
    warnings: list[str] = field(default_factory=list)
    ignore: frozenset[str] = frozenset()  # names that are not characters (places, forms of address)

    @property
    def characters(self) -> list[Character]:
        return [m.character for m in self.members.values()]

    def line_of(self, key: str) -> Optional[int]:
        return self.lines.get(key)


@dataclass
class Role:
    """A voice as cast: who it is for, its settings, and whether it was a fallback."""

    name: str
    voice: Voice
    source: str  # "voices.yaml", "defaults" or "automatic"
    key: Optional[str] = None  # where in voices.yaml its voice id was set, e.g. "characters.Jo.voice"
    lines: int = 0


# --------------------------------------------------------------------------- loading

def find_cast_file(story: Path, explicit: Optional[Path] = None) -> Optional[Path]:
    """`--voices FILE`, else ``STORY.voices.yaml`` beside the story, else ``./voices.yaml``."""
    if explicit is not None:
        if not Path(explicit).is_file():
            raise UserError("voices file not found", explicit)
        return Path(explicit)
    base = story.parent / story.name if story.is_dir() else story.with_suffix("")
    for candidate in (Path(f"{base}.voices.yaml"), Path("voices.yaml")):
        if candidate.is_file():
            return candidate
    return None


def load_cast(path: Optional[Path]) -> Cast:
    """Read and check voices.yaml (an empty Cast when `path` is None)."""
    if path is None:
        return Cast()
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserError("not UTF-8 text", name) from None
    except OSError as err:
        raise UserError(f"cannot read the cast file: {err.strerror}", name) from None
    root = safeyaml.compose(text, name)
    cast = Cast(path=name)
    if root is None:
        return cast
    top = _mapping(root, name, "the file")
    _check_keys(top, TOP_KEYS, name, "")
    if "narrator" in top:
        _read_narrator(cast, top["narrator"], name)
    if "characters" in top:
        _read_characters(cast, top["characters"], name)
    if "ignore" in top:
        cast.ignore = frozenset(_string_list(top["ignore"], name, "ignore"))
    if "defaults" in top:
        _read_defaults(cast, top["defaults"], name)
    if "lexicon" in top:
        cast.lexicon = _read_lexicon(top["lexicon"], name, "lexicon")
    if "pauses" in top:
        _read_pauses(cast, top["pauses"], name)
    return cast


def _read_narrator(cast: Cast, pair, name: str) -> None:
    key_node, node = pair
    fields = _mapping(node, name, "narrator")
    _check_keys(fields, NARRATOR_KEYS, name, "narrator.")
    settings = _voice_settings(fields, name, "narrator")
    cast.narrator = replace(DEFAULT_NARRATOR, **settings)
    cast.lines.update({f"narrator.{k}": fields[k][0].start_mark.line + 1 for k in fields})
    if "character" in fields:
        cast.narrator_character = _string(fields["character"], name, "narrator.character")


def _read_characters(cast: Cast, pair, name: str) -> None:
    _key, node = pair
    entries = _mapping(node, name, "characters")
    owner: dict[str, str] = {}
    for char_name, (key_node, value) in entries.items():
        where = f"characters.{char_name}"
        fields = {} if _is_null(value) else _mapping(value, name, where)
        _check_keys(fields, CHARACTER_KEYS, name, where + ".")
        aliases = _string_list(fields["aliases"], name, where + ".aliases") if "aliases" in fields else []
        gender = "unknown"
        if "gender" in fields:
            gender = _string(fields["gender"], name, where + ".gender").lower()
            if gender not in GENDERS:
                raise UserError(f"{where}.gender must be one of {', '.join(GENDERS)}, not {gender!r}",
                                name, _line(fields["gender"]))
        member = CastMember(
            character=Character(name=char_name, aliases=aliases, gender=gender),
            voice=_voice_settings(fields, name, where),
            lexicon=_read_lexicon(fields["lexicon"], name, where + ".lexicon") if "lexicon" in fields else {},
            lines={k: fields[k][0].start_mark.line + 1 for k in fields},
        )
        member.lines["name"] = key_node.start_mark.line + 1
        cast.lines.update({f"{where}.{k}": line for k, line in member.lines.items()})
        for alias in aliases:
            first = owner.setdefault(alias.casefold(), char_name)
            if first != char_name:
                cast.warnings.append(f"{name}:{_line(fields['aliases'])}: alias {alias!r} is listed under "
                                     f"{first} and {char_name}; the story's context decides")
        cast.members[char_name] = member


def _read_defaults(cast: Cast, pair, name: str) -> None:
    _key, node = pair
    genders = _mapping(node, name, "defaults")
    _check_keys(genders, GENDERS, name, "defaults.")
    for gender, (key_node, value) in genders.items():
        fields = _mapping(value, name, f"defaults.{gender}")
        _check_keys(fields, VOICE_KEYS, name, f"defaults.{gender}.")
        cast.defaults[gender] = _voice_settings(fields, name, f"defaults.{gender}")
        cast.lines.update({f"defaults.{gender}.{k}": fields[k][0].start_mark.line + 1 for k in fields})


def _read_lexicon(pair, name: str, where: str) -> dict[str, str]:
    """Word -> respelling.  A value may carry eSpeak phonemes in balanced
    ``[[...]]``; nothing else of the engine's syntax (its ``\\x01`` commands,
    any control character) is let through, and a word must be a word."""
    _key, node = pair
    entries = _mapping(node, name, where)
    lexicon = {}
    for word, value_pair in entries.items():
        key_line = value_pair[0].start_mark.line + 1
        if not word.strip() or not re.search(r"\w", word):
            raise UserError(f"{where} has an empty word {word!r}: every entry needs a word to replace",
                            name, key_line)
        if _CONTROL.search(word) or "[[" in word or "]]" in word:
            raise UserError(f"{where} word {word!r} holds control characters or [[ ]]", name, key_line)
        spoken = _string(value_pair, name, f"{where}.{word}")
        if not _balanced_phonemes(spoken):
            raise UserError(f"{where}.{word} has an unbalanced [[ or ]]: phonemes go in one [[...]] pair",
                            name, _line(value_pair))
        lexicon[word] = spoken
    return lexicon


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _balanced_phonemes(text: str) -> bool:
    """True when ``[[`` and ``]]`` come only in pairs, one pair closed before the next opens."""
    rest = _PHONEMES.sub("", text)
    return "[[" not in rest and "]]" not in rest


_PHONEMES = re.compile(r"\[\[(?:(?!\[\[|\]\]).)*\]\]", re.DOTALL)


def _read_pauses(cast: Cast, pair, name: str) -> None:
    _key, node = pair
    entries = _mapping(node, name, "pauses")
    _check_keys(entries, tuple(DEFAULT_PAUSES), name, "pauses.")
    for key, value_pair in entries.items():
        value = _scalar(value_pair)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10000:
            raise UserError(f"pauses.{key} must be a whole number of milliseconds from 0 to 10000",
                            name, _line(value_pair))
        cast.pauses[key] = value


# --------------------------------------------------------------------------- YAML helpers

def _mapping(node, name: str, where: str) -> dict[str, tuple]:
    """A YAML mapping node as {key: (key_node, value_node)}, checking its shape."""
    if not isinstance(node, yaml.MappingNode):
        raise UserError(f"{where} must be a mapping of keys to values", name, node.start_mark.line + 1)
    result = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise UserError(f"{where} has a key that is not a name", name, key_node.start_mark.line + 1)
        result[key_node.value] = (key_node, value_node)
    return result


def _check_keys(fields: dict, allowed: tuple, name: str, prefix: str) -> None:
    for key, (key_node, _value) in fields.items():
        if key not in allowed:
            hint = difflib.get_close_matches(key, allowed, n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else f" (expected one of: {', '.join(allowed)})"
            raise UserError(f"unknown key {prefix}{key}{suggestion}", name, key_node.start_mark.line + 1)


def _scalar(pair) -> Any:
    _key, node = pair
    if not isinstance(node, yaml.ScalarNode):
        return node  # the caller reports the wrong type
    return yaml.safe_load(yaml.serialize(node))


def _is_null(node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _line(pair) -> int:
    return pair[1].start_mark.line + 1


def _string(pair, name: str, where: str) -> str:
    value = _scalar(pair)
    if isinstance(value, (bool, dict, list)) or value is None or isinstance(value, yaml.Node):
        raise UserError(f"{where} must be text", name, _line(pair))
    if _CONTROL.search(str(value)):
        raise UserError(f"{where} holds a control character", name, _line(pair))
    if len(str(value)) > MAX_TEXT:
        raise UserError(f"{where} is longer than {MAX_TEXT} characters", name, _line(pair))
    return str(value)


MAX_TEXT = 500  # a name, a voice id or a respelling: never a paragraph


def _string_list(pair, name: str, where: str) -> list[str]:
    _key, node = pair
    if _is_null(node):
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise UserError(f"{where} must be a list of names, like [Alex, Dr. Karev]", name, _line(pair))
    return [_string((None, item), name, where) for item in node.value]


def _voice_settings(fields: dict, name: str, where: str) -> dict[str, Any]:
    """The voice keys present in `fields`, type- and range-checked."""
    settings: dict[str, Any] = {}
    for key in VOICE_KEYS:
        if key not in fields:
            continue
        pair = fields[key]
        if key == "voice":
            settings["voice"] = _string(pair, name, f"{where}.voice").strip()
            continue
        value = _scalar(pair)
        low, high = RANGES[key]
        number_ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not number_ok or not low <= value <= high:
            raise UserError(f"{where}.{key} must be a number from {low} to {high}, not {value!r}",
                            name, _line(pair))
        settings[key] = float(value) if key == "volume" else int(round(value))
    if "voice" in settings:
        settings["id"] = settings.pop("voice")
    return settings


def configured_voice_ids(cast: Cast) -> list[tuple[str, str]]:
    """Every voice id the cast file sets, with its key (``characters.Jo.voice``),
    so they can all be checked against the engine, used or not."""
    found = [("narrator.voice", cast.narrator.id)] if "narrator.voice" in cast.lines else []
    found += [(f"characters.{name}.voice", m.voice["id"]) for name, m in cast.members.items() if "id" in m.voice]
    found += [(f"defaults.{gender}.voice", s["id"]) for gender, s in cast.defaults.items() if "id" in s]
    return found


def configured_voices(cast: Cast) -> list[Voice]:
    """The narrator's voice and every voice a character's entry sets, as
    `assign_voices` will give them (ids as the file spells them), each once."""
    voices = [cast.narrator]
    for member in cast.members.values():
        if "id" in member.voice:
            voices.append(replace(_base_for(member.character.gender, cast), **member.voice))
    return list(dict.fromkeys(voices))


# --------------------------------------------------------------------------- casting

def assign_voices(book: Book, cast: Cast, characters: Iterable[Character] = ()) -> dict[str, Role]:
    """Set `segment.voice` to a role name on every segment and return the
    roles, the narrator first, then the speakers most lines first.

    `characters` are who may speak as attribution knows them (with the
    genders it guessed when the cast gives none).

    Narration, chapter titles and the narrator's own lines get the narrator's
    role.  A speaker with a voice in the cast gets it; any other speaker gets
    the cast's `defaults` for their gender, or else an automatic voice
    (`audiobook.palette`: inside its gender's band, the most distinct ones
    for the speakers with most lines, the same on every run).  Nobody falls
    back to the narrator silently: the returned roles say which voices came
    from where.
    """
    members = cast.members
    genders = {c.name: c.gender for c in characters}
    genders.update({name: m.character.gender for name, m in members.items()
                    if m.character.gender != "unknown" or name not in genders})
    narrator_names = {NARRATOR}
    if cast.narrator_character:
        narrator_names.add(cast.narrator_character)

    def role_name(segment) -> str:
        if segment.kind == NARRATION or segment.speaker is None:
            return NARRATOR
        if segment.speaker in narrator_names and not (
                segment.speaker in members and "id" in members[segment.speaker].voice):
            return NARRATOR
        return segment.speaker or UNKNOWN_SPEAKER

    segments = list(book.segments())
    names = [role_name(segment) for segment in segments]
    lines = Counter(name for name, segment in zip(names, segments) if segment.kind != NARRATION)
    first_seen = {name: i for i, name in reversed(list(enumerate(names)))}
    speakers = sorted((n for n in first_seen if n != NARRATOR), key=lambda n: (-lines[n], first_seen[n]))

    roles = {NARRATOR: Role(NARRATOR, cast.narrator, "voices.yaml" if cast.path else "automatic",
                            key="narrator.voice")}
    taken = {cast.narrator} | {replace(_base_for(m.character.gender, cast), **m.voice)
                               for m in members.values() if "id" in m.voice}
    automatic = Palette(taken)
    for speaker in speakers:
        member = members.get(speaker)
        gender = genders.get(speaker, "unknown")
        if member and "id" in member.voice:
            role = Role(speaker, replace(_base_for(gender, cast), **member.voice), "voices.yaml",
                        key=f"characters.{speaker}.voice")
        elif gender in cast.defaults and "id" in cast.defaults[gender]:
            settings = {**cast.defaults[gender], **(member.voice if member else {})}
            role = Role(speaker, replace(DEFAULT_NARRATOR, **settings), "defaults",
                        key=f"defaults.{gender}.voice")
        else:
            voice = automatic.next(gender)
            if member:
                voice = replace(voice, **member.voice)
            role = Role(speaker, voice, "automatic")
        roles[speaker] = role
    for name, segment in zip(names, segments):
        segment.voice = name
    for name, count in lines.items():
        roles[name].lines = count
    return roles


def _base_for(gender: str, cast: Cast) -> Voice:
    settings = cast.defaults.get(gender, {})
    return replace(DEFAULT_NARRATOR, **settings) if settings else DEFAULT_NARRATOR


def short_id(voice_id: str) -> str:
    """A voice id without its language family, lower case: ``gmw/en-us+F3`` -> ``en-us+f3``."""
    return voice_id.strip().rsplit("/", 1)[-1].lower()


# --------------------------------------------------------------------------- lexicon

def spoken_text(text: str, lexicon: dict[str, str]) -> str:
    """What the engine is given for `text`, already normalised for speech
    (`audiobook.text.normalise`): every lexicon word (whole word, any case)
    replaced by its respelling or ``[[phonemes]]``."""
    if not lexicon:
        return text
    folded = {w.casefold(): spoken for w, spoken in lexicon.items()}
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(lexicon, key=len, reverse=True))
                         + r")(?!\w)", re.IGNORECASE)
    return pattern.sub(lambda m: folded[m.group(0).casefold()], text)


def lexicon_for(role: str, cast: Cast) -> dict[str, str]:
    """The book's lexicon with the role's own entries on top."""
    member = cast.members.get(role)
    return {**cast.lexicon, **(member.lexicon if member else {})}
