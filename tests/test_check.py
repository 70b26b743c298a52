"""`publisher check`: a good book passes, a tampered one fails, a stranger is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.audio.encode import encode_mp3
from publisher.audio.ffmpeg import decode_file
from publisher.cli import main

from .books import three_rooms


@pytest.mark.slow
def test_check_passes_a_good_acx_book_and_fails_a_tampered_one(tmp_path: Path) -> None:
    report = three_rooms(tmp_path, {"audio.profile": "acx", "outputs.single_mp3": True})
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
