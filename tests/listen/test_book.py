"""A built book's overlays read for listening, and refused when they cannot be."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from publisher.errors import InputError, ListenError
from publisher.listen.book import clock, read_book, shown_text
from tests.conftest import assert_one_line_error, run, write


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("0:01:02.500", 62.5), ("1:02.25", 62.25), ("62.5s", 62.5), ("1500ms", 1.5), ("7", 7.0)],
)
def test_smil_clock_values(value: str, seconds: float) -> None:
    assert clock(value) == pytest.approx(seconds)


def test_a_clock_value_that_is_none_is_an_input_error() -> None:
    with pytest.raises(InputError):
        clock("soon")


def test_what_a_sentence_shows_but_does_not_say_is_left_out() -> None:
    span = etree.fromstring(
        '<span xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        'The tide<a epub:type="noteref" href="#n1">1</a> rose,<br/>and fell.</span>'
    )
    assert " ".join(shown_text(span).split()) == "The tide rose, and fell."


def test_a_book_without_narration_is_refused_in_one_line(tmp_path: Path) -> None:
    from publisher import BuildConfig, publish

    manuscript = write(tmp_path / "quiet.md", "# Quiet\n\nNothing is said here.\n")
    folder = publish(BuildConfig(manuscript, tmp_path / "out", {"narration.enabled": False})).folder
    with pytest.raises(ListenError, match="no narrated chapters"):
        read_book(folder)
    assert_one_line_error(run("check", "--listen", folder), "no narrated chapters")


def test_a_book_folder_without_its_epub_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "report.json", '{"outputs": {"mp3": ["audio/01.mp3"]}, "chapters": []}')
    assert_one_line_error(run("check", "--listen", tmp_path), "no EPUB")


def test_an_epub_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "report.json", '{"outputs": {"epub": ["book.epub"]}, "chapters": []}')
    write(tmp_path / "book.epub", b"not a zip at all")
    assert_one_line_error(run("check", "--listen", tmp_path), "not an EPUB")


def test_an_epub_listed_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    outside = write(tmp_path / "elsewhere.epub", b"PK")
    book = tmp_path / "book"
    write(book / "report.json", f'{{"outputs": {{"epub": ["../{outside.name}"]}}, "chapters": []}}')
    assert_one_line_error(run("check", "--listen", book), "no EPUB")


def test_listening_options_without_listen_are_refused(tmp_path: Path) -> None:
    assert_one_line_error(run("check", "--max-wer", "5", tmp_path), "go with --listen")
