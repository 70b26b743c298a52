"""From blocks to a Book: sections, contents lists, front and back matter, ids, sentences."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.model import (
    Block,
    Book,
    BreakBlock,
    HeadingBlock,
    Manuscript,
    Metadata,
    Paragraph,
    ParagraphBlock,
    QuoteBlock,
    Styled,
    Subheading,
    block_text,
)
from publisher.readers import read_manuscript
from publisher.readers.markdown import read_markdown
from publisher.readers.plaintext import read_plaintext
from publisher.structure.chapters import build_book
from publisher.structure.sentences import split_sentences

from .conftest import DATA, SOURCE


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


def test_heading_label_followed_by_title_line_makes_one_heading() -> None:
    for text in ("CHAPTER IV.\nTHE ROAD\n\nText.\n", "CHAPTER IV.\n\nTHE ROAD\n\nText.\n"):
        blocks = read_plaintext(text).blocks
        assert blocks[0] == HeadingBlock(2, "THE ROAD", label="CHAPTER IV")


def test_scene_breaks_in_every_usual_shape_become_breaks() -> None:
    found = read_markdown((DATA / "scene-breaks.md").read_text())
    kinds = [type(b).__name__ for b in found.blocks]
    assert kinds.count("BreakBlock") == 3
    assert "~" not in " ".join(b.text for b in found.blocks if isinstance(b, ParagraphBlock))
    assert (
        read_plaintext("A.\n\n* * *\n\nB.\n\n***\n\nC.\n\n#\n\nD.\n\n~\n\nE.\n").blocks.count(
            BreakBlock()
        )
        == 4
    )


def test_subheadings_stay_inside_their_chapter() -> None:
    found = read_markdown("## One\n\nText.\n\n### A detail\n\nMore.\n\n## Two\n\nEnd.\n")
    book = build_book(_manuscript(found.blocks))
    assert [s.display_title for s in book.sections] == ["One", "Two"]
    first = book.sections[0].content
    assert isinstance(first[1], Subheading) and (first[1].level, first[1].text) == (2, "A detail")


def test_ids_are_stable_and_shaped_chapter_paragraph_sentence() -> None:
    first = book_of(DATA / "two-chapters-markdown.md")
    again = book_of(DATA / "two-chapters-markdown.md")
    ids = [s.id for section in first.sections for s in section.sentences]
    assert ids == ["c01-p001-s01", "c01-p001-s02", "c02-p001-s01"]
    assert ids == [s.id for section in again.sections for s in section.sentences]


def test_sentences_split_on_ends_but_not_on_abbreviations() -> None:
    assert split_sentences(
        'Mr. Smith met Dr. Jones at 3.30 p.m. on St. Giles. "Late," he said. Fine!', "en"
    ) == ["Mr. Smith met Dr. Jones at 3.30 p.m. on St. Giles.", '"Late," he said.', "Fine!"]


# --- properties: structuring loses no text and invents none ---

WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'\"-",
    min_size=1,
    max_size=12,
)
TEXT = st.lists(WORD, min_size=1, max_size=30).map(" ".join)


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


def _manuscript(blocks: tuple[Block, ...]) -> Manuscript:
    return Manuscript(Metadata(title="Property"), blocks, "property.md")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _book_words(book: Book) -> list[str]:
    words: list[str] = []
    for section in book.sections:
        if section.from_manuscript:
            words += _words(section.label or "") + _words(section.title or "")
        for item in section.content:
            if isinstance(item, Paragraph | Subheading):
                words += _words(item.text)
    return words


def _block_words(blocks: tuple[Block, ...]) -> list[str]:
    words: list[str] = []
    for block in blocks:
        if isinstance(block, HeadingBlock):
            words += _words(block.label or "") + _words(block.text)
        elif isinstance(block, ParagraphBlock):
            words += _words(block.text)
    return words


def _is_subsequence(part: list[str], whole: list[str]) -> bool:
    remaining = iter(whole)
    return all(word in remaining for word in part)


@settings(max_examples=200, deadline=None)
@given(block_lists())
def test_structuring_loses_no_text_and_invents_none(blocks: tuple[Block, ...]) -> None:
    book = build_book(_manuscript(blocks))
    assert _book_words(book) == _block_words(blocks)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            TEXT,
            st.sampled_from(
                [
                    "",
                    "* * *",
                    "CHAPTER I.",
                    "PART TWO",
                    "Preface",
                    "Contents",
                    "Chapter 3: The End",
                    "by Someone",
                ]
            ),
        ),
        min_size=1,
        max_size=25,
    ).map("\n".join)
)
def test_plain_text_reading_and_structuring_invent_no_text(text: str) -> None:
    found = read_plaintext(text)
    meta = found.metadata
    meta_words = _words(" ".join(meta.get(k, "") for k in ("title", "subtitle", "author")))
    book = build_book(_manuscript(found.blocks))
    assert _is_subsequence(meta_words + _book_words(book), _words(text))


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_sentence_splitting_keeps_every_character(text: str) -> None:
    sentences = split_sentences(text, "en")
    assert " ".join(sentences) == " ".join(text.split())


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


def test_a_paragraph_of_fifty_thousand_words_keeps_every_word_in_order() -> None:
    words = ["Harbour", "lights.", "Dr.", "Grey", "waited,", "then", "left!", "Quietly", "rain?"]
    text = " ".join(words[i % len(words)] for i in range(50_000))
    sentences = split_sentences(text, "en")
    assert " ".join(sentences) == text
    assert 10_000 < len(sentences) < 20_000
    assert not any(s.endswith("Dr.") for s in sentences)


def test_markdown_comments_are_dropped_and_raw_html_gives_the_models_own_kinds() -> None:
    found = read_markdown(
        "Text <!-- inline note --> here <b>bold</b>.\n\n<!-- a private\nnote -->\n"
        '\n<div>Raw</div>\n\n<aside class="pquote">\n  <img src="a.png" alt="avatar">\n'
        "  Quoted words.\n  <p>— @someone</p>\n<script>steal()</script>\n</aside>\n"
    )
    first, raw, quote = found.blocks
    assert isinstance(first, ParagraphBlock) and first.text == "Text here bold."
    assert first.inline == ("Text here ", Styled("strong", ("bold",)), ".")
    assert isinstance(raw, ParagraphBlock) and raw.text == "Raw"
    # The pull quote's avatar is decoration (and not on this machine): nothing is left of it.
    assert isinstance(quote, QuoteBlock)
    assert [block_text(b) for b in quote.blocks] == ["Quoted words.", "— @someone"]


def test_a_subtitle_on_the_line_under_the_title_is_metadata_not_the_first_paragraph() -> None:
    book = book_of(DATA / "topics" / "the-linen-mill-at-ballymore.txt")
    assert (book.metadata.title, book.metadata.subtitle) == (
        "The Linen Mill at Ballymore",
        "A talk given to the Ballymore Historical Society",
    )
    first = book.sections[0].content[0]
    assert isinstance(first, Paragraph)
    assert first.sentences[0].text.startswith("Thank you all for coming out")


def test_two_lines_of_prose_at_the_top_are_not_a_title_block() -> None:
    text = "It was late.\nNobody came.\n\nThe end of the story, which is long enough to read.\n"
    result = read_plaintext(text)
    assert "title" not in result.metadata and "subtitle" not in result.metadata
