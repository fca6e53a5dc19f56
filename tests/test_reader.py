"""Reading stories into chapters and paragraphs."""
from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.errors import UserError
from audiobook.text.reader import read_story, slugify

DATA = Path(__file__).parent / "data" / "reader"
PRINCESS = Path(__file__).parent.parent / "stories" / "princess.txt"


def paragraph_texts(chapter):
    """Each paragraph's text, or "<break>" for a scene break."""
    return ["<break>" if p.scene_break else chapter.source_text[p.start:p.end]
            for p in chapter.paragraphs]


def assert_offsets_exact(book, path=None):
    """Every paragraph span slices the file's text as Python reads it, trimmed."""
    for chapter in book.chapters:
        with open(path or chapter.source, encoding="utf-8") as handle:
            assert chapter.source_text == handle.read()
        for paragraph in chapter.paragraphs:
            text = chapter.source_text[paragraph.start:paragraph.end]
            assert text and text == text.strip().strip("\ufeff")
            assert paragraph.segments == []


# --------------------------------------------------------------------------- one file

def test_gutenberg_novel_has_every_heading_style_in_order():
    book = read_story(DATA / "gutenberg_novel.txt")
    assert [c.title for c in book.chapters] == [
        "Prologue",
        "Chapter I: Down the Cliff Path",
        "Chapter II: The Keeper's Log",
        "Chapter Twelve: The Storm",
        "Chapter IV",
        "Part One — Chapter 5",
        "Book II",
        "Epilogue",
    ]
    assert [c.index for c in book.chapters] == list(range(1, 9))
    assert (book.title, book.author) == ("The Lighthouse Keeper", "Mara Quill")


def test_gutenberg_header_contents_and_licence_are_not_read():
    book = read_story(DATA / "gutenberg_novel.txt")
    spoken = " ".join(t for c in book.chapters for t in paragraph_texts(c))
    for unread in ("Project Gutenberg", "Contents", "Down the Cliff Path", "For my father",
                   "Updated editions", "START OF", "END OF"):
        assert unread not in spoken
    assert paragraph_texts(book.chapters[0]) == [
        "The lamp had burned for a hundred years before anyone thought to ask who lit it. "
        "Nobody in the village could say, and nobody much cared, so long as the ships came home."]
    assert paragraph_texts(book.chapters[-1]) == ["The lamp still burns."]


def test_paragraph_offsets_index_the_file_text():
    book = read_story(DATA / "gutenberg_novel.txt")
    assert_offsets_exact(book)
    storm = book.chapters[3]
    assert paragraph_texts(storm)[0] == 'The storm came in from the west. "Get the shutters!" Tom shouted.'
    assert storm.source_text[storm.start:].startswith("Chapter Twelve: The Storm")
    assert storm.end == storm.paragraphs[-1].end


def test_sentences_starting_with_part_or_book_stay_text():
    book = read_story(DATA / "gutenberg_novel.txt")
    texts = [t for c in book.chapters for t in paragraph_texts(c)]
    assert "Part of her wanted to turn back. The rest of her kept walking." in texts
    assert any(t.startswith("The log was bound") and "Book one of" in t for t in texts)


def test_scene_breaks_are_flagged_and_collapsed():
    book = read_story(DATA / "gutenberg_novel.txt")
    by_title = {c.title: paragraph_texts(c) for c in book.chapters}
    assert by_title["Chapter I: Down the Cliff Path"][2:] == ["<break>", "By noon she reached the cove."]
    assert by_title["Chapter II: The Keeper's Log"].count("<break>") == 2  # *** and ⁂
    assert by_title["Chapter Twelve: The Storm"] == [  # --- then ~~~ make one break
        'The storm came in from the west. "Get the shutters!" Tom shouted.', "<break>",
        "The shutters held."]
    assert by_title["Part One — Chapter 5"][1] == "<break>"  # a lone #
    for chapter in book.chapters:
        assert all(p.segments == [] for p in chapter.paragraphs)
        assert not chapter.paragraphs[0].scene_break and not chapter.paragraphs[-1].scene_break


def test_title_line_is_not_joined_when_it_is_prose():
    chapter = read_story(DATA / "gutenberg_novel.txt").chapters[4]
    assert chapter.title == "Chapter IV"
    assert paragraph_texts(chapter) == ["Ada counted the waves.", "It was a long night."]


def test_markdown_headings_front_matter_and_emphasis():
    book = read_story(DATA / "markdown_story.md")
    assert (book.title, book.author, book.year) == ("The Glass Garden", "Iris Vale", "1921")
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2: The Second Key"]
    assert paragraph_texts(book.chapters[0]) == ["The greenhouse had *one* door and **two** keys.",
                                                 "She kept the _first_ key on a string."]


def test_markdown_single_level_headings_are_chapters_and_title_comes_from_name():
    book = read_story(DATA / "markdown_chapters.md")
    assert book.title == "Markdown Chapters"
    assert [c.title for c in book.chapters] == ["Arrival", "Departure"]


def test_arguments_override_front_matter():
    book = read_story(DATA / "markdown_story.md", title="Another Title", author="Someone Else")
    assert (book.title, book.author, book.year) == ("Another Title", "Someone Else", "1921")


def test_story_without_headings_is_one_chapter_named_after_the_file():
    book = read_story(DATA / "the_quiet_harbour.txt")
    assert book.title == "The Quiet Harbour"
    assert [c.title for c in book.chapters] == ["The Quiet Harbour"]
    assert paragraph_texts(book.chapters[0]) == [
        "The harbour was quiet that evening.",
        "Boats rocked at their moorings, and somewhere a bell rang twice."]


def test_prose_before_the_first_heading_is_an_opening_chapter():
    book = read_story(DATA / "opening_prose.txt")
    assert [c.title for c in book.chapters] == ["Opening", "Chapter 1"]
    assert paragraph_texts(book.chapters[0])[0].startswith("Before anything else")


def test_sample_story_princess():
    book = read_story(PRINCESS)
    assert book.title == "Princess"
    assert [c.title for c in book.chapters] == ["Princess"]
    texts = paragraph_texts(book.chapters[0])
    with open(PRINCESS, encoding="utf-8") as handle:
        body = handle.read().split("---", 2)[2]
    assert texts == [block.strip() for block in body.split("\n\n") if block.strip()]
    assert texts[0].startswith("Jo Wilson hated crying.")
    assert_offsets_exact(book)


def test_byte_order_mark_and_windows_line_endings(tmp_path):
    story = tmp_path / "windows.txt"
    story.write_bytes("\ufeff---\r\ntitle: Crlf\r\n---\r\n\r\nChapter 1\r\n\r\n"
                      "First line\r\nsecond line.\r\n\r\n* * *\r\n\r\nLast.\r\n".encode("utf-8"))
    book = read_story(story)
    assert book.title == "Crlf"
    chapter = book.chapters[0]
    assert chapter.title == "Chapter 1"
    assert paragraph_texts(chapter) == ["First line\nsecond line.", "<break>", "Last."]
    assert_offsets_exact(book)


def test_byte_order_mark_without_front_matter(tmp_path):
    story = tmp_path / "bom.txt"
    story.write_bytes("\ufeffHello there.\n".encode("utf-8"))
    chapter = read_story(story).chapters[0]
    assert chapter.source_text[0] == "\ufeff"
    assert paragraph_texts(chapter) == ["Hello there."]


def test_front_matter_cover_is_resolved_next_to_the_story(tmp_path):
    (tmp_path / "cover.png").write_bytes(b"\x89PNG\r\n")
    story = tmp_path / "story.txt"
    story.write_text("---\ntitle: Covered\nyear: 2001\ncover: cover.png\n---\nText.\n", encoding="utf-8")
    book = read_story(story)
    assert (book.year, Path(book.cover)) == ("2001", tmp_path / "cover.png")


def test_a_long_novel_is_read_whole(tmp_path):
    """Every word of a 165,000-word novel in 30 chapters is read (its speed: bench/script_speed.py)."""
    paragraph = " ".join(["The keeper climbed the stair and trimmed the wick once more."] * 10)
    chapters = [f"CHAPTER {n}.\n\nThe Night Watch\n\n" + "\n\n".join([paragraph] * 50)
                for n in range(1, 31)]
    story = tmp_path / "novel.txt"
    story.write_text("\n\n".join(chapters), encoding="utf-8")
    book = read_story(story)
    assert sum(len(c.source_text[p.start:p.end].split()) for c in book.chapters
               for p in c.paragraphs) == 30 * 50 * 110
    assert len(book.chapters) == 30 and book.chapters[-1].title == "Chapter 30: The Night Watch"


# --------------------------------------------------------------------------- folders

def test_folder_is_read_in_natural_order():
    book = read_story(DATA / "folder")
    assert [Path(c.source).name for c in book.chapters] == ["1.txt", "2.txt", "10.txt"]
    assert [c.title for c in book.chapters] == ["Chapter One: Arrival", "Chapter 2", "Chapter 10"]
    assert [paragraph_texts(c) for c in book.chapters] == [
        ["The train was late."], ["The platform was empty."], ["The station master waved."]]
    assert book.title == "Folder"
    assert_offsets_exact(book)


def test_folder_titles_from_file_names_and_metadata_from_first_file():
    book = read_story(DATA / "named")
    assert [c.title for c in book.chapters] == ["The Calm", "The Storm"]
    assert (book.title, book.author) == ("Weather", "Lee Park")


# --------------------------------------------------------------------------- bad input

def test_malformed_front_matter_names_file_and_line():
    with pytest.raises(UserError) as caught:
        read_story(DATA / "bad_front_matter.txt")
    assert caught.value.line in (3, 4)
    assert str(caught.value).startswith(f"{DATA / 'bad_front_matter.txt'}:{caught.value.line}: ")


def test_unclosed_front_matter(tmp_path):
    story = tmp_path / "open.txt"
    story.write_text("---\ntitle: Never closed\n\nText.\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_story(story)
    assert str(caught.value).startswith(f"{story}:1: ")


def test_missing_path():
    missing = DATA / "no_such_story.txt"
    with pytest.raises(UserError) as caught:
        read_story(missing)
    assert str(missing) in str(caught.value)


@pytest.mark.parametrize("content", ["", "\n\n   \n", "---\ntitle: Only Metadata\n---\n"])
def test_empty_story(tmp_path, content):
    story = tmp_path / "empty.txt"
    story.write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_story(story)
    assert str(caught.value).startswith(f"{story}: ")


def test_folder_without_story_files(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    with pytest.raises(UserError) as caught:
        read_story(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}: ")


STORY_TEXT = "Chapter 1\n\n\u201cCaf\u00e9?\u201d asked Zo\u00eb \u2014 na\u00efvely.\n"


@pytest.mark.parametrize("encoding, said", [
    ("utf-8", None),
    ("utf-8-sig", None),
    ("utf-16", "UTF-16"),
    ("utf-16-le", "UTF-16"),  # written below with its byte-order mark
    ("utf-16-be", "UTF-16"),
    ("cp1252", "Windows-1252 (cp1252)"),
])
def test_text_is_read_in_the_encoding_its_bytes_say(tmp_path, encoding, said):
    story = tmp_path / "story.txt"
    data = STORY_TEXT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(encoding) + data
    story.write_bytes(data)
    book = read_story(story)
    chapter = book.chapters[0]
    assert paragraph_texts(chapter) == ["\u201cCaf\u00e9?\u201d asked Zo\u00eb \u2014 na\u00efvely."]
    assert book.notes == ([] if said is None else [f"{story}: not UTF-8; read as {said}"])


def test_latin1_text_without_windows_characters_is_read_as_latin1(tmp_path):
    story = tmp_path / "latin1.txt"
    story.write_bytes("First line.\n\nCaf\u00e9 au lait, se\u00f1or.\n".encode("latin-1"))
    book = read_story(story)
    assert paragraph_texts(book.chapters[0])[-1] == "Caf\u00e9 au lait, se\u00f1or."
    assert book.notes == [f"{story}: not UTF-8; read as Latin-1 (ISO-8859-1)"]


@pytest.mark.parametrize("data, line", [
    (b"First line.\n\nsecond \x00\x01\x02 binary\n", 3),
    (bytes(range(256)) * 4, 1),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), 3),
    (b"text\n" + b"\x81\x8d\x8f\x90" * 10, 2),
    (b"text\n" + bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 30, 2),
])
def test_binary_files_are_refused_naming_the_line(tmp_path, data, line):
    story = tmp_path / "binary.txt"
    story.write_bytes(data)
    with pytest.raises(UserError) as caught:
        read_story(story)
    assert str(caught.value).startswith(f"{story}:{line}: ")
    assert "text" in caught.value.message


def test_a_few_control_characters_leave_a_text_a_text(tmp_path):
    story = tmp_path / "escapes.txt"
    story.write_text("Chapter 1: \x1b[31mRed\x1b[0m\n\nShe said \x010A nothing.\n", encoding="utf-8")
    book = read_story(story)
    assert book.chapters[0].title == "Chapter 1: Red"
    assert paragraph_texts(book.chapters[0]) == ["She said \x010A nothing."]  # offsets stay exact


# --------------------------------------------------------------------------- slugs

@pytest.mark.parametrize("text, slug", [
    ("The Storm: Part 1", "the-storm-part-1"),
    ("  Café Noir!  ", "cafe-noir"),
    ("Chapter IV — The End", "chapter-iv-the-end"),
    ("???", "untitled"),
    ("", "untitled"),
    ("Война и мир", "война-и-мир"),
    ("三国演义", "三国演义"),
    ("Ἰλιάς", "ἰλιάς"),
    ("\x1b[31mred\x1b[0m/../etc", "red-etc"),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_contents_with_page_numbers_and_heading_sharing_its_block():
    book = read_story(DATA / "contents_pages.txt")
    assert [c.title for c in book.chapters] == ["Chapter I", "Chapter II"]
    assert [paragraph_texts(c) for c in book.chapters] == [
        ["The first chapter begins here."], ["It starts right under its heading."]]
    assert_offsets_exact(book)


def test_markdown_top_heading_is_the_book_title_above_an_opening():
    book = read_story(DATA / "markdown_book.md")
    assert book.title == "The Long Road"
    assert [c.title for c in book.chapters] == ["Opening", "Chapter 1"]
    assert paragraph_texts(book.chapters[1]) == ["Walking."]


# --------------------------------------------------------------------------- headings never dropped

def story_of(tmp_path, text, name="story.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_story(path)


HARD_TITLES = ["'Tis the Season", "...And Then", "#1 Fan", '"Run!"', "(Untitled)", "1984"]


@pytest.mark.parametrize("name", HARD_TITLES)
def test_a_chapter_heading_with_an_unusual_name_is_a_chapter(tmp_path, name):
    book = story_of(tmp_path, f"Chapter 1: {name}\n\nIt was cold.\n\nChapter 2: Snow\n\nIt snowed.\n")
    assert [c.title for c in book.chapters] == [f"Chapter 1: {name}", "Chapter 2: Snow"]
    assert [paragraph_texts(c) for c in book.chapters] == [["It was cold."], ["It snowed."]]


@pytest.mark.parametrize("name", HARD_TITLES)
def test_the_same_heading_later_in_the_book_starts_its_own_chapter(tmp_path, name):
    book = story_of(tmp_path, "Chapter 1\n\nIt was cold.\n\n"
                              f"Chapter 2: {name}\n\nIt snowed.\n\nChapter 3 - {name}\n\nIt thawed.\n")
    assert [c.title for c in book.chapters] == ["Chapter 1", f"Chapter 2: {name}", f"Chapter 3: {name}"]
    assert [paragraph_texts(c) for c in book.chapters] == [["It was cold."], ["It snowed."], ["It thawed."]]


def test_a_very_long_markdown_title_is_a_chapter(tmp_path):
    long_title = " ".join(["Longer"] * 50)[:300]
    book = story_of(tmp_path, f"# {long_title}\n\nShort first.\n\n# Second\n\nText.\n", "story.md")
    assert [c.title for c in book.chapters] == [long_title, "Second"]
    assert paragraph_texts(book.chapters[0]) == ["Short first."]


def test_a_heading_the_reader_cannot_make_out_is_read_as_text_not_dropped(tmp_path):
    book = story_of(tmp_path, "CHAPTER 1 (the one before)\n\nIt was cold.\n\nChapter 2\n\nIt snowed.\n")
    texts = [t for c in book.chapters for t in paragraph_texts(c)]
    assert texts[:2] == ["CHAPTER 1 (the one before)", "It was cold."]
    assert book.chapters[-1].title == "Chapter 2"


def test_a_title_page_before_the_first_chapter_is_skipped_and_listed_as_unread(tmp_path):
    book = story_of(tmp_path, "THE STORM\n\nby A. Writer\n\nChapter 1\n\nIt was cold.\n")
    assert [c.title for c in book.chapters] == ["Chapter 1"]
    assert [(u.reason, book.chapters[0].source_text[u.start:u.end]) for u in book.unread] == [
        ("front matter", "THE STORM\n\nby A. Writer")]
    included = read_story(tmp_path / "story.txt", front_matter=True)
    assert [c.title for c in included.chapters] == ["Opening", "Chapter 1"]


def test_control_characters_are_removed_from_titles(tmp_path):
    book = story_of(tmp_path, "---\ntitle: \"\\e[1mBold\\e[0m Book\"\nauthor: \"A\\x07 Writer\"\n---\n\n"
                              "Chapter 6: \x1b[31mred\x1b[0m\n\nText.\n")
    assert (book.title, book.author, book.chapters[0].title) == ("Bold Book", "A Writer", "Chapter 6: red")


@pytest.mark.parametrize("spec, titles", [
    ("2-3", ["Chapter 2", "Chapter 3"]),
    ("3-", ["Chapter 3", "Chapter 4"]),
    ("1,4", ["Chapter 1", "Chapter 4"]),
    ("4", ["Chapter 4"]),
])
def test_chapters_can_be_chosen_by_number(tmp_path, spec, titles):
    text = "".join(f"Chapter {n}\n\nText {n}.\n\n" for n in range(1, 5))
    (tmp_path / "story.txt").write_text(text, encoding="utf-8")
    book = read_story(tmp_path / "story.txt", chapters=spec)
    assert [c.title for c in book.chapters] == titles
    assert [c.index for c in book.chapters] == list(range(1, len(titles) + 1))


@pytest.mark.parametrize("spec", ["5-9", "0", "3-1", "x", ""])
def test_a_chapter_choice_that_selects_nothing_is_a_user_error(tmp_path, spec):
    (tmp_path / "story.txt").write_text("Chapter 1\n\nA.\n\nChapter 2\n\nB.\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        read_story(tmp_path / "story.txt", chapters=spec)
    assert "--chapters" in caught.value.message


# --------------------------------------------------------------------------- layouts without blank lines

INDENTED = """\
                              Chapter 1
                        The Boy in the Closet
  "TOM!"
  No answer.
  "Tom!"
  The old lady pulled her spectacles down and looked over them
about the room; then she put them up and looked out under them.
  "Well, I lay if I get hold of you I'll-"
  She did not finish.
                              Chapter 2
                          The Fence
  Saturday morning was come, and all the summer world was bright
and fresh, and brimming with life.
  "Hello, old chap, you got to work, hey?"
"""


def test_paragraphs_marked_by_indented_first_lines_and_centred_headings(tmp_path):
    story = tmp_path / "indented.txt"
    story.write_text(INDENTED.replace("\n", "\r\n"), encoding="utf-8")
    book = read_story(story)
    assert [c.title for c in book.chapters] == ["Chapter 1: The Boy in the Closet", "Chapter 2: The Fence"]
    texts = [[c.source_text[p.start:p.end].split()[0] for p in c.paragraphs] for c in book.chapters]
    assert texts == [['"TOM!"', "No", '"Tom!"', "The", '"Well,', "She"], ["Saturday", '"Hello,']]
    second = book.chapters[0].paragraphs[3]
    assert book.chapters[0].source_text[second.start:second.end].endswith("looked out under them.")


def test_a_few_indented_lines_in_a_book_of_blank_line_paragraphs_stay_in_their_paragraph(tmp_path):
    story = tmp_path / "verse.txt"
    story.write_text("Chapter 1\n\nShe sang softly:\n  Over the hills\n  and far away.\n\nThen she stopped.\n\n"
                     "He nodded.\n\nIt was late.\n", encoding="utf-8")
    book = read_story(story)
    assert len(book.chapters[0].paragraphs) == 4


def test_bare_figures_counting_up_number_the_chapters(tmp_path):
    story = tmp_path / "figures.txt"
    parts = ["1876", "PART ONE--The Old Buccaneer"]
    for number, name in enumerate(["The Old Sea-dog", "Black Dog", "The Black Spot"], start=1):
        parts += [str(number), name, f"The {name.lower()} came to the inn, and nobody there was glad of it."]
    parts += ["PART TWO--The Sea Cook", "4", "I Go to Bristol", "It was longer than the squire imagined."]
    story.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    titles = [c.title for c in read_story(story).chapters]
    assert titles == ["Part One: The Old Buccaneer — Chapter 1: The Old Sea-dog", "Chapter 2: Black Dog",
                      "Chapter 3: The Black Spot", "Part Two: The Sea Cook — Chapter 4: I Go to Bristol"]
    lone = tmp_path / "lone.txt"  # a figure or two standing alone are text, not chapters
    lone.write_text("Chapter 1\n\nThe year was\n\n1876\n\nand then\n\n2\n\nthings happened.\n", encoding="utf-8")
    assert [c.title for c in read_story(lone).chapters] == ["Chapter 1"]


def test_a_paragraph_on_each_line_with_no_blank_lines(tmp_path):
    story = tmp_path / "unwrapped.txt"
    long_line = ("The rain had not stopped for three days, and the river ran high and brown under the bridge "
                 "where the two of them had agreed to meet, though neither of them had said so aloud to anyone, "
                 "not even to the keeper.")
    lines = ["Chapter 1", long_line, '"Is it you?" she asked.', '"It is," he said.', long_line,
             "Chapter 2", long_line, '"Go home," said the keeper.']
    story.write_text("\n".join(lines) + "\n", encoding="utf-8")
    book = read_story(story)
    assert [c.title for c in book.chapters] == ["Chapter 1", "Chapter 2"]
    assert [len(c.paragraphs) for c in book.chapters] == [4, 2]
    assert paragraph_texts(book.chapters[0])[1] == '"Is it you?" she asked.'
    assert_offsets_exact(book)


def test_a_hard_wrapped_paragraph_with_one_long_line_stays_one_paragraph(tmp_path):
    story = tmp_path / "wrapped.txt"
    wrapped = "\n".join(["The rain had not stopped for three days, and the river ran"] * 12)
    url = "See " + "x" * 240
    story.write_text(f"Chapter 1\n\n{wrapped}\n{url}\n\n{wrapped}\n", encoding="utf-8")
    assert len(read_story(story).chapters[0].paragraphs) == 2


def test_a_book_with_no_line_breaks_is_cut_into_bounded_paragraphs(tmp_path):
    from audiobook.text.layout import MAX_PARAGRAPH

    sentence = 'The rain fell on the town. "Is it you?" she asked. "It is," he said, and sat down. '
    text = sentence * (4 * MAX_PARAGRAPH // len(sentence))
    story = tmp_path / "glued.txt"
    story.write_text(text, encoding="utf-8")
    book = read_story(story)
    paragraphs = book.chapters[0].paragraphs
    assert len(paragraphs) >= 4
    assert all(p.end - p.start <= MAX_PARAGRAPH for p in paragraphs)
    source = book.chapters[0].source_text
    assert all(source[p.start] == '"' for p in paragraphs[1:])  # cut where a quotation opens
    assert " ".join(source[p.start:p.end] for p in paragraphs) == text.strip()
    assert_offsets_exact(book)


def test_pictures_and_unmarked_lists_with_page_numbers_are_not_read(tmp_path):
    story = tmp_path / "printed.txt"
    entries = "\n\n".join(f"    {n}. {name:<40}{page}" for n, (name, page) in enumerate(
        [("PLAYING PILGRIMS", 1), ("A MERRY CHRISTMAS", 15), ("THE LAURENCE BOY", 29),
         ("BURDENS", 43), ("BEING NEIGHBORLY", 58)], start=1))
    story.write_text(
        "[Illustration: Contents]\n\n                 Part First.\n\n    CHAPTER        PAGE\n\n" + entries +
        '\n\nCHAPTER ONE\n\nPLAYING PILGRIMS\n\n[Illustration: "They all drew to the fire,\nmother in the big chair"]\n\n'
        '"Christmas won\'t be Christmas without any presents," grumbled Jo, lying on the rug.\n\n'
        "![the four sisters](sisters.png)\n\nIt was a cold night.\n", encoding="utf-8")
    book = read_story(story)
    assert [c.title for c in book.chapters] == ["Chapter One: Playing Pilgrims"]
    assert paragraph_texts(book.chapters[0]) == [
        '"Christmas won\'t be Christmas without any presents," grumbled Jo, lying on the rug.', "It was a cold night."]
    reasons = [u.reason for u in book.unread]
    assert reasons.count("illustration") == 3 and "table of contents" in reasons


def test_a_few_lines_ending_in_figures_are_text(tmp_path):
    story = tmp_path / "accounts.txt"
    story.write_text("Chapter 1\n\nHe read the bill aloud.\n\n    Bread      2\n\n    Candles    3\n\n"
                     "    Soap       1\n\nThen he paid it.\n", encoding="utf-8")
    assert len(read_story(story).chapters[0].paragraphs) == 5


def test_contents_entries_and_headings_with_small_words_in_lower_case(tmp_path):
    story = tmp_path / "tale.txt"
    story.write_text("CONTENTS\n\n     CHAPTER I      The Fellow of Delicacy\n     CHAPTER II     The Fellow of no Delicacy\n"
                     "     CHAPTER III    The Honest Tradesman\n\nCHAPTER I      The Fellow of Delicacy\n\nHe came.\n\n"
                     "CHAPTER II     The Fellow of no Delicacy\n\nHe went.\n\nCHAPTER III    The Honest Tradesman\n\n"
                     "He stayed.\n", encoding="utf-8")
    assert [c.title for c in read_story(story).chapters] == [
        "Chapter I: The Fellow of Delicacy", "Chapter II: The Fellow of no Delicacy", "Chapter III: The Honest Tradesman"]


def test_a_contents_entry_in_plain_words_with_a_page_number_is_still_an_entry(tmp_path):
    """`Dr. Seward's Phonograph Diary, spoken by Van Helsing   294`: not a heading's
    words, but the page number says it is an entry, and the contents go on past it."""
    entries = [("Jonathan Harker's Journal", 1), ("Dr. Seward's Phonograph Diary, spoken by Van Helsing", 294),
               ("Mina Harker's Journal", 338)]
    numerals = "I II III".split()
    contents = "".join(f"CHAPTER {n}\n\n{title}{' ' * 20}{page}\n\n" for n, (title, page) in zip(numerals, entries))
    body = "".join(f"CHAPTER {n}\n\n{title}\n\nIt was late when I wrote this.\n\n"
                   for n, (title, _page) in zip("I II III".split(), entries))
    story = tmp_path / "diaries.txt"
    story.write_text("CONTENTS\n\n" + contents + body, encoding="utf-8")
    chapters = read_story(story).chapters
    assert len(chapters) == 3 and all(paragraph_texts(c)[-1] == "It was late when I wrote this." for c in chapters)


def test_numerals_with_titles_are_headings_and_sections_under_them_nest(tmp_path):
    story = tmp_path / "adventures.txt"
    story.write_text("I. A SCANDAL IN BOHEMIA\n\n\nI.\n\nTo Sherlock Holmes she is always the woman.\n\nII.\n\n"
                     "At three o'clock precisely I was at Baker Street.\n\nII. THE RED-HEADED LEAGUE\n\n"
                     "I had called upon my friend one day in the autumn.\n\nI. went home. That was all.\n",
                     encoding="utf-8")
    titles = [c.title for c in read_story(story).chapters]
    assert titles == ["A Scandal in Bohemia — Chapter I", "Chapter II", "The Red-Headed League"]
    flat = tmp_path / "flat.txt"  # with no sections under them, they are chapters
    flat.write_text("I. THE STORM\n\nIt rained.\n\nII. THE CALM\n\nIt stopped.\n", encoding="utf-8")
    assert [c.title for c in read_story(flat).chapters] == ["Chapter I: The Storm", "Chapter II: The Calm"]


def test_contents_entries_wrapped_over_lines_and_a_list_of_illustrations_are_not_read(tmp_path):
    """A contents entry may run on over two lines (`--Found but not Saved`),
    and a list of pictures may follow the contents: neither is a chapter."""
    story = tmp_path / "tom.txt"
    story.write_text(
        "CONTENTS\n\nCHAPTER I. Y-o-u-u Tom--Aunt Polly Decides Upon her Duty--Tom Practices\nMusic\n\n"
        "CHAPTER II. An Exploring Expedition--Trouble Commences--Lost in the\nCave--Total Darkness--Found but not Saved\n\n"
        "CHAPTER III. The Fate of Injun Joe--Huck and Tom Compare Notes\n--An Expedition to the Cave\n\n\n"
        "ILLUSTRATIONS\n\nTom Sawyer\n\nTom at Home\n\nAin't that Work?\n\nThe Wedding Cake\n\n\n"
        "PREFACE\n\nMost of the adventures recorded in this book really occurred.\n\n"
        "CHAPTER I\n\n\"Tom!\"\n\nNo answer.\n\nCHAPTER II\n\nSaturday morning was come.\n\n"
        "CHAPTER III\n\nTom presented himself before Aunt Polly.\n", encoding="utf-8")
    book = read_story(story)
    assert [c.title for c in book.chapters] == ["Preface", "Chapter I", "Chapter II", "Chapter III"]
    assert {u.reason for u in book.unread} >= {"table of contents", "list of illustrations"}


def test_a_heading_in_capitals_may_end_in_a_quoted_name(tmp_path):
    story = tmp_path / "inn.txt"
    story.write_text("CHAPTER I PARIS\n\nA crowd stood at the gate.\n\n"
                     "CHAPTER II DOVER: “THE FISHERMAN'S REST”\n\nIn the kitchen Sally was busy.\n", encoding="utf-8")
    assert [c.title for c in read_story(story).chapters][1].startswith("Chapter II: Dover")
