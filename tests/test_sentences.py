"""Sentence splitting for pacing and subtitles."""
from __future__ import annotations

import pytest

from audiobook.text.sentences import bound, ends_sentence, split_sentences, starts_sentence


@pytest.mark.parametrize("text, sentences", [
    ("I'm fine. I'm okay. I'm good,", ["I'm fine.", "I'm okay.", "I'm good,"]),
    ("Oh, hello, Mrs. Daniels. How's Tommy?", ["Oh, hello, Mrs. Daniels.", "How's Tommy?"]),
    ("Dr. Karev met J. R. Smith. Then he left!", ["Dr. Karev met J. R. Smith.", "Then he left!"]),
    ("“Go!” she cried. “Now.”", ["“Go!” she cried.", "“Now.”"]),
    ("Wait... what? no, never mind.", ["Wait... what? no, never mind."]),  # no capital: no cut
    ("one sentence with no end", ["one sentence with no end"]),
    ("It was Tom's. Then he left.", ["It was Tom's.", "Then he left."]),  # the s is not an initial
    ("I can't. I won't.", ["I can't.", "I won't."]),
    ("It was the Smiths’. They knew.", ["It was the Smiths’.", "They knew."]),
    ("Capt. Cook met Col. Mustard and Lt. Dan. Gen. Lee came.", ["Capt. Cook met Col. Mustard and Lt. Dan.", "Gen. Lee came."]),
    ("See No. 10 and pp. 4-7 of vol. 2 ch. 3. Done.", ["See No. 10 and pp. 4-7 of vol. 2 ch. 3.", "Done."]),
    ("He said no. Then he left.", ["He said no.", "Then he left."]),
    ("Apples, e.g. Coxes, i.e. Reds. Fine.", ["Apples, e.g. Coxes, i.e. Reds.", "Fine."]),
    ("St. Mary St. is near. Go.", ["St. Mary St. is near.", "Go."]),
    ("Он пришёл. Она ушла! Что? Да.", ["Он пришёл.", "Она ушла!", "Что?", "Да."]),
    ("Ήρθε. Έφυγε.", ["Ήρθε.", "Έφυγε."]),
    ("他来了。她走了！真的？是的。", ["他来了。", "她走了！", "真的？", "是的。"]),
    ("שלום. מה נשמע?", ["שלום.", "מה נשמע?"]),
    ("Wait. 1984 came.", ["Wait.", "1984 came."]),
])
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences
    assert "".join(split_sentences(text)).replace(" ", "") == text.replace(" ", "")  # nothing lost or added


@pytest.mark.parametrize("text, ends", [("Hey,", False), ("he started.", True), ("Go!”", True),
                                        ("Hey…", True), ("and then", False)])
def test_ends_sentence(text, ends):
    assert ends_sentence(text) is ends


@pytest.mark.parametrize("text, starts", [("asked Tom.", False), ("“Now,” she said.", True), ("1905 was cold.", True),
                                          ("— and then", False), ("", False)])
def test_starts_sentence(text, starts):
    assert starts_sentence(text) is starts


@pytest.mark.parametrize("text, limit", [
    ("word " * 5000, 1000),
    ("x" * 5000, 1000),
    ("a, b; c: d — e " * 400, 100),
    ("Он долго шёл по дороге и думал " * 300, 500),
])
def test_bound_cuts_any_text_into_bounded_pieces(text, limit):
    pieces = bound(text, limit)
    assert len(pieces) > 1 and all(len(p) <= limit for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_bound_prefers_clause_boundaries_then_spaces():
    assert bound("one two, three four five six", 12) == ["one two,", "three four", "five six"]
    assert bound("short", 12) == ["short"]
    assert bound("   ", 12) == []
