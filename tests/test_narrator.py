"""Who `I` is in a book told in the first person: never someone `I` only calls."""
from __future__ import annotations

import re

from audiobook.attribution import attribute
from audiobook.model import Book, Chapter, Character, Paragraph
from audiobook.text.quotes import segment_book

CAST = [Character("Nick Carraway", ["Nick"], "male"), Character("Tom Buchanan", ["Tom"], "male")]
STORY = ('I went up to the house at noon. I was early, and I waited on the porch while I thought about it.\n\n'
         'Tom Buchanan came out. I had not seen him for a year, and I did not know what I would say.\n\n'
         '"Tom," I inquired, "what did you say to Wilson that afternoon?"\n\n'
         '"Nothing," said Tom. "Nothing at all, Nick."\n\n'
         '"You told him something," I said.')


def _speakers(text: str, cast: list[Character]) -> list[str]:
    paragraphs = [Paragraph(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text)]
    book = Book("t", [Chapter(1, "t", 0, len(text), paragraphs, source_text=text)])
    segment_book(book)
    attribute(book, cast)
    return [s.speaker for s in book.segments() if s.is_dialogue]


def test_a_name_i_call_someone_by_is_not_my_own():
    said = _speakers(STORY, CAST)
    assert said[0] != "Tom Buchanan" and said[-1] != "Tom Buchanan"
    assert said[2] == "Tom Buchanan"  # his own line, `said Tom`


TALE = ('I sat by the fire with the old knight, and I listened while I could. I was tired, and I said little.\n\n'
        '"Hear now of Sir Gawaine," said Sir Bors. "Sir Gawaine went into the forest. There Sir Gawaine saw a '
        'turret by a tree. Then said Sir Gawaine that he would fight. Sir Gawaine dressed his shield."\n\n'
        '"A strange tale," I said.\n\n'
        '"Sir Gawaine, what say ye?" the damsel cried, in the tale as he told it. "Sir Gawaine smote him down."\n\n'
        '"Go on," I said, and I waited for him to go on.\n\n'
        '"So Sir Gawaine stood upon his feet," said Sir Bors. "Sir Gawaine went his way."')


def test_a_figure_of_a_tale_told_within_the_story_is_not_the_narrator():
    """Sir Gawaine is named in the speeches far more than anyone, and called
    once, but the speeches tell of him doing things: he is not `I`."""
    cast = [Character("Sir Gawaine", ["Gawaine"], "male"), Character("Sir Bors", ["Bors"], "male")]
    said = _speakers(TALE, cast)
    assert "Sir Gawaine" not in said


def test_the_narrator_may_be_named_in_the_narration_now_and_then():
    """A whole novel's narration names its narrator once or twice (`Jane
    Eyre was a plain child, they said`), while the others call her by name
    again and again: she is still `I`."""
    cast = [Character("Jane Eyre", ["Jane"], "female"), Character("Mr. Rochester", ["Rochester"], "male")]
    lines = ["I was ten when I came to the house, and I remember it well. Jane Eyre was a plain child, they said."]
    for n in range(12):
        lines += [f'"Where were you this morning, Jane?" asked Mr. Rochester, for the {n + 1}th time.',
                  '"In the garden, sir," I said.']
    said = _speakers("\n\n".join(lines), cast)
    assert said.count("Jane Eyre") == 12 and said.count("Mr. Rochester") == 12
