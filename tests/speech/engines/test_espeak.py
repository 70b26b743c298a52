"""eSpeak NG: a French voice, and the same sound whatever was said before."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from publisher.errors import EngineError
from publisher.speech.engines import load_engine

from ...conftest import DATA, run
from ...sound import level_dbfs, samples


def test_espeak_says_a_sentence_the_same_whatever_it_said_before() -> None:
    from publisher.speech.engines.espeak import EspeakEngine

    engine = EspeakEngine()
    voice = engine.default_voice("en")
    assert voice is not None
    first = engine.synthesize("The bell rang twice.", voice).pcm
    engine.synthesize("Nobody came to the door, though the lamp was lit.", voice)
    again = engine.synthesize("The bell rang twice.", voice).pcm
    assert first and first == again


def test_a_failure_in_the_forked_speaker_comes_back_as_one_error() -> None:
    from publisher.speech.engines.espeak import _in_a_copy

    def fails() -> bytes:
        raise EngineError("eSpeak NG failed to synthesise (status 1)")

    def dies() -> bytes:
        os._exit(3)

    with pytest.raises(EngineError, match="status 1"):
        _in_a_copy(fails)
    with pytest.raises(EngineError, match="stopped while speaking"):
        _in_a_copy(dies)
    assert _in_a_copy(lambda: b"\x01\x02") == b"\x01\x02"


@pytest.mark.slow
def test_an_espeak_engine_still_speaks_after_a_newer_one_is_gone() -> None:
    """The C library has one callback for the process; every engine shares it."""
    import gc

    from publisher.speech.engines.espeak import EspeakEngine

    older = EspeakEngine()
    voice = older.default_voice("en")
    assert voice is not None
    expected = older.synthesize("One, two, three.", voice).pcm
    newer = EspeakEngine()
    assert newer.synthesize("One, two, three.", voice).pcm == expected
    del newer
    gc.collect()
    assert older.synthesize("One, two, three.", voice).pcm == expected
    assert EspeakEngine().synthesize("Un, deux, trois.", "fr").pcm
    assert older.synthesize("One, two, three.", voice).pcm == expected


@pytest.mark.slow
def test_espeak_narrates_a_french_book_in_a_french_voice(tmp_path: Path) -> None:
    result = run("build", DATA / "french-novella.md", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert "piper has no fr voice here; narrating with espeak voice fr-fr" in result.stderr
    report = json.loads((tmp_path / "la-maison-du-passeur" / "report.json").read_text())
    assert (report["engine"], report["voice"]) == ("espeak", "fr-fr")
    audio = tmp_path / "la-maison-du-passeur" / report["chapters"][0]["audio"]
    assert report["chapters"][0]["duration_s"] > 5
    assert level_dbfs(samples(audio), 750, 2000) > -40
    english = load_engine("espeak").synthesize("Le passeur habitait une maison.", "en-us")
    french = load_engine("espeak").synthesize("Le passeur habitait une maison.", "fr-fr")
    assert english.pcm != french.pcm
