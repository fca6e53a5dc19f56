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
