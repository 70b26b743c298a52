"""An EPUB 3 read for narrating in place: chapters, front matter, languages, errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from publisher import BuildConfig, publish
from publisher.inplace.book import read_in_place

from ..conftest import CORPUS, assert_one_line_error, run
from ..epubs import body_text, make_epub

X = "{http://www.w3.org/1999/xhtml}"

WASTELAND = CORPUS / "epub-idpf-wasteland.epub"

TIME_MACHINE = CORPUS / "epub-se-the-time-machine.epub"

THREE_BEARS = CORPUS / "epub2-pg23322-the-three-bears.epub"


corpus = pytest.mark.skipif(not WASTELAND.exists(), reason=f"no corpus at {CORPUS}")


@pytest.mark.slow
@corpus
@pytest.mark.parametrize("item", [WASTELAND, TIME_MACHINE], ids=lambda p: p.stem)
def test_the_words_narrated_are_the_sources_own_each_once_in_order(item: Path) -> None:
    book = read_in_place(item)
    with zipfile.ZipFile(item) as archive:
        source_words = [
            w
            for name in book.package.documents()
            if name in book.documents
            for w in body_text(archive.read(name)).split()
        ]
    said = [
        w
        for section in book.book.sections
        for paragraph in section.content
        for w in getattr(paragraph, "text", "").split()
    ]
    position = 0
    for word in said:  # a subsequence: nothing invented, repeated or out of order
        position = source_words.index(word, position) + 1 if word in source_words else -1
        assert position > 0, word
    assert len(said) > 0.9 * len(source_words)


@corpus
def test_an_epub_2_is_retypeset_and_cannot_be_narrated_in_place(tmp_path: Path) -> None:
    report = publish(BuildConfig(THREE_BEARS, tmp_path / "out", {"narration.enabled": False}))
    assert not report.in_place
    result = run("build", THREE_BEARS, "-o", tmp_path / "again", "--no-audio", "--in-place")
    assert_one_line_error(result, "Media Overlays need EPUB 3")


def test_a_source_pronunciation_reaches_the_narrator(tmp_path: Path) -> None:
    ipa = "ŋwiən"
    chapter = (
        '<section epub:type="chapter"><h2>Names</h2><p>Ask <span xmlns:ssml='
        f'"http://www.w3.org/2001/10/synthesis" ssml:ph="{ipa}">Nguyen</span> now.</p></section>'
    )
    book = read_in_place(make_epub(tmp_path / "names.epub", first=chapter))
    assert book.lexicon.phonemes() == {"Nguyen": ipa}


def test_a_missing_epub_is_named_as_missing(tmp_path: Path) -> None:
    result = run("build", tmp_path / "absent.epub", "-o", tmp_path / "out")
    assert_one_line_error(result, "no such file")


def test_gutenbergs_header_is_shown_and_not_narrated(tmp_path: Path) -> None:
    body = (
        '<section id="pg-header"><p>The Project Gutenberg eBook of Harbour Lights.</p></section>'
        '<section epub:type="chapter"><h2>The Quay</h2><p>The quay was quiet.</p></section>'
    )
    book = read_in_place(make_epub(tmp_path / "pg.epub", first=body))
    said = [s.text for section in book.book.sections for s in section.sentences]
    assert "The quay was quiet." in said
    assert not any("Gutenberg" in s for s in said)
    shown = etree.tostring(book.documents["OEBPS/text/one.xhtml"].root).decode()
    assert "The Project Gutenberg eBook of Harbour Lights." in shown
