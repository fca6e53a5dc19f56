"""Attribution finishes on any text: generated and mangled paragraphs run
through the real quote finder and the real attribution rules."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.attribution import attribute
from audiobook.errors import UserError
from audiobook.model import UNKNOWN_SPEAKER, Book, Chapter, Character, Paragraph
from audiobook.text.quotes import segment_book
from audiobook.text.reader import read_story

CAST = [
    Character("Alex Karev", ["Alex", "Karev", "Dr. Karev"], "male"),
    Character("Jo Wilson", ["Jo", "Dr. Wilson"], "female"),
    Character("Mrs. Daniels", [], "female"),
    Character("the old man", [], "male"),
]
WORDS = """Alex Karev Jo Wilson Mrs. Daniels Dr. Karev Mr. Mrs. Miss old man the a an his her my I we he she
him it they said asked replied cried saying was who whom when and but then to at of looked spoke began
name is am Jo's Alex's again softly stranger voice Mademoiselle""".split()
MARKS = ['"', "“", "”", "'", "‘", "’", "«", "»", "„"]
PUNCTUATION = [". . . .", ". . .", "…", "--", "—", "–", "-", ".", ",", ";", ":", "!", "?", ". .", " ", "  ", "\n",
               "\t", "(", ")", "*", "_"]
FRAGMENT = st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKS), st.sampled_from(PUNCTUATION),
                     st.text(max_size=4))
#: A paragraph as a writer might put it, before mangling.
TEMPLATES = ['"{a}," {n} said{p} "{b}"', '{n} {v} . . . . "{a}"', '"{a}" {v} {n}.', '{n}-- "{a}--" "{b}."',
             '"{a}" was {n}\'s only reply.', 'She stammered a "{a}" and {n} laughed.', '{a}" said {n}.',
             '"{a}, {n}," he said, "{b}', "'{a},' {n} whispered.", '"My name is {n}," {v}.',
             'Her gentle "{a}" brought {n}.', 'He gave a hearty "{a}!" to {n}.', '{n} came in, a tall stranger in a wet coat.']
FILL = st.sampled_from(["Hello", "No", "I am Dr. Hale", "", " ", "…", ". . .", "Jo", "Well--", "é ü ß 漢字"])


@st.composite
def paragraphs(draw) -> str:
    """A paragraph from a template or from fragments, with characters dropped or doubled."""
    if draw(st.booleans()):
        template = draw(st.sampled_from(TEMPLATES))
        text = template.format(a=draw(FILL), b=draw(FILL), n=draw(st.sampled_from(WORDS)),
                               v=draw(st.sampled_from(WORDS)), p=draw(st.sampled_from(PUNCTUATION)))
    else:
        text = " ".join(draw(st.lists(FRAGMENT, max_size=30)))
    for _ in range(draw(st.integers(0, 3))):
        if not text:
            break
        i = draw(st.integers(0, len(text) - 1))
        text = text[:i] + draw(st.sampled_from(["", text[i] * 2, *MARKS])) + text[i + 1:]
    return text


def book_of(text: str) -> Book:
    """A one-chapter book whose paragraphs are separated by blank lines."""
    spans = [Paragraph(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text)]
    return Book("t", [Chapter(1, "t", 0, len(text), spans, source_text=text)])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraphs(), min_size=1, max_size=8), st.booleans())
def test_attribution_finishes_on_any_text(story, with_cast):
    text = "\n\n".join(story)
    book = book_of(text)
    segment_book(book)
    attribute(book, CAST if with_cast else None, strict=True)
    cast_names = {c.name for c in CAST}
    for segment in book.segments():
        if segment.is_dialogue:
            assert segment.speaker and segment.rule
            assert 0.0 <= segment.confidence <= 1.0
            if with_cast:
                assert segment.speaker in cast_names | {UNKNOWN_SPEAKER, "narrator"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraphs(), min_size=1, max_size=6))
def test_attribution_finishes_on_any_story_file(story):
    """The same through the real reader: chapter headings, blank lines and all."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.txt"
        path.write_text("Chapter 1\n\n" + "\n\n".join(story) + "\n\nCHAPTER II\n\n" + "\n".join(story),
                        encoding="utf-8")
        try:
            book = read_story(path)
        except UserError:
            return  # refused with one line naming the file: the text stage's answer to it
    segment_book(book)
    attribute(book, CAST, strict=True)
    assert all(s.speaker for s in book.segments() if s.is_dialogue)
