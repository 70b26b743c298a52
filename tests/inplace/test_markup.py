"""Sentence spans put into an EPUB's own XHTML, changing no text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from publisher.inplace.markup import Ids, Marker, is_silent

X = "{http://www.w3.org/1999/xhtml}"

DOCUMENT = (
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
    "<head><title>t</title></head><body><section>{body}</section></body></html>"
)

_words = st.sampled_from(
    ["The quay", "was quiet", "that night.", "It burned!", "Dr. Vale", "said so?", " ", "and"]
)

_atoms = st.sampled_from(
    [
        '<a epub:type="noteref" href="#n1">1</a>',
        '<span epub:type="pagebreak" title="7"/>',
        "<br/>",
        '<img src="a.png" alt="a lamp"/>',
    ]
)


def _inline(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    tags = st.sampled_from(["em", "strong", "i", "span", 'a href="#x"', 'span xml:lang="fr"'])
    return st.builds(
        lambda tag, inner: f"<{tag}>{''.join(inner)}</{tag.split()[0]}>",
        tags,
        st.lists(children, min_size=1, max_size=4),
    )


_content = st.recursive(st.one_of(_words, _atoms), _inline, max_leaves=12)


def _visible(element: etree._Element) -> str:
    """What is said: the text outside silent elements (note marks, page numbers)."""
    if is_silent(element):
        return " " if element.tag == f"{X}br" else ""
    return (element.text or "") + "".join(_visible(c) + (c.tail or "") for c in element)


def _atoms_of(root: etree._Element) -> list[str]:
    return sorted(etree.tostring(e, with_tail=False).decode() for e in root.iter() if is_silent(e))


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(_content, min_size=1, max_size=6))
def test_spans_change_no_text_and_each_sentence_is_one_span(pieces: list[str]) -> None:
    source = DOCUMENT.format(body=f"<p>{''.join(pieces)}</p>")
    root = etree.fromstring(source)
    before_text = "".join(root.itertext())
    before_atoms = _atoms_of(root)
    spoken = " ".join(_visible(root.find(f".//{X}p")).split())  # type: ignore[arg-type]
    units = Marker("en", Ids()).document(root)
    again = etree.fromstring(etree.tostring(root))  # still well-formed
    assert "".join(again.itertext()) == before_text
    assert _atoms_of(again) == before_atoms  # every note mark, page break, picture once
    ids = [e.get("id") for e in again.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    said: list[str] = []
    for unit in units:
        for sentence in unit.sentences:
            span = again.find(f".//{X}span[@id='{sentence.id}']")
            assert span is not None
            shown = " ".join(_visible(span).split())
            assert shown == " ".join(unit.text[sentence.start : sentence.end].split())
            said.append(shown)
    # The source's words, every one of them once and in order.
    assert " ".join(said).split() == spoken.split()


def test_a_heading_is_one_unit_and_a_roman_ordinal_is_said_as_a_number() -> None:
    root = etree.fromstring(
        DOCUMENT.format(
            body='<h2 epub:type="ordinal z3998:roman">IV</h2><p>Louis <span '
            'epub:type="z3998:roman">XIV</span> was king.</p>'
        )
    )
    heading, paragraph = Marker("en", Ids()).document(root)
    assert (heading.kind, heading.text) == ("heading", "4")
    assert root.find(f".//{X}h2").get("id") == heading.id  # type: ignore[union-attr]
    # In running text the normaliser reads a Roman numeral by its context.
    assert [s.text for s in paragraph.sentences] == ["Louis XIV was king."]


def test_a_block_in_another_language_is_said_by_its_rules() -> None:
    root = etree.fromstring(
        DOCUMENT.format(body='<p>April.</p><div xml:lang="de">Bin gar keine Russin.</div>')
    )
    english, german = Marker("en-US", Ids()).document(root)
    assert english.marks == ()
    assert [(m.kind, m.value, german.text[m.start : m.end]) for m in german.marks] == [
        ("lang", "de", "Bin gar keine Russin.")
    ]
