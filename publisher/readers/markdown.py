"""Markdown (CommonMark): YAML front matter, headings, paragraphs, rules as scene breaks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import lxml.html
import yaml
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token

from publisher.errors import ConfigError
from publisher.metadata import join_names, metadata_fields
from publisher.model import Block, BreakBlock, HeadingBlock, ParagraphBlock
from publisher.readers.base import ReadResult
from publisher.readers.plaintext import is_scene_break
from publisher.structure.headings import match_heading, title_key

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)

# Inline raw HTML is recognised only so that comments (authors' notes to themselves) can
# be dropped; any other inline tag, "<script>" included, is text to show, never markup to
# keep. A raw HTML block (a pull quote in an <aside>, a <div>) gives its text alone.
_PARSER = MarkdownIt("commonmark", {"html": True})
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def read_markdown(text: str, name: str = "manuscript") -> ReadResult:
    metadata, body = split_front_matter(text, name)
    blocks = tuple(_blocks(_PARSER.parse(body)))
    return ReadResult(*_lift_title(blocks, metadata))


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


def _blocks(tokens: list[Token]) -> Iterator[Block]:
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            text = _inline_text(tokens[index + 1])
            level = int(token.tag[1])
            yield HeadingBlock(level, text) if text.strip() else BreakBlock()
            index += 3
            continue
        if token.type == "hr":
            yield BreakBlock()
        elif token.type == "inline":
            text = _inline_text(token)
            if is_scene_break(text):
                yield BreakBlock()
            elif text.strip():
                yield ParagraphBlock(text)
        elif token.type in {"fence", "code_block"}:
            text = " ".join(token.content.split())
            if text:
                yield ParagraphBlock(text)
        elif token.type == "html_block":
            yield from (ParagraphBlock(text) for text in html_paragraphs(token.content))
        index += 1


_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "
    "h6 header li ol p pre section table td th tr ul".split()
)


def html_paragraphs(source: str) -> list[str]:
    """The text of an HTML fragment, one paragraph per block element; scripts, styles,
    comments and images (their alt text in raw HTML is decoration: "avatar") dropped."""
    try:
        root = lxml.html.fragment_fromstring(source, create_parent="div")
    except etree.ParserError:
        return []
    paragraphs: list[list[str]] = [[]]

    def walk(element: lxml.html.HtmlElement) -> None:
        for child in element:
            if not isinstance(child.tag, str) or child.tag in {"script", "style", "img"}:
                paragraphs[-1].append(child.tail or "")
                continue
            block = child.tag in _BLOCK_TAGS
            if block:
                paragraphs.append([])
            paragraphs[-1].append(child.text or "")
            walk(child)
            if block:
                paragraphs.append([])
            paragraphs[-1].append(child.tail or "")

    paragraphs[-1].append(root.text or "")
    walk(root)
    texts = (" ".join("".join(parts).split()) for parts in paragraphs)
    return [t for t in texts if t]


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type == "html_inline":
            parts.append(_COMMENT.sub("", child.content))
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return " ".join("".join(parts).split())


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
