"""A build's one-file audiobook: chapters.json always, the M4B (in parts if asked) joined
from the chapters' AAC, and the single MP3 when asked, encoded from their FLAC; each kept
in the cache under its content."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from publisher.audio.onefile import (
    BookMark,
    BookTags,
    book_marks,
    podcast_chapters,
    split_parts,
    tag_m4b,
    write_m4b,
    write_single_mp3,
)
from publisher.audio.tags import ChapterTags
from publisher.cache import SentenceCache, content_key
from publisher.config import BuildConfig
from publisher.errors import OutputError
from publisher.model import Book
from publisher.narration import AudioSettings, ChapterFile
from publisher.output import Staging
from publisher.version import __version__


def one_file(
    staging: Staging,
    book: Book,
    slug: str,
    files: Sequence[ChapterFile],
    settings: AudioSettings,
    config: BuildConfig,
    cache: SentenceCache | None,
) -> list[str]:
    """Write the one-file outputs into ``staging``; return their names."""
    marks = book_marks(
        [f.section.display_title for f in files], [f.timeline.duration_ms for f in files]
    )
    staging.write_json("chapters.json", podcast_chapters(marks))
    written = ["chapters.json"]
    rate = settings.profile.sample_rate
    meta = book.metadata
    if config.m4b:
        parts = split_parts(marks, config.split_hours)
        for number, indices in enumerate(parts, 1):
            name = f"{slug}.m4b" if len(parts) == 1 else f"{slug}-part{number}.m4b"
            title = meta.title if len(parts) == 1 else f"{meta.title}, part {number}"
            part = _rebased([marks[i] for i in indices])
            segments = [_segment(files[i]) for i in indices]
            key = content_key("m4b", [_digest(s) for s in segments], title, _plain(part))
            path = staging.path(name)
            _cached(cache, key, ".m4b", path, partial(write_m4b, segments, part, title=title))
            tag_m4b(path, BookTags(title, meta.author, settings.year, _encoder(), book.cover))
            written.append(name)
    if config.single_mp3:
        name = f"{slug}.mp3"
        tags = ChapterTags(
            meta.title,
            meta.title,
            meta.author,
            1,
            1,
            meta.language,
            settings.year,
            _encoder(),
            book.cover,
        )
        bitrate = settings.bitrate_kbps
        flacs = [_lossless(f) for f in files]
        audio = [_digest(flac) for flac in flacs]
        key = content_key("single mp3", audio, _plain(marks), rate, bitrate, tags.title)
        _cached(
            cache,
            key,
            ".mp3",
            staging.path(name),
            lambda p: write_single_mp3(flacs, marks, p, rate, bitrate, tags),
        )
        written.append(name)
    return written


def _segment(file: ChapterFile) -> Path:
    return _made(file.aac, f"{file.href} has no AAC for the M4B")


def _lossless(file: ChapterFile) -> Path:
    return _made(file.flac, f"{file.href} has no FLAC for the one-file MP3")


def _made(path: Path | None, missing: str) -> Path:
    # Narration encodes each chapter's AAC and FLAC whenever the build has their book.
    if path is None:
        raise OutputError(missing)
    return path


def _cached(
    cache: SentenceCache | None, key: str, suffix: str, path: Path, make: Callable[[Path], None]
) -> None:
    found = cache.get_file(key, suffix) if cache else None
    if found is not None:
        shutil.copyfile(found, path)
        return
    make(path)
    if cache is not None:
        cache.put_file(key, suffix, path)


def _plain(marks: Sequence[BookMark]) -> list[tuple[str, int, int]]:
    return [(m.title, m.start_ms, m.end_ms) for m in marks]


def _rebased(marks: list[BookMark]) -> list[BookMark]:
    offset = marks[0].start_ms if marks else 0
    return [replace(m, start_ms=m.start_ms - offset, end_ms=m.end_ms - offset) for m in marks]


def _digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _encoder() -> str:
    return f"publisher {__version__}"
