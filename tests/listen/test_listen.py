"""Machine proof-listening, end to end: real Piper narration heard by real Whisper.

One short book is built twice: as written, and with a lexicon whose alias makes the
narrator say another word for "lantern". The listener must flag the sentences that hold
the word in the second and leave the first almost alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher import BuildConfig, publish
from publisher.listen import listen
from publisher.listen.report import ListenReport
from publisher.speech.lexicon import load_lexicon
from tests.conftest import EPUB_ONLY, assert_one_line_error, run

pytestmark = pytest.mark.slow

STORY = """---
title: The Lamp Room
author: Ada Lane
language: en-US
---

## The Lamp Room

Every evening the keeper climbed the stairs with a lantern in her hand.
The stairs were narrow, and the wind pushed against the small windows.
At the top she hung the lantern on an iron hook beside the door.
Her brother mended nets in the kitchen and sang songs about the harbor.
On clear nights the ships could see the lantern from the far side of the bay.
The cat slept on the warm stones near the oven until morning.
In winter the lantern burned oil that smelled of fish and smoke.
She wrote the weather in a book every hour, in pencil, in a careful hand.
Nobody in the village could remember a night when the lantern had failed.
The baker brought bread on Tuesdays and stayed to talk about the tides.
"""
PLANTED = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
         alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>lantern</grapheme><alias>tractor</alias></lexeme>
</lexicon>
"""
HOLDING = 5  # sentences with "lantern"
Heard = dict[str, tuple[Path, ListenReport]]


def _build(folder: Path, lexicon: str | None) -> Path:
    folder.mkdir(parents=True)
    manuscript = folder / "lamp.md"
    manuscript.write_text(STORY, encoding="utf-8")
    values: dict[str, object] = dict(EPUB_ONLY)
    if lexicon:
        (folder / "planted.pls").write_text(lexicon, encoding="utf-8")
        values["input.lexicon"] = str(folder / "planted.pls")
    report = publish(BuildConfig(manuscript, folder / "out", values))
    return report.folder


@pytest.fixture(scope="module")
def heard(tmp_path_factory: pytest.TempPathFactory) -> Heard:
    root = tmp_path_factory.mktemp("listen")
    books = {"clean": _build(root / "clean", None), "planted": _build(root / "planted", PLANTED)}
    return {name: (folder, listen(folder, jobs=2)) for name, folder in books.items()}


def _flagged_holding(report: ListenReport) -> tuple[int, int]:
    holding = sum(1 for r in report.flagged if "lantern" in r.said.lower())
    return holding, len(report.flagged) - holding


def test_a_planted_mispronunciation_is_found_in_most_sentences_that_hold_it(heard: Heard) -> None:
    _, report = heard["planted"]
    holding, others = _flagged_holding(report)
    assert holding >= HOLDING - 1, [r.heard for r in report.flagged]
    assert others <= 2, [r.said for r in report.flagged]
    assert "lantern" in [c.word for c in report.candidates]


def test_a_clean_build_has_few_sentences_flagged(heard: Heard) -> None:
    _, report = heard["clean"]
    assert len(report.flagged) <= 2, [(r.said, r.heard) for r in report.flagged]
    assert "lantern" not in [c.word for c in report.candidates]
    assert report.wer < 0.08


def test_the_command_writes_a_report_and_a_lexicon_and_fails_over_max_wer(heard: Heard) -> None:
    folder, _ = heard["planted"]
    result = run("check", "--listen", "-j", "2", "--top", "3", "--max-wer", "0", folder)
    assert result.exit_code == 1, result.output
    assert "above 0 %" in result.stderr
    assert "WER" in result.output and "lantern" in result.output
    data = json.loads((folder / "listen-report.json").read_text(encoding="utf-8"))
    assert data["words"] > 100 and 0 < data["wer"] < 1
    assert {c["word"] for c in data["candidates"]} >= {"lantern"}
    assert data["flagged"][0]["start_s"] >= 0
    lexicon = load_lexicon(folder / "lexicon-suggestions.pls")
    assert any("lantern" in entry.graphemes for entry in lexicon.entries)


def test_a_folder_that_is_not_a_book_gets_one_line(tmp_path: Path) -> None:
    assert_one_line_error(run("check", "--listen", tmp_path), "report.json")


def test_a_model_folder_without_a_model_gets_one_line(heard: Heard, tmp_path: Path) -> None:
    folder, _ = heard["clean"]
    result = run("check", "--listen", "--asr-model", tmp_path, folder)
    assert_one_line_error(result, "not a CTranslate2 Whisper model")


def test_worker_processes_hear_what_this_process_hears(
    heard: Heard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A short book is heard in this process; a long one by spawned workers, which must
    agree with it."""
    from publisher.listen import transcribe

    folder, here = heard["clean"]
    monkeypatch.setattr(transcribe, "SHORT_S", 0.0)
    workers = listen(folder, jobs=2)
    assert abs(workers.wer - here.wer) <= 0.02
    assert len(workers.flagged) <= 2


@pytest.mark.parametrize("short_s", [120.0, 0.0], ids=["in this process", "in workers"])
def test_a_damaged_model_gets_one_line_and_a_good_one_works_after_it(
    heard: Heard, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, short_s: float
) -> None:
    from publisher.listen import transcribe

    folder, _ = heard["clean"]
    monkeypatch.setattr(transcribe, "SHORT_S", short_s)
    (tmp_path / "model.bin").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    result = run("check", "--listen", "-j", "2", "--asr-model", tmp_path, folder)
    assert_one_line_error(result, "cannot be loaded as a Whisper model")
    assert listen(folder, jobs=2).words > 100
