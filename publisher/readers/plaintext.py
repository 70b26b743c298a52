"""Plain text: a title block, blank-line paragraphs, heading lines, scene breaks."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Iterator
from pathlib import Path

from publisher.headings import (
    HeadingMatch,
    is_title_line,
    match_heading,
    soften_caps,
    title_key,
)
from publisher.model import Block, BreakBlock, HeadingBlock, ParagraphBlock
from publisher.readers.base import ReadResult
from publisher.readers.decoding import read_text
from publisher.readers.drama import mark_speakers
from publisher.readers.gutenberg import strip_gutenberg
from publisher.readers.layout import RawParagraph, indent, split_paragraphs
from publisher.readers.plain_marks import mark_plain_text

_BREAK = re.compile(r"^\s*(?:(?:[*#~\u2042\u00a7\u2022\u00b7+=-]\s*){1,9}|\u2042)\s*$")
# "by NAME" in the languages whose books libraries hold most ("von", "par", "door"...).
_BY = re.compile(
    r"^(?i:by|written by|von|par|door|di|por|af|av)\s+(?P<name>[A-Z\u00c0-\u00de]\S.{0,80})$"
)


class PlainTextReader:
    """Plain text in any encoding, Project Gutenberg's files among them."""

    name = "text"
    suffixes = (".txt", ".text")

    def sniff(self, head: bytes) -> bool:
        """A file without a known suffix is text when its first bytes are UTF-8 text."""
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            return exc.start >= len(head) - 3  # a character cut at the sniff's end
        return b"\0" not in head

    def read(self, path: Path) -> ReadResult:
        decoded = read_text(path)
        found = read_plaintext(decoded.text)
        return ReadResult(found.metadata, found.blocks, decoded.encoding)


def read_plaintext(text: str) -> ReadResult:
    header, text = strip_gutenberg(text)
    lines = text.split("\n")
    metadata, body_start = _title_pages(lines) or _title_block(lines)
    paragraphs = split_paragraphs(lines[body_start:])
    blocks = _lists_in_prose(tuple(_blocks(paragraphs, _spaced_titles(paragraphs))))
    originals = {"\n".join(p.lines): p.marked for p in paragraphs if p.marked is not None}
    marked = mark_plain_text(mark_speakers(blocks), originals)
    return ReadResult(_merge_titles(metadata, header), marked)


def _merge_titles(found: dict[str, str], header: dict[str, str]) -> dict[str, str]:
    """The header's fields win, but for a title the book itself gives in full: a header's
    "Candide" is the title page's "Candide, ou L'optimisme" cut short."""
    merged = {**found, **header}
    own, short = found.get("title"), header.get("title")
    if own and short and title_key(own).startswith(title_key(short)) and len(own) > len(short):
        merged["title"] = own
    return merged


# A title page: lines set far in (centred), in pages parted by several blank lines.
_CENTRED_INDENT = 8
_PAGE_GAP = 3
_IMPRINT = re.compile(
    r"\b(?:TOME|VOL(?:UME)?|IMPRIMERIE|LIBRAIRE|LIBRAIRIE|RUE|CHEZ|PRINTED|PUBLISHED|"
    r"PUBLISHERS?|EDITION|[ÉE]DITEUR|VERLAG|LONDON|PARIS|NEW YORK|\d{4}|M[DCLXVI]{3,})\b",
    re.IGNORECASE,
)
_WORKS_OF = re.compile(
    r"^(?:(?:THE\s+)?(?:COMPLETE\s+|COLLECTED\s+)?WORKS\s+OF|[OŒ]E?UVRES(?:\s+COMPL[ÈE]TES)?\s+DE|"
    r"(?:S[ÄA]MTLICHE\s+)?WERKE\s+VON)\s+(?P<name>[^.\d]{2,60}?)(?:\.|\s+TOME\b|$)",
    re.IGNORECASE,
)


def _title_pages(lines: list[str]) -> tuple[dict[str, str], int] | None:
    """A printed book's title pages, centred, before its first line of prose: the title
    from the last page that is not an imprint, the author from "OEUVRES DE VOLTAIRE"."""
    pages: list[list[str]] = []
    blank = _PAGE_GAP
    end = 0
    for number, line in enumerate(lines):
        if not line.strip():
            blank += 1
            continue
        if indent(line) < _CENTRED_INDENT or len(line.strip()) > 60:
            end = number
            break
        if blank >= _PAGE_GAP or not pages:
            pages.append([])
        pages[-1].append(" ".join(line.split()))
        blank = 0
    else:
        return None
    titles = [page for page in pages if not any(_IMPRINT.search(line) for line in page)]
    if not pages or not titles:
        return None
    title = " ".join(soften_caps(line) for line in titles[-1]).rstrip(".,;: ")
    metadata = {"title": title}
    joined = (" ".join(page) for page in pages)
    author = next((m.group("name") for m in map(_WORKS_OF.match, joined) if m), None)
    if author:
        metadata["author"] = soften_caps(author.rstrip(".,"))
    return metadata, end


def is_scene_break(line: str) -> bool:
    stripped = line.strip()
    # "--" or "==" alone are rules too, but a lone "-" or "+" is more likely a typo.
    return bool(_BREAK.match(stripped)) and (len(stripped) > 1 or stripped in "*#~\u2042\u00a7")


def _title_block(lines: list[str]) -> tuple[dict[str, str], int]:
    """Find "TITLE / subtitle / by NAME" at the top; return it and the body's first line."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(lines):
        if line.strip():
            found.append((number, " ".join(line.split())))
        if len(found) == 4:
            break
    if not found:
        return {}, 0
    by_at = next((i for i, (_, line) in enumerate(found[1:], 1) if _BY.match(line)), None)
    if by_at is not None and all(_is_title_candidate(line) for _, line in found[:by_at]):
        title, *subtitle = _continued(soften_caps(line) for _, line in found[:by_at])
        by = _BY.match(found[by_at][1])
        assert by is not None
        meta = {"title": title, "author": soften_caps(by.group("name").strip())}
        if subtitle:
            meta["subtitle"] = " ".join(subtitle)
        return meta, found[by_at][0] + 1
    first_no, first = found[0]
    standalone = first_no + 1 >= len(lines) or not lines[first_no + 1].strip()
    if standalone and _is_title_candidate(first) and len(found) > 1:
        return {"title": soften_caps(first)}, first_no + 1
    return _title_and_subtitle(lines, found)


# "THE HAPPY PRINCE / AND OTHER TALES": the second line goes on with the title.
_AND = re.compile(r"^(?:and|&|und|et|e|y|en|og|och)\s", re.IGNORECASE)


def _continued(lines: Iterable[str]) -> list[str]:
    joined: list[str] = []
    for line in lines:
        if joined and _AND.match(line):
            first, rest = line.split(maxsplit=1)
            joined[-1] = f"{joined[-1]} {first.lower()} {rest}"
        else:
            joined.append(line)
    return joined


def _title_and_subtitle(
    lines: list[str], found: list[tuple[int, str]]
) -> tuple[dict[str, str], int]:
    """ "TITLE" with a "subtitle" on the very next line, a blank line, then the text."""
    if len(found) < 3 or found[1][0] != found[0][0] + 1 or lines[found[1][0] + 1].strip():
        return {}, 0
    (_, title), (subtitle_no, subtitle) = found[:2]
    if not (_is_title_candidate(title) and _is_title_candidate(subtitle)):
        return {}, 0
    return {"title": soften_caps(title), "subtitle": soften_caps(subtitle)}, subtitle_no + 1


def _is_title_candidate(line: str) -> bool:
    return is_title_line(line) and match_heading(line) is None and not is_scene_break(line)


def _blocks(paragraphs: list[RawParagraph], titles: frozenset[int]) -> Iterator[Block]:
    summaries = _titles_are_summaries(paragraphs)
    pending_label: HeadingMatch | None = None
    for index, paragraph in enumerate(paragraphs):
        lines = list(paragraph.lines)
        if index in titles:
            if pending_label is not None:
                yield _heading(pending_label)
                pending_label = None
            yield HeadingBlock(2, lines[0][:-1] if lines[0].endswith(".") else lines[0])
            continue
        if pending_label is not None and (
            (len(lines) == 1 and _names(pending_label, lines[0]))
            or (summaries and _is_summary(lines))
        ):
            # "CHAPTER I." then, after a blank line, "THE ROAD": one heading.
            title = " ".join(lines)
            title = title.rstrip(".") if pending_label.kind == "scene" else title
            yield HeadingBlock(pending_label.level, title, label=pending_label.label)
            pending_label = None
            continue
        if pending_label is not None:
            yield _heading(pending_label)
            pending_label = None
        for block in _classify(lines, paragraph.verse, paragraph.emphasised):
            if isinstance(block, _LabelOnly):
                pending_label = block.found
            else:
                yield block
    if pending_label is not None:
        yield _heading(pending_label)


MIN_SPACED_TITLES = 3
MAX_TITLE_WORDS = 12


def _spaced_titles(paragraphs: list[RawParagraph]) -> frozenset[int]:
    """Titles a book sets apart by space alone ("The White Seal" after four blank lines),
    when it has no chapter words or numbers: lines set off by more blank lines than its
    paragraphs, written as titles are, each opening prose, and several of them."""
    if any(_names_a_heading(p) for p in paragraphs):
        return frozenset()
    usual = statistics.median_low([p.gap_before for p in paragraphs[1:]] or [1])
    found = [
        i
        for i, p in enumerate(paragraphs)
        if p.gap_before >= max(2, usual + 1) and _is_set_title(p)
    ]
    opening = [
        i for i in found if i + 1 < len(paragraphs) and len(paragraphs[i + 1].lines[0].split()) > 3
    ]
    if len(found) < MIN_SPACED_TITLES or len(opening) * 5 < len(found) * 3:
        return frozenset()
    return frozenset(found)


def _names_a_heading(paragraph: RawParagraph) -> bool:
    found = match_heading(paragraph.lines[0]) if len(paragraph.lines) <= 2 else None
    return found is not None and found.kind != "contents"


def _is_set_title(paragraph: RawParagraph) -> bool:
    """One short line, capitalised as a title is; a closing full stop ("The Selfish
    Giant.") or the title's own "!" is allowed where every major word has its capital."""
    if len(paragraph.lines) != 1 or paragraph.verse:
        return False
    line = paragraph.lines[0]
    if len(line.split()) > MAX_TITLE_WORDS or line[-1] in ",;:" or not _OPENS_TITLE.match(line):
        return False
    words = re.findall(r"[^\W\d_][\w'\u2019-]*", line)
    major = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(major) and all(w[0].isupper() for w in major)


_OPENS_TITLE = re.compile(r"^[\"'\u201c\u2018(]?[A-Z\u00c0-\u00de]")
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or the to with upon".split()
)


# A chapter's summary under its number ("CHAPITRE I." / "Comment Candide fut élevé dans
# un beau château, et comment il fut chassé d'icelui.") is its title when the book sets
# every chapter so; one short first paragraph under one chapter number is not.
MAX_SUMMARY_WORDS = 40
_SUMMARY_SHARE = 0.75


def _titles_are_summaries(paragraphs: list[RawParagraph]) -> bool:
    followers = [
        paragraphs[i + 1].lines
        for i, paragraph in enumerate(paragraphs[:-1])
        if len(paragraph.lines) == 1 and _is_label_only(paragraph.lines[0])
    ]
    summaries = sum(1 for lines in followers if _is_summary(list(lines)))
    return len(followers) >= 3 and summaries >= len(followers) * _SUMMARY_SHARE


def _is_label_only(line: str) -> bool:
    found = match_heading(line)
    return found is not None and found.title is None and found.number is not None


def _is_summary(lines: list[str]) -> bool:
    text = " ".join(lines)
    ends = len(re.findall(r"[.!?](?:\s|$)", text))
    heading = match_heading(lines[0])  # "Conclusion." may be a summary; "CHAPITRE II" not
    return (
        len(lines) <= 3
        and len(text.split()) <= MAX_SUMMARY_WORDS
        and ends == 1
        and text[-1:] in ".!?"
        and (heading is None or heading.number is None)
    )


class _LabelOnly:
    """A heading that names no title yet ("CHAPTER I."): the next line may give it one."""

    def __init__(self, found: HeadingMatch) -> None:
        self.found = found


def _classify(
    lines: list[str], verse: bool = False, emphasised: bool = False
) -> Iterator[Block | _LabelOnly]:
    if all(is_scene_break(line) for line in lines):
        yield BreakBlock()
        return
    first = match_heading(lines[0])
    if first is None:
        yield ParagraphBlock("\n".join(lines), verse=verse, emphasised=emphasised)
        return
    rest = lines[1:]
    scene = match_heading(first.title) if first.kind == "act" and first.title else None
    if scene is not None and scene.kind == "scene":
        # "ACT I. SCENE I.": the act, then its first scene.
        yield HeadingBlock(first.level, first.label or "")
        yield from _classify([first.title or "", *rest], verse, emphasised)
        return
    listed = sum(1 for line in lines if match_heading(line) is not None)
    if listed >= 2 and listed < len(lines) and first.kind != "contents":
        # "ACT I.  The Octagon Room ..." / "Square." / "ACT II.  ...": a list of the
        # play's scenes (or a contents list run into its page numbers), not headings.
        yield ParagraphBlock("\n".join(lines), verse=True)
        return
    if not rest:
        yield (
            _LabelOnly(first)
            if first.title is None and first.kind != "contents"
            else _heading(first)
        )
        return
    if len(rest) == 1 and first.title is None and _names(first, rest[0]):
        yield HeadingBlock(first.level, rest[0].rstrip("."), label=first.label)
        return
    if all(match_heading(line) is not None for line in rest):
        # A run of heading lines with no prose: a contents list without a blank line
        # between entries. Structure decides which of them are real.
        for line in lines:
            found = match_heading(line)
            assert found is not None
            yield _heading(found)
        return
    yield _heading(first)
    if first.kind == "contents":
        # Entries such as "The Keeper's Clock ...... 7" keep their lines for matching.
        yield ParagraphBlock("\n".join(rest))
    else:
        yield from _classify(rest, verse, emphasised)


def _names(label: HeadingMatch, line: str) -> bool:
    """Whether the line under a bare label is its title: for a scene, its setting ("A
    desert place.", "Inverness. Court of Macbeth's castle.") may end in a full stop."""
    if label.kind == "scene":
        return len(line.split()) <= MAX_TITLE_WORDS and bool(_OPENS_TITLE.match(line))
    return _is_title_candidate(line)


def _heading(found: HeadingMatch) -> HeadingBlock:
    if found.title is None:
        return HeadingBlock(found.level, found.label or "", label=None)
    return HeadingBlock(found.level, found.title, label=found.label)


# "4. Knowledge of Politics.--Feeble.": a sentence ends inside it, so it is an item.
_INNER_STOP = re.compile(r"[.!?;:](?:--|\u2014|\s)")
MIN_LIST_ITEMS = 3
MAX_ITEM_WORDS = 60


def _lists_in_prose(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Numbered lines in running text are list items, not chapters.

    A run of numbered "headings" counting up, each with at most one short paragraph
    under it, whose numbers no later heading repeats (else it is a contents list).
    """
    result = list(blocks)
    numbered = [i for i, b in enumerate(blocks) if _arabic(b) is not None]
    for index in numbered:
        block = blocks[index]
        assert isinstance(block, HeadingBlock)
        if _INNER_STOP.search(block.text):
            result[index] = _item(block)
    for run in _runs(blocks, numbered):
        later = {_arabic(b) for b in blocks[run[-1] + 1 :]}
        if len(run) >= MIN_LIST_ITEMS and not later & {_arabic(blocks[i]) for i in run}:
            for index in run:
                result[index] = _item(blocks[index])
    return tuple(result)


def _runs(blocks: tuple[Block, ...], numbered: list[int]) -> Iterator[list[int]]:
    run: list[int] = []
    for index in numbered:
        if run and _follows(blocks, run[-1], index):
            run.append(index)
            continue
        if run:
            yield run
        run = [index]
    if run:
        yield run


def _follows(blocks: tuple[Block, ...], before: int, after: int) -> bool:
    between = blocks[before + 1 : after]
    short = all(
        isinstance(b, ParagraphBlock) and len(b.text.split()) <= MAX_ITEM_WORDS for b in between
    )
    return (
        len(between) <= 1 and short and _arabic(blocks[after]) == (_arabic(blocks[before]) or 0) + 1
    )


def _arabic(block: Block) -> int | None:
    if isinstance(block, HeadingBlock) and block.label and block.label.isdigit():
        return int(block.label)
    return None


def _item(block: Block) -> Block:
    assert isinstance(block, HeadingBlock)
    # The heading's text lost its closing full stop; the item is a sentence again.
    text = block.text if block.text[-1:] in ".!?" else f"{block.text}."
    return ParagraphBlock(f"{block.label}. {text}")
