"""Plain text: title blocks, scene breaks and headings as an editor reads them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.model import (
    BreakBlock,
    HeadingBlock,
    Paragraph,
    ParagraphBlock,
)
from publisher.readers.markdown import read_markdown
from publisher.readers.plaintext import read_plaintext
from publisher.structure.chapters import build_book

from ..books import TEXT, book_of, book_words, manuscript_of, words_of
from ..conftest import DATA


def _is_subsequence(part: list[str], whole: list[str]) -> bool:
    remaining = iter(whole)
    return all(word in remaining for word in part)


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


@pytest.mark.slow
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
    meta_words = words_of(" ".join(meta.get(k, "") for k in ("title", "subtitle", "author")))
    book = build_book(manuscript_of(found.blocks))
    assert _is_subsequence(meta_words + book_words(book), words_of(text))


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
