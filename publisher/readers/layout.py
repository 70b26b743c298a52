"""How a plain-text file lays out its paragraphs, decided from its own line statistics.

Four layouts are common: paragraphs separated by blank lines (most books); one paragraph
per line with no blank lines (text pasted from a web page or exported from a CMS);
hard-wrapped lines whose paragraphs open with an indented line; and hard-wrapped lines
with no blank lines and no indentation, where a paragraph ends on a short line. The
layout is chosen once per file, so a one-line speech in a wrapped novel stays a paragraph
of its own and a short last line inside a blank-separated paragraph ends nothing.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from publisher.headings import match_heading

Layout = Literal["blank", "lines", "indented", "wrapped"]

# Lines no longer than this, nearly all of them, mean the file was wrapped by an editor.
MAX_WRAP_WIDTH = 100
# A blank-separated file's paragraphs average a few lines; dozens mean there are none.
MAX_BLOCK_LINES = 12
_SENTENCE_END = re.compile(r"[.!?:\u2026][\"'\u201d\u2019)\]]*$|[\"\u201d]$")
_OPENS = re.compile(r"^[\"'\u201c\u2018(\[\u2014-]*[A-Z0-9\u00c0-\u00de]")


@dataclass(frozen=True)
class RawParagraph:
    """A paragraph's lines, each stripped and with runs of spaces made one.

    ``verse`` marks a group of short lines whose breaks are the author's (a song, a
    poem, a list of names): the breaks are kept in the EPUB and paused at in narration.
    """

    lines: tuple[str, ...]
    verse: bool = False
    emphasised: bool = False  # set wholly in italics: _..._ around the whole paragraph
    gap_before: int = 0  # blank lines before it: books set titles apart with several
    marked: str | None = None  # its text with the italics marks, when it had any


@dataclass(frozen=True)
class _Stats:
    width: int
    indented_share: float
    lines_per_block: float


def detect_layout(lines: Sequence[str]) -> Layout:
    stats = _stats(lines)
    if stats is None:
        return "blank"
    wrapped = stats.width <= MAX_WRAP_WIDTH
    if not wrapped:
        return "lines" if stats.lines_per_block > 1.3 else "blank"
    if stats.lines_per_block <= MAX_BLOCK_LINES:
        return "blank"
    return "indented" if stats.indented_share >= 0.03 else "wrapped"


def split_paragraphs(lines: Sequence[str]) -> list[RawParagraph]:
    """Group a file's lines into paragraphs by the layout the file uses."""
    layout = detect_layout(lines)
    stats = _stats(lines)
    width = stats.width if stats else MAX_WRAP_WIDTH
    margin = _margin(lines)
    paragraphs: list[RawParagraph] = []
    for gap, block in _gapped_blocks(lines):
        if layout == "lines":
            found = [_paragraph([line], MAX_WRAP_WIDTH + 1, 0) for line in block]
        elif layout == "blank":
            found = [_paragraph(block, width, margin)]
        else:
            found = [_paragraph(part, width, margin) for part in _split_block(block, layout, width)]
        paragraphs += [replace(found[0], gap_before=gap), *found[1:]]
    return paragraphs


def _paragraph(block: list[str], width: int, margin: int) -> RawParagraph:
    text = "\n".join(_clean(line) for line in block)
    whole = EMPHASIS.fullmatch(text) is not None
    stripped = strip_emphasis(text)
    marked = text if stripped != text and not whole else None
    lines = stripped.split("\n")
    return RawParagraph(tuple(lines), _is_verse(block, width, margin), whole, marked=marked)


# Plain text marks italics with _underscores_ (Gutenberg) or *asterisks*; the marks are
# typography, never words to show in a title or to say. Each pair hugs its words.
EMPHASIS = re.compile(
    r"(?<![\w*_])([_*])(?=[^\s_*])((?:(?!\1).)+?)(?<=[^\s_*])\1(?![\w*_])", re.DOTALL
)


def strip_emphasis(text: str) -> str:
    """ "_The Country of the Saints._" becomes "The Country of the Saints."."""
    return EMPHASIS.sub(r"\2", text)


def _is_verse(block: list[str], width: int, margin: int) -> bool:
    """Short lines set apart by indentation, or each opening with a capital.

    "It was the best of times, / it was the worst of times," is one paragraph set in short
    lines for effect; verse and lists of names start each line with a capital or sit
    indented beyond the prose margin.
    """
    if len(block) < 2 or width > MAX_WRAP_WIDTH:
        return False
    lengths = sorted(len(line.strip()) for line in block)
    indented = all(indent(line) >= margin + 2 for line in block)
    if indented:
        return lengths[-1] <= width * 0.8
    # A list of names runs short but for the odd long entry; wrapped prose runs full.
    capitals = all(_OPENS.match(line.strip()) for line in block)
    short = lengths[-1] < width * 0.7 or lengths[len(lengths) // 2] < width * 0.5
    return capitals and len(block) >= 3 and short


def _split_block(block: list[str], layout: Layout, width: int) -> Iterator[list[str]]:
    """Cut a run of wrapped lines where a paragraph ends, in a file without blank lines.

    Indentation marks a paragraph's first line either way: set in, in prose; set out, in
    plays and lists whose speeches hang ("  MACBETH. So foul ..." over "    Lines ..."),
    where fewer lines than not sit at the block's left edge.
    """
    margin = min(indent(line) for line in block)
    hanging = sum(1 for line in block if indent(line) == margin) * 5 < len(block) * 2
    current: list[str] = []
    for index, line in enumerate(block):
        after = block[index + 1] if index + 1 < len(block) else None
        if hanging:
            opens = indent(line) == margin
        else:
            opens = indent(line) > margin and bool(current) and indent(current[-1]) <= margin
        starts = current and ((layout == "indented" and opens) or _is_heading_line(line))
        if starts:
            yield current
            current = []
        current.append(line)
        if after is not None and (_is_heading_line(line) or _ends_short(line, after, width)):
            yield current
            current = []
    if current:
        yield current


def _ends_short(line: str, after: str, width: int) -> bool:
    text = line.strip()
    return (
        len(text) < width * 0.7
        and bool(_SENTENCE_END.search(text))
        and bool(_OPENS.match(after.strip()))
    )


def _is_heading_line(line: str) -> bool:
    text = line.strip()
    return len(text) <= 60 and match_heading(text) is not None


def _blocks(lines: Sequence[str]) -> Iterator[list[str]]:
    for _, block in _gapped_blocks(lines):
        yield block


def _gapped_blocks(lines: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the number of blank lines before it."""
    current: list[str] = []
    gap = blank = 0
    for line in lines:
        if line.strip():
            if not current:
                gap = blank
            current.append(line.rstrip())
            blank = 0
        else:
            if current:
                yield gap, current
                current = []
            blank += 1
    if current:
        yield gap, current


def _stats(lines: Sequence[str]) -> _Stats | None:
    text_lines = [line.rstrip() for line in lines if line.strip()]
    if len(text_lines) < 4:
        return None
    lengths = sorted(len(line.expandtabs(8)) for line in text_lines)
    width = lengths[min(len(lengths) - 1, int(len(lengths) * 0.95))]
    blocks = sum(1 for _ in _blocks(lines))
    margin = _margin(lines)
    indented = sum(
        1
        for before, line in itertools.pairwise(text_lines)
        if margin < indent(line) <= margin + 8 and indent(before) <= margin
    )
    return _Stats(width, indented / len(text_lines), len(text_lines) / max(blocks, 1))


def _margin(lines: Sequence[str]) -> int:
    """The indentation of most lines: prose's left edge."""
    indents = [indent(line) for line in lines if line.strip()]
    return int(statistics.median_low(indents)) if indents else 0


def indent(line: str) -> int:
    """A line's indentation in columns, tabs counted to 8."""
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


def _clean(line: str) -> str:
    return " ".join(line.split())
