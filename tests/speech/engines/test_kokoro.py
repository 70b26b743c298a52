"""Kokoro: the model from its wheels, deterministic narration, a valid read-along EPUB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher import BuildConfig, publish
from publisher.errors import EngineError
from publisher.speech.engines.kokoro import KokoroEngine
from tests.books import digests
from tests.conftest import ace_violations, epubcheck_messages, run, write

pytestmark = pytest.mark.slow

CHAPTER = """# The Lighthouse

## One

The keeper climbed the ninety-nine steps at dusk. "Is the lamp lit?" asked his daughter.
He wiped the glass, trimmed the wick, and watched the first ship turn for the harbour.
"""


def _built(folder: Path) -> Path:
    manuscript = write(folder / "lighthouse.md", CHAPTER)
    values = {"narration.engine": "kokoro", "narration.voice": "jm_kumo", "narration.jobs": 1}
    report = publish(BuildConfig(manuscript, folder / "out", values))
    assert report.narrator is not None and report.narrator.engine.name == "kokoro"
    return report.folder


def test_kokoro_narrates_the_same_bytes_twice_into_a_valid_read_along_epub(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = _built(tmp_path / "a")
    monkeypatch.setenv("PUBLISHER_CACHE_DIR", str(tmp_path / "another-cache"))
    second = _built(tmp_path / "b")
    assert digests(first) == digests(second)
    report = json.loads((first / "report.json").read_text())
    assert report["engine"] == "kokoro" and report["duration_s"] > 8
    (epub,) = first.glob("*.epub")
    assert epubcheck_messages(epub, tmp_path) == []
    assert ace_violations(epub, tmp_path) == []


def test_kokoro_lists_its_bundled_styles_with_gender_and_reads_english() -> None:
    engine = KokoroEngine()
    voices = {v.id: v for v in engine.voices()}
    assert set(voices) >= {"jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo"}
    assert voices["jm_kumo"].gender == "male" and voices["jf_alpha"].gender == "female"
    assert "en-GB" in voices["jm_kumo"].reads
    assert engine.default_voice("en-GB") == "jm_kumo@en-gb"
    assert engine.default_voice("ja") is None
    clip = engine.synthesize("Good evening.", "jf_alpha")
    assert clip.sample_rate == 24000 and 0.4 < clip.samples / clip.sample_rate < 3


def test_a_users_kokoro_voice_file_is_a_voice_and_a_damaged_one_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np
    from kokoro_onnx import Kokoro  # noqa: F401  (the extra is installed)

    from publisher.speech.engines.kokoro import _bundled_pack

    with np.load(_bundled_pack()) as pack:
        style = pack["jf_nezumi"]
    folder = tmp_path / "voices"
    folder.mkdir()
    style.astype("<f4").tofile(folder / "bf_tester.bin")  # one voice a file, as published
    (folder / "bm_broken.bin").write_bytes(bytes(510 * 256 * 4 - 4) + b"\x00\x00\xc0\x7f")
    monkeypatch.setenv("PUBLISHER_VOICES", str(folder))
    engine = KokoroEngine()
    voices = {v.id: v for v in engine.voices()}
    assert voices["bf_tester"].language == "en-GB" and voices["bf_tester"].gender == "female"
    assert str(folder) in voices["bf_tester"].source
    assert engine.default_voice("en-GB") == "bf_tester"
    assert engine.synthesize("Good evening.", "bf_tester").samples > 0
    listed = run("voices", "--engine", "kokoro")
    assert "bf_tester" in listed.stdout
    with pytest.raises(EngineError, match="no voice 'af_nobody'"):
        engine.synthesize("Good evening.", "af_nobody")
