"""The one-file audiobook and loudness profiles (issue 8), on real builds.

Narration is eSpeak NG here (fast, offline, real); Piper's default build is measured in
test_narration. Every figure is read back from the files as a player would get them.
"""

from __future__ import annotations

import json
from dataclasses import astuple
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode
from mutagen.mp4 import MP4

from publisher import BuildConfig, BuildReport, publish
from publisher.audio.encode import encode_mp3
from publisher.audio.ffmpeg import decode_file
from publisher.audio.loudness import (
    PROFILES,
    Loudness,
    _least_within,
    _TruePeaks,
    measure,
    measure_file,
    normalise,
)
from publisher.audio.onefile import BookMark, split_parts
from publisher.check import check_book
from publisher.cli import main

from .conftest import DATA

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


def _build(folder: Path, **options: Any) -> BuildReport:
    manuscript = folder / "rooms.md"
    manuscript.write_text(BOOK, encoding="utf-8")
    return publish(BuildConfig(manuscript, folder / "out", engine="espeak", **options))


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    return _build(
        tmp_path_factory.mktemp("speech"), single_mp3=True, cover=DATA / "cover-32x48.png"
    )


def _chapter_levels(report: BuildReport) -> list[tuple[MP3, Loudness]]:
    levels = []
    for chapter in report.chapters:
        path = report.folder / chapter.href
        info = MP3(path)
        levels.append(
            (info, measure(decode_file(path, info.info.sample_rate), info.info.sample_rate))
        )
    return levels


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
    assert report["m4b"] == ["three-small-rooms.m4b"] and report["chapters_json"] == "chapters.json"


def test_the_speech_profile_gives_every_chapter_the_same_loudness(speech: BuildReport) -> None:
    profile = PROFILES["speech"]
    for info, level in _chapter_levels(speech):
        assert info.info.sample_rate == 22050 and round(info.info.bitrate / 1000) == 64
        assert abs(level.integrated_lufs - (-19.0)) <= 1.0, level
        assert level.true_peak_db <= profile.peak_db, level


def test_the_podcast_profile_is_louder_and_at_44_1_khz(tmp_path: Path) -> None:
    report = _build(tmp_path, audio_profile="podcast", m4b=False)
    for info, level in _chapter_levels(report):
        assert info.info.sample_rate == 44100
        assert abs(level.integrated_lufs - (-16.0)) <= 1.0, level
        assert level.true_peak_db <= -1.0, level
    assert not list(report.folder.glob("*.m4b"))


def test_an_acx_build_passes_every_acx_figure(tmp_path: Path) -> None:
    report = _build(tmp_path, audio_profile="acx")
    for info, level in _chapter_levels(report):
        assert info.info.sample_rate == 44100
        assert round(info.info.bitrate / 1000) == 192 and info.info.bitrate_mode == BitrateMode.CBR
        assert -23.0 <= level.rms_db <= -18.0, level
        assert level.sample_peak_db <= -3.0, level
        assert level.noise_floor_db <= -60.0, level
        assert 0.5 <= level.head_s <= 1.0 and 1.0 <= level.tail_s <= 5.0, level


def test_acx_refuses_a_bitrate_it_does_not_accept(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="ACX requires 192 kbps"):
        _build(tmp_path, audio_profile="acx", bitrate=64)


def test_a_long_book_splits_into_m4b_parts_between_chapters(tmp_path: Path) -> None:
    report = _build(tmp_path, split_hours=0.002)  # 7.2 s parts: one chapter each here
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


def test_parts_never_split_a_chapter() -> None:
    marks = [BookMark(str(n), n * 1000, (n + 1) * 1000) for n in range(5)]
    assert split_parts(marks, None) == [[0, 1, 2, 3, 4]]
    assert split_parts(marks, 2.5 / 3600) == [[0, 1], [2, 3], [4]]
    assert split_parts(marks, 0.1 / 3600) == [[0], [1], [2], [3], [4]]


def test_check_passes_a_good_acx_book_and_fails_a_tampered_one(tmp_path: Path) -> None:
    report = _build(tmp_path, audio_profile="acx", single_mp3=True)
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


def test_audio_too_quiet_to_measure_is_not_blown_up_to_the_target() -> None:
    hiss = bytes(b if i % 2 == 0 else 0 for i, b in enumerate(bytes(range(4)) * 33_075))
    assert normalise(hiss, 22050, PROFILES["speech"]) == hiss


@pytest.mark.parametrize("samples", [1, 21, 22, 23, 500, 9000])
def test_audio_of_any_length_keeps_its_length_through_the_limiter(samples: int) -> None:
    pcm = (np.sin(np.arange(samples) / 3) * 20000).astype("<i2").tobytes()
    out = normalise(pcm, 22050, PROFILES["speech"])
    assert len(out) == len(pcm)
    assert np.abs(np.frombuffer(out, "<i2")).max() <= 32767 * 10 ** (-1 / 20) + 1


def test_the_limiter_holds_peaks_between_samples_under_the_ceiling() -> None:
    # A low hum with 2 ms bursts of a tone at a quarter of the sample rate, sampled 45
    # degrees off its crests: the bursts' samples are 3 dB under the wave's true peak.
    rate, profile = 22050, PROFILES["speech"]
    signal = 3000 * np.sin(2 * np.pi * 200 * np.arange(rate * 4) / rate)
    burst = np.arange(44)
    for start in range(rate // 2, rate * 4, rate):
        signal[start : start + burst.size] = 30000 * np.sin(np.pi * burst / 2 + np.pi / 4)
    out = normalise(signal.astype("<i2").tobytes(), rate, profile)
    level = measure(out, rate)  # ffmpeg's meter
    assert level.true_peak_db <= profile.peak_db, level
    assert level.sample_peak_db <= profile.ceiling_db - 2.5, level  # 3 dB under, as the tone


@given(st.integers(1, 3000), st.floats(0.1, 8.0), st.integers(0, 2**32 - 1))
def test_the_limiter_works_out_every_true_peak_the_gain_could_take_over_the_ceiling(
    samples: int, gain: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    pcm = (rng.normal(0, 4000, samples) * rng.uniform(0, 2, samples)).clip(-32768, 32767)
    ceiling = 10 ** (-2 / 20)
    lazy = _TruePeaks(pcm.astype("<i2"), 22050).at_gain(gain, ceiling)
    every = _TruePeaks(pcm.astype("<i2"), 22050).at_gain(np.inf, ceiling)
    assert (lazy >= every).all()
    needed = np.minimum(1, ceiling / np.maximum(lazy * gain, 1e-12))
    assert np.array_equal(needed, np.minimum(1, ceiling / np.maximum(every * gain, 1e-12)))


@given(
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=300),
    st.integers(0, 50),
)
def test_the_limiters_running_minimum_sees_exactly_its_reach(
    values: list[float], reach: int
) -> None:
    array = np.asarray(values)
    expected = [min(values[max(0, i - reach) : i + reach + 1]) for i in range(len(values))]
    assert _least_within(array, reach).tolist() == expected
