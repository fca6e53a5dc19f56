"""The editable TSV script: stable ids, corrections applied, and heard in a real build."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from audiobook.corrections import read_corrections, segment_ids
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
        if len(cells) == 5 and cells[0].startswith("q") and cells[4] == quote:
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
    assert len(corrected.notes) == 1 and f"{fix}:13: no quote qffffffffff-1" in corrected.notes[0]


def test_an_unknown_speaker_in_the_script_names_its_line(tmp_path):
    fix = tmp_path / "fix.tsv"
    fix.write_text(_correct(script_tsv(make_script(STORY)), "Are you faking?", 1, "Jo Wilsen"), encoding="utf-8")
    with pytest.raises(UserError, match="speaker 'Jo Wilsen' is not in the cast \\(did you mean 'Jo Wilson'") as err:
        make_script(STORY, script=fix)
    assert err.value.line == 4


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
