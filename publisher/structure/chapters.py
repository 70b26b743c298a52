"""Manuscript to Book: sections from headings, front and back matter, stable ids."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from publisher.model import (
    Block,
    Book,
    BreakBlock,
    Content,
    HeadingBlock,
    Manuscript,
    Matter,
    Metadata,
    Paragraph,
    SceneBreak,
    Section,
    SectionKind,
    Sentence,
    Subheading,
)
from publisher.structure.contents import block_heading, drop_contents
from publisher.structure.sentences import split_sentences

BODY_KINDS: frozenset[SectionKind] = frozenset(
    {"chapter", "part", "prologue", "epilogue", "interlude", "conclusion"}
)
BACK_KINDS: frozenset[SectionKind] = frozenset(
    {
        "afterword",
        "acknowledgments",
        "notes",
        "appendix",
        "glossary",
        "bibliography",
        "about-the-author",
        "colophon",
    }
)
# A part whose own text before its first chapter is longer than this is a chapter with
# sub-sections, not a container of chapters.
_MAX_CONTAINER_WORDS = 150


@dataclass(frozen=True)
class _Draft:
    """A section before ids are given: its heading block (None for a preamble) and body."""

    heading: HeadingBlock | None
    depth: int
    blocks: tuple[Block, ...]


def build_book(manuscript: Manuscript) -> Book:
    blocks = drop_contents(manuscript.blocks)
    split = _split_levels(blocks)
    drafts = _drafts(blocks, split)
    sections = _number(drafts, max(split, default=1), manuscript.metadata)
    return Book(manuscript.metadata, tuple(sections), manuscript.cover)


def _drafts(blocks: tuple[Block, ...], split: tuple[int, ...]) -> list[_Draft]:
    if not split:
        return [_Draft(None, 0, blocks)]
    drafts: list[_Draft] = []
    heading: HeadingBlock | None = None
    body: list[Block] = []
    for block in blocks:
        if isinstance(block, HeadingBlock) and block.level in split:
            if heading is not None or _has_text(body):
                drafts.append(_Draft(heading, _depth(heading, split), tuple(body)))
            heading, body = block, []
        else:
            body.append(block)
    drafts.append(_Draft(heading, _depth(heading, split), tuple(body)))
    return drafts


def _split_levels(blocks: tuple[Block, ...]) -> tuple[int, ...]:
    """Heading levels that start a section: the top one, and the next when the top holds parts."""
    levels = sorted({b.level for b in blocks if isinstance(b, HeadingBlock)})
    if not levels:
        return ()
    top = levels[0]
    if len(levels) == 1:
        return (top,)
    inner = levels[1]
    tops = [i for i, b in enumerate(blocks) if isinstance(b, HeadingBlock) and b.level == top]
    if all(_is_container(blocks, i, top, inner) for i in tops):
        return (top, inner)
    return (top,)


def _is_container(blocks: tuple[Block, ...], start: int, top: int, inner: int) -> bool:
    heading = blocks[start]
    assert isinstance(heading, HeadingBlock)
    words = 0
    for block in blocks[start + 1 :]:
        if isinstance(block, HeadingBlock):
            if block.level == inner:
                return block_heading(heading).kind == "part" or words <= _MAX_CONTAINER_WORDS
            if block.level <= top:
                return False
        elif not isinstance(block, BreakBlock):
            words += len(block.text.split())
    return False


def _depth(heading: HeadingBlock | None, split: tuple[int, ...]) -> int:
    return 0 if heading is None else split.index(heading.level)


def _has_text(blocks: list[Block]) -> bool:
    return any(not isinstance(b, BreakBlock) for b in blocks)


def _number(drafts: list[_Draft], deepest: int, metadata: Metadata) -> Iterator[Section]:
    kinds = [_kind(d) for d in drafts]
    matters = _matters(kinds)
    for index, (draft, kind, matter) in enumerate(zip(drafts, kinds, matters, strict=True), 1):
        section_id = f"c{index:02d}"
        content = tuple(_content(section_id, draft.blocks, deepest, metadata.language))
        if draft.heading is None:
            yield Section(section_id, index, kind, matter, 0, None, metadata.title, content, False)
            continue
        found = block_heading(draft.heading)
        yield Section(
            section_id, index, kind, matter, draft.depth, found.label, found.title, content
        )


def _kind(draft: _Draft) -> SectionKind:
    if draft.heading is None:
        return "preamble"
    kind = block_heading(draft.heading).kind
    return "chapter" if kind == "contents" else kind


def _matters(kinds: list[SectionKind]) -> list[Matter]:
    body = [i for i, kind in enumerate(kinds) if kind in BODY_KINDS]
    if not body:
        return ["body"] * len(kinds)
    first, last = body[0], body[-1]
    matters: list[Matter] = []
    for index, kind in enumerate(kinds):
        if index < first:
            matters.append("front")
        elif index > last and kind in BACK_KINDS:
            matters.append("back")
        else:
            matters.append("body")
    return matters


def _content(
    section_id: str, blocks: tuple[Block, ...], deepest: int, language: str
) -> Iterator[Content]:
    paragraphs = subheadings = breaks = 0
    for block in blocks:
        if isinstance(block, BreakBlock):
            breaks += 1
            yield SceneBreak(f"{section_id}-b{breaks:02d}")
        elif isinstance(block, HeadingBlock):
            subheadings += 1
            text = " ".join(p for p in (block.label, block.text) if p)
            level = min(6, max(2, 1 + block.level - deepest))
            yield Subheading(f"{section_id}-h{subheadings:02d}", level, text)
        else:
            sentences = split_sentences(block.text, language)
            if not sentences:
                continue
            paragraphs += 1
            paragraph_id = f"{section_id}-p{paragraphs:03d}"
            yield Paragraph(
                paragraph_id,
                tuple(Sentence(f"{paragraph_id}-s{n:02d}", s) for n, s in enumerate(sentences, 1)),
            )
