"""A chapter is assembled a window at a time, and a window stays minutes long."""
from __future__ import annotations

from audiobook.audio import workers


def test_windows_hold_at_most_so_many_utterances():
    assert workers.window_bounds([10] * 250) == list(range(0, 250, workers.WINDOW))


def test_windows_of_long_utterances_hold_at_most_so_much_text():
    # one enormous paragraph cut into utterances of a thousand characters
    bounds = workers.window_bounds([1000] * 100)
    sizes = [b - a for a, b in zip(bounds, [*bounds[1:], 100])]
    assert all(size * 1000 <= workers.WINDOW_CHARS for size in sizes) and sum(sizes) == 100


def test_an_utterance_longer_than_a_window_gets_one_of_its_own():
    assert workers.window_bounds([5, workers.WINDOW_CHARS * 2, 5]) == [0, 1, 2]


def test_an_empty_chapter_has_one_window():
    assert workers.window_bounds([]) == [0]


def _work(number: int, texts: list[str]) -> workers.ChapterWork:
    from audiobook.model import BookInfo, SpeechJob, Voice

    voice = Voice("gmw/en-us", 170, 50)
    utterances = tuple(workers.Utterance("n", t, SpeechJob(t, voice), "sentence") for t in texts)
    return workers.ChapterWork(number, 4, f"Chapter {number}", utterances, (), BookInfo(title="T", slug="t"))


def test_chapters_built_as_they_finish_are_handed_out_longest_first():
    works = [_work(1, ["short"]), _work(2, ["a much longer chapter"] * 3), _work(3, ["medium length"] * 2),
             _work(4, ["tiny"])]
    assert [w.number for w in workers.longest_first(works)] == [2, 3, 1, 4]
