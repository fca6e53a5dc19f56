"""The engine's voices and eSpeak's variants: listing them, and resolving
what a user writes (``en-gb``, ``en-us+f3``, ``English (America)+m3``) to the
engine's own id (``gmw/en``, ``gmw/en-us+f3``).

Every form the listing prints resolves: a voice's id, the last part of its
id, any of its language codes and its name; a variant's listed id (its file
name, with a space written as ``-``: ``mr-serious`` for ``Mr serious``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Protocol, Sequence

# eSpeak's standard variants, used when its data folder cannot be listed.
STANDARD_VARIANTS = {**{f"m{i}": "male" for i in range(1, 9)}, **{f"f{i}": "female" for i in range(1, 6)},
                     "croak": "male", "whisper": "male", "whisperf": "female", "klatt": "unknown",
                     "klatt2": "unknown", "klatt3": "unknown", "klatt4": "unknown"}


class _Voice(Protocol):
    id: str
    name: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    """An eSpeak voice variant: its file name (what the engine takes after
    ``+``), the id the listing shows, and its gender as the file declares it."""

    name: str
    gender: str = "unknown"

    @property
    def id(self) -> str:
        return self.name.replace(" ", "-")


def read_variants(folder: Path) -> list[Variant]:
    """The variants in eSpeak's ``voices/!v`` folder, with the gender each
    file's ``gender`` line gives (``unknown`` when it has none)."""
    if not folder.is_dir():
        return [Variant(name, gender) for name, gender in STANDARD_VARIANTS.items()]
    found = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name.lower()):
        if path.is_file():
            found.append(Variant(path.name, _declared_gender(path)))
    return found


def _declared_gender(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "unknown"
    match = re.search(r"^\s*gender\s+(\w+)", text, re.MULTILINE | re.IGNORECASE)
    gender = match.group(1).lower() if match else ""
    return gender if gender in ("male", "female") else "unknown"


def listed_ids(voices: Sequence[_Voice]) -> dict[str, str]:
    """Engine id -> the id the listing shows for it: its first language code
    (``en-gb`` for ``gmw/en``), else the last part of its id (``en-us``),
    else the id itself; always one that `resolve` turns back into this voice."""
    names = voice_names(voices)
    shown = {}
    for voice in voices:
        for form in (_language_id(voice), voice.id.rsplit("/", 1)[-1], voice.id):
            if form and names.get(_fold(form)) == voice.id:
                shown[voice.id] = form
                break
        else:
            shown[voice.id] = voice.id
    return shown


def _language_id(voice: _Voice) -> str:
    tail = voice.id.rsplit("/", 1)[-1]
    first = voice.languages[0].lower() if voice.languages else ""
    return first if first and " " not in first and len(first) <= max(len(tail), 6) else ""


def voice_names(voices: Sequence[_Voice]) -> dict[str, str]:
    """Every accepted spelling of a voice (lower case) -> the engine's id.
    Stronger forms win: a full id over a short one over a language code
    over a name."""
    names: dict[str, str] = {}
    for forms in (lambda v: [v.id], lambda v: [v.id.rsplit("/", 1)[-1]], lambda v: [_language_id(v)],
                  lambda v: list(v.languages), lambda v: [v.name]):
        for voice in voices:
            for form in forms(voice):
                if form:
                    names.setdefault(_fold(form), voice.id)
    return names


def _fold(name: str) -> str:
    return re.sub(r"[\s_-]+", "-", name.strip().lower())


def resolve(voice_id: str, voices: Sequence[_Voice], variants: Iterable[Variant]) -> str:
    """The engine's id for `voice_id`, or ValueError saying why not."""
    base, plus, variant = voice_id.strip().partition("+")
    engine_id = voice_names(voices).get(_fold(base))
    if engine_id is None:
        raise ValueError(f"unknown voice {base!r} (`audiobook voices` lists them)")
    if not plus:
        return engine_id
    known = {_fold(v.name): v.name for v in variants}
    if _fold(variant) not in known:
        raise ValueError(f"unknown voice variant {variant!r} (`audiobook voices` lists them)")
    return f"{engine_id}+{known[_fold(variant)]}"


def variant_gender(voice_id: str, variants: Iterable[Variant]) -> str:
    """The gender of the variant in `voice_id` (``en-us+f3`` -> female), else unknown."""
    _base, plus, variant = voice_id.partition("+")
    if not plus:
        return "unknown"
    return next((v.gender for v in variants if _fold(v.name) == _fold(variant)), "unknown")
