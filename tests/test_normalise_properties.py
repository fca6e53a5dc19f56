"""Property tests of the normalisation stage: whatever the text, it never
raises, nothing of the engine's command syntax gets through, and no
utterance is unbounded."""
from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from audiobook.text.normalise import language_for, sentences, speakable, spoken_title
from audiobook.text.normalise.clean import strip_escapes

# Text built from the pieces that matter: digits, money, punctuation, numerals, controls, brackets.
PIECES = st.sampled_from(["1", "23", "1,000", "3.50", "£", "$", "€", "%", "-", "–", "—", ".", ",", ":", "/", "'",
                          "s", "th", "I", "XIV", "Chapter", "Henry", "St.", "Dr.", "No.", "pp.", "am", "pm", " ",
                          "\x01", "\x1b[31m", "[[", "]]", "\u202e", "\u00a0", "…", "½", "Ж", "。", "\n", "e\u0301"])
TEXT = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=200))


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from([None, "en-US", "ru"]))
def test_spoken_text_is_always_safe(text, language):
    lang = language_for(language)
    spoken = speakable(text, lang)
    assert "\x01" not in spoken and "\x1b" not in spoken and "[[" not in spoken
    assert not any(unicodedata.category(c)[0] == "C" and c not in "\u200c\u200d" for c in spoken)
    assert not any(unicodedata.category(c)[0] == "C" and c not in "\u200c\u200d" for c in spoken_title(text, lang))


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=400).map("".join), st.integers(min_value=20, max_value=300))
def test_every_utterance_is_bounded_and_nothing_is_lost(text, limit):
    found = sentences(text, limit=limit)
    assert all(len(s.spoken) <= limit for s in found)
    shown = "".join(s.text for s in found)
    assert [c for c in shown if c.isalnum()] == [c for c in strip_escapes(text) if c.isalnum() and c.isprintable()]
