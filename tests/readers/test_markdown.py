"""Markdown: comments, raw HTML, scripts and unknown tags."""

from __future__ import annotations

from lxml import etree

from publisher.model import (
    ParagraphBlock,
    QuoteBlock,
    Styled,
    block_text,
)
from publisher.readers.markdown import read_markdown

from ..books import chapter
from ..conftest import Builder


def test_scripts_and_unknown_tags_in_markdown_never_reach_the_page(build: Builder) -> None:
    epub = build(
        "# One\n\nSafe <em>words</em> and <script>alert(1)</script> <blink>old</blink> tags.\n"
    ).epub
    doc = chapter(epub)
    text = "".join(doc.itertext())
    assert "alert" not in text and "<" not in text and "old" in text
    tags = {etree.QName(e).localname for e in doc.iter() if isinstance(e.tag, str)}
    assert "script" not in tags and "blink" not in tags and "em" in tags


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
