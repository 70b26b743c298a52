"""A small book of every kind of content, written exactly as these golden files say.

The files in tests/golden/ are the EPUB's documents and package, and a Media Overlay made
from the book's narration script with each utterance one second long. When a change to
the output is intended, regenerate them with ``make golden`` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import pytest

from publisher import BuildConfig, publish
from publisher.formats.overlays import OverlayChapter, smil_document
from publisher.model import ChapterTimeline, Pauses, TimedItem
from publisher.readers import read_manuscript
from publisher.speech.normalize import Normalizer
from publisher.speech.script import section_script
from publisher.structure.chapters import build_book

from .conftest import DATA
from .conftest import GOLDEN as GOLDEN_FILES

BOOK = DATA / "rich-book" / "rich-book.md"
GOLDEN = GOLDEN_FILES / "rich-book"
MEMBERS = ("EPUB/c01.xhtml", "EPUB/c02.xhtml", "EPUB/nav.xhtml", "EPUB/content.opf")
UPDATE = os.environ.get("PUBLISHER_UPDATE_GOLDEN") == "1"


def _compare(name: str, produced: bytes) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced)
        return
    assert golden.exists(), f"no golden file {golden}: run `make golden`"
    assert produced.decode("utf-8") == golden.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if intended, run `make golden`"
    )


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    modified = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    return publish(BuildConfig(BOOK, out, {"narration.enabled": False}, modified=modified)).epub


@pytest.mark.parametrize("member", MEMBERS)
def test_the_epub_documents_match_their_golden_files(epub: Path, member: str) -> None:
    with zipfile.ZipFile(epub) as archive:
        _compare(Path(member).name, archive.read(member))


def test_the_media_overlay_matches_its_golden_file() -> None:
    book = build_book(read_manuscript(BOOK))
    section = book.sections[0]
    script = section_script(section, Pauses(), Normalizer.for_text("en-GB", ""))
    items = tuple(
        TimedItem(u.id, u.kind, n * 1000, n * 1000 + 900, u.paragraph_id, u.groups)
        for n, u in enumerate(script)
    )
    timeline = ChapterTimeline(section.id, len(items) * 1000, items)
    chapter = OverlayChapter(section.id, "c01.xhtml", "audio/01.mp3", Path("01.mp3"), timeline)
    _compare("c01.smil", smil_document(chapter, "sentence"))
