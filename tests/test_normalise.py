"""Normalisation: the words of a story as the engine is given them."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from audiobook.model import Book, Chapter, Paragraph, Segment
from audiobook.text.normalise import MAX_UTTERANCE, language_for, normalise_book, sentences, speakable, spoken_title


def said(text: str) -> str:
    return speakable(text)


@pytest.mark.parametrize("text, spoken", [
    ("Chapter XIV", "Chapter fourteen"),
    ("Chapter I", "Chapter one"),
    ("Book II begins.", "Book two begins."),
    ("Part III", "Part three"),
    ("Act V, Scene ii.", "Act five, Scene two."),
    ("Henry VIII had six wives.", "Henry the eighth had six wives."),
    ("Louis XIV's court", "Louis the fourteenth's court"),
    ("Queen Elizabeth II spoke.", "Queen Elizabeth the second spoke."),
    ("Charles I was beheaded.", "Charles the first was beheaded."),
    ("Pope Pius XII", "Pope Pius the twelfth"),
    ("King Zog I ruled.", "King Zog the first ruled."),
    ("World War I ended and World War II began.", "World War one ended and World War two began."),
    ("Apollo XI landed.", "Apollo eleven landed."),
    ("CHAPTER XIV.", "CHAPTER fourteen."), ("Vol. II", "volume two"), ("Psalm XXIII", "Psalm twenty-three"),
    ("the reign of Elizabeth I.", "the reign of Elizabeth the first."), ("Part I of it", "Part one of it"),
    ("Napoleon III", "Napoleon the third"), ("Pope John Paul II", "Pope John Paul the second"),
    ("Elizabeth II's crown", "Elizabeth the second's crown"), ("after WWII", "after World War two"),
])
def test_roman_numerals(text, spoken):
    assert said(text) == spoken


@pytest.mark.parametrize("text", [
    "I am here.", "Then I said no.", "Elizabeth I am tired.", "Henry I'm sure of it.", "Charles I think so.",
    "Jo and I went.", "I", "Mary I love you.", "the book I read", "Malcolm X spoke.", "Washington DC is far.",
    "I bought a CD.", "He has a MIX tape.", "Tom, I know.",
])
def test_the_pronoun_and_capitals_are_not_numerals(text):
    assert said(text) == text


@pytest.mark.parametrize("text, spoken", [
    ("1,234,567", "one million, two hundred and thirty-four thousand, five hundred and sixty-seven"),
    ("3.14", "three point one four"),
    ("0.5", "zero point five"),
    ("It was -5 outside.", "It was minus five outside."),
    ("42", "forty-two"),
    ("007", "zero zero seven"),
    ("1st", "first"), ("22nd", "twenty-second"), ("3rd", "third"), ("11th", "eleventh"), ("101st", "one hundred and first"),
    ("In 1984 it began.", "In nineteen eighty-four it began."),
    ("1990s", "nineteen nineties"), ("the 1900s", "the nineteen hundreds"), ("the 1880s", "the eighteen eighties"),
    ("the '60s", "the sixties"), ("the 80s", "the eighties"), ("the 2000s", "the two thousands"),
    ("2005", "two thousand and five"), ("2010", "twenty ten"), ("1905", "nineteen oh-five"),
    ("in 1066", "in ten sixty-six"), ("1066 men", "one thousand and sixty-six men"),
    ("10–12", "ten to twelve"), ("pages 10-12", "pages ten to twelve"), ("1939–1945", "nineteen thirty-nine to nineteen forty-five"),
    ("½ a cup", "half a cup"), ("½", "one half"), ("5–10%", "five to ten percent"), ("1½ cups", "one and a half cups"), ("3/4 of it", "three quarters of it"),
    ("open 24/7", "open twenty-four seven"), ("50/50", "fifty fifty"), ("2/3", "two thirds"),
    ("50%", "fifty percent"), ("3.5 %", "three point five percent"),
    ("v1.2.3", "v1.2.3"),
    ("12345678901234567890", "one two three four five six seven eight nine zero one two three four five six seven eight nine zero"),
])
def test_numbers(text, spoken):
    assert said(text) == spoken


@pytest.mark.parametrize("text, spoken", [
    ("£5", "five pounds"), ("£1", "one pound"), ("£3.50", "three pounds fifty"), ("£0.50", "fifty pence"),
    ("£5,000", "five thousand pounds"), ("£5m", "five million pounds"), ("£2.5 million", "two point five million pounds"),
    ("$3.50", "three dollars and fifty cents"), ("$1", "one dollar"), ("$1.01", "one dollar and one cent"),
    ("$0.05", "five cents"), ("$2.5bn", "two point five billion dollars"), ("US$20", "twenty US dollars"),
    ("€2", "two euros"), ("€3.50", "three euros and fifty cents"), ("€1", "one euro"),
    ("5p", "five pence"), ("1p", "one penny"), ("10¢", "ten cents"), ("£5–10", "five to ten pounds"),
    ("It cost -£5.", "It cost minus five pounds."), ("¥500", "five hundred yen"),
])
def test_money(text, spoken):
    assert said(text) == spoken


@pytest.mark.parametrize("text, spoken", [
    ("at 3:30 pm", "at three thirty p.m."), ("It was 2 p.m. on May 7, 1915.", "It was two p.m. on May seventh, nineteen fifteen."), ("3:30", "three thirty"), ("10:00", "ten o'clock"),
    ("12:05", "twelve oh five"), ("7 a.m.", "seven a.m."), ("9pm", "nine p.m."), ("at 10.15", "at ten fifteen"),
    ("from 9.30 until 10.45", "from nine thirty until ten forty-five"), ("it was 10.15 metres", "it was ten point one five metres"),
    ("On 5 January 2020", "On the fifth of January twenty twenty"), ("January 5, 2020", "January fifth, twenty twenty"),
    ("2020-05-12", "the twelfth of May, twenty twenty"), ("12/05/2020", "the twelfth of May, twenty twenty"),
    ("25/12/1999", "the twenty-fifth of December, nineteen ninety-nine"), ("the 4th of July", "the fourth of July"),
    ("Dec. 25", "December twenty-fifth"), ("14:00", "fourteen hundred"), ("09:00", "oh nine hundred"),
    ("the 10.15 train", "the ten fifteen train"), ("3.30pm", "three thirty p.m."),
    ("July 4, 1776", "July fourth, seventeen seventy-six"), ("in May 1990", "in May nineteen ninety"),
])
def test_times_and_dates(text, spoken):
    assert said(text) == spoken


def test_dates_by_the_languages_order():
    assert speakable("5/12/2020", language_for("en-US")) == "the twelfth of May, twenty twenty"
    assert speakable("5/12/2020", language_for("en-GB")) == "the fifth of December, twenty twenty"


@pytest.mark.parametrize("text, spoken", [
    ("Mr. Smith", "Mister Smith"), ("Mrs. Jones", "Missus Jones"), ("Ms. Lee", "Miz Lee"), ("Dr. Who", "Doctor Who"),
    ("Mr Brown", "Mister Brown"), ("St. Mary St.", "Saint Mary Street."), ("St. Paul's", "Saint Paul's"),
    ("at 42 Baker St. now", "at forty-two Baker Street now"), ("visit St Paul's", "visit Saint Paul's"),
    ("Mulholland Dr. is long", "Mulholland Drive is long"), ("Capt. Cook", "Captain Cook"), ("Col. Mustard", "Colonel Mustard"),
    ("Lt. Dan", "Lieutenant Dan"), ("Gen. Lee", "General Lee"), ("Sgt. Pepper", "Sergeant Pepper"),
    ("Prof. Plum", "Professor Plum"), ("John Smith Jr. came", "John Smith Junior came"), ("Sam Smith Sr. came", "Sam Smith Senior came"),
    ("No. 10", "number ten"), ("I said no. 10 times.", "I said no. ten times."), ("No, never.", "No, never."),
    ("pp. 4-7", "pages four to seven"), ("p. 5", "page five"), ("vol. 3", "volume three"), ("ch. 4", "chapter four"),
    ("apples, pears, etc.", "apples, pears, et cetera."), ("e.g. this", "for example this"), ("i.e. that", "that is that"),
    ("Smith vs. Jones", "Smith versus Jones"), ("Roe v. Wade", "Roe versus Wade"), ("Acme Ltd.", "Acme Limited."),
    ("Mt. Everest", "Mount Everest"), ("MR. SMITH", "Mister SMITH"), ("the MS. was lost", "the MS. was lost"),
    ("Smith et al.", "Smith and others."), ("Sold by Acme Ltd.\"", "Sold by Acme Limited.\""),
])
def test_abbreviations(text, spoken):
    assert said(text) == spoken


@pytest.mark.parametrize("text, spoken", [
    ("“Curly” ‘quotes’", "\"Curly\" 'quotes'"), ("no\u00a0break\u2009thin", "no break thin"),
    ("Wait… what", "Wait... what"), ("Wait . . . what", "Wait... what"),
    ("Wait — what", "Wait — what"), ("Wait--what", "Wait — what"), ("Wait - what", "Wait — what"),
    ("and then—", "and then —"), ("well-known", "well-known"), ("_very_ *bold*", "very bold"),
    ("A & B", "A and B"), ("#1 fan", "number one fan"), ("and/or", "and or"), ("soft\u00adhyphen", "softhyphen"),
])
def test_punctuation(text, spoken):
    assert said(text) == spoken


@pytest.mark.parametrize("text, spoken", [
    ("Go \x010A now", "Go now"), ("slow \x0180S down", "slow down"), ("\x01" + "9" * 5000 + "H three words", "three words"),
    ("\x1b[31mred\x1b[0m text", "red text"), ("bell\x07 and\x00 nul", "bell and nul"),
    ("[[citation needed]]", "((citation needed))"), ("an [[unclosed phoneme", "an ((unclosed phoneme"),
    ("zero\u200bwidth\u202eoverride\ue000private", "zerowidthoverrideprivate"),
])
def test_the_story_is_never_obeyed(text, spoken):
    assert said(text) == spoken
    assert "\x01" not in said(text) and "\x1b" not in said(text) and "[[" not in said(text)


@pytest.mark.parametrize("title, spoken", [
    ("XIV", "fourteen"), ("IV. The Return", "four. The Return"), ("I", "one"), ("I Remember", "I Remember"),
    ("Chapter I", "Chapter one"), ("01 My Early Home", "one My Early Home"), ("Chapter 3: 1984", "Chapter three: nineteen eighty-four"),
])
def test_spoken_titles(title, spoken):
    assert spoken_title(title) == spoken


def test_another_language_is_cleaned_and_its_numbers_left_to_the_engine():
    russian = language_for("ru")
    assert speakable("Глава 5 \x01\x0180S «Мир»", russian) == 'Глава 5 "Мир"'


# --------------------------------------------------------------------------- bounded utterances

@pytest.mark.parametrize("text", [
    "word " * 20000,  # no punctuation at all
    ("Он долго шёл по дороге, и думал о том, что будет дальше " * 200),  # a long Russian sentence
    "x" * 30000,  # no spaces
    "e\u0301" * 3000,  # letters with combining accents
    "他来了" * 3000,  # CJK without stops
    "1234567890 " * 500,  # expands several times when spoken
])
def test_no_utterance_is_unbounded(text):
    found = sentences(text)
    assert len(found) > 1
    assert all(len(s.spoken) <= MAX_UTTERANCE for s in found)
    assert "".join(s.text for s in found).replace(" ", "") == text.replace(" ", "").strip()
    assert not any(s.text.startswith("\u0301") for s in found)  # an accent stays with its letter


def test_a_long_sentence_is_cut_at_a_clause_boundary():
    text = ", ".join(["the cat sat on the mat"] * 80) + "."
    found = sentences(text)
    assert len(found) > 1 and all(s.text.endswith((",", ".")) for s in found)


def test_a_ten_megabyte_paragraph_is_cut_in_linear_time():
    started = time.process_time()
    found = sentences("lorem ipsum dolor " * 600_000)
    seconds = time.process_time() - started
    assert max(len(s.spoken) for s in found) <= MAX_UTTERANCE
    assert seconds < 30  # quadratic work would take hours


def test_every_segment_gets_its_sentences_and_every_chapter_its_spoken_title():
    text = "Mr. Smith paid £5. Then he left."
    segment = Segment("narration", text, 0, len(text))
    book = Book("t", [Chapter(1, "Chapter IV", 0, len(text), [Paragraph(0, len(text), [segment])])])
    normalise_book(book)
    assert [(s.text, s.spoken) for s in segment.sentences] == [
        ("Mr. Smith paid £5.", "Mister Smith paid five pounds."), ("Then he left.", "Then he left.")]
    assert book.chapters[0].spoken_title == "Chapter four"


# --------------------------------------------------------------------------- through the command line

def test_script_json_gives_what_the_engine_is_told(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Chapter XIV\n\nMr. Karev paid £3.50 on 5 January 1984 \x1b[31mat\x1b[0m 3:30 pm.\n\n"
                     "“I have been to St. Mary St. — twice,” said Karev.\n", encoding="utf-8")
    cast = tmp_path / "voices.yaml"
    cast.write_text("characters:\n  Karev:\n    gender: male\nlexicon:\n  Karev: KAR-ev\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "audiobook", "script", str(story), "--voices", str(cast),
                          "--format", "json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    chapter = json.loads(run.stdout)["chapters"][0]
    assert chapter["title"] == "Chapter XIV" and chapter["spoken_title"] == "Chapter fourteen"
    spoken = [s["spoken"] for s in chapter["segments"]]
    assert spoken[0] == ("Mister KAR-ev paid three pounds fifty on the fifth of January nineteen eighty-four "
                         "at three thirty p.m.")
    assert "I have been to Saint Mary Street — twice," in spoken
    assert chapter["segments"][0]["text"].startswith("Mr. Karev paid £3.50")  # the original stays


def test_text_and_tsv_show_the_spoken_form_on_request(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Chapter XIV\n\nDr. Karev paid £3.50.\n\n“I am here,” said Mr. Smith.\n", encoding="utf-8")
    def script(*options):
        run = subprocess.run([sys.executable, "-m", "audiobook", "script", str(story), "--no-voices", *options],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        return run.stdout
    text = script("--spoken")
    assert "## 1. Chapter fourteen" in text and "narrator: Doctor Karev paid three pounds fifty." in text
    assert "Dr. Karev" in script()  # as written without the option
    tsv = script("--spoken", "--format", "tsv")
    rows = [line.split("\t") for line in tsv.splitlines() if not line.startswith("#")]
    assert rows[0][-1] == "spoken" and ["Dr. Karev paid £3.50.", "Doctor Karev paid three pounds fifty."] in \
        [row[-2:] for row in rows]
    fix = tmp_path / "fix.tsv"
    fix.write_text(tsv, encoding="utf-8")
    assert "Mr. Smith: I am here," in script("--script", str(fix))  # the extra column is read back harmlessly
