"""Markdown: YAML front matter or a pandoc title block, then CommonMark and its common
extensions, read into the document model through the HTML it renders to."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import lxml.html
import yaml
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from publisher.errors import ConfigError
from publisher.headings import match_heading, title_key
from publisher.metadata import join_names, metadata_fields
from publisher.model import Block, HeadingBlock
from publisher.readers.base import ReadResult
from publisher.readers.decoding import read_text
from publisher.readers.html_blocks import Converter, ImageLoader
from publisher.readers.images import local_images

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)

# CommonMark with pandoc's common extensions: tables, footnotes, definition lists and
# attributes (``[Weltschmerz]{lang=de}``, ``[text]{.smallcaps}``). Raw HTML passes to the
# HTML reading, which keeps what it knows and the text of the rest; comments (authors'
# notes to themselves) are dropped.
_PARSER = (
    MarkdownIt("commonmark", {"html": True})
    .enable("table")
    .use(footnote_plugin)
    .use(deflist_plugin)
    .use(attrs_plugin, spans=True)
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# libxml2 stops at 256 levels and drops the rest of the document; "huge" allows deeper
# nesting, which the converter then reads as plain text below its own limit.
_HTML = lxml.html.HTMLParser(huge_tree=True, no_network=True, remove_comments=True)


class MarkdownReader:
    """Markdown with YAML front matter (Jekyll, Hugo, pandoc) and local images."""

    name = "markdown"
    suffixes = (".md", ".markdown")

    def sniff(self, head: bytes) -> bool:
        return head.lstrip(b"\xef\xbb\xbf").startswith((b"---\n", b"---\r\n"))

    def read(self, path: Path) -> ReadResult:
        decoded = read_text(path)
        images = local_images(path.parent, path.name)
        found = read_markdown(decoded.text, path.name, images)
        return ReadResult(found.metadata, found.blocks, decoded.encoding)


def read_markdown(
    text: str, name: str = "manuscript", images: ImageLoader | None = None
) -> ReadResult:
    metadata, body = split_front_matter(text, name)
    return ReadResult(*_lift_title(markdown_blocks(body, images), metadata))


def split_front_matter(text: str, name: str) -> tuple[dict[str, str], str]:
    """Return the front matter's metadata fields and the Markdown body after it."""
    m = _FRONT_MATTER.match(text)
    if m is None:
        return _pandoc_title_block(text)
    try:
        data: Any = yaml.safe_load(m.group("yaml") or "")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}, line {mark.line + 2}" if mark is not None else name
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{where}: front matter is not valid YAML ({problem})") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{name}, line 2: front matter must be key: value pairs")
    fields = metadata_fields(
        data, name, _key_lines(m.group("yaml") or "", first_line=2), strict=False
    )
    return fields, text[m.end() :]


# pandoc's title block: "% Title", "% Author; Author", "% Date", each line optional
# (an empty "%" line skips a field); a field may continue on indented lines.
_TITLE_BLOCK = re.compile(r"\A(?:%[^\n]*\n(?:[ \t]+\S[^\n]*\n)*){1,3}")


def _pandoc_title_block(text: str) -> tuple[dict[str, str], str]:
    m = _TITLE_BLOCK.match(text)
    if m is None:
        return {}, text
    values = [" ".join(field.split()) for field in re.split(r"^%", m.group(), flags=re.M)[1:]]
    fields: dict[str, str] = {}
    for key, value in zip(("title", "author", "date"), values, strict=False):
        if key == "author":
            value = join_names([a.strip() for a in value.split(";") if a.strip()])
        if value:
            fields[key] = value
    if "date" in fields and not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", fields["date"]):
        del fields["date"]  # "March 2004" is for people; the EPUB's date must be ISO 8601
    return fields, text[m.end() :]


def _key_lines(source: str, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(source.split("\n"), first_line):
        key = line.split(":", 1)[0].strip()
        if key and not line.startswith((" ", "\t", "-", "#")):
            lines.setdefault(key, number)
    return lines


def markdown_blocks(body: str, images: ImageLoader | None = None) -> tuple[Block, ...]:
    """Markdown rendered to HTML by markdown-it, then read as HTML is: one vocabulary for
    both, and raw HTML inside Markdown held to it."""
    tokens = _PARSER.parse(body)
    html = _COMMENT.sub("", _PARSER.renderer.render(tokens, _PARSER.options, {}))
    roots = _parsed(html)
    if roots and _lost_text(roots[0], html):
        # libxml2 gives up on absurd nesting and drops the rest of the document: then
        # each top-level block on its own, so one hostile block costs only itself.
        roots = [r for piece in _top_level(tokens) for r in _parsed(piece)]
    converter = Converter(images) if images is not None else Converter()
    return tuple(block for root in roots for block in converter.blocks(root))


def _parsed(html: str) -> list[etree._Element]:
    if not html.strip():
        return []
    try:
        return [lxml.html.fragment_fromstring(html, create_parent="div", parser=_HTML)]
    except etree.ParserError:
        return []


def _lost_text(root: etree._Element, html: str) -> bool:
    """Whether the tree holds markedly fewer characters than the HTML it was parsed from."""
    source = len(unescape(_TAG.sub("", html)))
    kept = sum(len(t) for t in root.itertext())
    return kept < source * 0.9


_TAG = re.compile(r"<[^>]*>")


def _top_level(tokens: list[Token]) -> list[str]:
    pieces: list[str] = []
    start = 0
    for index, token in enumerate(tokens):
        if token.level == 0 and token.nesting <= 0:
            pieces.append(_PARSER.renderer.render(tokens[start : index + 1], _PARSER.options, {}))
            start = index + 1
    return [_COMMENT.sub("", piece) for piece in pieces]


def _lift_title(
    blocks: tuple[Block, ...], metadata: dict[str, str]
) -> tuple[dict[str, str], tuple[Block, ...]]:
    """A lone top-level heading that opens the file is the book's title, not a chapter.

    When the front matter already names a different title, the heading is a chapter's.
    """
    if not blocks or not isinstance(blocks[0], HeadingBlock):
        return metadata, blocks
    first = blocks[0]
    if match_heading(first.text) is not None:
        return metadata, blocks
    if any(isinstance(b, HeadingBlock) and b.level <= first.level for b in blocks[1:]):
        return metadata, blocks
    named = metadata.get("title")
    if named is not None and title_key(named) != title_key(first.text):
        return metadata, blocks
    return {**metadata, "title": named or first.text}, blocks[1:]
