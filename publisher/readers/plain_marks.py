"""What plain text marks with characters: _italics_, notes, illustrations.

Gutenberg's conventions: ``_italic words_``, a reference ``[1]`` with its note set apart
as ``[Footnote 1: ...]`` or as a paragraph opening ``[1]``, and ``[Illustration: ...]``
where a picture stood. Numbering restarts in each chapter, so a reference belongs to the
first note of its number after it (or, for notes gathered at the end, the last before).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from publisher.model import (
    Block,
    FigureBlock,
    Inline,
    NoteBlock,
    NoteRef,
    ParagraphBlock,
    Styled,
    plain_text,
)
from publisher.readers.layout import EMPHASIS

_ILLUSTRATION = re.compile(
    r"^\[(?:Illustration|Picture|Image)(?::\s*(?P<caption>.*?))?\s*\]$", re.IGNORECASE | re.DOTALL
)
_FOOTNOTE = re.compile(
    r"^\[(?:Footnote|Note)\s+(?P<key>[0-9]{1,3}|[A-Za-z*\u2020\u2021])\s*:\s*(?P<text>.*)\]$",
    re.IGNORECASE | re.DOTALL,
)
_NUMBERED_NOTE = re.compile(r"^\[(?P<key>[0-9]{1,3})\]\s+(?P<text>\S.*)$", re.DOTALL)
_REFERENCE = re.compile(r"(?<=[\w.,;:!?\u201d\u2019\"')\]])\[(?P<key>[0-9]{1,3}|[A-Za-z*])\]")


def mark_plain_text(blocks: Sequence[Block], originals: Mapping[str, str]) -> tuple[Block, ...]:
    """Italics from ``originals`` (a paragraph's text before its marks were taken out),
    notes linked to their references, illustrations as figures."""
    shaped = [b for b in (_shape(block, originals) for block in blocks) if b is not None]
    notes = [i for i, b in enumerate(shaped) if isinstance(b, NoteBlock)]
    if not notes:
        return tuple(_italic(b, originals) for b in shaped)
    result: list[Block] = []
    for index, block in enumerate(shaped):
        if isinstance(block, NoteBlock):
            result.append(replace(block, key=f"{block.key}@{index}"))
        elif isinstance(block, ParagraphBlock) and block.speaker is None:
            result.append(_referenced(_italic(block, originals), index, shaped, notes))
        else:
            result.append(block)
    return tuple(result)


def _shape(block: Block, originals: Mapping[str, str]) -> Block | None:
    """A paragraph that is a note or an illustration as such; a bare "[Illustration]",
    which says nothing, is left out."""
    if not isinstance(block, ParagraphBlock) or block.speaker or block.verse:
        return block
    text = " ".join(originals.get(block.text, block.text).split())
    figure = _ILLUSTRATION.match(text)
    if figure is not None:
        caption = (figure.group("caption") or "").strip()
        return FigureBlock("", emphasis_inline(caption)) if caption else None
    note = _FOOTNOTE.match(text) or _NUMBERED_NOTE.match(text)
    if note is not None:
        words = ParagraphBlock.rich(emphasis_inline(note.group("text").strip()))
        return NoteBlock(note.group("key"), (words,))
    return block


def _italic(block: Block, originals: Mapping[str, str]) -> Block:
    if not isinstance(block, ParagraphBlock) or block.speaker or block.inline:
        return block
    marked = originals.get(block.text)
    if marked is None:
        return block
    content = emphasis_inline(marked)
    if plain_text(content) != block.text:
        return block
    return replace(block, inline=content)


def emphasis_inline(text: str) -> tuple[Inline, ...]:
    """ "a _fine_ day" as inline content: "a ", emphasis("fine"), " day"."""
    parts: list[Inline] = []
    position = 0
    for m in EMPHASIS.finditer(text):
        if m.start() > position:
            parts.append(text[position : m.start()])
        parts.append(Styled("emphasis", (m.group(2),)))
        position = m.end()
    if position < len(text):
        parts.append(text[position:])
    return tuple(parts)


def _referenced(block: Block, index: int, blocks: list[Block], notes: list[int]) -> Block:
    if not isinstance(block, ParagraphBlock):
        return block
    content = block.content
    if not any(isinstance(p, str) and _REFERENCE.search(p) for p in content):
        return block
    linked: list[Inline] = []
    for part in content:
        if isinstance(part, str):
            linked.extend(_split_references(part, index, blocks, notes))
        else:
            linked.append(part)
    rich = ParagraphBlock.rich(tuple(linked), verse=block.verse)
    return replace(rich, emphasised=block.emphasised, direction=block.direction)


def _split_references(text: str, index: int, blocks: list[Block], notes: list[int]) -> list[Inline]:
    parts: list[Inline] = []
    position = 0
    for m in _REFERENCE.finditer(text):
        note = _note_for(m.group("key"), index, blocks, notes)
        if note is None:
            continue
        parts.append(text[position : m.start()])
        parts.append(NoteRef(note))
        position = m.end()
    parts.append(text[position:])
    return [p for p in parts if p != ""]


def _note_for(key: str, index: int, blocks: list[Block], notes: list[int]) -> str | None:
    def key_of(i: int) -> str:
        block = blocks[i]
        assert isinstance(block, NoteBlock)
        return block.key

    after = [i for i in notes if i > index and key_of(i) == key]
    before = [i for i in notes if i < index and key_of(i) == key]
    chosen = after[0] if after else before[-1] if before else None
    return None if chosen is None else f"{key}@{chosen}"
