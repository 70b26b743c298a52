"""Bytes to text: encodings, byte-order marks, binary files and size limits."""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

import pytest

from publisher import BuildConfig, publish
from publisher.errors import InputError, PublisherError
from publisher.readers.decoding import clean_text, decode

from ..conftest import DATA

GERMAN = "Über Straßen\n\nDie Straße war lang. Sie führte über die Brücke.\n"


def test_a_manuscript_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as stream:
        stream.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk
    with pytest.raises(PublisherError, match="split it into volumes"):
        publish(BuildConfig(huge, tmp_path / "out", {"narration.enabled": False}))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("fixture", "encoding"),
    [("utf8-bom.txt", "utf-8"), ("utf16-le-bom.txt", "utf-16"), ("utf16-be-bom.txt", "utf-16")],
)
def test_byte_order_marks_decide_the_encoding(fixture: str, encoding: str) -> None:
    decoded = decode((DATA / fixture).read_bytes(), fixture)
    assert decoded.text == GERMAN
    assert decoded.encoding == encoding


def test_utf8_without_bom_is_read_as_is() -> None:
    assert decode(GERMAN.encode("utf-8"), "x.txt").text == GERMAN


def test_legacy_encoding_is_detected_converted_and_named_in_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        decoded = decode((DATA / "latin1-no-bom.txt").read_bytes(), "latin1-no-bom.txt")
    assert "Crème brûlée" in decoded.text and "Renée Dubois" in decoded.text
    assert decoded.encoding.replace("_", "-").lower() in {
        "cp1252",
        "latin-1",
        "iso8859-1",
        "iso-8859-1",
        "windows-1252",
        "cp1250",
        "iso8859-15",
    }
    assert any(
        decoded.encoding in r.getMessage() and "latin1-no-bom.txt" in r.getMessage()
        for r in caplog.records
    )


@pytest.mark.parametrize(
    ("fixture", "phrase"),
    [("png-image.txt", "PNG image"), ("binary-with-nul.txt", "binary")],
)
def test_binary_files_are_refused_with_one_line(fixture: str, phrase: str) -> None:
    with pytest.raises(InputError) as raised:
        decode((DATA / fixture).read_bytes(), fixture)
    message = str(raised.value)
    assert phrase in message and fixture in message and "\n" not in message


def test_a_pdf_is_named_as_such() -> None:
    with pytest.raises(InputError, match="PDF"):
        decode(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "paper.txt")


def test_bad_bytes_after_a_bom_are_refused() -> None:
    with pytest.raises(InputError, match="byte-order mark"):
        decode(b"\xff\xfe" + b"\x00\xd8", "broken.txt")


def test_crlf_and_cr_line_ends_become_lf() -> None:
    assert decode(b"a\r\nb\rc\n", "x.txt").text == "a\nb\nc\n"


def test_text_is_composed_to_nfc() -> None:
    decomposed = "Cafe\u0301"
    assert decode(decomposed.encode("utf-8"), "x.txt").text == "Café"
    assert unicodedata.is_normalized("NFC", decode(decomposed.encode(), "x.txt").text)


@pytest.mark.parametrize(
    "invisible",
    ["\x00", "\x07", "\x1b", "\x9b", "\u202e", "\u202d", "\u2066", "\u2069", "\u200b", "\ufeff"],
)
def test_control_and_bidi_override_characters_are_removed(invisible: str) -> None:
    assert clean_text(f"safe{invisible}text") == "safetext"


def test_joiners_that_scripts_and_emoji_need_are_kept() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert clean_text(f"a {family} b \u0645\u200c\u06cc") == f"a {family} b \u0645\u200c\u06cc"
