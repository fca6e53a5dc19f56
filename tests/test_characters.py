"""A partial cast merges with discovery: listed characters keep their settings, everyone else is still found."""
from __future__ import annotations

import json
from pathlib import Path

from audiobook.attribution.discovery import Discovered
from audiobook.attribution.names import NameIndex
from audiobook.characters import merge_cast
from audiobook.model import Book, Chapter, Character
from audiobook.pipeline import make_script


DATA = Path(__file__).parent / "data" / "casting"
GOLD, SAMPLE_STORY = DATA / "princess.gold.json", DATA / "princess.txt"


def _speakers(script) -> list[tuple[int, str]]:
    return [(s.start, s.speaker) for c in script.book.chapters for s in c.segments if s.kind == "dialogue"]


def _gold_by_quote(script) -> list[tuple[str, str]]:
    """(gold speaker, predicted speaker) for each gold quote."""
    segments = [s for c in script.book.chapters for s in c.segments if s.kind == "dialogue"]
    pairs = []
    for quote in json.loads(GOLD.read_text(encoding="utf-8"))["quotes"]:
        over = [s for s in segments if s.start < quote["end"] and s.end > quote["start"]]
        pairs.append((quote["speaker"], over[0].speaker if over else None))
    return pairs


def _one_to_one(pairs) -> bool:
    """Every gold speaker heard in one predicted name, no name shared by two speakers."""
    names: dict[str, set] = {}
    for gold, predicted in pairs:
        names.setdefault(gold, set()).add(predicted)
    owners = [p for ps in names.values() for p in ps]
    return all(len(ps) == 1 for ps in names.values()) and len(owners) == len(set(owners)) and None not in owners


def test_a_cast_of_one_still_finds_everyone_else(tmp_path):
    story = tmp_path / "princess.txt"
    story.write_text(SAMPLE_STORY.read_text(encoding="utf-8"), encoding="utf-8")
    cast = tmp_path / "cast.yaml"
    cast.write_text("characters:\n  Alex Karev:\n    voice: en-us+m7\n    rate: 150\n", encoding="utf-8")
    script = make_script(story, cast)
    assert _one_to_one(_gold_by_quote(script))
    names = {c.name: c for c in script.characters}
    assert {"Alex", "Dr. Karev"} <= set(names["Alex Karev"].aliases)  # claimed from discovery
    assert names["Alex Karev"].gender == "male"
    assert script.roles["Alex Karev"].voice.rate == 150 and script.roles["Alex Karev"].source == "voices.yaml"
    assert any(name.startswith("Jo") for name in script.roles) and "Mrs. Daniels" in script.roles


def test_a_cast_entry_the_story_never_names_is_reported_once_and_harmless(tmp_path):
    story = tmp_path / "princess.txt"
    story.write_text(SAMPLE_STORY.read_text(encoding="utf-8"), encoding="utf-8")
    cast = tmp_path / "cast.yaml"
    cast.write_text("characters:\n  Alex Karev:\n    aliases: [Alex, Karev, Dr. Karev]\n"
                    "  Elizabeth Bennet:\n    aliases: [Lizzy]\n    gender: female\n", encoding="utf-8")
    with_stranger = make_script(story, cast)
    notes = [n for n in with_stranger.notes if "Elizabeth Bennet" in n]
    assert len(notes) == 1 and notes[0].startswith(f"{cast}:4: ") and "never named" in notes[0]
    assert "Elizabeth Bennet" not in with_stranger.roles
    cast.write_text("characters:\n  Alex Karev:\n    aliases: [Alex, Karev, Dr. Karev]\n", encoding="utf-8")
    assert _speakers(make_script(story, cast)) == _speakers(with_stranger)


def test_ignored_names_are_never_characters(tmp_path):
    story = tmp_path / "princess.txt"
    story.write_text(SAMPLE_STORY.read_text(encoding="utf-8"), encoding="utf-8")
    cast = tmp_path / "cast.yaml"
    cast.write_text("ignore: [Mrs. Daniels]\n", encoding="utf-8")
    script = make_script(story, cast)
    assert "Mrs. Daniels" not in {c.name for c in script.characters} | set(script.roles)
    assert make_script(story, use_cast=False).roles.get("Mrs. Daniels")


def test_the_cast_report_lists_most_lines_first_and_marks_an_unused_entry(tmp_path):
    from audiobook.proposal import find_cast, report, write_proposal

    cast = tmp_path / "cast.yaml"
    mine = "characters:\n  Elizabeth Bennet:\n    gender: female\n  Mrs. Daniels:\n    voice: en-us+f4  # mine\n"
    cast.write_text(mine, encoding="utf-8")
    finding = find_cast(SAMPLE_STORY, cast)
    rows = report(finding)
    lines = [f.lines for f in finding.found if not f.absent]
    assert lines == sorted(lines, reverse=True) and lines[0] > 1
    assert rows[0].startswith("Alex Karev") and "male" in rows[0] and "(Alex" in rows[0] and '"Hey,"' in rows[0]
    daniels = next(r for r in rows if r.startswith("Mrs. Daniels"))
    assert " 3 lines " in daniels and "[new]" not in daniels
    assert rows[-1].startswith("Elizabeth Bennet") and "[not in this story]" in rows[-1]
    assert sum("Elizabeth Bennet" in w for w in finding.cast.warnings) == 1
    single = next((f for f in finding.found if f.lines == 1), None)
    if single:
        assert " 1 line " in next(r for r in rows if r.startswith(single.character.name))
    written = write_proposal(cast, finding)
    assert written.startswith(mine.rstrip("\n")) or "voice: en-us+f4  # mine" in written
    assert "Alex Karev:" in written and "Elizabeth Bennet:\n    gender: female" in written


def test_beside_a_cast_a_character_whose_lines_have_no_speech_verb_is_still_found(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text('Lucy looked out of the window. "What a view!"\n\n'
                     'Mr. Beebe had come in. "It is the best in Florence."\n\n'
                     '"Then I shall stay," Lucy said.\n\n'
                     'Mr. Beebe was at the door. "You should."\n', encoding="utf-8")
    cast = tmp_path / "cast.yaml"
    cast.write_text("characters:\n  Lucy:\n    gender: female\n", encoding="utf-8")
    script = make_script(story, cast)
    assert "Mr. Beebe" in {c.name for c in script.characters}
    assert [speaker for _start, speaker in _speakers(script)][1] == "Mr. Beebe"


def test_beside_a_cast_a_name_seen_only_in_passing_takes_no_lines(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text('William worked for Carston, Waite and Co. all week. Mrs. Morel waited for him.\n\n'
                     '"Is that you?" said Mrs. Morel.\n\n"It is," said William. The pay from Carston, Waite and Co. '
                     'was in his pocket.\n\n"Good."\n', encoding="utf-8")
    cast = tmp_path / "cast.yaml"
    cast.write_text("characters:\n  Mrs. Morel:\n    gender: female\n  William:\n    gender: male\n", encoding="utf-8")
    script = make_script(story, cast)
    assert {c.name for c in script.characters} == {"Mrs. Morel", "William"}



def test_a_pet_name_of_two_listed_characters_is_either_as_the_context_says():
    """A cast leaves `Cathy` out when it stands for two listed Catherines:
    found in the text, it is no third voice, but a name of both, which the
    context settles; a name of nobody listed is still its own character."""
    listed = [Character("Catherine Earnshaw", ["Miss Earnshaw"], "female"),
              Character("Catherine Linton", ["Miss Linton"], "female"), Character("Hindley", [], "male")]
    found = [Discovered(Character("Cathy", ["Miss Cathy"], "female"), speaks=14, mentions=124),
             Discovered(Character("Hindley", [], "male"), speaks=9, mentions=80),
             Discovered(Character("Hinny", [], "male"), speaks=3, mentions=5)]
    book = Book("t", [Chapter(1, "t", 0, 40, [], source_text="Catherine Earnshaw, Catherine Linton, Hindley")])
    merged = merge_cast(book, listed, {"Catherine Earnshaw", "Catherine Linton", "Hindley"}, found)
    names = {c.name: c for c in merged.characters}
    assert set(names) == {"Catherine Earnshaw", "Catherine Linton", "Hindley", "Hinny"}
    assert {"Cathy", "Miss Cathy"} <= set(names["Catherine Earnshaw"].aliases) & set(names["Catherine Linton"].aliases)
    index = NameIndex(merged.characters)
    assert index.lookup("Cathy") == {"Catherine Earnshaw", "Catherine Linton"}
