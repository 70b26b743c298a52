"""Plain-text conventions: _italics_, [notes], [Illustration] lines."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from ..conftest import DATA, Builder, epub_text

X = "{http://www.w3.org/1999/xhtml}"

PLAIN = DATA / "plain-italics-notes-illustrations.txt"


def chapter(epub: Path, number: int = 1) -> etree._Element:
    return etree.fromstring(epub_text(epub, f"EPUB/c{number:02d}.xhtml").encode("utf-8"))


def test_plain_text_italics_notes_and_illustrations(build: Builder) -> None:
    epub = build(PLAIN).epub
    doc = chapter(epub)
    assert [e.text for e in doc.iter(f"{X}em")][:2] == ["Marguerite", "not"]
    note = doc.find(f".//{X}aside")
    assert note is not None and "Leith yards" in "".join(note.itertext())
    caption = doc.find(f".//{X}figure/{X}figcaption")
    assert caption is not None and "".join(caption.itertext()) == "The Marguerite at her mooring"
    verse = doc.find(f".//{X}p[@class='verse']")
    assert verse is not None and len(verse.findall(f"{X}br")) == 3
    # Chapter II's "[1]" is its own note, not chapter I's.
    second = chapter(epub, 2)
    aside = second.find(f".//{X}aside")
    assert aside is not None and "tide tables" in "".join(aside.itertext())
    assert "[1]" not in "".join(second.itertext())
