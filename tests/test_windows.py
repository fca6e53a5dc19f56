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
