"""The document model: inline trees render to one span per sentence, words and ids kept."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from publisher.formats.render import XHTML, Renderer
from publisher.formats.typography import smarten
from publisher.model import (
    Anchor,
    Book,
    Foreign,
    HeadingBlock,
    Inline,
    LineBreak,
    Link,
    Manuscript,
    Metadata,
    NoteRef,
    PageNumber,
    Paragraph,
    ParagraphBlock,
    RichText,
    Sentence,
    Styled,
    content_items,
    plain_text,
)
from publisher.structure.chapters import build_book
from publisher.structure.inline import flatten

WORDS = st.text(alphabet="abcdef ghij.,!?\"'-", min_size=1, max_size=12)


def inline_trees(depth: int = 3) -> st.SearchStrategy[tuple[Inline, ...]]:
    leaf: st.SearchStrategy[Inline] = st.one_of(
        WORDS,
        st.just(LineBreak()),
        st.builds(NoteRef, st.sampled_from(["a", "b"])),
        st.builds(PageNumber, st.sampled_from(["1", "xii"])),
    )
    if depth == 0:
        return st.lists(leaf, min_size=1, max_size=4).map(tuple)
    inner = inline_trees(depth - 1)
    node: st.SearchStrategy[Inline] = st.one_of(
        leaf,
        st.builds(Styled, st.sampled_from(["emphasis", "strong", "code", "small-caps"]), inner),
        st.builds(Link, inner, st.just("https://example.org/x")),
        st.builds(Foreign, inner, st.sampled_from(["fr", "de"])),
    )
    return st.lists(node, min_size=1, max_size=4).map(tuple)


def _sentences(text: str, cuts: list[int]) -> list[Sentence]:
    """Sentences over ``text`` cut at ``cuts`` (as a splitter would, at any point)."""
    edges = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    return [
        Sentence(f"s{n}", text[a:b], "text", a, b)
        for n, (a, b) in enumerate(itertools.pairwise(edges))
        if text[a:b].strip()
    ]


def _render(body: RichText, sentences: list[Sentence]) -> etree._Element:
    root = etree.Element(f"{{{XHTML}}}p")
    Renderer("en").rich(root, body, sentences)
    # Serialised and parsed back: the property is about well-formed XHTML.
    return etree.fromstring(etree.tostring(root))


def _book(paragraphs: list[str]) -> Book:
    blocks = (HeadingBlock(1, "One"), *(ParagraphBlock(text) for text in paragraphs))
    return build_book(Manuscript(Metadata("T"), blocks, "t.txt"))


def _ids(book: Book) -> list[str]:
    return [s.id for section in book.sections for s in section.sentences] + [
        item.id for section in book.sections for item in content_items(section.content)
    ]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(inline_trees(), st.lists(st.integers(min_value=0, max_value=200), max_size=6))
def test_any_inline_tree_renders_to_well_formed_xhtml_with_each_sentence_one_span(
    content: tuple[Inline, ...], cuts: list[int]
) -> None:
    flat = flatten(content)
    anchors = tuple(
        Anchor("noteref", p.offset, f"r{n}", "n1", "1")
        if isinstance(p.item, NoteRef)
        else Anchor("pagebreak", p.offset, f"page{n}", "7", "7")
        for n, p in enumerate(flat.points)
    )
    body = RichText(flat.text, flat.marks, anchors)
    sentences = _sentences(flat.text, cuts)
    root = _render(body, sentences)
    code = [(m.start, m.end) for m in flat.marks if m.kind == "code"]
    shown, where = smarten(flat.text, "en", code)
    references = root.findall(f".//{{{XHTML}}}a[@role='doc-noteref']")
    pages = root.findall(f".//{{{XHTML}}}span[@role='doc-pagebreak']")
    assert (len(references), len(pages)) == (
        sum(a.kind == "noteref" for a in anchors),
        sum(a.kind == "pagebreak" for a in anchors),
    )
    for reference in references:  # shown, but not words of the text
        reference.text = None
    # No text lost or invented: the page shows the words (line breaks as <br/>).
    assert "".join(root.itertext()) == shown.replace("\n", "")
    spans = {
        s.get("id"): s for s in root.iter(f"{{{XHTML}}}span") if s.get("id") and not s.get("role")
    }
    assert sorted(spans) == sorted(s.id for s in sentences)
    for sentence in sentences:
        # Every sentence is one element holding exactly its own words (and note marks).
        own = shown[where[sentence.start] : where[sentence.end]].replace("\n", "")
        assert "".join(spans[sentence.id].itertext()) == own


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(inline_trees())
def test_flattening_keeps_every_word_of_the_tree(content: tuple[Inline, ...]) -> None:
    flat = flatten(content)
    assert flat.text.split() == plain_text(content).split()
    for mark in flat.marks:
        assert 0 <= mark.start < mark.end <= len(flat.text)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(["A cat sat. It slept.", "Rain fell.", "Go! Now."]), min_size=3),
    st.data(),
)
def test_ids_stay_when_an_unrelated_paragraph_changes(
    paragraphs: list[str], data: st.DataObject
) -> None:
    changed = data.draw(st.integers(min_value=0, max_value=len(paragraphs) - 1))
    edited = [*paragraphs]
    edited[changed] = "An entirely different paragraph. With three sentences. Here."
    before, after = _book(paragraphs), _book(edited)
    prefix = f"c01-p{changed + 1:03d}"
    assert [i for i in _ids(before) if not i.startswith(prefix)] == [
        i for i in _ids(after) if not i.startswith(prefix)
    ]


def test_a_sentence_may_cross_an_emphasis_and_an_emphasis_a_sentence() -> None:
    content: tuple[Inline, ...] = ("It was ", Styled("emphasis", ("late. Very",)), " late.")
    book = build_book(
        Manuscript(Metadata("T"), (HeadingBlock(1, "One"), ParagraphBlock.rich(content)), "t")
    )
    paragraph = book.sections[0].content[0]
    assert isinstance(paragraph, Paragraph)
    assert [s.text for s in paragraph.sentences] == ["It was late.", "Very late."]
    root = _render(paragraph.body, list(paragraph.sentences))
    spans = [s for s in root if s.get("id")]
    assert [len(list(s.iter(f"{{{XHTML}}}em"))) for s in spans] == [1, 1]
