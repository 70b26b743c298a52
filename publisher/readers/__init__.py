"""Readers turn a manuscript file into a Manuscript. They are plug-ins, found through
the ``publisher.readers`` entry-point group; the built-in ones are registered in
pyproject.toml exactly as a third-party package would register its own."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from publisher.errors import ConfigError, InputError
from publisher.files import read_side_file
from publisher.metadata import load_book_toml, resolve_metadata, title_from_filename
from publisher.model import Block, DetectedLanguage, Image, Manuscript, ParagraphBlock
from publisher.readers.base import Reader
from publisher.readers.language import MIN_WORDS, detect_language

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "publisher.readers"
_SNIFF_BYTES = 4096


@cache
def readers() -> tuple[Reader, ...]:
    found: list[Reader] = []
    for entry in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        reader = entry.load()()
        if not isinstance(reader, Reader):
            raise InputError(f"the reader {entry.name!r} does not implement the Reader protocol")
        found.append(reader)
    return tuple(found)


def reader_suffixes() -> frozenset[str]:
    """Every file suffix some installed reader takes (".md", ".txt", ...)."""
    return frozenset(s.lower() for reader in readers() for s in reader.suffixes)


# Refuse before reading into memory: a manuscript this large is a mistake, not a book
# (the longest novels are under 10 MB of text).
MAX_MANUSCRIPT_BYTES = 50 * 1024 * 1024
MAX_COVER_BYTES = 20 * 1024 * 1024


def read_manuscript(path: Path, overrides: Mapping[str, str | None] | None = None) -> Manuscript:
    """Read, decode and parse a manuscript; metadata resolved with book.toml and overrides."""
    check_file(path)
    found = _reader_for(path).read(path)
    if not any(isinstance(b, ParagraphBlock) for b in found.blocks):
        raise InputError(f"{path.name} has no text to publish besides its title and headings")
    layers = [
        {k: v for k, v in (overrides or {}).items() if v},
        found.metadata,
        load_book_toml(path),
    ]
    detected = None
    if not any(layer.get("language") for layer in layers):
        detected = _detect_language(found.blocks, path.name)
        if detected is not None:
            layers.append({"language": detected.language})
    metadata = resolve_metadata(layers, title_from_filename(path))
    cover = None
    if metadata.cover:
        cover_path = path.parent / metadata.cover
        metadata = replace(metadata, cover=str(cover_path))
        cover = read_cover(cover_path)
    return Manuscript(
        metadata,
        found.blocks,
        path.name,
        found.encoding,
        cover,
        detected,
        found.lexicon.entries,
    )


def _detect_language(blocks: tuple[Block, ...], name: str) -> DetectedLanguage | None:
    texts = [b.text for b in blocks if isinstance(b, ParagraphBlock)]
    detected = detect_language(texts)
    if detected is None and sum(len(t.split()) for t in texts) < MIN_WORDS:
        log.info("%s declares no language and is too short to tell; reading it as English", name)
    elif detected is None:
        log.warning(
            "%s declares no language and its text does not say clearly; reading it as "
            "English (pass --language or add language to the metadata)",
            name,
        )
    else:
        log.info(
            "%s declares no language; detected %s (%.0f %% sure)",
            name,
            detected.language,
            detected.confidence * 100,
        )
    return detected


def read_cover(path: Path) -> Image:
    """A JPEG or PNG cover image, checked by its bytes rather than its name."""
    data = read_side_file(path, "cover image", MAX_COVER_BYTES)
    if data.startswith(b"\xff\xd8\xff"):
        return Image(data, "image/jpeg")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Image(data, "image/png")
    raise ConfigError(f"cover image {path.name} is neither a JPEG nor a PNG file")


def _reader_for(path: Path) -> Reader:
    suffix = path.suffix.lower()
    for reader in readers():
        if suffix in reader.suffixes:
            return reader
    if not suffix:  # a name that says nothing: the first bytes may
        head = _head(path)
        for reader in readers():
            if reader.sniff(head):
                return reader
    known = ", ".join(sorted(reader_suffixes()))
    raise InputError(
        f"{path.name}: unsupported file type {path.suffix or '(none)'!r}; use one of {known}"
    )


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(_SNIFF_BYTES)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


def check_file(path: Path) -> None:
    """A manuscript that is there, is a file, and is not too large to be a book."""
    if path.is_dir():
        raise InputError(f"{path} is a folder; give the manuscript file")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_MANUSCRIPT_BYTES:
        raise InputError(
            f"{path.name} is {size // (1024 * 1024)} MB; publisher accepts manuscripts up to "
            f"{MAX_MANUSCRIPT_BYTES // (1024 * 1024)} MB (split it into volumes)"
        )
