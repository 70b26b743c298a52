"""Reading the small side files a manuscript names (cover, lexicon), with one size limit
rule; and writing a file whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from publisher.errors import ConfigError


def read_side_file(path: Path, what: str, limit: int) -> bytes:
    """The bytes of ``path``; a missing, unreadable or oversized file is a ConfigError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{what} {path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise ConfigError(f"{what} {path.name} is over {limit // 2**20} MB")
    return data


def write_whole(path: Path, *parts: bytes) -> None:
    """``parts`` one after another as the file at ``path``, written to a temporary file
    and renamed into place: atomic on every local file system, so a reader never sees
    half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            for part in parts:
                stream.write(part)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
