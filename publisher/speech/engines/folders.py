"""The folders where a user keeps voices they downloaded: Piper models, Kokoro packs.

``PUBLISHER_VOICES`` (a path list, like ``PATH``) comes first, then the user's data
folder (``$XDG_DATA_HOME/publisher/voices``, by default ``~/.local/share/publisher/voices``).
Every engine looks in the same folders, each for the files it can read.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ENVIRONMENT = "PUBLISHER_VOICES"
# A voice's settings file is a few kilobytes (a multi-speaker model's map of names, a
# few hundred); anything far larger is not one and is not read into memory.
MAX_SETTINGS_BYTES = 8 * 1024 * 1024


def voice_folders() -> tuple[Path, ...]:
    """The voice folders in the order they are searched (existing ones only)."""
    listed = [Path(p).expanduser() for p in os.environ.get(ENVIRONMENT, "").split(os.pathsep) if p]
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    listed.append(Path(data) / "publisher" / "voices")
    seen: list[Path] = []
    for folder in listed:
        if folder.is_dir() and folder not in seen:
            seen.append(folder)
    return tuple(seen)


def files_ending(suffix: str, folders: tuple[Path, ...]) -> Iterator[Path]:
    """Every file in the voice folders (and their subfolders, as a voice downloader
    lays them out: ``en/en_GB/alba/medium/...``) whose name ends with ``suffix``, in
    search order, each folder's files by name."""
    for folder in folders:
        found = sorted(p for p in folder.rglob(f"*{suffix}") if p.is_file())
        yield from found


@cache
def file_digest(path: Path, size: int, modified_ns: int) -> str:  # noqa: ARG001
    """A file's SHA-256, worked out once per process for each state of the file (its
    size and time are part of the cache key so an edited file is hashed again)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def digest_of(path: Path) -> str:
    state = path.stat()
    return file_digest(path.resolve(), state.st_size, state.st_mtime_ns)
