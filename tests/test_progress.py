"""The progress bar and progress callbacks."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from publisher import BuildConfig, publish
from publisher.narration import Progress
from publisher.progress import ProgressBar


def test_the_progress_bar_shows_sentences_audio_and_time_left() -> None:
    stream = StringIO()
    bar = ProgressBar(stream)
    bar.update(Progress(10, 100, 0.0, 10))
    line = bar.line(Progress(55, 100, 300.0, 10), elapsed=9.0)
    assert "55/100 sentences" in line and "5.0 min of audio" in line
    assert "about 0:09 left" in line  # 45 to go at 5 a second
    bar.close()
    assert stream.getvalue().startswith("\rnarrating [") and stream.getvalue().endswith("\n")


@pytest.mark.slow
def test_scripts_see_no_progress_bar(tmp_path: Path) -> None:
    manuscript = tmp_path / "note.md"
    manuscript.write_text("# A Note\n\nThe bell rang twice.\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "publisher", "build", str(manuscript), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PUBLISHER_CACHE_DIR": str(tmp_path / "cache")},
        check=True,
    )
    assert result.stderr == ""
    assert result.stdout.count("\n") == 1 and "sentences from the cache" in result.stdout


@pytest.mark.slow
def test_progress_counts_every_sentence_once_even_when_words_repeat(tmp_path: Path) -> None:
    manuscript = tmp_path / "echo.md"
    manuscript.write_text("# Echo\n\nYes. No. Yes.\n\nYes.\n", encoding="utf-8")
    seen: list[Progress] = []
    config = BuildConfig(
        manuscript,
        tmp_path / "out",
        {"narration.engine": "espeak", "narration.cache": str(tmp_path / "c")},
    )
    report = publish(config, seen.append)
    assert seen[-1].done == seen[-1].total
    assert report.narration is not None
    assert report.narration.cache_misses < seen[-1].total  # "Yes." was spoken once
    assert [s.done for s in seen] == sorted(s.done for s in seen)
