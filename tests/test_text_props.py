"""Properties of the text stage for any input: reading never fails but with a
one-line user error, segments lie in order inside the text, and every
character is read, is a chapter title, or is listed as deliberately unread."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiobook.errors import UserError
from audiobook.text.epub import html as xhtml
from audiobook.text.quotes import segment_book
from audiobook.text.reader import read_story
from tests.epub_maker import make_epub

TOKENS = ["Tom", "said", "the", "rain", "and", "I", "he", "asked", "Mary", " ", " ", " ", "\n", "\n\n", "\n\n",
          ".", ",", "!", "?", "'", '"', "\u201c", "\u201d", "\u2018", "\u2019", "'Tis", "\u2014", "--", "...",
          "Chapter 1", "Chapter II: ", "CHAPTER THREE", "Part One", "Prologue", "# ", "## ", "#1", "* * *",
          "***", "Contents", "---", "title: X", "\x1b[31m", "\x01", "\ufeff", "\t", "\u0416\u0436", "\u65e5",
          "*** START OF THE PROJECT GUTENBERG EBOOK X ***", "*** END OF THE PROJECT GUTENBERG EBOOK X ***"]
STORIES = st.one_of(st.lists(st.sampled_from(TOKENS), max_size=120).map("".join),
                    st.text(max_size=300))
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read(text: str, suffix: str = ".txt"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"story{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            book = read_story(path)
        except UserError as error:
            assert str(error).startswith(str(path)) and "\n" not in str(error)
            return None
        segment_book(book)
        return book


def covered(book) -> set[int]:
    """Offsets read (in a segment or a scene break), in a chapter's title, or listed as unread."""
    seen: set[int] = set()
    for chapter in book.chapters:
        seen.update(range(chapter.start, chapter.paragraphs[0].start))
        for paragraph in chapter.paragraphs:
            if paragraph.scene_break:
                seen.update(range(paragraph.start, paragraph.end))
            for segment in paragraph.segments:
                seen.update(range(segment.start, segment.end))
    for unread in book.unread:
        seen.update(range(unread.start, unread.end))
    return seen


@SETTINGS
@given(STORIES, st.sampled_from([".txt", ".md"]))
def test_any_text_is_read_in_order_and_nothing_is_lost(text, suffix):
    book = read(text, suffix)
    if book is None:
        return
    source = book.chapters[0].source_text
    assert [c.index for c in book.chapters] == list(range(1, len(book.chapters) + 1))
    position = 0
    for chapter in book.chapters:
        assert chapter.title and chapter.title == chapter.title.strip()
        assert not any(ord(c) < 32 or c == "\x1b" for c in chapter.title)
        assert position <= chapter.start <= chapter.end <= len(source)
        for paragraph in chapter.paragraphs:
            assert position <= paragraph.start < paragraph.end <= chapter.end
            inner = paragraph.start
            for segment in paragraph.segments:
                assert inner <= segment.start < segment.end <= paragraph.end
                assert not any(ord(c) < 32 and c not in "\n\t" for c in segment.text)
                inner = segment.end
            position = paragraph.end
    seen = covered(book)
    lost = [i for i, ch in enumerate(source) if not ch.isspace() and ch != "\ufeff" and i not in seen]
    assert not lost, [source[i] for i in lost]


BODIES = st.lists(st.sampled_from(["<p>", "</p>", "<h1>", "</h1>", "<hr/>", "<aside>", "</aside>", "Tom said",
                                   " \u201cyes\u201d", "<a href='#fn1'><sup>1</sup></a>", "<p id='fn1'>",
                                   "<span epub:type='pagebreak'>4</span>", "&nbsp;", "&bogus;", "<br/>", "<div>",
                                   "</div>", "<", ">", "&", "<!--", "-->", "<![CDATA[", "<script>", "\x00"]),
                  max_size=60).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(BODIES, BODIES)
def test_any_markup_in_an_epub_reads_or_is_one_user_error(first, second):
    tree = xhtml.parse(first + second)
    blocks = xhtml.extract(tree).blocks
    assert all(b.text == b.text.strip() and b.text for b in blocks)
    with tempfile.TemporaryDirectory() as folder:
        path = make_epub(Path(folder) / "b.epub", 3, toc=[("One", 0), ("Two", 1)],
                         docs=[("a.xhtml", "A", "", first), ("b.xhtml", "B", "", second)])
        try:
            book = read_story(path)
        except UserError as error:
            assert "no readable chapters" in str(error)
            return
        segment_book(book)
        text = book.chapters[0].source_text
        for chapter in book.chapters:
            for segment in chapter.segments:
                assert 0 <= segment.start < segment.end <= len(text)
