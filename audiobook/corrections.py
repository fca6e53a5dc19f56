"""The editable script: every segment as a TSV row a user can correct.

A row is ``id, speaker, attributed, check, rule, confidence, text``.  A
quote's id is a hash of its words plus its occurrence number among identical
quotes (``q1a2b3c4d5-1``), not an offset, so a correction still finds its
quote after other parts of the story are edited.  Narration rows (ids
starting with ``n``) are there to be read for context; only quote rows are
applied.  Changing a quote's speaker (to a cast name, an alias, ``narrator``
or ``unknown``) is the correction: `attributed` keeps the speaker the tool
chose, so only the rows whose speaker differs from it are corrections, and
the rest stay context (a script written before that column existed applies
every quote row).  `check` ranks the least confident tenth of the quotes,
1 first: the ones most worth checking.
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

COLUMNS = ("id", "speaker", "attributed", "check", "rule", "confidence", "text")
#: The share of the quotes, least confident first, that the `check` column ranks.
CHECK_SHARE = 0.1
NARRATOR = "narrator"
CORRECTED_RULE = "script"
HEADER_COMMENT = (
    "# Correct a quote by changing its speaker (a cast name, an alias, narrator or unknown),\n"
    "# then: audiobook build STORY --script THIS_FILE.  Only rows whose speaker differs from\n"
    "# attributed are applied; narration rows (id n...) are context only.  Check the rows\n"
    "# numbered in the check column first (1 = least sure).\n"
)


@dataclass(frozen=True)
class Correction:
    """A speaker a user gave the quote `id`, from `line` of their script."""

    id: str
    speaker: str
    line: int
    attributed: Optional[str] = None  # the speaker the script was written with, if it says

    @property
    def changed(self) -> bool:
        """True when the user gave the quote another speaker than the one it was written with."""
        return self.attributed is None or " ".join(self.speaker.split()).casefold() != " ".join(
            self.attributed.split()).casefold()


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
    ids = list(segment_ids(book))
    quotes = [(i, s) for i, s in ids if s.kind == DIALOGUE]
    ranks = {i: rank for rank, (i, _) in enumerate(least_confident(quotes, max(1, round(len(quotes) * CHECK_SHARE))),
                                                   start=1)}
    for segment_id, segment in ids:
        speaker = (segment.speaker or UNKNOWN_SPEAKER) if segment.kind == DIALOGUE else NARRATOR
        writer.writerow([segment_id, speaker, speaker, ranks.get(segment_id, ""), segment.rule or segment.kind,
                         f"{float(segment.confidence):.2f}", " ".join(segment.text.split())]
                        + ([spoken(segment)] if spoken else []))
    return out.getvalue()


def least_confident(quotes: list[tuple[str, Segment]], n: int) -> list[tuple[str, Segment]]:
    """The `n` quotes (id, segment) whose speakers the attribution is least sure of, least sure first."""
    return sorted(quotes, key=lambda item: float(item[1].confidence))[:max(0, n)]


def review(book: Book, n: int, width: int = 240) -> Iterator[str]:
    """The `n` least confident quotes, least sure first, each with its id,
    speaker, rule and confidence, and the text around it (the quote in
    brackets, reaching into the paragraphs before and after, marked `¶`,
    when its own holds little more), for a user to check before anything else."""
    places = {id(s): (c, i) for c in book.chapters for i, p in enumerate(c.paragraphs) for s in p.segments}
    quotes = [(i, s) for i, s in segment_ids(book) if s.kind == DIALOGUE]
    for rank, (segment_id, segment) in enumerate(least_confident(quotes, n), start=1):
        chapter, index = places[id(segment)]
        before, after = _around(chapter, index, segment, width // 2)
        quote = " ".join(segment.text.split())
        yield (f"{rank}. {segment_id}  {segment.speaker or UNKNOWN_SPEAKER}  ({segment.rule or 'none'}, "
               f"confidence {float(segment.confidence):.2f})  in {_where(chapter)}")
        yield f"   {before} [{quote}] {after}".rstrip()


def _where(chapter) -> str:
    """The chapter as the user sees it: its title, and its place in the book
    when the title is not just that (`Chapter 11: Conscience` is the 12th
    part of a book with a preface)."""
    title = chapter.title.strip()
    if not title:
        return f"part {chapter.index}"
    plain = title.casefold() in (f"chapter {chapter.index}", str(chapter.index))
    return title if plain else f"{title} (part {chapter.index})"


def _around(chapter, index: int, segment: Segment, reach: int) -> tuple[str, str]:
    """About `reach` characters of the chapter's text before and after the
    segment, paragraph breaks shown as `¶`, cut short marked `…`."""
    text, paragraphs = chapter.source_text, chapter.paragraphs
    before, p, end = [], index, segment.start
    while p >= 0 and sum(map(len, before)) < reach:
        before.insert(0, " ".join(text[paragraphs[p].start:end].split()))
        p -= 1
        end = paragraphs[p].end
    after, p, start = [], index, segment.end
    while p < len(paragraphs) and sum(map(len, after)) < reach:
        after.append(" ".join(text[start:paragraphs[p].end].split()))
        p += 1
        start = paragraphs[p].start if p < len(paragraphs) else len(text)
    before_text, after_text = " ¶ ".join(before).strip(), " ¶ ".join(after).strip()
    if len(before_text) > reach:
        before_text = "… " + before_text[len(before_text) - reach:].lstrip()
    if len(after_text) > reach:
        after_text = after_text[:reach].rstrip() + " …"
    return before_text, after_text


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
    header = [cell.strip().lower() for cell in rows[0][1]] if rows else []
    if header[:2] != list(COLUMNS[:2]):
        raise UserError(f"the first row must be the header: {' '.join(COLUMNS)} (tab-separated)", name,
                        rows[0][0] if rows else None)
    attributed = header.index("attributed") if "attributed" in header else None
    corrections = []
    for number, row in rows[1:]:
        if len(row) < 2 or not row[0].strip():
            raise UserError("a row needs at least an id and a speaker, separated by a tab", name, number)
        segment_id, speaker = row[0].strip(), row[1].strip()
        if not re.fullmatch(r"[nq][0-9a-f]{10}-\d+", segment_id):
            raise UserError(f"{segment_id!r} is not a segment id (like q1a2b3c4d5e-1)", name, number)
        was = row[attributed].strip() if attributed is not None and attributed < len(row) else None
        if segment_id.startswith("q"):
            corrections.append(Correction(segment_id, speaker, number, was))
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
    """Give each quote whose speaker the user changed its new speaker (the
    rows left as written are context and pin nothing); return a note for
    every correction that matches no quote.  A speaker who is not in the cast is
    a `UserError` naming the line (with a did-you-mean)."""
    name = str(path)
    names = _speaker_names(characters, narrator)
    quotes = dict(segment_ids(book))
    notes = []
    for correction in corrections:
        if not correction.changed:
            continue  # the speaker as the tool gave it: context, not a correction
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
