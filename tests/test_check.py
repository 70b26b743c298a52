"""`publisher check`: a good book passes, a tampered one fails, a stranger is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher import BuildConfig, BuildReport, publish
from publisher.audio.encode import encode_mp3
from publisher.audio.ffmpeg import decode_file
from publisher.cli import main

BOOK = """---
title: Three Small Rooms
author: Ada Lane
date: 2025
---

## The Kitchen

The kettle sang on the stove while the rain came down. She counted the cups twice.
Nobody was coming, but she set the table for four all the same.

## The Stair

Seventeen steps led to the landing, and the ninth one creaked. The children knew it and
stepped over it at night, which is how she always knew they had been up.

## The Attic

Under the roof the air was warm and smelled of dust and apples. A trunk stood by the
window. She opened it, and the letters were still there, tied with string.
"""


def _build(folder: Path, settings: dict[str, object] | None = None) -> BuildReport:
    manuscript = folder / "rooms.md"
    manuscript.write_text(BOOK, encoding="utf-8")
    values = {"narration.engine": "espeak", **(settings or {})}
    return publish(BuildConfig(manuscript, folder / "out", values))


@pytest.mark.slow
def test_check_passes_a_good_acx_book_and_fails_a_tampered_one(tmp_path: Path) -> None:
    report = _build(tmp_path, {"audio.profile": "acx", "outputs.single_mp3": True})
    runner = CliRunner()
    good = runner.invoke(main, ["check", str(report.folder)])
    assert good.exit_code == 0, good.output
    assert "0 failed" in good.output and "EPUBCheck" in good.output
    # Too quiet for ACX, and a chapter mark moved: both must be caught.
    quiet = report.folder / report.chapters[0].href
    pcm = decode_file(quiet, 44100)
    encode_mp3(bytes(b // 4 if i % 2 else b for i, b in enumerate(pcm)), 44100, quiet, 192)
    chapters = json.loads((report.folder / "chapters.json").read_text())
    chapters["chapters"][1]["startTime"] += 2.0
    (report.folder / "chapters.json").write_text(json.dumps(chapters))
    bad = runner.invoke(main, ["check", str(report.folder)])
    assert bad.exit_code == 1
    failures = [line for line in bad.output.splitlines() if line.endswith("FAIL")]
    assert any(line.startswith("chapters.json") and "chapter starts" in line for line in failures)
    assert any(line.startswith(quiet.name) and " RMS " in line for line in failures)


def test_check_refuses_a_folder_that_is_not_a_book(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1 and "has no report.json" in result.output
