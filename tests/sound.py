"""Measuring produced audio: decode with the real ffmpeg, then look at the samples."""

from __future__ import annotations

from array import array
from math import log10, sqrt
from pathlib import Path

from mutagen.mp3 import MP3

from publisher import BuildReport
from publisher.audio.ffmpeg import SAMPLE_RATE, decode_file
from publisher.audio.loudness import Loudness, measure

WINDOW_MS = 5


def samples(path: Path) -> array[int]:
    return array("h", decode_file(path))


def silent_runs(pcm: array[int], threshold_dbfs: float = -50.0) -> list[tuple[int, int]]:
    """(start_ms, length_ms) of every run of 5 ms windows quieter than the threshold."""
    window = SAMPLE_RATE * WINDOW_MS // 1000
    limit = 32768 * 10 ** (threshold_dbfs / 20)
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index in range(0, len(pcm) - window + 1, window):
        chunk = pcm[index : index + window]
        quiet = sqrt(sum(s * s for s in chunk) / window) < limit
        ms = index * 1000 // SAMPLE_RATE
        if quiet and start is None:
            start = ms
        elif not quiet and start is not None:
            runs.append((start, ms - start))
            start = None
    if start is not None:
        runs.append((start, len(pcm) * 1000 // SAMPLE_RATE - start))
    return runs


def level_dbfs(pcm: array[int], start_ms: int, end_ms: int) -> float:
    chunk = pcm[start_ms * SAMPLE_RATE // 1000 : end_ms * SAMPLE_RATE // 1000]
    if not chunk:
        return -120.0
    rms = sqrt(sum(s * s for s in chunk) / len(chunk))
    return 20 * log10(max(rms, 1e-9) / 32768)


def chapter_levels(report: BuildReport) -> list[tuple[MP3, Loudness]]:
    """Each chapter MP3 of a build with its loudness, measured from the decoded file."""
    levels = []
    for chapter in report.chapters:
        path = report.folder / chapter.href
        info = MP3(path)
        levels.append(
            (info, measure(decode_file(path, info.info.sample_rate), info.info.sample_rate))
        )
    return levels
