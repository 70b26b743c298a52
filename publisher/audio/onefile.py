"""The book as one file: an M4B (AAC in MP4) with chapter marks, a one-file MP3 with ID3
chapters, and Podcasting 2.0 JSON chapters, all from the same chapter Timelines.

Each chapter is encoded to AAC once, when it is narrated, from the same samples as its MP3
(never transcoded from it), and kept in the cache; the M4B joins the chapters' AAC frames
without encoding again, so a book with one chapter changed re-encodes that chapter only.
The one-file MP3 is encoded from lossless FLAC of the chapters.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutagen.mp4 import MP4, MP4Cover

from publisher.audio.encode import mark_lame_header, mp3_output, pcm_input
from publisher.audio.ffmpeg import last_line, run_ffmpeg
from publisher.audio.tags import ChapterTags, Mark, write_id3
from publisher.errors import OutputError
from publisher.model import Image

PODCAST_CHAPTERS_VERSION = "1.2.0"
# Samples in an AAC-LC frame. ffmpeg's encoder also puts one frame of priming before the
# audio and pads the end to a whole frame.
AAC_FRAME = 1024


@dataclass(frozen=True)
class BookMark:
    title: str
    start_ms: int
    end_ms: int


def book_marks(titles: Sequence[str], durations_ms: Sequence[int]) -> list[BookMark]:
    """Chapters back to back on one timeline."""
    marks, start = [], 0
    for title, duration in zip(titles, durations_ms, strict=True):
        marks.append(BookMark(title, start, start + duration))
        start += duration
    return marks


def split_parts(marks: Sequence[BookMark], hours: float | None) -> list[list[int]]:
    """Chapter indices per part, each part as long as ``hours`` allows (never splitting a
    chapter, so a chapter longer than that is a part of its own)."""
    if hours is None:
        return [list(range(len(marks)))]
    limit = hours * 3_600_000
    parts: list[list[int]] = [[]]
    part_start = 0
    for index, mark in enumerate(marks):
        if parts[-1] and mark.end_ms - part_start > limit:
            parts.append([])
            part_start = mark.start_ms
        parts[-1].append(index)
    return parts


def podcast_chapters(marks: Sequence[BookMark]) -> dict[str, Any]:
    """JSON chapters as Podcasting 2.0 defines them (version 1.2.0)."""
    return {
        "version": PODCAST_CHAPTERS_VERSION,
        "chapters": [{"startTime": m.start_ms / 1000, "title": m.title} for m in marks],
    }


@dataclass(frozen=True)
class ChapterFiles:
    """Where one chapter's encodes go: its MP3, lossless FLAC for the one-file MP3, and
    AAC frames for the M4B (each None when the build does not make that book)."""

    mp3: Path
    flac: Path | None
    aac: Path | None


def encode_chapter(
    pcm: bytes, sample_rate: int, files: ChapterFiles, bitrate_kbps: int, out_rate: int
) -> None:
    """A chapter's MP3, FLAC and AAC from one ffmpeg run: the samples are piped once and
    the encoders run side by side on ffmpeg's threads, for about a tenth less CPU than a
    run each (the files are byte for byte the same)."""
    arguments = [*pcm_input(sample_rate), *mp3_output(sample_rate, bitrate_kbps, out_rate)]
    arguments.append(str(files.mp3))
    if files.flac is not None:
        arguments += ["-map", "0:a", "-c:a", "flac", "-f", "flac", str(files.flac)]
    if files.aac is not None:
        arguments += [*_aac_output(len(pcm) // 2, sample_rate, out_rate, files.aac.name)]
        arguments.append(str(files.aac))
    ok, _, report = run_ffmpeg(arguments, pcm)
    if not ok:
        raise OutputError(f"could not encode {files.mp3.stem}: {last_line(report)}")
    mark_lame_header(files.mp3)
    if files.aac is not None:
        _check_aac_frames(files.aac, len(pcm) // 2, sample_rate, out_rate)


@dataclass(frozen=True)
class BookTags:
    title: str
    author: str | None
    year: str | None
    encoder: str
    cover: Image | None


def _aac_output(samples: int, sample_rate: int, out_rate: int, name: str) -> list[str]:
    """ffmpeg arguments for a chapter as AAC-LC frames (ADTS) at ``out_rate`` that decode
    to exactly as many samples as the chapter has, so that chapters joined frame after
    frame keep every chapter mark on its sample.

    The chapter must be whole frames long (``assemble`` pads its closing silence to that).
    It gives the first frame of its opening silence to the encoder's priming frame, which
    decodes to silence too, and the encoder's padding then ends it on a frame boundary.
    """
    drop, spare = divmod(AAC_FRAME * sample_rate, out_rate)
    if spare or samples % drop or samples <= drop:
        raise OutputError(
            f"cannot encode {name} as whole AAC frames: {samples} samples at "
            f"{sample_rate} Hz for {out_rate} Hz"
        )
    return [
        *("-map", "0:a", "-af", f"atrim=start_sample={drop},asetpts=PTS-STARTPTS"),
        *("-ar", str(out_rate), "-c:a", "aac", "-aac_coder", "fast"),
        *("-b:a", aac_bitrate(out_rate), "-f", "adts"),
    ]


def _check_aac_frames(path: Path, samples: int, sample_rate: int, out_rate: int) -> None:
    expected = samples * out_rate // sample_rate // AAC_FRAME
    found = adts_frames(path.read_bytes())
    if found != expected:
        raise OutputError(f"the AAC encoder made {found} frames of {path.name}, not {expected}")


def aac_bitrate(sample_rate: int) -> str:
    return "64k" if sample_rate < 32000 else "96k"


def adts_frames(data: bytes) -> int:
    """How many frames an ADTS stream holds (one raw data block each, as ffmpeg writes)."""
    count = position = 0
    while position + 7 <= len(data):
        header = data[position : position + 7]
        if header[0] != 0xFF or header[1] & 0xF0 != 0xF0:
            raise OutputError("an AAC segment is damaged (no ADTS frame header)")
        length = (header[3] & 0x03) << 11 | header[4] << 3 | header[5] >> 5
        if length < 7:
            raise OutputError("an AAC segment is damaged (a frame of no length)")
        count += 1
        position += length
    if position != len(data):
        raise OutputError("an AAC segment is damaged (it ends inside a frame)")
    return count


def write_m4b(
    segments: Sequence[Path],
    marks: Sequence[BookMark],
    path: Path,
    title: str,
) -> None:
    """The chapters' AAC segments, joined without re-encoding, in an MP4 audiobook
    container with a QuickTime chapter track (and Nero chapters); ``tag_m4b`` then names
    it."""
    with tempfile.TemporaryDirectory() as scratch:
        joined = Path(scratch) / "book.aac"
        with joined.open("wb") as stream:
            for segment in segments:
                with segment.open("rb") as source:
                    shutil.copyfileobj(source, stream)
        metadata = Path(scratch) / "chapters.txt"
        metadata.write_text(_ffmetadata(title, marks), encoding="utf-8")
        _ffmpeg(
            [
                *("-f", "aac", "-i", str(joined), "-i", str(metadata)),
                *("-map", "0:a", "-map_metadata", "1", "-map_chapters", "1", "-c:a", "copy"),
                *("-movflags", "+faststart", "-f", "ipod"),
            ],
            path,
        )


def write_single_mp3(
    sources: Sequence[Path],
    marks: Sequence[BookMark],
    path: Path,
    sample_rate: int,
    bitrate_kbps: int,
    tags: ChapterTags,
) -> None:
    """One constant-bitrate MP3 for the whole book, with a CHAP frame per chapter."""
    with tempfile.TemporaryDirectory() as scratch:
        listing = _concat_list(sources, Path(scratch))
        _ffmpeg(
            [
                *("-f", "concat", "-safe", "0", "-i", str(listing), "-ac", "1"),
                *("-ar", str(sample_rate), "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k"),
                *("-id3v2_version", "0", "-map_metadata", "-1", "-f", "mp3"),
            ],
            path,
        )
    mark_lame_header(path)
    chapters: list[Mark] = [
        (f"ch{index:03d}", m.start_ms, m.end_ms, m.title) for index, m in enumerate(marks, 1)
    ]
    write_id3(path, tags, chapters)


def tag_m4b(path: Path, tags: BookTags) -> None:
    """Audiobook tags and the cover, as Apple Books and Android players read them."""
    mp4 = MP4(str(path))
    assert mp4.tags is not None
    mp4.tags["\xa9nam"] = [tags.title]
    mp4.tags["\xa9alb"] = [tags.title]
    if tags.author:
        mp4.tags["\xa9ART"] = [tags.author]
        mp4.tags["aART"] = [tags.author]
    if tags.year:
        mp4.tags["\xa9day"] = [tags.year]
    mp4.tags["\xa9gen"] = ["Audiobook"]
    mp4.tags["\xa9too"] = [tags.encoder]
    mp4.tags["stik"] = [2]  # media kind: audiobook
    if tags.cover is not None:
        kind = MP4Cover.FORMAT_PNG if tags.cover.extension == "png" else MP4Cover.FORMAT_JPEG
        mp4.tags["covr"] = [MP4Cover(tags.cover.data, imageformat=kind)]
    mp4.save()


def _concat_list(sources: Sequence[Path], folder: Path) -> Path:
    listing = folder / "sources.txt"
    lines = ["file '" + str(s.resolve()).replace("'", "'\\''") + "'" for s in sources]
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return listing


def _ffmetadata(title: str, marks: Sequence[BookMark]) -> str:
    lines = [";FFMETADATA1", f"title={_escape(title)}"]
    for mark in marks:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={mark.start_ms}",
            f"END={mark.end_ms}",
            f"title={_escape(mark.title)}",
        ]
    return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    for special in ("\\", "=", ";", "#", "\n"):
        value = value.replace(special, "\\" + special)
    return value


def _ffmpeg(arguments: list[str], output: Path, data: bytes | None = None) -> None:
    ok, _, report = run_ffmpeg(["-loglevel", "error", "-y", *arguments, str(output)], data)
    if not ok:
        raise OutputError(f"could not write {output.name}: {last_line(report)}")
