"""Find a contents list near the start that repeats the headings, so it can be dropped.

The EPUB navigation document replaces it; narrated, it would read every title twice.
"""

from __future__ import annotations

import re

from publisher.headings import HeadingMatch, describe_heading, match_heading, title_key
from publisher.model import (
    Block,
    HeadingBlock,
    ListBlock,
    ParagraphBlock,
    TableBlock,
    block_text,
)

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


def headings_from_contents(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Make the lines a contents list names into headings, wherever the body has them.

    "The White Seal" alone on a line is prose to a heading detector that knows chapter
    words and numbers only; listed in the contents, it is a story's title, whatever its
    case, trailing full stop or page number there.
    """
    for index, block in enumerate(blocks):
        if isinstance(block, HeadingBlock) and block_heading(block).kind == "contents":
            entries = _listed_entries(blocks, index + 1)
            if len(entries) >= 2:
                return _promote(blocks, index + 1, entries)
    return blocks


_MAX_ENTRY_BLOCKS = 3
_MAX_ENTRY_WORDS = 16


def _listed_entries(blocks: tuple[Block, ...], start: int) -> list[set[Key]]:
    entries: list[set[Key]] = []
    for block in blocks[start : start + _MAX_ENTRY_BLOCKS]:
        if not isinstance(block, ParagraphBlock | ListBlock | TableBlock):
            break
        lines = [line for line in block_text(block).split("\n") if line.strip()]
        if any(len(line.split()) > _MAX_ENTRY_WORDS for line in lines):
            break
        # After the list's first block, a lone line without a page number is where the
        # book begins.
        if entries and len(lines) == 1 and not _PAGE_NUMBER.search(lines[0]):
            break
        entries += [keys for keys in map(_entry_keys, lines) if keys]
    return entries


def _promote(blocks: tuple[Block, ...], start: int, entries: list[set[Key]]) -> tuple[Block, ...]:
    """Walk the body and the entries together, in order: an entry may be missing from the
    body (or the body's heading already known), never found out of order."""
    result = list(blocks)
    next_entry = 0
    promoted = 0
    for index in range(start + 1, len(blocks)):
        if next_entry >= len(entries):
            break
        block = blocks[index]
        keys = _block_keys(block)
        if not keys:
            continue
        for ahead in range(next_entry, min(next_entry + 3, len(entries))):
            if keys & entries[ahead]:
                if isinstance(block, ParagraphBlock):
                    result[index] = HeadingBlock(2, _heading_text(block.text))
                    promoted += 1
                next_entry = ahead + 1
                break
    # A list most of whose entries were not found is not this book's contents.
    return tuple(result) if promoted and next_entry * 2 >= len(entries) else blocks


def _block_keys(block: Block) -> set[Key]:
    if isinstance(block, HeadingBlock):
        return _keys(block_heading(block))
    if isinstance(block, ParagraphBlock) and "\n" not in block.text:
        words = block.text.split()
        if 0 < len(words) <= _MAX_ENTRY_WORDS and block.text[-1:] not in ",;":
            return {("title", title_key(block.text))}
    return set()


def _heading_text(line: str) -> str:
    line = " ".join(line.split())
    return line[:-1] if line.endswith(".") and not line.endswith("..") else line


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
    if isinstance(block, ParagraphBlock | ListBlock | TableBlock):
        lines = [line for line in block_text(block).split("\n") if line.strip()]
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
