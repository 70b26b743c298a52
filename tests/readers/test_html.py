"""HTML: saved web pages and Gutenberg's HTML editions."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ..conftest import CORPUS, DATA, Builder, epub_text

X = "{http://www.w3.org/1999/xhtml}"


CARMEN = CORPUS / "html-pg2465-carmen.htm"

WEB_PAGE = DATA / "saved-web-page-utf8-declared-latin1.html"

needs_corpus = pytest.mark.skipif(not CARMEN.exists(), reason=f"no corpus at {CORPUS}")


def chapter(epub: Path, number: int) -> etree._Element:
    return etree.fromstring(epub_text(epub, f"EPUB/c{number:02d}.xhtml").encode("utf-8"))


def test_a_saved_web_page_keeps_its_text_and_loses_its_scripts_forms_and_frames(
    build: Builder,
) -> None:
    report = build(WEB_PAGE)
    meta = report.book.metadata
    assert (meta.title, meta.author, meta.language) == (
        "The Tide Tables of Port Ellen",
        "Ruth Galbraith",
        "en",
    )
    assert [s.display_title for s in report.book.sections] == ["The Harbour", "The Boats"]
    first = chapter(report.epub, 1)
    text = "".join(first.itertext())
    assert "Café owners" in text  # UTF-8 bytes, though the page declares Latin-1
    assert "tracking" not in text and "Send" not in text
    links = [a.get("href") for a in first.iter(f"{X}a")]
    assert links == ["https://example.org/tides"]  # javascript: is never a link
    for number in (1, 2):
        for element in chapter(report.epub, number).iter():
            assert not any(name.startswith("on") for name in element.attrib)
            assert etree.QName(element).localname not in {"script", "iframe", "form", "img"}
    second = chapter(report.epub, 2)
    assert second.find(f".//{X}blockquote") is not None
    assert second.find(f".//{X}table//{X}th") is not None


@pytest.mark.slow
@needs_corpus
def test_a_gutenberg_html_edition_gives_its_chapters_and_notes_and_no_licence(
    build: Builder,
) -> None:
    report = build(CARMEN)
    meta = report.book.metadata
    assert (meta.title, meta.author, meta.language) == ("Carmen", "Prosper Merimee", "en")
    assert [s.display_title for s in report.book.sections] == [
        "CHAPTER I",
        "CHAPTER II",
        "CHAPTER III",
        "CHAPTER IV",
    ]
    notes = linked = 0
    for number in range(1, 5):
        document = epub_text(report.epub, f"EPUB/c{number:02d}.xhtml")
        assert "Project Gutenberg" not in document and "Produced by" not in document
        notes += document.count('role="doc-footnote"')
        linked += document.count('role="doc-backlink"')
    # Gutenberg's "*" notes after their paragraphs: read as notes, not as story.
    assert notes >= 30 and linked >= 25
