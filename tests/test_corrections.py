"""The editable TSV script: stable ids, corrections applied, and heard in a real build."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook.cli import main
from audiobook.corrections import COLUMNS, HEADER_COMMENT, read_corrections, segment_ids
from audiobook.errors import UserError
from audiobook.pipeline import build, make_script, script_tsv

DATA = Path(__file__).parent / "data" / "casting"
STORY = DATA / "short.txt"
VTT_VOICE = re.compile(r"<v ([^>]+)>(.*)")


def _correct(tsv: str, quote: str, occurrence: int, speaker: str) -> str:
    """`tsv` with the speaker of the `occurrence`-th row quoting `quote` changed."""
    rows, seen = [], 0
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) == len(COLUMNS) and cells[0].startswith("q") and cells[-1] == quote:
            seen += 1
            if seen == occurrence:
                cells[1] = speaker
        rows.append("\t".join(cells))
    return "\n".join(rows) + "\n"


def test_identical_quotes_get_occurrence_numbers_and_ids_survive_other_edits(tmp_path):
    ids = [i for i, _s in segment_ids(make_script(STORY).book)]
    assert len(ids) == len(set(ids))
    good_morning = [i for i in ids if i.endswith(("-1", "-2")) and i.startswith("qe062ef7019")]
    assert len(good_morning) == 2
    edited = tmp_path / "short.txt"
    edited.write_text(STORY.read_text(encoding="utf-8").replace("Jo glared at him.", "Jo glared at him, hard."),
                      encoding="utf-8")
    (tmp_path / "short.voices.yaml").write_text((DATA / "short.voices.yaml").read_text(), encoding="utf-8")
    new_ids = [i for i, _s in segment_ids(make_script(edited).book)]
    assert {i for i in ids if i.startswith("q")} == {i for i in new_ids if i.startswith("q")}


def test_a_correction_changes_that_quote_only_and_unmatched_ones_are_reported(tmp_path):
    original = make_script(STORY)
    fix = tmp_path / "fix.tsv"
    fix.write_text(_correct(script_tsv(original), "Good morning,", 2, "Jo") + "qffffffffff-1\tJo\t\t\tgone\n",
                   encoding="utf-8")
    corrected = make_script(STORY, script=fix)
    before = [(s.text, s.speaker) for s in original.book.segments()]
    after = [(s.text, s.speaker) for s in corrected.book.segments()]
    changed = [(b, a) for b, a in zip(before, after) if b != a]
    assert changed == [(("Good morning,", "Alex Karev"), ("Good morning,", "Jo Wilson"))]
    assert len(corrected.notes) == 1 and f"{fix}:{HEADER_COMMENT.count(chr(10)) + 11}: no quote qffffffffff-1" in corrected.notes[0]


def test_an_unknown_speaker_in_the_script_names_its_line(tmp_path):
    fix = tmp_path / "fix.tsv"
    fix.write_text(_correct(script_tsv(make_script(STORY)), "Are you faking?", 1, "Jo Wilsen"), encoding="utf-8")
    with pytest.raises(UserError, match="speaker 'Jo Wilsen' is not in the cast \\(did you mean 'Jo Wilson'") as err:
        make_script(STORY, script=fix)
    assert err.value.line == HEADER_COMMENT.count("\n") + 2  # the first row after the header


def test_rows_left_as_written_pin_nothing_after_the_story_changes(tmp_path):
    """Only the row whose speaker was changed is a correction: a quote edited
    since (its id gone) whose row was never touched warns of nothing."""
    tsv = _correct(script_tsv(make_script(STORY)), "Good morning,", 2, "Jo")
    edited = tmp_path / "short.txt"
    edited.write_text(STORY.read_text(encoding="utf-8").replace('"Are you faking?"', '"Are you faking it?"'),
                      encoding="utf-8")
    (tmp_path / "short.voices.yaml").write_text((DATA / "short.voices.yaml").read_text(), encoding="utf-8")
    fix = tmp_path / "fix.tsv"
    fix.write_text(tsv, encoding="utf-8")
    fresh, corrected = make_script(edited), make_script(edited, script=fix)
    assert corrected.notes == []
    changed = [(a.text, a.speaker, a.rule) for a, b in zip(corrected.book.segments(), fresh.book.segments())
               if (a.speaker, a.rule) != (b.speaker, b.rule)]
    assert changed == [("Good morning,", "Jo Wilson", "script")]


def test_a_script_from_before_the_attributed_column_applies_every_quote_row(tmp_path):
    fix = tmp_path / "fix.tsv"
    fix.write_text("id\tspeaker\trule\tconfidence\ttext\nqffffffffff-1\tJo\t\t\tgone\n", encoding="utf-8")
    assert len(make_script(STORY, script=fix).notes) == 1


def test_the_check_column_ranks_the_least_confident_quotes_first():
    rows = [row.split("\t") for row in script_tsv(make_script("stories/princess.txt")).splitlines()
            if row.startswith("q")]
    check, confidence = COLUMNS.index("check"), COLUMNS.index("confidence")
    ranked = sorted((int(r[check]), float(r[confidence])) for r in rows if r[check])
    assert len(ranked) == round(len(rows) / 10) and [rank for rank, _ in ranked] == list(range(1, len(ranked) + 1))
    assert [c for _, c in ranked] == sorted(c for _, c in ranked)
    assert max(c for _, c in ranked) <= min(float(r[confidence]) for r in rows if not r[check])


def test_review_lists_the_least_confident_quotes_with_their_context():
    result = CliRunner().invoke(main, ["script", "stories/princess.txt", "--review", "3"])
    assert result.exit_code == 0, result.output
    heads = [line for line in result.stdout.splitlines() if line[:2] in ("1.", "2.", "3.")]
    contexts = [line for line in result.stdout.splitlines() if line.startswith("   ")]
    assert len(heads) == len(contexts) == 3
    confidences = [float(re.search(r"confidence ([0-9.]+)", h).group(1)) for h in heads]
    assert confidences == sorted(confidences)
    assert all("[" in c and "]" in c for c in contexts)


def test_a_quote_reviewed_shows_the_paragraphs_around_it(tmp_path):
    """A line that is a paragraph of its own is judged by the lines before and
    after it: the review reaches into them, marking the paragraph breaks."""
    from audiobook.corrections import review
    story = tmp_path / "story.txt"
    story.write_text('Jo sat by the fire with Tom.\n\n"Is it late?"\n\n"It is," said Tom.\n', encoding="utf-8")
    lines = list(review(make_script(story, use_cast=False).book, 3))
    context = next(line for line in lines if "[Is it late?]" in line)
    assert "Jo sat by the fire with Tom. ¶ " in context and " ¶ " in context.split("[Is it late?]")[1]
    assert "It is," in context.split("[Is it late?]")[1]


def test_a_script_without_its_header_is_refused(tmp_path):
    fix = tmp_path / "fix.tsv"
    fix.write_text("q42731b2d4b-1\tJo\n", encoding="utf-8")
    with pytest.raises(UserError, match="header"):
        read_corrections(fix)


def test_a_correction_is_heard_in_the_next_build(tmp_path, engine):
    """Two real builds: exactly one subtitle line changes voice."""
    fix = tmp_path / "fix.tsv"
    fix.write_text(_correct(script_tsv(make_script(STORY)), "Good morning,", 2, "Jo"), encoding="utf-8")
    plain = build(STORY, out=tmp_path / "plain", engine=engine)
    fixed = build(STORY, out=tmp_path / "fixed", script=fix, engine=engine)
    cues = [VTT_VOICE.findall(next(p for p in result.files if p.suffix == ".vtt").read_text(encoding="utf-8"))
            for result in (plain, fixed)]
    assert len(cues[0]) == len(cues[1]) > 5
    changed = [(a, b) for a, b in zip(*cues) if a != b]
    assert changed == [(("Alex Karev", "Good morning,"), ("Jo Wilson", "Good morning,"))]


def test_a_reviewed_quote_names_its_chapter_as_the_user_sees_it(tmp_path):
    """After a preface the 12th part is `Chapter 11`: the review gives the
    title, with the part number only where the two differ."""
    from audiobook.corrections import review
    story = tmp_path / "story.txt"
    story.write_text("Preface\n\nA word first.\n\nChapter 1\n\nJo sat by the fire with Tom.\n\n\"Is it late?\"\n\n"
                     "Chapter 2\n\n\"It is,\" said Tom.\n", encoding="utf-8")
    heads = [line for line in review(make_script(story, use_cast=False).book, 5) if line[:1].isdigit()]
    assert heads and all(" in " in h for h in heads)
    assert any(h.endswith("in Chapter 1 (part 2)") for h in heads)
    assert not any("chapter 2: Chapter 1" in h for h in heads)
