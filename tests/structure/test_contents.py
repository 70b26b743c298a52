"""Contents lists in manuscripts: dropped, whatever their shape."""

from __future__ import annotations

from publisher.model import (
    Block,
    Manuscript,
    Metadata,
)
from publisher.readers.plaintext import read_plaintext
from publisher.structure.chapters import build_book

from ..books import book_of, outline
from ..conftest import DATA


def _manuscript(blocks: tuple[Block, ...]) -> Manuscript:
    return Manuscript(Metadata(title="Property"), blocks, "property.md")


def test_contents_list_without_a_label_is_dropped() -> None:
    assert [t for *_, t in outline(book_of(DATA / "unlabelled-contents.txt"))] == [
        "Chapter 1: Arrival",
        "Chapter 2: Departure",
    ]


def test_markdown_contents_list_of_links_is_dropped() -> None:
    book = book_of(DATA / "markdown-contents-list.md")
    assert book.metadata.title == "Listed Twice"
    assert [t for *_, t in outline(book)] == ["The Harbour", "The Hill"]


def test_contents_entries_with_page_numbers_and_dot_leaders_are_dropped() -> None:
    text = (
        "Contents\n\nThe Harbour ........ 1\nThe Hill ........... 9\n\n"
        "Chapter 1: The Harbour\n\nBoats.\n\nChapter 2: The Hill\n\nGrass.\n"
    )
    book = build_book(_manuscript(read_plaintext(text).blocks))
    assert [s.display_title for s in book.sections] == [
        "Chapter 1: The Harbour",
        "Chapter 2: The Hill",
    ]
