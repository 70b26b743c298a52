"""Find a contents list near the start that repeats the headings, so it can be dropped.

The EPUB navigation document replaces it; narrated, it would read every title twice.
"""

from __future__ import annotations

import re

from publisher.model import Block, HeadingBlock, ParagraphBlock
from publisher.structure.headings import HeadingMatch, describe_heading, match_heading, title_key

_PAGE_NUMBER = re.compile(r"(?:\s*[.\u2026\u00b7_ ]{2,}\s*|\s+)(?:\d+|[ivxlc]+)$", re.IGNORECASE)

Key = tuple[str, ...]


def drop_contents(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Return the blocks without contents lists (labelled or not) that repeat later headings."""
    later = _later_keys(blocks)
    dropped: set[int] = set()
    for index, block in enumerate(blocks):
        if isinstance(block, HeadingBlock) and block_heading(block).kind == "contents":
            end = index + 1
            while end < len(blocks) and _is_entry(blocks[end], later[end + 1]):
                end += 1
            if end > index + 1 or _is_last_or_heading(blocks, end):
                dropped.update(range(index, end))
    dropped.update(_unlabelled_runs(blocks, later))
    return tuple(b for i, b in enumerate(blocks) if i not in dropped)


def block_heading(block: HeadingBlock) -> HeadingMatch:
    """The kind, label and title of a heading block, its label line taken into account."""
    if block.label is not None:
        found = match_heading(block.label)
        if found is not None:
            return HeadingMatch(found.kind, found.label, block.text, found.number, found.level)
    return describe_heading(block.text)


def _keys(found: HeadingMatch) -> set[Key]:
    keys: set[Key] = set()
    if found.title:
        keys.add(("title", title_key(found.title)))
    if found.number is not None:
        keys.add(("number", found.kind, str(found.number)))
    elif found.title is None:
        keys.add(("kind", found.kind))
    if found.label and found.title:
        keys.add(("title", title_key(f"{found.label} {found.title}")))
    return keys


def _entry_keys(line: str) -> set[Key]:
    line = _PAGE_NUMBER.sub("", line.strip()).strip()
    if not line:
        return set()
    found = match_heading(line)
    keys = _keys(found) if found is not None else set()
    keys.add(("title", title_key(line)))
    return keys


def _later_keys(blocks: tuple[Block, ...]) -> list[set[Key]]:
    """For each position, the keys of every heading at or after it."""
    suffix: list[set[Key]] = [set() for _ in range(len(blocks) + 2)]
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        suffix[index] = set(suffix[index + 1])
        if isinstance(block, HeadingBlock):
            suffix[index] |= _keys(block_heading(block))
    return suffix


def _is_entry(block: Block, later: set[Key]) -> bool:
    if isinstance(block, HeadingBlock):
        return bool(_keys(block_heading(block)) & later)
    if isinstance(block, ParagraphBlock):
        lines = [line for line in block.text.split("\n") if line.strip()]
        matched = sum(1 for line in lines if _entry_keys(line) & later)
        return bool(lines) and matched * 2 >= len(lines)
    return False


def _is_last_or_heading(blocks: tuple[Block, ...], index: int) -> bool:
    return index >= len(blocks) or isinstance(blocks[index], HeadingBlock)


def _unlabelled_runs(blocks: tuple[Block, ...], later: list[set[Key]]) -> set[int]:
    """Headings in a run with no text between them that repeat a heading after them.

    The run's last heading owns the text that follows, so it is never an entry; "PART ONE"
    before "Chapter 1" stays, since nothing later repeats it.
    """
    dropped: set[int] = set()
    start = 0
    while start < len(blocks):
        end = start
        while end < len(blocks) and isinstance(blocks[end], HeadingBlock):
            end += 1
        if end - start >= 2:
            last = end - 1 if end < len(blocks) else end
            dropped.update(i for i in range(start, last) if _is_entry(blocks[i], later[last]))
        start = max(end, start + 1)
    return dropped
