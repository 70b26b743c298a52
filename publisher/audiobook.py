"""What the one-file audiobooks share: the book's chapter marks, content digests, and
files kept in the cache under their content."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from publisher.audio.onefile import BookMark, book_marks
from publisher.cache import SentenceCache
from publisher.errors import OutputError
from publisher.narration import ChapterFile
from publisher.version import __version__


def marks(files: Sequence[ChapterFile]) -> list[BookMark]:
    return book_marks(
        [f.section.display_title for f in files], [f.timeline.duration_ms for f in files]
    )


def made(path: Path | None, missing: str) -> Path:
    # Narration encodes each chapter's AAC and FLAC whenever the build has their book.
    if path is None:
        raise OutputError(missing)
    return path


def cached_file(
    cache: SentenceCache | None, key: str, suffix: str, path: Path, make: Callable[[Path], None]
) -> None:
    """``path`` from the cache under ``key``, else made and then kept there."""
    found = cache.get_file(key, suffix) if cache else None
    if found is not None:
        shutil.copyfile(found, path)
        return
    make(path)
    if cache is not None:
        cache.put_file(key, suffix, path)


def plain(marks: Sequence[BookMark]) -> list[tuple[str, int, int]]:
    return [(m.title, m.start_ms, m.end_ms) for m in marks]


def rebased(marks: list[BookMark]) -> list[BookMark]:
    offset = marks[0].start_ms if marks else 0
    return [replace(m, start_ms=m.start_ms - offset, end_ms=m.end_ms - offset) for m in marks]


def digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def encoder() -> str:
    return f"publisher {__version__}"
