"""Chapters from headings: parts, front and back matter, ids, subheadings."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.model import (
    Block,
    BreakBlock,
    HeadingBlock,
    Paragraph,
    ParagraphBlock,
    Subheading,
)
from publisher.readers.markdown import read_markdown
from publisher.structure.chapters import build_book

from ..books import TEXT, book_of, book_words, manuscript_of, outline, words_of
from ..conftest import DATA, SOURCE


@st.composite
def block_lists(draw: st.DrawFn) -> tuple[Block, ...]:
    blocks: list[Block] = []
    titles: set[str] = set()
    for _ in range(draw(st.integers(1, 12))):
        choice = draw(st.sampled_from(["heading", "paragraph", "paragraph", "break"]))
        if choice == "heading":
            title = draw(TEXT)
            if title.casefold() in titles:
                continue
            titles.add(title.casefold())
            blocks.append(HeadingBlock(draw(st.integers(1, 4)), title))
        elif choice == "paragraph":
            blocks.append(ParagraphBlock(draw(TEXT)))
        else:
            blocks.append(BreakBlock())
    return tuple(blocks)


def _block_words(blocks: tuple[Block, ...]) -> list[str]:
    words: list[str] = []
    for block in blocks:
        if isinstance(block, HeadingBlock):
            words += words_of(block.label or "") + words_of(block.text)
        elif isinstance(block, ParagraphBlock):
            words += words_of(block.text)
    return words


def test_markdown_sample_has_front_matter_metadata_and_preface_chapters_afterword() -> None:
    book = book_of(SOURCE / "the-cartographer-of-small-rivers.md")
    assert book.metadata.language == "en-GB"
    assert book.metadata.subtitle == "A Novella in Three Surveys"
    assert [(kind, matter) for kind, matter, _, _ in outline(book)] == [
        ("preface", "front"),
        ("chapter", "body"),
        ("chapter", "body"),
        ("chapter", "body"),
        ("afterword", "back"),
    ]
    assert book.words >= 1500


def test_front_and_back_matter_keep_their_own_sections() -> None:
    assert outline(book_of(DATA / "front-and-back-matter.md")) == [
        ("foreword", "front", 0, "Foreword"),
        ("preface", "front", 0, "Preface"),
        ("chapter", "body", 0, "Chapter 1"),
        ("chapter", "body", 0, "Chapter 2"),
        ("acknowledgments", "back", 0, "Acknowledgements"),
        ("notes", "back", 0, "Notes"),
    ]


def test_parts_hold_their_chapters_one_level_down() -> None:
    assert outline(book_of(DATA / "parts-and-chapters.txt")) == [
        ("part", "body", 0, "PART ONE"),
        ("chapter", "body", 1, "CHAPTER 1"),
        ("chapter", "body", 1, "CHAPTER 2"),
        ("part", "body", 0, "PART TWO"),
        ("chapter", "body", 1, "CHAPTER 3"),
    ]


def test_a_manuscript_without_headings_is_one_chapter_titled_after_the_book() -> None:
    book = book_of(DATA / "article-without-headings.txt")
    assert book.metadata.title == "The Quiet Work of Bridges"
    assert len(book.sections) == 1
    section = book.sections[0]
    assert section.display_title == "The Quiet Work of Bridges" and not section.from_manuscript
    assert len([c for c in section.content if isinstance(c, Paragraph)]) == 3


def test_a_lone_markdown_title_heading_is_the_title_not_a_chapter() -> None:
    found = read_markdown("# My Essay\n\nFirst.\n\nSecond.\n")
    assert found.metadata["title"] == "My Essay"
    assert all(not isinstance(b, HeadingBlock) for b in found.blocks)


def test_subheadings_stay_inside_their_chapter() -> None:
    found = read_markdown("## One\n\nText.\n\n### A detail\n\nMore.\n\n## Two\n\nEnd.\n")
    book = build_book(manuscript_of(found.blocks))
    assert [s.display_title for s in book.sections] == ["One", "Two"]
    first = book.sections[0].content
    assert isinstance(first[1], Subheading) and (first[1].level, first[1].text) == (2, "A detail")


def test_ids_are_stable_and_shaped_chapter_paragraph_sentence() -> None:
    first = book_of(DATA / "two-chapters-markdown.md")
    again = book_of(DATA / "two-chapters-markdown.md")
    ids = [s.id for section in first.sections for s in section.sentences]
    assert ids == ["c01-p001-s01", "c01-p001-s02", "c02-p001-s01"]
    assert ids == [s.id for section in again.sections for s in section.sentences]


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(block_lists())
def test_structuring_loses_no_text_and_invents_none(blocks: tuple[Block, ...]) -> None:
    book = build_book(manuscript_of(blocks))
    assert book_words(book) == _block_words(blocks)
