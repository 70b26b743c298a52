"""A section's blocks to Content: every narrated unit a Sentence with a stable id.

Ids are positional within their container (``c03-p012-s02``; a note's ``c03-n4-p01``;
a table's rows ``c03-t01-r02``), so editing one paragraph leaves every other id, and so
every other cached clip and Media Overlay reference, as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import assert_never

from publisher.labels import label as label_of
from publisher.model import (
    Anchor,
    Block,
    BreakBlock,
    Code,
    CodeBlock,
    Content,
    Figure,
    FigureBlock,
    Foreign,
    HeadingBlock,
    Inline,
    ItemList,
    Link,
    ListBlock,
    ListItem,
    Mark,
    Note,
    NoteBlock,
    NoteKind,
    NotePlacement,
    NoteRef,
    PageBlock,
    PageBreak,
    PageNumber,
    Paragraph,
    ParagraphBlock,
    Quote,
    QuoteBlock,
    RichText,
    SceneBreak,
    Sentence,
    SentenceRole,
    Styled,
    Subheading,
    Table,
    TableBlock,
    TableRow,
)
from publisher.structure.inline import flatten
from publisher.structure.sentences import split_sentences


@dataclass
class Notes:
    """The book's notes by key, and the number each gets at its first reference."""

    blocks: dict[str, NoteBlock]
    referenced: frozenset[str]
    placement: NotePlacement = "paragraph"
    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, blocks: tuple[Block, ...], placement: NotePlacement = "paragraph") -> Notes:
        found = {b.key: b for b in _walk_blocks(blocks) if isinstance(b, NoteBlock)}
        referenced = frozenset(
            item.key
            for block in _walk_blocks(blocks)
            for item in _inline_of(block)
            if isinstance(item, NoteRef) and item.key in found
        )
        return cls(found, referenced, placement)

    def label(self, key: str) -> str:
        return self.labels.setdefault(key, str(len(self.labels) + 1))


def section_content(
    section_id: str, blocks: tuple[Block, ...], deepest: int, language: str, notes: Notes
) -> tuple[Content, ...]:
    builder = _Builder(section_id, deepest, language, notes)
    content: list[Content] = []
    for block in blocks:
        if isinstance(block, NoteBlock) and block.key in notes.referenced:
            continue  # placed where it is referenced
        content.extend(builder.block(block))
        if notes.placement == "paragraph":
            content.extend(builder.flush())
    content.extend(builder.flush())
    return tuple(content)


@dataclass
class _Builder:
    section_id: str
    deepest: int
    language: str
    notes: Notes
    counts: dict[str, int] = field(default_factory=dict)
    pending: list[Note] = field(default_factory=list)
    placed: dict[str, str] = field(default_factory=dict)  # note key -> its id here

    def next_id(self, prefix: str, letter: str, width: int = 2) -> str:
        key = f"{prefix}-{letter}"
        self.counts[key] = self.counts.get(key, 0) + 1
        return f"{prefix}-{letter}{self.counts[key]:0{width}d}"

    def flush(self) -> list[Note]:
        notes, self.pending = self.pending, []
        return notes

    def blocks(self, blocks: tuple[Block, ...], prefix: str) -> tuple[Content, ...]:
        return tuple(item for block in blocks for item in self.block(block, prefix))

    def block(self, block: Block, prefix: str | None = None) -> Iterator[Content]:
        prefix = prefix or self.section_id
        match block:
            case ParagraphBlock():
                paragraph = self.paragraph(block, prefix)
                if paragraph is not None:
                    yield paragraph
            case HeadingBlock():
                text = " ".join(p for p in (block.label, block.text) if p)
                level = min(6, max(2, 1 + block.level - self.deepest))
                yield Subheading(self.next_id(self.section_id, "h"), level, text)
            case BreakBlock():
                yield SceneBreak(self.next_id(self.section_id, "b"))
            case PageBlock():
                yield PageBreak(self.page_id(block.page), block.page)
            case ListBlock():
                list_id = self.next_id(self.section_id, "l")
                items = tuple(
                    ListItem(f"{list_id}-i{n:02d}", self.blocks(item, prefix))
                    for n, item in enumerate(block.items, 1)
                )
                yield ItemList(list_id, items, block.ordered, block.start)
            case QuoteBlock():
                yield Quote(self.next_id(self.section_id, "q"), self.blocks(block.blocks, prefix))
            case FigureBlock():
                yield self.figure(block)
            case TableBlock():
                yield self.table(block)
            case NoteBlock():
                yield self.note(block.key, None)
            case CodeBlock():
                yield self.code(block)
            case _:
                assert_never(block)

    def page_id(self, page: str) -> str:
        """ "page-12"; a page number met twice in a section (a reprint's restart) gets
        "page-12-2", as ids must be unique in their document."""
        base = f"page-{re.sub(r'[^A-Za-z0-9]+', '-', page).strip('-') or 'x'}"
        self.counts[base] = self.counts.get(base, 0) + 1
        return base if self.counts[base] == 1 else f"{base}-{self.counts[base]}"

    def paragraph(
        self, block: ParagraphBlock, prefix: str, paragraph_id: str | None = None
    ) -> Paragraph | None:
        body, units = self.units(block)
        if not units:
            return None
        paragraph_id = paragraph_id or self.next_id(
            prefix, "p", 3 if prefix == self.section_id else 2
        )
        sentences = tuple(
            Sentence(f"{paragraph_id}-s{n:02d}", " ".join(body.text[a:b].split()), role, a, b)
            for n, (a, b, role) in enumerate(units, 1)
        )
        return Paragraph(paragraph_id, sentences, block.verse, body)

    def units(self, block: ParagraphBlock) -> tuple[RichText, list[tuple[int, int, SentenceRole]]]:
        flat = flatten(block.content, lines=block.verse)
        prefix = f"{block.speaker}." if block.speaker else ""
        gap = " " if prefix and flat.text else ""
        text = prefix + gap + flat.text
        offset = len(prefix) + len(gap)
        marks = [Mark(m.kind, m.start + offset, m.end + offset, m.value) for m in flat.marks]
        if block.emphasised and not block.direction and flat.text:
            marks.insert(0, Mark("emphasis", offset, len(text)))
        anchors = tuple(self.anchor(p.item, p.offset + offset) for p in flat.points)
        units: list[tuple[int, int, SentenceRole]] = []
        if prefix:
            units.append((0, len(prefix), "speaker"))
        start = offset
        opening = _OPENING_DIRECTION.match(text, offset)
        if opening is not None and not block.direction:
            # "LADY CHILTERN.  [Kisses him.]  It is love, Robert."
            units.append((offset, opening.end(), "direction"))
            start = _skip_space(text, opening.end())
        role: SentenceRole = "direction" if block.direction else "text"
        units += [(a, b, role) for a, b in _ranges(text, start, block.verse, self.language)]
        return RichText(text, tuple(marks), anchors), units

    def anchor(self, item: NoteRef | PageNumber, offset: int) -> Anchor:
        match item:
            case PageNumber():
                return Anchor("pagebreak", offset, self.page_id(item.page), item.page, item.page)
            case NoteRef():
                ref_id = self.next_id(self.section_id, "r")
                if item.key not in self.notes.blocks:
                    return Anchor("noteref", offset, ref_id, "", item.key)
                label = self.notes.label(item.key)
                if item.key not in self.placed:
                    self.pending.append(self.note(item.key, ref_id))
                return Anchor("noteref", offset, ref_id, self.placed[item.key], label)
            case _:
                assert_never(item)

    def note(self, key: str, ref_id: str | None) -> Note:
        label = self.notes.label(key)
        note_id = f"{self.section_id}-n{label}"
        self.placed[key] = note_id
        kind: NoteKind = "endnote" if self.notes.placement == "chapter" else "footnote"
        word = label_of("note", self.language)[0]
        announcement = Sentence(f"{note_id}-a", f"{word} {label}.", "label")
        content = self.blocks(self.notes.blocks[key].blocks, note_id)
        return Note(note_id, label, kind, ref_id, announcement, content)

    def figure(self, block: FigureBlock) -> Figure:
        figure_id = self.next_id(self.section_id, "f")
        alt = " ".join(block.alt.split())
        description = Sentence(f"{figure_id}-d", alt, "text", 0, len(alt)) if alt else None
        caption = (
            self.paragraph(ParagraphBlock.rich(block.caption), figure_id, f"{figure_id}-c")
            if block.caption
            else None
        )
        href = f"images/{figure_id}.{block.image.extension}" if block.image else None
        return Figure(figure_id, alt, href, block.image, description, caption)

    def table(self, block: TableBlock) -> Table:
        table_id = self.next_id(self.section_id, "t")
        header = tuple(self.cell(c) for c in block.header)
        rows: list[TableRow] = []
        for n, row in enumerate(block.rows, 1):
            cells = tuple(self.cell(c) for c in row)
            row_id = f"{table_id}-r{n:02d}"
            said = _row_sentence(header, cells)
            rows.append(TableRow(row_id, cells, Sentence(row_id, said)))
        caption = (
            self.paragraph(ParagraphBlock.rich(block.caption), table_id, f"{table_id}-c")
            if block.caption
            else None
        )
        return Table(table_id, header, tuple(rows), caption)

    def cell(self, content: tuple[Inline, ...]) -> RichText:
        flat = flatten(content)
        anchors = tuple(self.anchor(p.item, p.offset) for p in flat.points)
        return RichText(flat.text, flat.marks, anchors)

    def code(self, block: CodeBlock) -> Code:
        code_id = self.next_id(self.section_id, "k")
        text = block.text.rstrip("\n")
        lines: list[Sentence] = []
        position = 0
        for n, line in enumerate(text.split("\n"), 1):
            if line.strip():
                said = " ".join(line.split())
                lines.append(
                    Sentence(f"{code_id}-l{n:02d}", said, "code", position, position + len(line))
                )
            position += len(line) + 1
        announcement = Sentence(code_id, f"{label_of('code', self.language)[0]}.", "label")
        return Code(code_id, RichText(text), announcement, tuple(lines), block.language)


def _row_sentence(header: tuple[RichText, ...], cells: tuple[RichText, ...]) -> str:
    """ "Name: Ada; Born: 1815." A row is read with its column names, as a screen reader does."""
    parts: list[str] = []
    for index, cell in enumerate(cells):
        value = " ".join(cell.text.split())
        if not value:
            continue
        name = " ".join(header[index].text.split()) if index < len(header) else ""
        parts.append(f"{name}: {value}" if name and name != value else value)
    said = "; ".join(parts)
    return said if not said or said[-1] in ".!?" else f"{said}."


_OPENING_DIRECTION = re.compile(r"\s*\[[^\[\]]{1,300}\]\s*(?=\S)")


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _ranges(text: str, start: int, verse: bool, language: str) -> list[tuple[int, int]]:
    """Sentence ranges of ``text[start:]``: a verse paragraph's lines, or its sentences."""
    if verse:
        ranges: list[tuple[int, int]] = []
        position = start
        for line in text[start:].split("\n"):
            a = position + len(line) - len(line.lstrip())
            b = position + len(line.rstrip())
            if b > a:
                ranges.append((a, b))
            position += len(line) + 1
        return ranges
    rest = text[start:]
    # Line breaks inside prose (an address, a signature) do not end sentences; the text
    # has single spaces, so the splitter's pieces are found in order.
    pieces = split_sentences(rest.replace("\n", " "), language)
    ranges = []
    position = start
    flat = text.replace("\n", " ")
    for piece in pieces:
        a = flat.index(piece, position)
        ranges.append((a, a + len(piece)))
        position = a + len(piece)
    return ranges


def _walk_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        match block:
            case ListBlock():
                for item in block.items:
                    yield from _walk_blocks(item)
            case QuoteBlock() | NoteBlock():
                yield from _walk_blocks(block.blocks)
            case _:
                pass


def _inline_of(block: Block) -> Iterator[Inline]:
    match block:
        case ParagraphBlock():
            yield from _walk_inline(block.content)
        case FigureBlock():
            yield from _walk_inline(block.caption)
        case TableBlock():
            for cell in (*block.header, *(c for row in block.rows for c in row), block.caption):
                yield from _walk_inline(cell)
        case _:
            pass


def _walk_inline(content: tuple[Inline, ...]) -> Iterator[Inline]:
    for item in content:
        yield item
        if isinstance(item, Styled | Link | Foreign):
            yield from _walk_inline(item.children)
