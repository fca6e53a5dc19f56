"""The editable script: every segment as a TSV row a user can correct.

A row is ``id, speaker, rule, confidence, text``.  A quote's id is a hash of
its words plus its occurrence number among identical quotes (``q1a2b3c4d5-1``),
not an offset, so a correction still finds its quote after other parts of the
story are edited.  Narration rows (ids starting with ``n``) are there to be
read for context; only quote rows are applied.  Changing a quote's speaker
(to a cast name, an alias, ``narrator`` or ``unknown``) is the correction.
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from audiobook.errors import UserError
from audiobook.model import DIALOGUE, UNKNOWN_SPEAKER, Book, Character, Segment

COLUMNS = ("id", "speaker", "rule", "confidence", "text")
NARRATOR = "narrator"
CORRECTED_RULE = "script"
HEADER_COMMENT = (
    "# Correct a quote by changing its speaker (a cast name, an alias, narrator or unknown),\n"
    "# then: audiobook build STORY --script THIS_FILE.  Narration rows (id n...) are context only.\n"
)


@dataclass(frozen=True)
class Correction:
    """A speaker a user gave the quote `id`, from `line` of their script."""

    id: str
    speaker: str
    line: int


# --------------------------------------------------------------------------- ids

def segment_ids(book: Book) -> Iterator[tuple[str, Segment]]:
    """Every segment of `book` in reading order with its stable id."""
    seen: Counter = Counter()
    for segment in book.segments():
        prefix = "q" if segment.kind == DIALOGUE else "n"
        digest = prefix + hashlib.sha1(_normal(segment.text).encode("utf-8")).hexdigest()[:10]
        seen[digest] += 1
        yield f"{digest}-{seen[digest]}", segment


def _normal(text: str) -> str:
    """The words of `text`, whatever their spacing or case."""
    return " ".join(text.split()).casefold()


# --------------------------------------------------------------------------- writing

def script_tsv(book: Book, spoken: Optional[Callable[[Segment], str]] = None) -> str:
    """The whole script as TSV, with a comment saying how to correct it;
    with `spoken`, a last column holds what it says each segment is spoken as."""
    out = io.StringIO()
    out.write(HEADER_COMMENT)
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS + (("spoken",) if spoken else ()))
    for segment_id, segment in segment_ids(book):
        speaker = (segment.speaker or UNKNOWN_SPEAKER) if segment.kind == DIALOGUE else NARRATOR
        writer.writerow([segment_id, speaker, segment.rule or segment.kind,
                         f"{float(segment.confidence):.2f}", " ".join(segment.text.split())]
                        + ([spoken(segment)] if spoken else []))
    return out.getvalue()


# --------------------------------------------------------------------------- reading

def read_corrections(path: str | Path) -> list[Correction]:
    """The quote rows of a user's script, checked line by line."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError("script file not found", name) from None
    except UnicodeDecodeError:
        raise UserError("not UTF-8 text", name) from None
    rows = list(_rows(text))
    if not rows or [cell.strip().lower() for cell in rows[0][1][:2]] != list(COLUMNS[:2]):
        raise UserError(f"the first row must be the header: {' '.join(COLUMNS)} (tab-separated)", name,
                        rows[0][0] if rows else None)
    corrections = []
    for number, row in rows[1:]:
        if len(row) < 2 or not row[0].strip():
            raise UserError("a row needs at least an id and a speaker, separated by a tab", name, number)
        segment_id, speaker = row[0].strip(), row[1].strip()
        if not re.fullmatch(r"[nq][0-9a-f]{10}-\d+", segment_id):
            raise UserError(f"{segment_id!r} is not a segment id (like q1a2b3c4d5e-1)", name, number)
        if segment_id.startswith("q"):
            corrections.append(Correction(segment_id, speaker, number))
    return corrections


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Non-blank, non-comment TSV rows with their 1-based line numbers."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        yield number, next(csv.reader([line], delimiter="\t"))


# --------------------------------------------------------------------------- applying

def apply_corrections(book: Book, corrections: Iterable[Correction], characters: list[Character],
                      path: str | Path, narrator: Optional[str] = None) -> list[str]:
    """Give each corrected quote its new speaker; return a note for every
    correction that matches no quote.  A speaker who is not in the cast is
    a `UserError` naming the line (with a did-you-mean)."""
    name = str(path)
    names = _speaker_names(characters, narrator)
    quotes = dict(segment_ids(book))
    notes = []
    for correction in corrections:
        speaker = _canonical(correction, names, name)
        segment = quotes.get(correction.id)
        if segment is None:
            notes.append(f"{name}:{correction.line}: no quote {correction.id} in the story any more; "
                         f"the correction to {correction.speaker} was not applied")
            continue
        if segment.speaker != speaker:
            segment.speaker, segment.rule, segment.confidence = speaker, CORRECTED_RULE, 1.0
    return notes


def _speaker_names(characters: list[Character], narrator: Optional[str]) -> dict[str, str]:
    """Every name a speaker may be given in a script -> the speaker it means."""
    names = {NARRATOR: narrator or NARRATOR, UNKNOWN_SPEAKER: UNKNOWN_SPEAKER}
    for character in characters:
        for alias in character.names:
            names.setdefault(alias.casefold(), character.name)
    return names


def _canonical(correction: Correction, names: dict[str, str], path: str) -> str:
    found = names.get(correction.speaker.casefold())
    if found is not None:
        return found
    hint = difflib.get_close_matches(correction.speaker.casefold(), list(names), n=1)
    suggestion = f" (did you mean {names[hint[0]]!r}?)" if hint else ""
    raise UserError(f"speaker {correction.speaker!r} is not in the cast{suggestion}; "
                    "add them to voices.yaml under characters", path, correction.line)
