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


def _chapters(texts: list[str], titles: list[str] | None = None) -> Book:
    """A book of several chapters, one per text, in one source text."""
    source, chapters = "", []
    for i, chapter_text in enumerate(texts):
        start = len(source)
        source += chapter_text + "\n\n"
        paragraphs = [Paragraph(start + m.start(), start + m.end())
                      for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", chapter_text)]
        chapters.append(Chapter(i + 1, titles[i] if titles else f"Chapter {i + 1}", start, start + len(chapter_text),
                                paragraphs))
    for chapter in chapters:
        chapter.source_text = source
    book = Book("t", chapters)
    segment_book(book)
    return book


def _i_lines(book: Book) -> list[str]:
    """The speaker of each line tagged `I said`, in order."""
    text = book.chapters[0].source_text
    return [s.speaker for s in book.segments() if s.is_dialogue and re.match(r'\s*I (said|answered)', text[s.end:])]


MARIAN = Character("Marian Halcombe", ["Marian", "Miss Halcombe"], "female")
WALTER = Character("Walter Hartright", ["Walter", "Mr. Hartright"], "male")
LAURA = Character("Laura Fairlie", ["Laura"], "female")


def _told_by_walter() -> str:
    return ("I came to the house in the evening. I was tired, and I sat in the library.\n\n"
            + "\n\n".join(['"Good evening, Mr. Hartright," said Laura.', '"Good evening," I said.',
                           '"Are you rested, Mr. Hartright?" asked Laura.', '"Quite rested," I answered.']))


def _told_by_marian() -> str:
    return ("I write this in my room at night. I cannot sleep. Mr. Hartright left us this morning, and "
            "Mr. Hartright looked very pale when he went.\n\n"
            + "\n\n".join(['"Marian, will he come back?" asked Laura.', '"I do not know," I said.',
                           '"You must tell me, Marian," said Laura.', '"I cannot," I answered.']))


def test_a_heading_naming_who_tells_what_follows_passes_the_narration_to_them():
    """`The Story Continued by Marian Halcombe`: from that heading on, `I` is Marian."""
    book = _chapters([_told_by_walter(), "THE STORY CONTINUED BY MARIAN HALCOMBE\n\n" + _told_by_marian()])
    attribute(book, [MARIAN, WALTER, LAURA])
    said = _i_lines(book)
    assert said == ["Walter Hartright"] * 2 + ["Marian Halcombe"] * 2


def test_a_chapter_title_naming_its_teller_passes_the_narration_to_them():
    book = _chapters([_told_by_walter(), _told_by_marian()],
                     ["Chapter 1", "Chapter 2: Narrative Continued by Marian Halcombe"])
    attribute(book, [MARIAN, WALTER, LAURA])
    assert _i_lines(book) == ["Walter Hartright"] * 2 + ["Marian Halcombe"] * 2


def test_a_chapter_title_naming_its_teller_s_journal_passes_the_narration_to_them():
    """`Chapter 2: Marian Halcombe's Journal`: the teller's name before a possessive."""
    unnamed = _told_by_marian().replace("Marian, will", "Will").replace(", Marian,", "")  # only the title says who
    for title in ("Chapter 2: Marian Halcombe's Journal", "Chapter 2: MARIAN HALCOMBE’S DIARY--continued"):
        book = _chapters([_told_by_walter(), unnamed], ["Chapter 1: Walter Hartright’s Journal", title])
        attribute(book, [MARIAN, WALTER, LAURA])
        assert _i_lines(book) == ["Walter Hartright"] * 2 + ["Marian Halcombe"] * 2, title


def test_answers_calling_another_by_name_pass_the_narration_to_them_with_no_heading():
    """A chapter whose answers to `I` call Marian, in which the narration makes
    Mr. Hartright (`I` until then) do things, is told by Marian."""
    book = _chapters([_told_by_walter(), _told_by_marian()])
    attribute(book, [MARIAN, WALTER, LAURA])
    assert _i_lines(book) == ["Walter Hartright"] * 2 + ["Marian Halcombe"] * 2


def test_a_nickname_in_answers_does_not_take_the_narration_from_i():
    """The friend who calls `I` by a nickname of his own (`Handel`) does not
    make a chapter somebody else's: the narration never makes Pip do anything
    in the third person there."""
    pip, herbert = Character("Pip", [], "male"), Character("Herbert", [], "male")
    handel = Character("Handel", [], "male")
    first = "I went to the forge.\n\n" + "\n\n".join(['"Well, Pip," said Joe.', '"Well," I said.'] * 3)
    second = "I went to the inn. Herbert was there.\n\n" + "\n\n".join(
        ['"Well, Handel," said Herbert.', '"Well," I said.'] * 3)
    book = _chapters([first, second])
    attribute(book, [pip, herbert, handel, Character("Joe", [], "male")])
    assert set(_i_lines(book)) == {"Pip"}


def test_what_is_not_a_self_introduction():
    """A description cut off (`"The doctor--" I began`), a possessive (`I am
    Sir Henry's friend`) and a name in another speaker's line are not `I`
    giving their own name."""
    watson, henry = Character("Dr. Watson", ["Watson"], "male"), Character("Sir Henry", [], "male")
    doctor = Character("Dr. Livesey", ["Livesey"], "male")
    text = ("I came in at dusk, and I was cold. I had walked far.\n\n"
            '"The doctor--" I began.\n\n"I am Sir Henry\'s friend," I said.\n\n'
            '"Well, Watson," said Sir Henry. "Sit down."\n\n"Thank you," I said.')
    said = _speakers(text, [watson, henry, doctor])
    assert said[:2] == ["Dr. Watson", "Dr. Watson"]


def test_a_name_i_say_twice_calling_someone_is_not_my_own():
    """`"Maud," I said.  "Maud."`: the bare name repeats a call, it does not give `I`'s own name."""
    hump, maud = Character("Humphrey", ["Hump"], "male"), Character("Maud", [], "female")
    lines = ["I stood at the rail beside Maud, and I watched the coast. I was cold, and I was afraid."]
    for n in range(3):
        lines += [f'"Is the wind rising, Hump?" she asked, for the {n + 1}th time.', '"It is," I said.']
    lines += ['"Maud," I said.  "Maud."', "She turned her head and saw it."]
    said = _speakers("\n\n".join(lines), [maud, hump])
    assert said == ["Maud", "Humphrey"] * 3 + ["Humphrey"] * 2


def test_a_name_given_in_answer_is_mine_but_not_called():
    """`"Tell us your name!" said the man.` / `"Pip, sir."`: `I` gives a name;
    `"Mugridge, sir," he said` names the speaker, it calls nobody Mugridge."""
    pip, man = Character("Pip", [], "male"), Character("the man", [], "male")
    mugridge = Character("Mugridge", [], "male")
    text = ("I was alone in the churchyard, and I was afraid. I had never been so far from home.\n\n"
            '"Tell us your name!" said the man. "Quick!"\n\n"Pip, sir."\n\n"Where do you live?" said the man.\n\n'
            '"There, sir," I said.\n\n"And your name?" I asked the cook.\n\n"Mugridge, sir," he said.')
    paragraphs = [Paragraph(m.start(), m.end()) for m in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text)]
    book = Book("t", [Chapter(1, "t", 0, len(text), paragraphs, source_text=text)])
    segment_book(book)
    story = attribute(book, [pip, man, mugridge])
    assert story.narrator == "Pip"
    assert not any("Mugridge" in q.addressees for q in story.quotes)


def _frame(teller: str, calls: int, others: tuple[str, ...] = ()) -> str:
    """A chapter whose answers to `I` call `teller` by name `calls` times (and each of `others` once)."""
    lines = ["I sat by the fire that night, and I listened. I was tired, and I said little."]
    for n in range(calls):
        lines += [f'"Go on, {teller}," said the child, for the {n + 1}th time.', '"Very well," I said.']
    for other in others:
        lines += [f'"And you, {other}?" said the child.', '"Very well," I said.']
    return "\n\n".join(lines)


def test_the_book_s_narrator_takes_the_narration_back_after_a_frame():
    """A frame told by one `I` (Lockwood) around a tale told by another (Nelly,
    whom the whole book's answers call most): the frame's chapter is
    Lockwood's, and the tale's chapters go back to Nelly, though the narration
    never makes Lockwood do anything there."""
    nelly, lockwood = Character("Nelly", ["Ellen"], "female"), Character("Mr. Lockwood", ["Lockwood"], "male")
    child = Character("the child", [], "female")
    book = _chapters([_frame("Mr. Lockwood", 3), _frame("Nelly", 4), _frame("Ellen", 4)])
    attribute(book, [nelly, lockwood, child])
    assert _i_lines(book) == ["Mr. Lockwood"] * 3 + ["Nelly"] * 8


def test_a_chapter_calling_several_does_not_take_an_unconfirmed_narration():
    """Until a chapter has shown who `I` is, one whose answers call one name
    twice but three others once each shows nobody: the book's narrator stays."""
    nelly, hareton = Character("Nelly", [], "female"), Character("Hareton", [], "male")
    others = [Character(n, [], "female") for n in ("Frances", "Zillah", "Isabella")]
    book = _chapters([_frame("Hareton", 2, ("Frances", "Zillah", "Isabella")), _frame("Nelly", 5)])
    attribute(book, [nelly, hareton, *others])
    assert set(_i_lines(book)) == {"Nelly"}
