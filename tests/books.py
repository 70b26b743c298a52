"""Small books the tests build, and ways to look inside what was built."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

from hypothesis import strategies as st
from lxml import etree

from publisher import BuildConfig, BuildReport, publish
from publisher.model import (
    Block,
    Book,
    Manuscript,
    Metadata,
    Paragraph,
    Pauses,
    Section,
    Subheading,
    Utterance,
)
from publisher.readers import read_manuscript
from publisher.speech.normalize import Normalizer
from publisher.speech.script import Reading, section_script
from publisher.speech.synthesis import MIN_PARALLEL_CHARACTERS
from publisher.structure.chapters import build_book

from .conftest import SOURCE, epub_text

ARTICLE = SOURCE / "the-last-ferry-to-inishcarrow.txt"
MODIFIED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

THREE_ROOMS = """---
title: Three Small Rooms
author: Ada Lane
date: 2025
---

## The Kitchen

The kettle sang on the stove while the rain came down. She counted the cups twice.
Nobody was coming, but she set the table for four all the same.

## The Stair

Seventeen steps led to the landing, and the ninth one creaked. The children knew it and
stepped over it at night, which is how she always knew they had been up.

## The Attic

Under the roof the air was warm and smelled of dust and apples. A trunk stood by the
window. She opened it, and the letters were still there, tied with string.
"""


def three_rooms(folder: Path, settings: dict[str, object] | None = None) -> BuildReport:
    """A three-chapter book narrated by eSpeak NG, with ``settings`` on top."""
    manuscript = folder / "rooms.md"
    manuscript.write_text(THREE_ROOMS, encoding="utf-8")
    values = {"narration.engine": "espeak", **(settings or {})}
    return publish(BuildConfig(manuscript, folder / "out", values))


def excerpt(folder: Path, paragraphs: int = 6) -> Path:
    """The start of the sample article: long enough to narrate on more than one process."""
    blocks = ARTICLE.read_text(encoding="utf-8").split("\n\n")[: paragraphs + 1]
    text = "\n\n".join(blocks) + "\n"
    assert len(text) > MIN_PARALLEL_CHARACTERS
    path = folder / "excerpt.txt"
    path.write_text(text, encoding="utf-8")
    return path


def digests(folder: Path) -> dict[str, str]:
    """Every file of a built book but report.json (which holds timings), by content hash."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "report.json"
    }


def book_of(path: Path) -> Book:
    return build_book(read_manuscript(path))


def outline(book: Book) -> list[tuple[str, str, int, str]]:
    return [(s.kind, s.matter, s.depth, s.display_title) for s in book.sections]


def chapter(epub: Path, number: int = 1) -> etree._Element:
    """The typeset EPUB's chapter document ``number``, parsed."""
    return etree.fromstring(epub_text(epub, f"EPUB/c{number:02d}.xhtml").encode("utf-8"))


def script(path: Path, number: int = 0, reading: Reading | None = None) -> list[Utterance]:
    """What the narrator is asked to say for section ``number`` of a manuscript."""
    book = build_book(read_manuscript(path))
    section: Section = book.sections[number]
    say = Normalizer.for_text(book.metadata.language, "")
    return list(section_script(section, Pauses(), say, reading))


WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'\"-",
    min_size=1,
    max_size=12,
)
TEXT = st.lists(WORD, min_size=1, max_size=30).map(" ".join)


def manuscript_of(blocks: tuple[Block, ...]) -> Manuscript:
    return Manuscript(Metadata(title="Property"), blocks, "property.md")


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def book_words(book: Book) -> list[str]:
    """The words of a book's headings and text, in order."""
    words: list[str] = []
    for section in book.sections:
        if section.from_manuscript:
            words += words_of(section.label or "") + words_of(section.title or "")
        for item in section.content:
            if isinstance(item, Paragraph | Subheading):
                words += words_of(item.text)
    return words
