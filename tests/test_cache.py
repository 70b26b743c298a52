"""The sentence cache: what a cold build fills, what rebuilds skip, damage and races."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from mutagen.mp3 import MP3

from publisher import BuildConfig, BuildReport, publish
from publisher.cache import SentenceCache, clip_key
from publisher.cli import main
from publisher.speech.engines.base import Clip

from .books import MODIFIED, digests, excerpt


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildConfig, BuildReport]:
    folder = tmp_path_factory.mktemp("speed")
    config = BuildConfig(
        excerpt(folder),
        folder / "out",
        {"narration.cache": str(folder / "cache"), "narration.jobs": 2},
        modified=MODIFIED,
    )
    return config, publish(config)


def _one_file_book_added_later(
    config: BuildConfig, tmp_path: Path, suffix: str, book: dict[str, object]
) -> BuildReport:
    """A build with no one-file book, which keeps no chapter audio of ``suffix`` (the AAC
    for an M4B, the FLAC for a one-file MP3), then one with ``book``: it narrates nothing,
    every sentence comes from the cache, and only the chapters' encodes are done again."""
    cache = tmp_path / "cache"
    values = {**config.values, "narration.cache": str(cache), "outputs.m4b": False}
    first = BuildConfig(config.input, tmp_path / "first", values, config.modified)
    publish(first)
    assert not list(cache.rglob(f"*{suffix}"))
    later = publish(BuildConfig(config.input, tmp_path / "later", {**values, **book}))
    counts = json.loads((later.folder / "report.json").read_text())["cache"]
    assert counts["misses"] == 0
    assert len(list(cache.rglob(f"*{suffix}"))) == len(later.chapters)
    return later


@pytest.mark.slow
def test_a_cold_build_narrates_every_sentence_and_fills_the_cache(
    cold: tuple[BuildConfig, BuildReport],
) -> None:
    config, report = cold
    cache = json.loads((report.folder / "report.json").read_text())["cache"]
    assert cache["enabled"] and cache["hits"] == 0 and cache["misses"] > 20
    assert config.cache_location() is not None
    usage = SentenceCache(config.cache_location()).usage()
    assert usage["sentences"].entries == cache["misses"]
    assert usage["chapters"].entries == len(report.chapters)


@pytest.mark.slow
def test_output_is_the_same_for_one_job_or_two_and_without_the_cache(
    cold: tuple[BuildConfig, BuildReport], tmp_path: Path
) -> None:
    config, report = cold
    alone = publish(
        BuildConfig(
            config.input,
            tmp_path / "out",
            {"narration.jobs": 1, "narration.cache": "off"},
            modified=MODIFIED,
        )
    )
    assert digests(alone.folder) == digests(report.folder)


@pytest.mark.slow
def test_a_build_without_an_m4b_skips_the_aac_and_a_later_one_adds_it_without_narrating(
    cold: tuple[BuildConfig, BuildReport], tmp_path: Path
) -> None:
    config, report = cold
    full = _one_file_book_added_later(config, tmp_path, ".aac", {"outputs.m4b": True})
    m4b = "the-last-ferry-to-inishcarrow.m4b"
    assert (full.folder / m4b).read_bytes() == (report.folder / m4b).read_bytes()


@pytest.mark.slow
def test_only_a_build_with_a_one_file_mp3_keeps_flac_and_a_later_one_adds_it_unnarrated(
    cold: tuple[BuildConfig, BuildReport], tmp_path: Path
) -> None:
    config, _ = cold
    whole = _one_file_book_added_later(config, tmp_path, ".flac", {"outputs.single_mp3": True})
    single = whole.folder / "the-last-ferry-to-inishcarrow.mp3"
    spoken = sum(c.timeline.duration_ms for c in whole.chapters) / 1000
    assert abs(MP3(single).info.length - spoken) < 0.5


@pytest.mark.slow
def test_a_rebuild_with_no_change_narrates_and_encodes_nothing(
    cold: tuple[BuildConfig, BuildReport],
) -> None:
    config, report = cold
    before = digests(report.folder)
    again = publish(config)
    assert again.narration is not None
    assert (again.narration.cache_hits, again.narration.cache_misses) == (
        report.narration.cache_misses if report.narration else -1,
        0,
    )
    assert again.timings.get("narrate", 0.0) < 0.5
    assert digests(again.folder) == before


@pytest.mark.slow
def test_editing_one_sentence_narrates_one_sentence(
    cold: tuple[BuildConfig, BuildReport], tmp_path: Path
) -> None:
    config, _ = cold
    edited = tmp_path / "excerpt.txt"
    text = config.input.read_text(encoding="utf-8")
    edited.write_text(text.replace("twenty-two minutes", "twenty-three minutes", 1))
    assert edited.read_text() != text
    report = publish(
        BuildConfig(
            edited,
            tmp_path / "out",
            {"narration.cache": str(config.cache_location()), "narration.jobs": 2},
        )
    )
    assert report.narration is not None and report.narration.cache_misses == 1


@pytest.mark.slow
def test_damaged_cache_entries_are_detected_and_made_again(
    cold: tuple[BuildConfig, BuildReport], tmp_path: Path
) -> None:
    config, report = cold
    assert config.cache_location() is not None
    copy = tmp_path / "cache"
    shutil.copytree(config.cache_location(), copy)
    chapters = sorted((copy / "chapters").rglob("*.mp3"))
    for chapter_mp3 in chapters:
        chapter_mp3.write_bytes(chapter_mp3.read_bytes()[:-100])  # truncated
    sentence = max((copy / "sentences").rglob("*.pcm"), key=lambda p: p.stat().st_size)
    damaged = bytearray(sentence.read_bytes())
    damaged[-10] ^= 0xFF  # same length, wrong digest
    sentence.write_bytes(bytes(damaged))
    rebuilt = publish(
        BuildConfig(
            config.input, tmp_path / "out", {"narration.cache": str(copy)}, modified=MODIFIED
        )
    )
    assert digests(rebuilt.folder) == digests(report.folder)
    assert rebuilt.narration is not None and rebuilt.narration.cache_misses >= 1
    assert rebuilt.narration.cache_misses == 1
    # The damaged entries were made again: a third build finds everything whole.
    third = publish(BuildConfig(config.input, tmp_path / "out", {"narration.cache": str(copy)}))
    assert third.narration is not None and third.narration.cache_misses == 0
    assert third.timings.get("assemble", 0.0) == 0.0  # every chapter came encoded


@pytest.mark.slow
def test_cache_entries_survive_a_reader_racing_writers(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path)
    key = clip_key("piper", "1", "voice", "A sentence.", {})
    clips = [Clip(bytes([n]) * 44_100, 22050) for n in range(8)]
    script = (
        "import sys; from publisher.cache import SentenceCache\n"
        "from publisher.speech.engines.base import Clip\n"
        "from pathlib import Path; c = SentenceCache(Path(sys.argv[1]))\n"
        "for n in range(200): c.put_clip(sys.argv[2], Clip(bytes([n % 8]) * 44_100, 22050))\n"
    )
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), key]) for _ in range(2)
    ]
    seen = 0
    while any(w.poll() is None for w in writers):
        clip = cache.get_clip(key)
        assert clip is None or clip in clips
        seen += clip is not None
    assert all(w.returncode == 0 for w in writers) and seen > 0
    assert cache.get_clip(key) in clips


def test_cache_info_and_clear_report_what_the_cache_holds(tmp_path: Path) -> None:
    store = tmp_path / "store"
    SentenceCache(store).put_clip("ab" * 32, Clip(b"\0\0" * 100, 22050))
    runner = CliRunner()
    info = runner.invoke(main, ["cache", "info", "--cache-dir", str(store)])
    assert info.exit_code == 0 and "sentences: 1 (" in info.output
    cleared = runner.invoke(main, ["cache", "clear", "--cache-dir", str(store)])
    assert cleared.exit_code == 0 and "1 entries" in cleared.output
    assert SentenceCache(store).usage()["sentences"].entries == 0


@pytest.mark.slow
def test_no_cache_leaves_the_cache_untouched_and_jobs_must_be_positive(tmp_path: Path) -> None:
    manuscript = tmp_path / "note.md"
    manuscript.write_text("# A Note\n\nThe bell rang twice.\n", encoding="utf-8")
    runner = CliRunner()
    out = ["-o", str(tmp_path / "out")]
    result = runner.invoke(main, ["build", str(manuscript), *out, "--no-cache"])
    assert result.exit_code == 0, result.output
    # Only machine state (the compiled voice, the unpacked language model), not the
    # sentence cache, may be kept there.
    user_cache = Path(os.environ["PUBLISHER_CACHE_DIR"])
    assert {p.name for p in user_cache.iterdir()} == {"voices", "models"}
    assert "from the cache" not in result.output
    bad = runner.invoke(main, ["build", str(manuscript), *out, "--jobs", "0"])
    assert bad.exit_code == 1 and "narration.jobs must be a whole number 1 or more" in bad.output


@pytest.mark.slow
def test_an_interrupted_build_keeps_the_old_book_and_resumes_from_the_cache(
    tmp_path: Path,
) -> None:
    manuscript = excerpt(tmp_path, paragraphs=12)
    out, cache = tmp_path / "out", tmp_path / "cache"
    command = [sys.executable, "-m", "publisher", "build", str(manuscript), "-o", str(out)]
    command += ["--cache-dir", str(cache), "--jobs", "2", "--engine", "espeak"]
    command += ["--set", "outputs.m4b=no", "--set", "outputs.daisy=no"]
    (out / "the-last-ferry-to-inishcarrow").mkdir(parents=True)
    (out / "the-last-ferry-to-inishcarrow" / "earlier.txt").write_text("the earlier build")
    build = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list(cache.rglob("*.pcm"))) < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    build.send_signal(signal.SIGINT)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1].startswith("error: interrupted")
    assert "Traceback" not in stderr
    assert [p.name for p in out.iterdir()] == ["the-last-ferry-to-inishcarrow"]
    assert (out / "the-last-ferry-to-inishcarrow" / "earlier.txt").exists()
    cached = len(list(cache.rglob("*.pcm")))
    resumed = subprocess.run(command, capture_output=True, text=True, check=True)
    assert f"{cached} of" in resumed.stdout or "from the cache" in resumed.stdout
    report = json.loads((out / "the-last-ferry-to-inishcarrow" / "report.json").read_text())
    assert report["cache"]["hits"] >= cached >= 10


@pytest.mark.slow
def test_the_cache_can_live_at_an_fsspec_url(tmp_path: Path) -> None:
    url = "memory://publisher-test-cache"
    manuscript = tmp_path / "note.md"
    manuscript.write_text("# A Note\n\nThe bell rang twice.\n\n# Another\n\nNobody came.\n")
    config = BuildConfig(
        manuscript,
        tmp_path / "out",
        {"narration.engine": "espeak", "narration.cache": str(url)},
        modified=MODIFIED,
    )
    first = publish(config)
    before = digests(first.folder)
    again = publish(config)
    assert first.narration is not None and again.narration is not None
    assert again.narration.cache_misses == 0 and "assemble" not in again.timings
    assert digests(again.folder) == before  # chapters, M4B and all, from the URL
    usage = SentenceCache(url).usage()
    assert usage["sentences"].entries == first.narration.cache_misses
    assert usage["chapters"].entries == 2 and usage["books"].entries == 1
    SentenceCache(url).clear()
    assert SentenceCache(url).usage()["sentences"].entries == 0
