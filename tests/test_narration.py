"""Narration of whole books: engines chosen, timelines, tags, covers, the default Piper build."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from publisher import BuildConfig, BuildReport, publish
from publisher.audio.ffmpeg import SAMPLE_RATE, decode_file
from publisher.audio.loudness import measure
from publisher.model import Pauses

from .conftest import DATA, assert_one_line_error, run
from .daisy_validator import validate_daisy
from .sound import level_dbfs, samples, silent_runs

FRAME_MS = 1152 * 1000 / SAMPLE_RATE / 2  # MPEG-2 Layer III: 576 samples a frame

PAUSES = Pauses(sentence=300, paragraph=1000, scene=2500, heading=1700, head=750, tail=1500)

PAUSE_SETTINGS = {
    f"narration.{k}_pause": getattr(PAUSES, k)
    for k in ("sentence", "paragraph", "scene", "heading")
}

SMALL_BOOK = """---
title: The Bell Tower
author: Orla Quinn
date: 2024
---

## The Bell

The bell rang at noon. Nobody knew who rang it.

The keeper climbed the stairs. He found only a cat.

* * *

The next day it rang again.

## The Cat

The cat was asleep on the rope.
"""


@pytest.fixture(scope="module")
def piper_book(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    folder = tmp_path_factory.mktemp("piper")
    manuscript = folder / "bell-tower.md"
    manuscript.write_text(SMALL_BOOK, encoding="utf-8")
    return publish(BuildConfig(manuscript, folder / "out", PAUSE_SETTINGS))


_DAMAGED_ESPEAK = """
import shutil, sys
from pathlib import Path
import piper.phonemize_espeak
from publisher.errors import EngineError
from publisher.speech.engines.piper import VOICE_ID, PiperEngine

data = Path(sys.argv[1])
shutil.copytree(piper.phonemize_espeak.ESPEAK_DATA_DIR, data)
piper.phonemize_espeak.ESPEAK_DATA_DIR = data
engine = PiperEngine()
print("spoken", engine.synthesize("The ferry left at nine.", VOICE_ID).samples)
(data / "en_dict").unlink()  # gone after the voice loaded: the package removed mid-build
try:
    engine.synthesize("The ferry left at ten.", VOICE_ID)
except EngineError as exc:
    print("stopped:", exc)
print("problem:", engine.problem())
"""


@pytest.mark.slow
def test_a_missing_voice_names_the_voices_there_are(tmp_path: Path) -> None:
    manuscript = tmp_path / "note.md"
    manuscript.write_text("# A Note\n\nThe bell rang twice.\n", encoding="utf-8")
    command = [sys.executable, "-m", "publisher", "build", str(manuscript), "-o", str(tmp_path)]
    for engine, named in (("piper", "en_US-joe-medium"), ("espeak", "en-gb")):
        result = subprocess.run(
            [*command, "--engine", engine, "--voice", "nope"], capture_output=True, text=True
        )
        assert result.returncode == 1 and result.stderr.count("\n") == 1
        assert (
            result.stderr.startswith(f"error: {engine} has no voice 'nope'")
            and named in result.stderr
        )


@pytest.mark.slow
def test_chapter_names_never_make_dangerous_or_overlong_file_names(tmp_path: Path) -> None:
    long_name = "A Very Long Chapter Name " * 20
    manuscript = tmp_path / "names.md"
    manuscript.write_text(
        f"# Names\n\n## ../../etc/passwd\n\nOne.\n\n## {long_name}\n\nTwo.\n\n## CON\n\nThree.\n",
        encoding="utf-8",
    )
    report = publish(
        BuildConfig(
            manuscript,
            tmp_path / "out",
            {"narration.engine": "espeak", "outputs.m4b": False, "outputs.daisy": False},
        )
    )
    names = [Path(c.href).name for c in report.chapters]
    assert all(len(n) <= 48 and n.endswith(".mp3") and "/" not in n for n in names), names
    assert all((report.folder / "audio" / n).is_file() for n in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["names.md", "out"]


@pytest.mark.slow
def test_piper_is_the_default_engine_and_writes_every_output(piper_book: BuildReport) -> None:
    folder = piper_book.folder
    report = json.loads((folder / "report.json").read_text())
    assert (report["engine"], report["voice"]) == ("piper", "en_US-joe-medium")
    assert sorted(p.name for p in folder.iterdir()) == [
        "audio",
        "chapters.json",
        "daisy",
        "manifest.json",
        "report.json",
        "the-bell-tower-daisy.zip",
        "the-bell-tower.epub",
        "the-bell-tower.m3u8",
        "the-bell-tower.m4b",
        "web",
    ]
    assert [c["audio"] for c in report["chapters"]] == [
        "audio/01-the-bell.mp3",
        "audio/02-the-cat.mp3",
    ]
    assert set(report["timings"]) >= {
        "read_s",
        "structure_s",
        "narrate_s",
        "assemble_s",
        "encode_s",
        "loudness_s",
        "m4b_s",
        "daisy_s",
        "epub_s",
        "total_s",
    }


@pytest.mark.slow
def test_every_mp3_decodes_to_exactly_its_timeline_length(piper_book: BuildReport) -> None:
    for chapter in piper_book.chapters:
        path = piper_book.folder / chapter.href
        decoded_ms = len(samples(path)) * 1000 / SAMPLE_RATE
        assert abs(decoded_ms - chapter.timeline.duration_ms) <= FRAME_MS
        info = MP3(path).info
        assert abs(info.length * 1000 - chapter.timeline.duration_ms) <= FRAME_MS
        assert (info.sample_rate, info.channels, info.bitrate_mode) == (
            SAMPLE_RATE,
            1,
            BitrateMode.CBR,
        )
        assert round(info.bitrate / 1000) == 64


@pytest.mark.slow
def test_timeline_sentences_are_speech_and_pauses_are_the_configured_silences(
    piper_book: BuildReport,
) -> None:
    chapter = piper_book.chapters[0]
    pcm = samples(piper_book.folder / chapter.href)
    items = chapter.timeline.items
    assert [i.kind for i in items] == ["heading"] + ["sentence"] * 5
    for item in items:
        assert level_dbfs(pcm, item.start_ms, item.end_ms) > -35, item
    runs = silent_runs(pcm)
    expected = [
        PAUSES.head,
        PAUSES.heading,
        PAUSES.sentence,
        PAUSES.paragraph,
        PAUSES.sentence,
        PAUSES.scene,
        PAUSES.tail,
    ]
    gaps = [(0, items[0].start_ms)]
    gaps += [(a.end_ms, b.start_ms) for a, b in itertools.pairwise(items)]
    gaps += [(items[-1].end_ms, chapter.timeline.duration_ms)]
    measured = [round(end - start, -1) for start, end in gaps]
    assert measured[:-1] == [float(p) for p in expected[:-1]]
    # The closing silence runs on to a whole AAC frame: up to 1024 samples (46 ms) more.
    assert PAUSES.tail <= gaps[-1][1] - gaps[-1][0] < PAUSES.tail + 47
    assert len(pcm) % 1024 == 0
    for (start, end), pause in zip(gaps, expected, strict=True):
        # The silence measured in the decoded audio covers the gap: the configured pause,
        # plus at most the engine's own quiet edges that trimming keeps (20 ms a side).
        run = max(
            (r for r in runs if r[0] <= start + 40 and r[0] + r[1] >= end - 40),
            key=lambda r: r[1],
            default=None,
        )
        assert run is not None, (start, end, runs)
        assert pause - 10 <= run[1] <= pause + 90, (pause, run)


@pytest.mark.slow
def test_tags_and_chapter_marks_read_back_with_mutagen(piper_book: BuildReport) -> None:
    chapter = piper_book.chapters[0]
    tags = ID3(piper_book.folder / chapter.href)
    assert tags.version[:2] == (2, 3)
    text = {
        key: str(tags[key])
        for key in ("TIT2", "TALB", "TPE1", "TPE2", "TRCK", "TCON", "TLAN", "TDRC")
    }
    assert text == {
        "TIT2": "The Bell",
        "TALB": "The Bell Tower",
        "TPE1": "Orla Quinn",
        "TPE2": "Orla Quinn",
        "TRCK": "1/2",
        "TCON": "Audiobook",
        "TLAN": "eng",
        "TDRC": "2024",
    }
    toc = tags.getall("CTOC")[0]
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert toc.child_element_ids == [c.element_id for c in chaps]
    assert [c.element_id for c in chaps] == ["c01-h", "c01-p001", "c01-p002", "c01-p003"]
    assert chaps[0].start_time == 0 and chaps[-1].end_time == chapter.timeline.duration_ms
    assert all(a.end_time == b.start_time for a, b in itertools.pairwise(chaps))
    starts = {i.paragraph_id: i.start_ms for i in reversed(chapter.timeline.items)}
    assert [c.start_time for c in chaps[1:]] == [starts[c.element_id] for c in chaps[1:]]
    assert str(chaps[1].sub_frames["TIT2"]) == "The bell rang at noon. Nobody\u2026"


@pytest.mark.slow
def test_playlist_and_manifest_agree_with_the_report(piper_book: BuildReport) -> None:
    folder = piper_book.folder
    report = json.loads((folder / "report.json").read_text())
    files = [c["audio"] for c in report["chapters"]]
    durations = [c["duration_s"] for c in report["chapters"]]
    lines = (folder / "the-bell-tower.m3u8").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#EXTM3U"
    assert [line for line in lines if not line.startswith("#")] == files
    extinf = [line for line in lines if line.startswith("#EXTINF:")]
    assert extinf == [
        f"#EXTINF:{round(d)},Orla Quinn - {c['title']}"
        for d, c in zip(durations, report["chapters"], strict=True)
    ]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (
        manifest["metadata"]["conformsTo"]
        == "https://readium.org/webpub-manifest/profiles/audiobook"
    )
    assert manifest["metadata"]["@type"] == "http://schema.org/Audiobook"
    assert [r["href"] for r in manifest["readingOrder"]] == files
    assert [r["duration"] for r in manifest["readingOrder"]] == durations
    assert manifest["metadata"]["duration"] == pytest.approx(sum(durations), abs=0.002)
    assert report["duration_s"] == pytest.approx(sum(durations), abs=0.002)
    assert all(r["type"] == "audio/mpeg" and r["bitrate"] == 64 for r in manifest["readingOrder"])
    assert [t["title"] for t in manifest["toc"]] == ["The Bell", "The Cat"]
    for href in files:
        assert (folder / href).is_file()


def test_an_explicit_engine_without_the_language_is_refused(tmp_path: Path) -> None:
    result = run("build", DATA / "french-novella.md", "-o", tmp_path, "--engine", "piper")
    assert_one_line_error(result, "piper has no voice for language fr", "--engine espeak")
    assert not tmp_path.joinpath("la-maison-du-passeur").exists()


def test_an_unknown_voice_is_a_clear_error(tmp_path: Path) -> None:
    result = run("build", DATA / "two-chapters-markdown.md", "-o", tmp_path, "--voice", "nobody")
    assert_one_line_error(result, "piper has no voice 'nobody'", "it has en_US-joe-medium")


@pytest.mark.slow
def test_a_cover_named_by_the_manuscript_reaches_epub_tags_folder_and_manifest(
    tmp_path: Path,
) -> None:
    report = publish(BuildConfig(DATA / "book-with-cover.md", tmp_path))
    cover = (DATA / "cover-32x48.png").read_bytes()
    assert (report.folder / "cover.png").read_bytes() == cover
    pictures = ID3(report.folder / report.chapters[0].href).getall("APIC")
    assert [(p.mime, p.type, p.data) for p in pictures] == [("image/png", 3, cover)]
    manifest = json.loads((report.folder / "manifest.json").read_text())
    assert {"href": "cover.png", "type": "image/png", "rel": "cover"} in manifest["resources"]
    with zipfile.ZipFile(report.epub) as archive:
        assert archive.read("EPUB/images/cover.png") == cover
        opf = archive.read("EPUB/content.opf").decode()
    assert 'properties="cover-image"' in opf


def test_a_cover_that_is_not_an_image_is_refused(tmp_path: Path) -> None:
    manuscript = tmp_path / "book.md"
    manuscript.write_text("---\ntitle: X\ncover: notes.txt\n---\n\nText.\n")
    (tmp_path / "notes.txt").write_text("not an image")
    assert_one_line_error(
        run("build", manuscript, "-o", tmp_path / "out", "--no-audio"),
        "notes.txt is neither a JPEG nor a PNG",
    )


@pytest.mark.slow
def test_the_default_piper_build_meets_the_speech_loudness_profile(
    piper_book: BuildReport,
) -> None:
    for chapter in piper_book.chapters:
        level = measure(decode_file(piper_book.folder / chapter.href), 22050)
        assert abs(level.integrated_lufs - (-19.0)) <= 1.0, level
        assert level.true_peak_db <= -1.0, level


@pytest.mark.slow
def test_the_default_piper_build_includes_a_valid_daisy_book(piper_book: BuildReport) -> None:
    assert validate_daisy(piper_book.folder / "daisy") == []


@pytest.mark.slow
def test_piper_with_its_espeak_data_damaged_stops_instead_of_caching_pauses(
    tmp_path: Path,
) -> None:
    """Without eSpeak NG's English dictionary Piper's phonemizer only prints an error and
    gives a full stop for each sentence: narration must stop, not make (and cache) pauses.
    In a process of its own: Piper keeps one eSpeak NG, and its data folder, per process."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", _DAMAGED_ESPEAK, str(tmp_path / "espeak-ng-data")],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("spoken") and int(lines[0].split()[1]) > 10000
    assert lines[1].startswith("stopped: Piper's phonemizer (eSpeak NG) made no sounds")
    assert lines[2] == "problem: piper-tts lacks eSpeak NG's en_dict; reinstall piper-tts"
