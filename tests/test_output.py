"""Staging and the atomic move: a failed or killed build never loses the last good book."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from publisher.output import _recover

from .books import digests
from .conftest import SOURCE

BOOK = SOURCE / "the-cartographer-of-small-rivers.md"


def _processes_marked(mark: str) -> list[int]:
    """Processes whose environment carries PUBLISHER_TEST_MARK=mark (Linux /proc)."""
    wanted = f"PUBLISHER_TEST_MARK={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except (OSError, ValueError):
            continue
    return found


@pytest.mark.slow
def test_a_build_killed_at_any_moment_keeps_the_earlier_book_and_the_cache(
    tmp_path: Path,
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    command = [sys.executable, "-m", "publisher", "build", str(BOOK), "-o", str(out)]
    command += ["--engine", "espeak", "--cache-dir", str(cache), "--set", "outputs.m4b=no"]
    subprocess.run([*command, "--no-audio"], check=True, capture_output=True)
    book = out / "the-cartographer-of-small-rivers"
    earlier = digests(book)
    moments = random.Random(7).sample([0.2, 0.5, 0.9, 1.4, 2.0, 2.7, 3.5], 4)
    marked = {**os.environ, "PUBLISHER_TEST_MARK": str(tmp_path)}
    for moment in sorted(moments):
        build = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=marked
        )
        time.sleep(moment)
        build.send_signal(signal.SIGKILL)
        build.wait()
        if build.returncode == 0:
            break  # it finished first: the book is the new one, which is fine too
        assert digests(book) == earlier, f"killed at {moment} s"
    # The killed builds' narration workers end too, rather than live on holding a voice.
    deadline = time.monotonic() + 10
    while (left := _processes_marked(str(tmp_path))) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, "workers outlived their build"
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "error" not in finished.stderr
    assert [p.name for p in out.iterdir()] == ["the-cartographer-of-small-rivers"]
    assert (book / "audio").is_dir()


def test_a_book_moved_aside_by_a_killed_build_is_put_back(tmp_path: Path) -> None:
    aside = tmp_path / ".rivers.abc123.old"
    aside.mkdir()
    (aside / "book.epub").write_text("the earlier book")
    stale = tmp_path / ".rivers.999999999-x1.partial"
    stale.mkdir()
    _recover(tmp_path, "rivers")
    assert (tmp_path / "rivers" / "book.epub").read_text() == "the earlier book"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rivers"]
