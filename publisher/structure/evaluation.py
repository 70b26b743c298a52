"""Scoring topic segmentation against labelled texts (used by tests and `make bench`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from publisher.model import ParagraphBlock
from publisher.readers import read_manuscript
from publisher.structure.segmentation_score import pk, window_diff
from publisher.structure.topics import ChapterOptions, find_boundaries, is_closing_note


@dataclass(frozen=True)
class Score:
    name: str
    paragraphs: int
    reference: tuple[int, ...]
    found: tuple[int, ...]
    pk: float
    window_diff: float
    pk_one_chapter: float  # the score of not segmenting at all, for comparison


def labelled_texts(labels_dir: Path, *text_dirs: Path) -> list[tuple[Path, Path]]:
    """Each ``NAME.boundaries.json`` in ``labels_dir`` with its ``NAME.txt``, looked for in
    ``text_dirs`` and then beside the labels; labels whose text is nowhere are left out."""
    pairs = []
    for labels in sorted(labels_dir.glob("*.boundaries.json")):
        name = labels.name.removesuffix(".boundaries.json") + ".txt"
        text = next((d / name for d in (*text_dirs, labels_dir) if (d / name).exists()), None)
        if text is not None:  # a corpus text may not be on this machine
            pairs.append((text, labels))
    return pairs


def score_text(manuscript: Path, labels: Path, options: ChapterOptions | None = None) -> Score:
    """Segment a heading-less manuscript and compare with its labelled topic starts.

    ``labels`` is a JSON list of the paragraph indices that open a topic; a closing note
    (an author's bio) is left out, as the publisher makes it back matter.
    """
    blocks = read_manuscript(manuscript).blocks
    paragraphs = [b.text for b in blocks if isinstance(b, ParagraphBlock)]
    if paragraphs and is_closing_note(paragraphs[-1]):
        paragraphs = paragraphs[:-1]
    reference = tuple(json.loads(labels.read_text(encoding="utf-8")))
    found = tuple(find_boundaries(paragraphs, options or ChapterOptions()))
    units = len(paragraphs)
    return Score(
        manuscript.stem,
        units,
        reference,
        found,
        pk(reference, found, units),
        window_diff(reference, found, units),
        pk(reference, (), units),
    )
