"""Quote detection: which spans are dialogue, with what text and offsets."""
from __future__ import annotations

import re

import pytest

from audiobook.model import Book, Chapter, Paragraph
from audiobook.text.quotes import continues_quote, segment_book


def book_of(text: str) -> Book:
    """A one-chapter book whose paragraphs are separated by blank lines."""
    paragraphs = [Paragraph(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text)]
    return Book("t", [Chapter(1, "t", 0, len(text), paragraphs, source_text=text)])


def dialogue(text: str) -> list[str]:
    """The spoken texts that segmentation finds in `text`."""
    book = book_of(text)
    segment_book(book)
    return [s.text for s in book.segments() if s.is_dialogue]


@pytest.mark.parametrize("text, spoken", [
    ('"Hey," he said. "You okay?"', ["Hey,", "You okay?"]),
    ("“Hey,” he said. “You okay?”", ["Hey,", "You okay?"]),
    ('Alex said, "Come here."', ["Come here."]),
    ('"I – I shouldn\'t, Jason – "', ["I – I shouldn't, Jason –"]),
])
def test_double_quotes_straight_and_curly(text, spoken):
    assert dialogue(text) == spoken


def test_interrupted_quote_gives_two_segments_around_the_tag():
    text = '"A hat," said Jo, "and a coat."'
    book = book_of(text)
    segment_book(book)
    kinds = [(s.kind, s.text) for s in book.segments()]
    assert kinds == [("dialogue", "A hat,"), ("narration", "said Jo,"), ("dialogue", "and a coat.")]


def test_offsets_point_at_the_spoken_text():
    text = "Intro line.\n\n“Much better now that Phil's gone,” Mrs. Daniels laughed. “Is now a bad time?”"
    book = book_of(text)
    segment_book(book)
    for segment in book.segments():
        assert segment.text in text[segment.start:segment.end]
    spans = [(s.start, s.end) for s in book.segments()]
    assert spans == sorted(spans)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))


def test_single_quote_dialogue_is_told_from_apostrophes():
    text = ("‘Don’t go,’ said Phil. ‘Phil’s right; the girls’ room is cold.’\n\n"
            "‘Give ’em a chance,’ she said. ‘I’m goin’ home.’\n\n"
            "'We'll see,' said he. 'Give 'em time.'")
    assert dialogue(text) == [
        "Don’t go,", "Phil’s right; the girls’ room is cold.",
        "Give ’em a chance,", "I’m goin’ home.",
        "We'll see,", "Give 'em time.",
    ]


def test_nested_quotes_stay_inside_the_outer_quote():
    text = '"He told me \'Good night, Sir John\' as now," said the man.'
    assert dialogue(text) == ["He told me 'Good night, Sir John' as now,"]


def test_nickname_and_title_in_narration_stay_narration():
    text = ('"Shut up, Princess," Alex whispered. Jo was upset that he called her by "Princess" again.\n\n'
            'She had read "The Old Man and the Sea" twice.')
    assert dialogue(text) == ["Shut up, Princess,"]


def test_quoted_name_with_a_comma_inside_stays_narration():
    text = 'They stayed at the "Trois Couronnes," it must be added, for a week. "Nice place," he said.'
    assert dialogue(text) == ["Nice place,"]


def test_quote_running_over_a_paragraph_break_is_continued():
    text = '"It began long ago.\n\n"And it never ended," she said.'
    book = book_of(text)
    segment_book(book)
    chapter = book.chapters[0]
    assert [s.text for s in book.segments() if s.is_dialogue] == ["It began long ago.", "And it never ended,"]
    assert continues_quote(chapter, 1)


def test_closed_quote_is_not_continued():
    book = book_of('"It began long ago."\n\n"And it never ended," she said.')
    segment_book(book)
    assert not continues_quote(book.chapters[0], 1)


def test_dash_dialogue_splits_off_the_tag():
    text = "—Back to barracks! he said sternly.\n\n—Thanks, old chap, he cried. That will do nicely.\n\nHe went."
    assert dialogue(text) == ["Back to barracks!", "Thanks, old chap,", "That will do nicely."]


def test_scene_break_paragraphs_get_no_segments():
    book = book_of('"Hi," he said.\n\n* * *\n\n"Bye."')
    book.chapters[0].paragraphs[1].scene_break = True
    segment_book(book)
    assert book.chapters[0].paragraphs[1].segments == []
    assert [s.text for s in book.segments() if s.is_dialogue] == ["Hi,", "Bye."]


# --------------------------------------------------------------------------- marks that do not pair

def segments_of(text: str) -> list[tuple[str, str]]:
    book = book_of(text)
    segment_book(book)
    return [(s.kind, s.text) for s in book.segments()]


DOUBLE_BOOK = '"Yes," said Tom.\n\n"No," said Ann.\n\n'


def test_a_quote_closed_with_an_opening_mark_keeps_its_tag_in_narration():
    assert segments_of("\u201cIt's in the cupboard,\u201c Tom said at last.") == [
        ("dialogue", "It's in the cupboard,"), ("narration", "Tom said at last.")]


def test_a_quote_opened_with_a_closing_mark_is_still_speech():
    assert segments_of("\u201dWhere is it?\u201d asked Tom.") == [
        ("dialogue", "Where is it?"), ("narration", "asked Tom.")]


@pytest.mark.parametrize("text, spoken, narrated", [
    ("\u201cIt's in the cupboard, Tom said at last.", "It's in the cupboard,", "Tom said at last."),
    ('"Come here, he said. "What is it?"', "Come here,", "he said."),
    ("\u201cRun! cried Mary, and ran.", "Run!", "cried Mary, and ran."),
])
def test_an_unterminated_quote_does_not_voice_its_tag(text, spoken, narrated):
    found = segments_of(text)
    assert found[0] == ("dialogue", spoken)
    assert found[1] == ("narration", narrated)


def test_an_unterminated_quote_without_a_tag_still_runs_on_to_the_next_paragraph():
    text = "\u201cI went down to the sea, and the sea was grey.\n\n\u201cThen I came home.\u201d"
    assert [k for k, _ in segments_of(text)] == ["dialogue", "dialogue"]


@pytest.mark.parametrize("text, spoken", [
    ("'Lord keep us,' she whispered.", ["Lord keep us,"]),
    ("'Lord keep us,' she whispered, 'the bridge is down.'", ["Lord keep us,", "the bridge is down."]),
    ("She said, 'Run!' and ran.", ["Run!"]),
    ("He called it 'the end.' And went on.", []),  # a phrase run into the sentence is no speech
    ("'Tis the season, and 'twas ever so.", []),
    ("The girls' room was 'nice,' he thought.", []),
])
def test_single_quoted_speech_in_a_book_of_double_quotes(text, spoken):
    assert dialogue(DOUBLE_BOOK + text)[2:] == spoken


@pytest.mark.parametrize("text, spoken", [
    ('She stammered a "No." and fled.', ["No."]),
    ('He gave a hearty "Good morning!" to the room.', ["Good morning!"]),
    ('Her gentle "Come in" brought him to the door.', ["Come in"]),
    ('He was upset that she called him "Princess" again.', []),
    ('He called his horse "Old Faithful" in the end.', []),
    ('She read her "Ode to Joy." twice.', []),
])
def test_short_speech_named_inside_a_sentence_is_still_speech(text, spoken):
    assert dialogue(text) == spoken


@pytest.mark.parametrize("text, spoken", [
    # a letter read out within the speech, which goes on after it with a closing mark only
    ('"I will read it to you," said Tom. "Dear Jo,\n\nI am well.\n\nAnd that is all it says," he added.',
     ["I will read it to you,", "Dear Jo,", "And that is all it says,"]),
    ("\u201cListen:\n\nThe sea is grey.\n\nThat was her song.\u201d Jo smiled.", ["Listen:", "That was her song."]),
    ('He wrote "yes" on it and sent it back.', []),
])
def test_a_closing_mark_with_no_opener_ends_speech_resumed_after_a_letter(text, spoken):
    assert dialogue(text) == spoken
