"""A small book of every kind of content, written exactly as these golden files say.

The files in tests/golden/ are the EPUB's documents and package, and what is made from the
book's narration script with each utterance one second long: a Media Overlay, the playlist
and the audiobook manifest. When a change to the output is intended, regenerate them with
``make golden`` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from publisher import BuildConfig, Settings, publish
from publisher.formats.overlays import OverlayChapter, smil_document
from publisher.model import ChapterTimeline, Pauses, Section, TimedItem
from publisher.narration import AudioSettings, ChapterFile
from publisher.output import Staging
from publisher.outputs import Built, manifest, playlist
from publisher.readers import read_manuscript
from publisher.speech.cast import Cast, Narrator
from publisher.speech.engines import load_engine
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


def _timeline(section: Section) -> ChapterTimeline:
    """The section's narration script, each utterance one second long."""
    script = section_script(section, Pauses(), Normalizer.for_text("en-GB", ""))
    items = tuple(
        TimedItem(u.id, u.kind, n * 1000, n * 1000 + 900, u.paragraph_id, u.groups)
        for n, u in enumerate(script)
    )
    return ChapterTimeline(section.id, len(items) * 1000, items)


def test_the_media_overlay_matches_its_golden_file() -> None:
    book = build_book(read_manuscript(BOOK))
    section = book.sections[0]
    timeline = _timeline(section)
    chapter = OverlayChapter(section.id, "c01.xhtml", "audio/01.mp3", Path("01.mp3"), timeline)
    _compare("c01.smil", smil_document(chapter, "sentence"))


@pytest.mark.parametrize(
    ("output", "name"), [(playlist, "rich-book.m3u8"), (manifest, "manifest.json")]
)
def test_the_playlist_and_manifest_match_their_golden_files(
    tmp_path: Path, output: ModuleType, name: str
) -> None:
    book = build_book(read_manuscript(BOOK))
    chapters = tuple(
        ChapterFile(s, f"audio/{n:02d}.mp3", _timeline(s), tmp_path / f"{n:02d}.mp3", None, None)
        for n, s in enumerate(book.sections, 1)
    )
    narrator = Cast(Narrator(load_engine("espeak"), "en-gb"))
    audio = AudioSettings(Pauses(), 64, "2026", Normalizer.for_text("en-GB", ""))
    modified = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    built = Built(
        Staging(tmp_path), book, "rich-book", modified, Settings(), None, None, narrator,
        chapters, audio, None,
    )  # fmt: skip
    (written,) = output.OUTPUT.write(built)
    _compare(name, (tmp_path / written).read_bytes())
