"""publish(): whole builds that must hold whatever the manuscript."""

from __future__ import annotations

import hashlib
import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from publisher import BuildConfig, publish
from publisher.errors import PublisherError
from publisher.formats.xhtml import section_document
from publisher.model import Pauses, book_text
from publisher.readers import read_manuscript
from publisher.speech.normalize import Normalizer
from publisher.speech.script import section_script
from publisher.structure.chapters import build_book
from publisher.structure.topics import ChapterOptions

from .conftest import epubcheck_messages


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "report.json"
    }


HEADING_SHAPES = st.sampled_from(
    ["# ", "## ", "### ", "CHAPTER ", "Chapter 1. ", "1.2 ", "PART II ", "* * *", "---", ""]
)

WHITESPACE = st.sampled_from(["\n", "\n\n", "\r\n", "\t", "  ", "\u00a0", "\u2028", ""])

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@pytest.mark.slow
def test_the_same_manuscript_on_two_paths_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folders = []
    for where in ("one", "two/deeper"):
        manuscript = tmp_path / where / "bell.md"
        manuscript.parent.mkdir(parents=True)
        manuscript.write_text(
            "---\ntitle: The Bell\nauthor: Ann Lee\n---\n\n## One\n\nThe bell rang.\n\n"
            "## Two\n\nNobody came, and the bell rang again at noon.\n",
            encoding="utf-8",
        )
        report = publish(
            BuildConfig(manuscript, tmp_path / where / "out", {"outputs.single_mp3": True})
        )
        folders.append(report.folder)
    first, second = (_digests(f) for f in folders)
    assert first == second
    assert {"the-bell.epub", "the-bell.m4b", "the-bell.mp3", "the-bell-daisy.zip"} <= set(first)
    assert "daisy/ncc.html" in first and "manifest.json" in first


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(HEADING_SHAPES, ANY_TEXT, WHITESPACE), max_size=12),
    st.sampled_from([".md", ".txt"]),
)
def test_random_manuscripts_raise_nothing_but_publisher_errors(
    pieces: list[tuple[str, str, str]], suffix: str
) -> None:
    text = "".join(shape + body + space for shape, body, space in pieces)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            book = build_book(read_manuscript(path), ChapterOptions(mode="auto"))
            say = Normalizer.for_text(book.metadata.language, book_text(book))
            for section in book.sections:
                section_script(section, Pauses(), say)
                etree.fromstring(section_document(section, book.metadata.language))
        except PublisherError:
            pass


@pytest.mark.slow
def test_a_50000_word_paragraph_makes_a_valid_epub(tmp_path: Path) -> None:
    pick = random.Random(5).choice
    words = "the keeper wrote in his log each night while wind and rain came".split()
    sentences = " ".join(
        " ".join(pick(words) for _ in range(20)).capitalize() + "." for _ in range(2_500)
    )
    manuscript = tmp_path / "wall.md"
    manuscript.write_text(f"# A Wall of Text\n\n{sentences}\n", encoding="utf-8")
    report = publish(BuildConfig(manuscript, tmp_path / "out", {"narration.enabled": False}))
    assert report.book.words >= 50_000
    assert epubcheck_messages(report.epub, tmp_path) == []
