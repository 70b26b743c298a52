"""Project Gutenberg's header, title block and licence."""

from __future__ import annotations

from pathlib import Path

from publisher.model import (
    Book,
)
from publisher.readers import read_manuscript
from publisher.structure.chapters import build_book

from ..conftest import DATA, SOURCE


def book_of(path: Path) -> Book:
    return build_book(read_manuscript(path))


def outline(book: Book) -> list[tuple[str, str, int, str]]:
    return [(s.kind, s.matter, s.depth, s.display_title) for s in book.sections]


def test_gutenberg_title_block_and_contents_list_are_metadata_not_text() -> None:
    book = book_of(SOURCE / "the-keeper-of-the-tide-clock.txt")
    meta = book.metadata
    assert (meta.title, meta.subtitle, meta.author) == (
        "The Keeper of the Tide Clock",
        "A Story of the East Coast",
        "Martha Penrose",
    )
    assert outline(book) == [
        ("preface", "front", 0, "PREFACE"),
        ("chapter", "body", 0, "CHAPTER I: THE CLOCK THAT KNEW THE SEA"),
        ("chapter", "body", 0, "CHAPTER II: THE NIGHT OF THE GREAT TIDE"),
        ("chapter", "body", 0, "CHAPTER III: RUTH TAKES THE KEY"),
        ("afterword", "back", 0, "AFTERWORD"),
    ]
    spoken = " ".join(s.text for section in book.sections for s in section.sentences)
    assert "Martha Penrose" not in spoken and "CONTENTS" not in spoken


def test_project_gutenberg_licence_is_dropped_and_header_becomes_metadata() -> None:
    book = book_of(DATA / "gutenberg-header-and-licence.txt")
    meta = book.metadata
    assert (meta.title, meta.author, meta.language) == (
        "The Lantern Street Mystery",
        "Cecily Ashdown",
        "en",
    )
    assert [s.display_title for s in book.sections] == [
        "CHAPTER I: A LIGHT GOES OUT",
        "CHAPTER II: THE LAMPLIGHTER'S BOOK",
    ]
    text = " ".join(s.text for section in book.sections for s in section.sentences)
    assert "Gutenberg" not in text and "editions" not in text
