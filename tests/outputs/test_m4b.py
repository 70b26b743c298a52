"""The one-file audiobooks: the M4B (and its parts), the single MP3 and chapters.json."""

from __future__ import annotations

import json
from dataclasses import astuple
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

from publisher import BuildReport
from publisher.audio.ffmpeg import decode_file
from publisher.audio.loudness import (
    PROFILES,
    measure,
    measure_file,
)
from publisher.check import check_book

from ..books import three_rooms
from ..conftest import DATA
from ..sound import chapter_levels

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    return three_rooms(
        tmp_path_factory.mktemp("speech"),
        {"outputs.single_mp3": True, "input.cover": DATA / "cover-32x48.png"},
    )


def test_the_m4b_chapter_marks_fall_on_the_timeline(speech: BuildReport) -> None:
    m4b = MP4(speech.folder / "three-small-rooms.m4b")
    assert m4b.chapters is not None
    marks = [(c.start, c.title) for c in m4b.chapters]
    starts, elapsed = [], 0
    for chapter in speech.chapters:
        starts.append(elapsed / 1000)
        elapsed += chapter.timeline.duration_ms
    assert [t for _, t in marks] == [c.section.display_title for c in speech.chapters]
    assert all(abs(m - s) <= 0.001 for (m, _), s in zip(marks, starts, strict=True))
    assert abs(m4b.info.length - elapsed / 1000) < 0.01
    assert m4b.tags is not None
    assert m4b.tags["\xa9nam"] == ["Three Small Rooms"] and m4b.tags["\xa9ART"] == ["Ada Lane"]
    assert m4b.tags["stik"] == [2] and len(m4b.tags["covr"]) == 1


def test_the_m4b_joins_the_chapters_sample_for_sample(speech: BuildReport) -> None:
    """The M4B is the chapters' AAC frames joined as they are: each chapter's sound sits
    in it exactly where that chapter's MP3 has it, and the join adds no samples."""
    rate = 22050
    book = np.frombuffer(decode_file(speech.folder / "three-small-rooms.m4b", rate), "<i2")
    start = 0
    for chapter in speech.chapters:
        alone = np.frombuffer(decode_file(speech.folder / chapter.href, rate), "<i2")
        voice = chapter.timeline.items[0].start_ms * rate // 1000
        window = alone[voice : voice + rate].astype(float)
        search = book[start + voice - 512 : start + voice + rate + 512].astype(float)
        lags = np.correlate(search, window, mode="valid")
        assert int(np.argmax(lags)) - 512 == 0, chapter.href  # not a sample early or late
        # The frame of priming that opens each chapter is silent.
        assert np.abs(book[start : start + 1024]).max() < 100, chapter.href
        start += alone.size
    assert book.size == start


def test_chapters_json_and_the_single_mp3_agree_with_the_m4b(speech: BuildReport) -> None:
    m4b = MP4(speech.folder / "three-small-rooms.m4b")
    assert m4b.chapters is not None
    chapters = json.loads((speech.folder / "chapters.json").read_text())
    assert chapters["version"] == "1.2.0"
    listed = [(c["startTime"], c["title"]) for c in chapters["chapters"]]
    assert [t for _, t in listed] == [c.title for c in m4b.chapters]
    assert all(abs(s - c.start) <= 0.05 for (s, _), c in zip(listed, m4b.chapters, strict=True))
    single = speech.folder / "three-small-rooms.mp3"
    frames = sorted(ID3(single).getall("CHAP"), key=lambda f: f.start_time)
    assert [f.sub_frames["TIT2"].text[0] for f in frames] == [t for _, t in listed]
    assert [f.start_time / 1000 for f in frames] == [s for s, _ in listed]
    total = sum(c.timeline.duration_ms for c in speech.chapters) / 1000
    assert abs(MP3(single).info.length - total) < 0.01
    report = json.loads((speech.folder / "report.json").read_text())
    assert report["outputs"]["m4b"] == ["three-small-rooms.m4b"]
    assert report["outputs"]["chapters_json"] == ["chapters.json"]


def test_the_speech_profile_gives_every_chapter_the_same_loudness(speech: BuildReport) -> None:
    profile = PROFILES["speech"]
    for info, level in chapter_levels(speech):
        assert info.info.sample_rate == 22050 and round(info.info.bitrate / 1000) == 64
        assert abs(level.integrated_lufs - (-19.0)) <= 1.0, level
        assert level.true_peak_db <= profile.peak_db, level


def test_a_long_book_splits_into_m4b_parts_between_chapters(tmp_path: Path) -> None:
    report = three_rooms(tmp_path, {"m4b.split_hours": 0.002})  # 7.2 s parts: one chapter each here
    parts = sorted(report.folder.glob("*.m4b"))
    assert [p.name for p in parts] == [f"three-small-rooms-part{n}.m4b" for n in (1, 2, 3)]
    for part, chapter in zip(parts, report.chapters, strict=True):
        m4b = MP4(part)
        assert m4b.chapters is not None
        assert [c.title for c in m4b.chapters] == [chapter.section.display_title]
    findings = [f for f in check_book(report.folder) if f.subject.endswith(".m4b")]
    assert {f.subject for f in findings} == {p.name for p in parts}
    assert {"chapter marks", "chapter titles", "length"} <= {f.check for f in findings}
    assert all(f.ok for f in findings), [f for f in findings if not f.ok]
    parts[1].unlink()  # a part gone missing is reported, not a traceback
    failed = {(f.subject, f.check) for f in check_book(report.folder) if f.ok is False}
    assert {(parts[1].name, "exists"), ("M4B", "chapters")} <= failed


def test_a_file_measures_the_same_streamed_as_decoded_whole(speech: BuildReport) -> None:
    path = speech.folder / "three-small-rooms.m4b"
    whole = measure(decode_file(path, 22050), 22050)
    streamed = measure_file(path, 22050)
    assert astuple(streamed) == pytest.approx(astuple(whole), abs=0.05)
