"""Discovery finds people the way a reader would: not places, families or glued words; one character per person."""
from __future__ import annotations

from audiobook.attribution.discovery import discover_characters
from audiobook.text.quotes import segment_book
from audiobook.text.reader import read_story

STORY = """\
Poor Hollis had walked all the way from Raveloe. In Raveloe the lanes were wet, and the road to Raveloe was long.
"I am tired," said Hollis. He sat down by the fire.

Then Mrs. Hall came in. "Tea, Mr. Hollis?" asked Mrs. Hall. She poured it without waiting.
"Thank you, Mrs. Hall," Hollis said.

The Ashtons had gone to Wuthering Heights for the winter, and at Wuthering Heights nobody spoke of the Ashtons.

The poor man said nothing. Across the room Elizabeth Grey looked up from her work. "Lizzy, my dear," said her aunt, "you have not eaten."
"I am not hungry," Lizzy said, and she smiled.
"Nonsense, Lizzy," said Elizabeth's aunt.
Elizabeth laughed. "Very well."

Her brother Robin came in from the yard. "Is there tea?" asked Robin.
"There is," Elizabeth said. Robin sat down.
"""


def _characters(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    book = read_story(path)
    segment_book(book)
    return {c.name: c for c in discover_characters(book)}


def test_people_are_found_and_places_families_and_openers_are_not(tmp_path):
    found = _characters(tmp_path)
    names = {n for c in found.values() for n in c.names}
    assert "Hollis" in names and "Mrs. Hall" in names
    assert not {"Raveloe", "Wuthering Heights", "Ashtons", "Poor Hollis", "Then Mrs", "Hall"} & names


def test_a_pet_form_the_text_links_is_one_character(tmp_path):
    found = _characters(tmp_path)
    owners = [c.name for c in found.values() if {"Lizzy", "Elizabeth Grey"} & set(c.names)]
    assert len(owners) == 1
    assert {"Lizzy", "Elizabeth Grey"} <= set(found[owners[0]].names)


def test_gender_from_titles_pronouns_and_kin_nouns(tmp_path):
    found = _characters(tmp_path)
    assert found["Mrs. Hall"].gender == "female"
    robin = next(c for c in found.values() if "Robin" in c.names)
    assert robin.gender == "male"  # `her brother Robin`: no pronoun of his own
