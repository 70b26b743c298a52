"""Every content kind rendered to XHTML: emphasis, lists, tables, figures, notes, code."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from ..books import chapter, script
from ..conftest import DATA, epub_text

X = "{http://www.w3.org/1999/xhtml}"

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"

RICH = DATA / "rich-book" / "rich-book.md"


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from publisher import BuildConfig, publish

    out = tmp_path_factory.mktemp("rich")
    return publish(BuildConfig(RICH, out, {"narration.enabled": False})).epub


def test_markdown_keeps_emphasis_strong_links_and_language_spans(rich: Path) -> None:
    doc = chapter(rich)
    assert [e.text for e in doc.iter(f"{X}em")][:2] == ["the old eye.", "It never blinks"]
    assert next(e.text for e in doc.iter(f"{X}strong")) == "night crews"
    foreign = [e for e in doc.iter(f"{X}span") if e.get("lang") == "fr"]
    assert [e.text for e in foreign] == ["Phare de la Pointe"]


def test_lists_keep_their_order_start_and_nesting(rich: Path) -> None:
    doc = chapter(rich)
    ordered = doc.find(f".//{X}ol")
    assert ordered is not None and ordered.get("start") == "3"
    assert len(ordered.findall(f"{X}li")) == 3
    assert ordered.find(f"{X}li/{X}ul") is not None  # the nested list is inside its item


def test_tables_have_a_header_row_with_column_scope(rich: Path) -> None:
    table = chapter(rich).find(f".//{X}table")
    assert table is not None
    assert [th.get("scope") for th in table.iter(f"{X}th")] == ["col"] * 3
    assert len(table.findall(f"{X}tbody/{X}tr")) == 2


def test_figures_are_packaged_with_their_alt_text_and_caption(rich: Path) -> None:
    figure = chapter(rich).find(f".//{X}figure")
    assert figure is not None
    image = figure.find(f"{X}img")
    assert image is not None and image.get("alt") == "The lighthouse at dusk, its lamp lit"
    caption = figure.find(f"{X}figcaption")
    assert caption is not None and "survey drew it" in "".join(caption.itertext())
    opf = epub_text(rich, "EPUB/content.opf")
    assert f'href="{image.get("src")}"' in opf and 'media-type="image/png"' in opf
    assert '<meta property="schema:accessMode">visual</meta>' in opf


def test_footnotes_are_asides_with_references_and_back_links(rich: Path) -> None:
    doc = chapter(rich)
    reference = doc.find(f".//{X}a[@role='doc-noteref']")
    assert reference is not None and reference.get(EPUB_TYPE) == "noteref"
    note = doc.find(f".//{X}aside[@id='{reference.get('href', '')[1:]}']")
    assert note is not None and note.get("role") == "doc-footnote"
    back = note.find(f".//{X}a[@role='doc-backlink']")
    assert back is not None and back.get("href") == f"#{reference.get('id')}"


def test_code_quotes_and_definitions_have_their_elements(rich: Path) -> None:
    doc = chapter(rich)
    pre = doc.find(f".//{X}pre")
    assert pre is not None and "".join(pre.itertext()) == "lamp on\nlog time"
    quote = doc.find(f".//{X}blockquote")
    assert quote is not None
    # Smart punctuation on the page: curly quotes, an en dash, an ellipsis.
    shown = "".join(quote.itertext())
    assert "\u201cA light" in shown and "\u2013" in shown and shown.rstrip().endswith("\u2026")
    terms = [e.text for e in doc.iter(f"{X}strong")]
    assert "Beacon" in terms and "Buoy" in terms


def test_raw_html_keeps_its_safe_elements_and_drops_the_rest(rich: Path) -> None:
    doc = chapter(rich, 2)
    assert [e.text for e in doc.iter(f"{X}em")] == ["Nobody"]
    aside = doc.find(f".//{X}blockquote")
    assert aside is not None and "rebuilt in stone" in "".join(aside.itertext())


def test_a_figure_without_alt_text_is_not_announced(tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    shutil.copy(DATA / "rich-book" / "lighthouse.png", folder / "plate.png")
    (folder / "b.md").write_text("# One\n\nText here.\n\n![](plate.png)\n", encoding="utf-8")
    assert not any(u.text.startswith("Figure") for u in script(folder / "b.md"))


def test_print_page_numbers_become_page_breaks_and_a_page_list(rich: Path) -> None:
    pages = [e for e in chapter(rich, 2).iter(f"{X}span") if e.get("role") == "doc-pagebreak"]
    assert [(p.get("aria-label"), p.get(EPUB_TYPE)) for p in pages] == [
        ("12", "pagebreak"),
        ("13", "pagebreak"),
    ]
    nav = etree.fromstring(epub_text(rich, "EPUB/nav.xhtml").encode("utf-8"))
    page_list = nav.find(f".//{X}nav[@role='doc-pagelist']")
    assert page_list is not None
    assert [a.get("href") for a in page_list.iter(f"{X}a")] == [
        "c02.xhtml#page-12",
        "c02.xhtml#page-13",
    ]
    opf = epub_text(rich, "EPUB/content.opf")
    assert "<dc:source>" in opf and "printPageNumbers" in opf
    # Not read aloud: a page number is for the eye and for navigation.
    assert not any("12" in u.text or "thirteen" in u.text for u in script(RICH, 1))
