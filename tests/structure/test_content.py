"""Blocks to content: notes placed, verse kept."""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from publisher.formats.render import XHTML, Renderer
from publisher.model import (
    HeadingBlock,
    Manuscript,
    Metadata,
    NoteBlock,
    NoteRef,
    Paragraph,
    ParagraphBlock,
    RichText,
    Sentence,
)
from publisher.structure.chapters import build_book


def _render(body: RichText, sentences: list[Sentence]) -> etree._Element:
    root = etree.Element(f"{{{XHTML}}}p")
    Renderer("en").rich(root, body, sentences)
    # Serialised and parsed back: the property is about well-formed XHTML.
    return etree.fromstring(etree.tostring(root))


def test_notes_are_placed_after_their_paragraph_or_at_the_chapter_end() -> None:
    blocks = (
        HeadingBlock(1, "One"),
        ParagraphBlock.rich(("A claim.", NoteRef("x"), " More.")),
        ParagraphBlock("Next paragraph."),
        NoteBlock("x", (ParagraphBlock("The source."),)),
    )
    manuscript = Manuscript(Metadata("T"), blocks, "t")
    after_paragraph = build_book(manuscript).sections[0].content
    assert [type(i).__name__ for i in after_paragraph] == ["Paragraph", "Note", "Paragraph"]
    from publisher.structure.topics import ChapterOptions

    at_end = build_book(manuscript, ChapterOptions(notes="chapter")).sections[0].content
    assert [type(i).__name__ for i in at_end] == ["Paragraph", "Paragraph", "Note"]
    note = at_end[-1]
    assert note.kind == "endnote" and note.ref_id == "c01-r01"  # type: ignore[union-attr]


def test_a_reference_to_no_note_is_shown_and_not_linked() -> None:
    blocks = (HeadingBlock(1, "One"), ParagraphBlock.rich(("Text.", NoteRef("missing"))))
    book = build_book(Manuscript(Metadata("T"), blocks, "t"))
    paragraph = book.sections[0].content[0]
    assert isinstance(paragraph, Paragraph)
    root = _render(paragraph.body, list(paragraph.sentences))
    assert root.find(f".//{{{XHTML}}}a") is None
    assert "".join(root.itertext()) == "Text.missing"


def test_verse_keeps_its_lines_and_prose_its_flow() -> None:
    verse = replace(ParagraphBlock("One line\nTwo line"), verse=True)
    prose = ParagraphBlock("Wrapped\nprose line.")
    book = build_book(Manuscript(Metadata("T"), (HeadingBlock(1, "A"), verse, prose), "t"))
    first, second = book.sections[0].content
    assert isinstance(first, Paragraph) and isinstance(second, Paragraph)
    assert [s.text for s in first.sentences] == ["One line", "Two line"]
    assert second.body.text == "Wrapped prose line."
