"""Manuscript to Book: sections from headings, front and back matter, stable ids."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from publisher.model import (
    Block,
    Book,
    BreakBlock,
    HeadingBlock,
    Manuscript,
    Matter,
    Metadata,
    PageBlock,
    ParagraphBlock,
    Section,
    SectionKind,
    block_text,
    is_text_block,
)
from publisher.structure.content import Notes, section_content
from publisher.structure.contents import block_heading, drop_contents, headings_from_contents
from publisher.structure.topics import (
    ChapterOptions,
    find_boundaries,
    is_closing_note,
    make_titles,
)

BODY_KINDS: frozenset[SectionKind] = frozenset(
    {"chapter", "part", "act", "scene", "prologue", "epilogue", "interlude", "conclusion"}
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
        "declarations",
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


def build_book(manuscript: Manuscript, options: ChapterOptions | None = None) -> Book:
    options = options or ChapterOptions()
    blocks = _mark_closing_note(drop_contents(headings_from_contents(manuscript.blocks)))
    if _wants_topics(blocks, options):
        blocks = _topic_chapters(blocks, options, manuscript.metadata.title)
    split = _split_levels(blocks)
    drafts = _drafts(blocks, split)
    notes = Notes.of(blocks, options.notes)
    sections = _number(drafts, max(split, default=1), manuscript.metadata, notes)
    return Book(manuscript.metadata, tuple(sections), manuscript.cover)


def _wants_topics(blocks: tuple[Block, ...], options: ChapterOptions) -> bool:
    if options.mode != "auto":
        return options.mode == "topics"
    # Topics only where the manuscript has no structure of its own: a heading found by any
    # means (chapter words, numbers, a contents list, Markdown) is the author's division.
    return not any(isinstance(b, HeadingBlock) and not b.generated for b in blocks)


def _topic_chapters(
    blocks: tuple[Block, ...], options: ChapterOptions, book_title: str
) -> tuple[Block, ...]:
    """Split every long run of text without headings at its topic shifts."""
    levels = [b.level for b in blocks if isinstance(b, HeadingBlock)]
    top = min(levels, default=2)
    taken = [book_title, *(b.text for b in blocks if isinstance(b, HeadingBlock))]
    result: list[Block] = []
    run: list[Block] = []
    previous: HeadingBlock | None = None
    for block in [*blocks, None]:
        if block is None or isinstance(block, HeadingBlock):
            result += _split_run(run, previous, top, options, taken)
            run = []
            if block is not None:
                result.append(block)
                previous = block
        else:
            run.append(block)
    return tuple(_editor_titles(result, {id(b) for b in blocks}, options.titles))


def _editor_titles(blocks: list[Block], original: set[int], titles: tuple[str, ...]) -> list[Block]:
    """Replace generated chapter titles, in order, with the editor's (book.toml)."""
    given = iter(titles)
    result: list[Block] = []
    for block in blocks:
        if isinstance(block, HeadingBlock) and block.generated and id(block) not in original:
            title = next(given, None)
            if title is not None:
                block = replace(block, text=title, generated=False)
        result.append(block)
    return result


def _split_run(
    run: list[Block],
    heading: HeadingBlock | None,
    top: int,
    options: ChapterOptions,
    taken: list[str],
) -> list[Block]:
    if heading is not None and heading.generated:
        return run  # a closing note stays whole
    paragraphs = [b for b in run if is_text_block(b)]
    breaks = frozenset(
        sum(1 for b in run[:i] if is_text_block(b))
        for i, b in enumerate(run)
        if isinstance(b, BreakBlock)
    )
    boundaries = find_boundaries([block_text(p) for p in paragraphs], options, breaks)
    if not boundaries:
        return run
    edges = [0, *boundaries, len(paragraphs)]
    parts = [[block_text(p) for p in paragraphs[a:b]] for a, b in itertools.pairwise(edges)]
    titles = make_titles(parts, taken)
    taken.extend(titles)
    level = heading.level if heading is not None else top
    openers = {id(paragraphs[b]): t for b, t in zip(boundaries, titles[1:], strict=True)}
    result: list[Block] = []
    if heading is None:
        result.append(HeadingBlock(level, titles[0], generated=True))
    for block in run:
        if id(block) in openers:
            # A scene break right before a topic boundary is the boundary itself.
            if result and isinstance(result[-1], BreakBlock):
                result.pop()
            result.append(HeadingBlock(level, openers[id(block)], generated=True))
        result.append(block)
    return result


def _mark_closing_note(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """An author's bio or a publication credit at the very end is back matter of its own."""
    texts = [i for i, b in enumerate(blocks) if isinstance(b, ParagraphBlock)]
    if len(texts) < 2:
        return blocks
    last = blocks[texts[-1]]
    assert isinstance(last, ParagraphBlock)
    if texts[-1] != len(blocks) - 1 or not is_closing_note(last.text):
        return blocks
    if isinstance(blocks[texts[-1] - 1], HeadingBlock):
        return blocks  # it already has a heading of its own
    levels = [b.level for b in blocks if isinstance(b, HeadingBlock)]
    title = "About the Author" if _ABOUT.search(last.text) else "Publication Note"
    note = HeadingBlock(min(levels, default=2), title, generated=True)
    return (*blocks[:-1], note, last)


_ABOUT = re.compile(r"\b(?:is|was) (?:a|an|the)\b|\bauthor of\b", re.IGNORECASE)


def _drafts(blocks: tuple[Block, ...], split: tuple[int, ...]) -> list[_Draft]:
    if not split:
        return [_Draft(None, 0, blocks)]
    drafts: list[_Draft] = []
    heading: HeadingBlock | None = None
    body: list[Block] = []
    top_seen = False
    depth = 0
    for block in blocks:
        # Before the first top-level heading ("FIRST ACT", "Part One"), any heading starts a
        # section: "The Persons of the Play" or a preface is front matter, not a subheading.
        if isinstance(block, HeadingBlock) and (block.level in split or not top_seen):
            if heading is not None or _has_text(body):
                drafts.append(_Draft(heading, depth, tuple(body)))
            top_seen = top_seen or block.level == split[0]
            # Front matter before the first top-level heading stands at the top level.
            depth = _depth(block, split) if top_seen else 0
            heading, body = block, []
        else:
            body.append(block)
    drafts.append(_Draft(heading, depth, tuple(body)))
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
                kind = block_heading(heading).kind
                return kind in {"part", "act"} or words <= _MAX_CONTAINER_WORDS
            if block.level <= top:
                return False
        else:
            words += len(block_text(block).split())
    return False


def _depth(heading: HeadingBlock, split: tuple[int, ...]) -> int:
    return split.index(heading.level) if heading.level in split else 0


def _has_text(blocks: list[Block]) -> bool:
    return any(not isinstance(b, BreakBlock | PageBlock) for b in blocks)


def _number(
    drafts: list[_Draft], deepest: int, metadata: Metadata, notes: Notes
) -> Iterator[Section]:
    kinds = [_kind(d) for d in drafts]
    for index, (draft, following) in enumerate(itertools.pairwise(drafts)):
        if kinds[index] == "chapter" and following.depth > draft.depth:
            kinds[index] = "part"  # a heading that holds chapters, whatever it calls itself
    matters = _matters(kinds, _numbered(drafts))
    for index, (draft, kind, matter) in enumerate(zip(drafts, kinds, matters, strict=True), 1):
        section_id = f"c{index:02d}"
        content = section_content(section_id, draft.blocks, deepest, metadata.language, notes)
        if draft.heading is None:
            yield Section(section_id, index, kind, matter, 0, None, metadata.title, content, False)
            continue
        found = block_heading(draft.heading)
        if draft.heading.generated:
            yield Section(
                section_id,
                index,
                kind,
                matter,
                draft.depth,
                None,
                draft.heading.text,
                content,
                False,
            )
            continue
        yield Section(
            section_id, index, kind, matter, draft.depth, found.label, found.title, content
        )


def _kind(draft: _Draft) -> SectionKind:
    if draft.heading is None:
        return "preamble"
    kind = block_heading(draft.heading).kind
    return "chapter" if kind == "contents" else kind


def _numbered(drafts: list[_Draft]) -> bool:
    """Whether the work numbers its chapters ("Chapter 1", "IV."), as books do."""
    return any(
        d.heading is not None and block_heading(d.heading).number is not None for d in drafts
    )


def _matters(kinds: list[SectionKind], numbered: bool = True) -> list[Matter]:
    # An article's Introduction is its first section; a book's, before Chapter 1, is
    # front matter. What tells them apart is whether the chapters are numbered.
    body_kinds = BODY_KINDS if numbered else BODY_KINDS | {"introduction"}
    body = [i for i, kind in enumerate(kinds) if kind in body_kinds]
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
