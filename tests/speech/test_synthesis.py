"""Narration workers: retries, failures named, long sentences in pieces, jobs."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from publisher import BuildConfig, publish
from publisher.audio.ffmpeg import decode_file
from publisher.errors import EngineError
from publisher.speech.engines import EngineBase
from publisher.speech.engines.base import Clip, Voice
from publisher.speech.synthesis import Job, engine_pieces, synthesize

from ..books import MODIFIED, digests, excerpt
from ..conftest import SOURCE

BOOK = SOURCE / "the-cartographer-of-small-rivers.md"


def _workers_of(pid: int) -> list[int]:
    """The narration worker processes a build has started (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in status and b"multiprocessing.spawn" in command:
            found.append(int(entry.name))
    return found


class FlakyEngine(EngineBase):
    """A third-party engine that fails the way real ones do, to test what we do about it."""

    name = "flaky"
    label = "a test engine"

    def __init__(self, fail_first: int = 0, silent: bool = False) -> None:
        self.calls = 0
        self.fail_first, self.silent = fail_first, silent

    def version(self) -> str:
        return "1"

    def problem(self) -> str | None:
        return None

    def voices(self) -> tuple[Voice, ...]:
        return (Voice("v", "en"),)

    def default_voice(self, language: str) -> str | None:
        del language
        return "v"

    def synthesize(
        self, text: str, voice: str, pronunciations: Mapping[str, str] | None = None
    ) -> Clip:
        del text, voice, pronunciations
        self.calls += 1
        if self.calls <= self.fail_first:
            raise RuntimeError("model crashed")
        return Clip(b"" if self.silent else b"\x01\x00" * 100, 22050)


@pytest.mark.slow
def test_a_killed_narration_worker_stops_the_build_with_one_line(tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    command = [sys.executable, "-m", "publisher", "build", str(BOOK), "-o", str(out)]
    command += [
        "--cache-dir",
        str(cache),
        "--jobs",
        "2",
        "--set",
        "outputs.m4b=no",
        "--set",
        "outputs.daisy=no",
    ]
    build = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(cache.rglob("*.pcm")) and time.monotonic() < deadline:
        time.sleep(0.05)  # until the first sentences are narrated and cached
    workers = _workers_of(build.pid)
    assert workers, "the build started no workers"
    subprocess.run(["kill", "-KILL", str(workers[0])], check=True)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 1
    assert stderr.strip().splitlines() == [
        "error: a narration worker process stopped unexpectedly (killed, or out of memory?); "
        "run the build again, with fewer --jobs: what was narrated is cached, unless --no-cache"
    ]
    assert not out.exists() or not any(out.iterdir())
    assert list((cache / "sentences").rglob("*.pcm")), "nothing narrated was kept"


def test_an_engine_that_crashes_once_is_retried() -> None:
    engine = FlakyEngine(fail_first=1)
    spoken = list(
        synthesize(
            {"flaky": engine}, {}, [Job("k", "The bell rang.", "flaky", "v", "c01-p001-s01")], 1
        )
    )
    assert len(spoken) == 1 and spoken[0][1].samples == 100 and engine.calls == 2


def test_an_engine_that_keeps_failing_names_the_sentence() -> None:
    with pytest.raises(EngineError, match=r"c02-p003-s04 \('The bell rang\.'\): RuntimeError"):
        list(
            synthesize(
                {"flaky": FlakyEngine(fail_first=9)},
                {},
                [Job("k", "The bell rang.", "flaky", "v", "c02-p003-s04")],
                1,
            )
        )


def test_an_engine_that_returns_no_audio_is_reported_but_silence_for_punctuation_is_fine() -> None:
    with pytest.raises(EngineError, match=r"c01-p001-s01.*returned no audio"):
        list(
            synthesize(
                {"flaky": FlakyEngine(silent=True)},
                {},
                [Job("k", "Hello there.", "flaky", "v", "c01-p001-s01")],
                1,
            )
        )
    spoken = list(
        synthesize(
            {"flaky": FlakyEngine(silent=True)},
            {},
            [Job("k", "…", "flaky", "v", "c01-p002-s01")],
            1,
        )
    )
    assert spoken[0][1].pcm == b""


@pytest.mark.slow
def test_a_sentence_of_thousands_of_words_is_spoken_in_pieces_with_exact_timing(
    tmp_path: Path,
) -> None:
    words = "river stone bridge lantern harbour window meadow orchard signal ferry".split()
    pick = random.Random(3).choice
    said = [pick(words) + ("," if i % 17 == 16 else "") for i in range(3_000)]
    manuscript = tmp_path / "long.md"
    manuscript.write_text(f"# The Statement\n\nShe said {' '.join(said)}.\n", encoding="utf-8")
    report = publish(
        BuildConfig(
            manuscript,
            tmp_path / "out",
            {"narration.engine": "espeak", "outputs.m4b": False, "outputs.daisy": False},
        )
    )
    assert report.narration is not None and report.narration.cache_misses > 12  # pieces
    (chapter,) = report.chapters
    _, sentence = chapter.timeline.items
    assert sentence.kind == "sentence" and sentence.end_ms - sentence.start_ms > 9 * 60_000
    # Decoded from the file, as a player hears it: the sample count matches the Timeline.
    samples = len(decode_file(report.folder / chapter.href)) // 2
    assert abs(samples / 22.05 - chapter.timeline.duration_ms) < 1


def test_long_text_is_cut_for_the_engine_at_clauses_then_words() -> None:
    text = "The clerk read the list, " * 40 + "and that was all."
    pieces = engine_pieces(text, 120)
    assert " ".join(pieces) == text and all(len(p) <= 120 for p in pieces)
    assert all(p.endswith(",") for p in pieces[:-1])  # every cut at a clause end
    assert engine_pieces("x" * 250 + " end", 100) == ["x" * 100, "x" * 100, "x" * 50 + " end"]


@pytest.mark.slow
def test_espeak_output_is_the_same_for_one_job_or_two(tmp_path: Path) -> None:
    """eSpeak NG's sentences do not depend on what its process said before them."""
    manuscript = excerpt(tmp_path)
    builds = [
        publish(
            BuildConfig(
                manuscript,
                tmp_path / f"out{jobs}",
                {"narration.engine": "espeak", "narration.jobs": jobs},
                modified=MODIFIED,
            )
        )
        for jobs in (1, 2)
    ]
    assert digests(builds[0].folder) == digests(builds[1].folder)
