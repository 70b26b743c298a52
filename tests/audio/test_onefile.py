"""How a book is cut into M4B parts."""

from __future__ import annotations

from publisher.audio.onefile import BookMark, split_parts


def test_parts_never_split_a_chapter() -> None:
    marks = [BookMark(str(n), n * 1000, (n + 1) * 1000) for n in range(5)]
    assert split_parts(marks, None) == [[0, 1, 2, 3, 4]]
    assert split_parts(marks, 2.5 / 3600) == [[0, 1], [2, 3], [4]]
    assert split_parts(marks, 0.1 / 3600) == [[0], [1], [2], [3], [4]]
