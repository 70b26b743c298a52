"""Reading the small side files a manuscript names (cover, lexicon), with one size limit rule."""

from __future__ import annotations

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
