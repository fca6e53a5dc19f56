"""Sentence splitting for pacing and subtitles."""
from __future__ import annotations

import pytest

from audiobook.text.sentences import ends_sentence, split_sentences, starts_sentence


@pytest.mark.parametrize("text, sentences", [
    ("I'm fine. I'm okay. I'm good,", ["I'm fine.", "I'm okay.", "I'm good,"]),
    ("Oh, hello, Mrs. Daniels. How's Tommy?", ["Oh, hello, Mrs. Daniels.", "How's Tommy?"]),
    ("Dr. Karev met J. R. Smith. Then he left!", ["Dr. Karev met J. R. Smith.", "Then he left!"]),
    ("“Go!” she cried. “Now.”", ["“Go!” she cried.", "“Now.”"]),
    ("Wait... what? no, never mind.", ["Wait... what? no, never mind."]),  # no capital: no cut
    ("one sentence with no end", ["one sentence with no end"]),
])
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences
    assert " ".join(split_sentences(text)).split() == text.split()


@pytest.mark.parametrize("text, ends", [("Hey,", False), ("he started.", True), ("Go!”", True),
                                        ("Hey…", True), ("and then", False)])
def test_ends_sentence(text, ends):
    assert ends_sentence(text) is ends


@pytest.mark.parametrize("text, starts", [("asked Tom.", False), ("“Now,” she said.", True), ("1905 was cold.", True),
                                          ("— and then", False), ("", False)])
def test_starts_sentence(text, starts):
    assert starts_sentence(text) is starts
