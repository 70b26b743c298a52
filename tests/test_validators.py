"""The real validators: EPUBCheck 5.3 with no errors or warnings, Ace with no violations."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from publisher.structure.topics import ChapterOptions

from .conftest import DATA, SOURCE, Builder, ace_violations, epubcheck_messages

MANUSCRIPTS = [
    SOURCE / "the-cartographer-of-small-rivers.md",
    SOURCE / "the-keeper-of-the-tide-clock.txt",
    DATA / "script-and-ampersands.md",
    DATA / "parts-and-chapters.txt",
    DATA / "front-and-back-matter.md",
    DATA / "article-without-headings.txt",
    DATA / "latin1-no-bom.txt",
    DATA / "french-novella.md",
    DATA / "hebrew-right-to-left.txt",
    DATA / "book-with-cover.md",
    DATA / "lexicon-book" / "names.md",
    DATA / "plain-italics-notes-illustrations.txt",
    DATA / "rich-book" / "rich-book.md",
]


@pytest.mark.validators
@pytest.mark.parametrize("manuscript", MANUSCRIPTS, ids=lambda p: p.name)
def test_epubcheck_finds_no_errors_or_warnings(
    manuscript: Path, build: Builder, tmp_path: Path
) -> None:
    messages = epubcheck_messages(build(manuscript).epub, tmp_path)
    assert messages == []


@pytest.mark.validators
@pytest.mark.parametrize("manuscript", MANUSCRIPTS, ids=lambda p: p.name)
def test_ace_finds_no_accessibility_violations(
    manuscript: Path, build: Builder, tmp_path: Path
) -> None:
    assert ace_violations(build(manuscript).epub, tmp_path) == []


def _tamper(epub: Path, member: str, old: str, new: str) -> Path:
    """Copy the EPUB with one text replacement in one member: a known-bad book."""
    broken = epub.with_name("broken.epub")
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new).encode("utf-8")
            target.writestr(info, data)
    return broken


SAMPLES = sorted(SOURCE.glob("*.*"))


@pytest.mark.validators
@pytest.mark.parametrize("manuscript", SAMPLES, ids=lambda p: p.name)
def test_narrated_read_along_samples_pass_epubcheck_and_ace(
    manuscript: Path, build: Builder, tmp_path: Path
) -> None:
    # eSpeak NG narrates in a second; the Piper read-along build is validated in test_overlays.
    epub = build(manuscript, audio=True, engine="espeak").epub
    assert epubcheck_messages(epub, tmp_path) == []
    assert ace_violations(epub, tmp_path) == []


@pytest.mark.validators
def test_every_kind_of_content_read_along_with_endnotes_passes_epubcheck_and_ace(
    build: Builder, tmp_path: Path
) -> None:
    # Lists, quotes, a table, a figure, code, definitions, notes, a foreign phrase: with
    # Media Overlays nested by container (footnotes: the text-only builds above).
    book = build(
        DATA / "rich-book" / "rich-book.md",
        audio=True,
        engine="espeak",
        chapters=ChapterOptions(notes="chapter"),
    )
    assert epubcheck_messages(book.epub, tmp_path) == []
    assert ace_violations(book.epub, tmp_path) == []


@pytest.mark.validators
def test_the_validators_do_catch_a_broken_book(build: Builder, tmp_path: Path) -> None:
    epub = build(DATA / "two-chapters-markdown.md").epub
    dangling = _tamper(epub, "EPUB/c01.xhtml", "<h1 ", '<p><a href="missing.xhtml">x</a></p><h1 ')
    assert any(m["ID"] == "RSC-007" for m in epubcheck_messages(dangling, tmp_path))
    no_language = _tamper(epub, "EPUB/c01.xhtml", ' lang="en" xml:lang="en"', "")
    assert any("lang" in v for v in ace_violations(no_language, tmp_path))
