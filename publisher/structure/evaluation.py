"""Scoring topic segmentation against labelled texts (used by tests and `make bench`).

Two kinds of label: a hand-made ``NAME.boundaries.json`` (the paragraph indices that open
a topic) beside or for ``NAME.txt``; and a real document's own top-level headings, taken
out of the text and kept as the answer, listed by file name in ``by-headings.txt``.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from publisher.model import HeadingBlock, block_text, is_text_block
from publisher.readers import read_manuscript
from publisher.structure.segmentation_score import pk, window_diff
from publisher.structure.topics import ChapterOptions, find_boundaries, is_closing_note

HEADINGS_LIST = "by-headings.txt"


@dataclass(frozen=True)
class Labelled:
    name: str
    paragraphs: tuple[str, ...]
    reference: tuple[int, ...]  # the paragraphs that open a topic


@dataclass(frozen=True)
class Score:
    name: str
    paragraphs: int
    reference: tuple[int, ...]
    found: tuple[int, ...]
    pk: float
    window_diff: float
    pk_one_chapter: float  # the score of not segmenting at all, for comparison


def labelled_texts(labels_dir: Path, *text_dirs: Path) -> list[Labelled]:
    """Every labelled text of ``labels_dir`` whose text is found (in ``text_dirs``, then
    beside the labels); a corpus text may not be on this machine."""
    found = [_by_hand(text, labels) for text, labels in _hand_labels(labels_dir, text_dirs)]
    listed = labels_dir / HEADINGS_LIST
    names = listed.read_text(encoding="utf-8").split() if listed.exists() else []
    for name in names:
        path = next((d / name for d in text_dirs if (d / name).exists()), None)
        if path is not None:
            found.append(by_headings(path))
    return found


def score(text: Labelled, options: ChapterOptions | None = None) -> Score:
    found = tuple(find_boundaries(text.paragraphs, options or ChapterOptions()))
    units = len(text.paragraphs)
    return Score(
        text.name,
        units,
        text.reference,
        found,
        pk(text.reference, found, units),
        window_diff(text.reference, found, units),
        pk(text.reference, (), units),
    )


def by_headings(document: Path) -> Labelled:
    """A document's paragraphs without its headings, and the paragraphs that opened its
    top-level sections: its editor's own division, the answer for the text without them."""
    sections = _docx_sections(document) if document.suffix == ".docx" else _sections(document)
    paragraphs: list[str] = []
    starts: list[int] = []
    for section in sections:
        if paragraphs and section:
            starts.append(len(paragraphs))
        paragraphs += section
    return Labelled(document.stem, tuple(paragraphs), tuple(starts))


def _hand_labels(labels_dir: Path, text_dirs: tuple[Path, ...]) -> Iterator[tuple[Path, Path]]:
    for labels in sorted(labels_dir.glob("*.boundaries.json")):
        name = labels.name.removesuffix(".boundaries.json") + ".txt"
        text = next((d / name for d in (*text_dirs, labels_dir) if (d / name).exists()), None)
        if text is not None:
            yield text, labels


def _by_hand(manuscript: Path, labels: Path) -> Labelled:
    """A heading-less manuscript and its labels; a closing note (an author's bio) is left
    out, as the publisher makes it back matter."""
    blocks = read_manuscript(manuscript).blocks
    paragraphs = [block_text(b) for b in blocks if is_text_block(b)]
    if paragraphs and is_closing_note(paragraphs[-1]):
        paragraphs = paragraphs[:-1]
    reference = tuple(json.loads(labels.read_text(encoding="utf-8")))
    return Labelled(manuscript.stem, tuple(paragraphs), reference)


def _sections(manuscript: Path) -> list[list[str]]:
    blocks = read_manuscript(manuscript).blocks
    top = min((b.level for b in blocks if isinstance(b, HeadingBlock)), default=1)
    sections: list[list[str]] = [[]]
    for block in blocks:
        if isinstance(block, HeadingBlock) and block.level == top:
            sections.append([])
        elif is_text_block(block):
            sections[-1].append(block_text(block))
    return sections


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# A journal manuscript's sections that are not its text.
_APART = frozenset({"authors", "abstract", "references", "competing interests", "acknowledgements"})


_CAPTIONS = frozenset({"Caption", "ImageCaption", "TableCaption", "CaptionedFigure"})


def _docx_sections(document: Path) -> list[list[str]]:
    """The body paragraphs of a Word manuscript, by its Heading 2 sections (until the DOCX
    reader exists, this is enough for scoring: paragraphs, headings, no tables)."""
    with zipfile.ZipFile(document) as archive:
        data = archive.read("word/document.xml")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    body = etree.fromstring(data, parser).find(f"{_W}body")
    sections: list[list[str]] = []
    keep = False
    for paragraph in body.iterchildren(f"{_W}p") if body is not None else ():
        style_element = paragraph.find(f"{_W}pPr/{_W}pStyle")
        style = style_element.get(f"{_W}val", "") if style_element is not None else ""
        text = " ".join("".join(t.text or "" for t in paragraph.iter(f"{_W}t")).split())
        if style == "Heading2":
            keep = text.lower() not in _APART
            if keep:
                sections.append([])
        elif keep and text and not style.startswith("Heading") and style not in _CAPTIONS:
            sections[-1].append(text)
    return sections
