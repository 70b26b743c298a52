"""The language of a manuscript that declares none."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from publisher import BuildConfig, publish
from publisher.readers import read_manuscript
from publisher.readers.language import _identifier, detect_language
from publisher.speech.normalize import Normalizer

from ..conftest import DATA

GERMAN = DATA / "german-without-language.txt"


def test_a_german_book_without_a_language_is_detected_and_recorded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="publisher"):
        report = publish(BuildConfig(GERMAN, tmp_path, {"narration.enabled": False}))
    assert report.book.metadata.language == "de"
    recorded = json.loads((report.folder / "report.json").read_text())
    assert recorded["language"] == "de"
    assert recorded["language_detected"]["language"] == "de"
    assert recorded["language_detected"]["confidence"] >= 0.9
    assert any("detected de" in r.getMessage() for r in caplog.records)
    assert [s.display_title for s in report.book.sections] == ["Kapitel 1", "Kapitel 2"]


def test_a_declared_language_always_wins(tmp_path: Path) -> None:
    manuscript = tmp_path / "book.txt"
    manuscript.write_bytes(GERMAN.read_bytes())
    (tmp_path / "book.toml").write_text('language = "nl"\n')
    found = read_manuscript(manuscript)
    assert found.metadata.language == "nl" and found.detected_language is None
    assert read_manuscript(GERMAN, {"language": "fr"}).metadata.language == "fr"


def test_german_text_gets_german_number_words() -> None:
    language = read_manuscript(GERMAN).metadata.language
    assert Normalizer.for_text(language, "")("Es kamen 30 Menschen.") == (
        "Es kamen dreißig Menschen."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il était une fois une petite fille qui vivait avec sa mère près de la forêt. " * 3, "fr"),
        ("Había una vez una niña que vivía con su madre cerca del bosque grande. " * 3, "es"),
        ("The ferry came only when the tide was high enough to reach the old slipway. " * 3, "en"),
    ],
)
def test_detection_names_the_language_of_a_few_sentences(text: str, expected: str) -> None:
    found = detect_language([text])
    assert found is not None and found.language == expected


def test_too_little_text_is_not_guessed_at() -> None:
    assert detect_language(["Hallo Welt."]) is None
    # A few words in a script of its own are enough.
    hebrew = detect_language(["זהו משפט ראשון. זהו משפט שני."])
    assert hebrew is not None and hebrew.language == "he"


@pytest.mark.slow
def test_the_model_is_unpacked_once_and_a_damaged_copy_is_unpacked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBLISHER_CACHE_DIR", str(tmp_path))
    text = ["Die Lehrerin sagte, sie komme jeden Donnerstag, solange das Wasser es erlaube."] * 3
    _identifier.cache_clear()
    try:
        first = detect_language(text)
        [kept] = (tmp_path / "models").glob("py3langid-*.npz")
        _identifier.cache_clear()
        assert detect_language(text) == first  # from the unpacked copy
        whole = kept.read_bytes()
        flipped = bytearray(whole)
        flipped[len(whole) // 2] ^= 0xFF  # the zip's CRC-32 finds one changed byte
        for damaged in (whole[: len(whole) // 2], bytes(flipped)):
            kept.write_bytes(damaged)
            _identifier.cache_clear()
            assert detect_language(text) == first
            assert kept.read_bytes() == whole  # unpacked whole again
    finally:
        _identifier.cache_clear()
    assert first is not None and first.language == "de"
