"""Which plain-text lines are headings, and what they say."""

from __future__ import annotations

import pytest

from publisher.headings import heading_number, match_heading

HEADINGS = [
    # line, kind, label, title, number
    ("CHAPTER I.", "chapter", "CHAPTER I", None, 1),
    ("Chapter 12", "chapter", "Chapter 12", None, 12),
    ("Chapter One: The Road", "chapter", "Chapter One", "The Road", 1),
    ("CHAPTER XII. THE STORM", "chapter", "CHAPTER XII", "THE STORM", 12),
    ("Chapter 5 The Storm", "chapter", "Chapter 5", "The Storm", 5),
    ("Chapter 3 - the end of the road", "chapter", "Chapter 3", "the end of the road", 3),
    ("Chapter twenty-one", "chapter", "Chapter twenty-one", None, 21),
    ("CHAPTER XLIV", "chapter", "CHAPTER XLIV", None, 44),
    ("PART TWO", "part", "PART TWO", None, 2),
    ("Part 1: Beginnings", "part", "Part 1", "Beginnings", 1),
    ("BOOK III", "part", "BOOK III", None, 3),
    ("Book the First", "part", "Book the First", None, 1),
    ("Volume 2", "part", "Volume 2", None, 2),
    ("Prologue", "prologue", "Prologue", None, None),
    ("EPILOGUE", "epilogue", "EPILOGUE", None, None),
    ("Preface", "preface", "Preface", None, None),
    ("Foreword", "foreword", "Foreword", None, None),
    ("Introduction", "introduction", "Introduction", None, None),
    ("Afterword", "afterword", "Afterword", None, None),
    ("Acknowledgements", "acknowledgments", "Acknowledgements", None, None),
    ("Author's Note", "notes", "Author's Note", None, None),
    ("Appendix A", "appendix", "Appendix A", None, None),
    ("CONTENTS", "contents", "CONTENTS", None, None),
    ("Table of Contents", "contents", "Table of Contents", None, None),
    ("IV.", "chapter", "IV", None, 4),
    ("IV. THE STORM", "chapter", "IV", "THE STORM", 4),
    ("12.", "chapter", "12", None, 12),
    ("   Chapter   7   ", "chapter", "Chapter 7", None, 7),
    ("1.2 Methods", "chapter", "1.2", "Methods", 1),
    ("3.1.4. Results and Discussion", "chapter", "3.1.4", "Results and Discussion", 3),
    ("1. Introduction", "chapter", "1", "Introduction", 1),
]

PROSE = [
    "Chapter 12 was the hardest to write.",
    "Part of me wanted to stay.",
    "Book two of the trilogy sold well.",
    "Introduction to the method is simple.",
    "The notes were on the table.",
    "Notes on a scandal were shared.",
    "I went home.",
    "In 1991, everything changed.",
    "1. buy eggs",
    "Mix",
    "CIVIL WAR",
    "X marks the spot",
    "Chapter and verse, he said, were not the point.",
    "Prologue or not, the play went on.",
    "PREFACE TO A LIFE THAT WAS NEVER WRITTEN DOWN BY ANYONE AT ALL IN THE WHOLE WIDE WORLD",
    "",
    "* * *",
    "1.2 million people came.",
    "STOP SHOUTING AT ME!",
    "I SAID NO",
    "GET OUT, ALL OF YOU.",
]


@pytest.mark.parametrize(("line", "kind", "label", "title", "number"), HEADINGS)
def test_heading_lines_are_recognised_with_label_title_and_number(
    line: str, kind: str, label: str, title: str | None, number: int | None
) -> None:
    found = match_heading(line)
    assert found is not None
    assert (found.kind, found.label, found.title, found.number) == (kind, label, title, number)


@pytest.mark.parametrize("line", PROSE)
def test_prose_lines_are_not_headings(line: str) -> None:
    assert match_heading(line) is None


def test_decimal_sections_nest_one_level_per_number() -> None:
    levels = [match_heading(line) for line in ("1. Introduction", "1.2 Methods", "1.2.3 Samples")]
    assert [found.level for found in levels if found] == [2, 3, 4]


def test_parts_sit_above_chapters() -> None:
    part, chapter = match_heading("PART ONE"), match_heading("Chapter 1")
    assert part is not None and chapter is not None
    assert part.level < chapter.level


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12), ("XIV", 14), ("mcmxci", 1991), ("twenty-one", 21), ("Third", 3), ("fish", None)],
)
def test_heading_numbers_read_arabic_roman_and_words(text: str, value: int | None) -> None:
    assert heading_number(text) == value
