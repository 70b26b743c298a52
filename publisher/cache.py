"""The sentence cache: synthesised speech and encoded chapters, stored under content hashes.

A sentence's audio is a pure function of the engine, its version, the voice, the settings
that change the sound and the spoken text (DESIGN.md), so its hash names it. A chapter's
MP3 is a pure function of its sentences' hashes, the pauses between them and the encoder,
so a rebuild with nothing changed synthesises and encodes nothing.

Every entry is written to a temporary file and renamed into place, so two builds sharing
the cache never see half an entry; every entry carries its own length and digest, so a
truncated or corrupt one is detected, dropped and made again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher.errors import PublisherError
from publisher.model import ChapterTimeline, TimedItem
from publisher.speech.engines.base import Clip

# Bumped whenever the entry layout or what goes into a key changes.
FORMAT = 2
_CLIP_HEADER = struct.Struct("<8sIQ32s")  # magic, sample rate, PCM bytes, SHA-256 of the PCM
_CLIP_MAGIC = b"PUBCLIP1"
_KINDS = ("sentences", "chapters", "books")


class CacheError(PublisherError):
    """The cache folder cannot be used."""


def default_cache_dir() -> Path:
    """$PUBLISHER_CACHE_DIR, else the user's cache folder ($XDG_CACHE_HOME or ~/.cache)."""
    explicit = os.environ.get("PUBLISHER_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "publisher"


def content_key(*parts: object) -> str:
    """A SHA-256 over a canonical JSON of ``parts``: equal inputs, equal keys."""
    canonical = json.dumps([FORMAT, *parts], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def clip_key(
    engine: str, engine_version: str, voice: str, text: str, pronunciations: Mapping[str, str]
) -> str:
    """The key of one utterance's audio. Only the lexicon entries the text uses count, so
    adding a pronunciation re-narrates the sentences with that word and no others."""
    used = sorted((w, p) for w, p in pronunciations.items() if w in text)
    return content_key("clip", engine, engine_version, voice, text, used)


@dataclass(frozen=True)
class CacheUsage:
    entries: int
    bytes: int


@dataclass(frozen=True)
class ChapterEntry:
    mp3: Path  # untagged
    flac: Path  # the same audio, lossless, for the one-file book
    timeline: ChapterTimeline


class SentenceCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            for kind in _KINDS:
                (root / kind).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(
                f"cannot use the cache folder {root}: {exc.strerror or exc}; "
                "choose another with --cache-dir or build with --no-cache"
            ) from None

    # --- sentences -----------------------------------------------------------------

    def has_clip(self, key: str) -> bool:
        """A cheap look: the entry exists and is as long as its header says."""
        path = self._path("sentences", key, ".pcm")
        try:
            with path.open("rb") as stream:
                header = stream.read(_CLIP_HEADER.size)
            size = path.stat().st_size
        except OSError:
            return False
        parsed = _parse_header(header)
        return parsed is not None and size == _CLIP_HEADER.size + parsed[1]

    def get_clip(self, key: str) -> Clip | None:
        """The clip, or None when it is missing or fails its digest (it is then removed)."""
        path = self._path("sentences", key, ".pcm")
        try:
            data = path.read_bytes()
        except OSError:
            return None
        parsed = _parse_header(data[: _CLIP_HEADER.size])
        pcm = data[_CLIP_HEADER.size :]
        if parsed is None or len(pcm) != parsed[1] or hashlib.sha256(pcm).digest() != parsed[2]:
            path.unlink(missing_ok=True)
            return None
        return Clip(pcm, parsed[0])

    def put_clip(self, key: str, clip: Clip) -> None:
        digest = hashlib.sha256(clip.pcm).digest()
        header = _CLIP_HEADER.pack(_CLIP_MAGIC, clip.sample_rate, len(clip.pcm), digest)
        self._write(self._path("sentences", key, ".pcm"), [header, clip.pcm])

    # --- chapters ------------------------------------------------------------------

    def get_chapter(self, key: str) -> ChapterEntry | None:
        """An encoded chapter and its timeline, or None (a damaged entry is removed)."""
        index = self._path("chapters", key, ".json")
        files = {suffix: index.with_suffix(suffix) for suffix in (".mp3", ".flac")}
        try:
            record = json.loads(index.read_text(encoding="utf-8"))
            for suffix, path in files.items():
                with path.open("rb") as stream:
                    digest = hashlib.file_digest(stream, "sha256").hexdigest()
                if digest != record["sha256"][suffix]:
                    raise ValueError("digest")
            return ChapterEntry(files[".mp3"], files[".flac"], _timeline(record["timeline"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            for path in (index, *files.values()):
                path.unlink(missing_ok=True)
            return None

    def put_chapter(self, key: str, mp3: Path, flac: Path, timeline: ChapterTimeline) -> None:
        target = self._path("chapters", key, ".json")
        digests = {}
        # The audio goes first: the index names it, so an index never points at nothing.
        for suffix, source in ((".mp3", mp3), (".flac", flac)):
            data = source.read_bytes()
            digests[suffix] = hashlib.sha256(data).hexdigest()
            self._write(target.with_suffix(suffix), [data])
        record = {"sha256": digests, "timeline": _plain(timeline)}
        self._write(target, [json.dumps(record).encode("utf-8")])

    def get_file(self, key: str, suffix: str) -> Path | None:
        """A whole-book file (an M4B, say) stored with ``put_file``, if intact."""
        path = self._path("books", key, suffix)
        digest_path = path.with_name(path.name + ".sha256")
        try:
            expected = digest_path.read_text(encoding="ascii").strip()
            with path.open("rb") as stream:
                if hashlib.file_digest(stream, "sha256").hexdigest() == expected:
                    return path
        except OSError:
            return None
        path.unlink(missing_ok=True)
        digest_path.unlink(missing_ok=True)
        return None

    def put_file(self, key: str, suffix: str, source: Path) -> None:
        path = self._path("books", key, suffix)
        data = source.read_bytes()
        self._write(path, [data])
        digest = hashlib.sha256(data).hexdigest().encode("ascii")
        self._write(path.with_name(path.name + ".sha256"), [digest])

    # --- housekeeping --------------------------------------------------------------

    def usage(self) -> dict[str, CacheUsage]:
        usage = {}
        for kind in _KINDS:
            files = [p for p in (self.root / kind).rglob("*") if p.is_file()]
            entries = sum(1 for p in files if p.suffix in (".pcm", ".json", ".sha256"))
            usage[kind] = CacheUsage(entries, sum(p.stat().st_size for p in files))
        return usage

    def clear(self) -> CacheUsage:
        usage = self.usage()
        for kind in _KINDS:
            shutil.rmtree(self.root / kind, ignore_errors=True)
            (self.root / kind).mkdir(parents=True, exist_ok=True)
        return CacheUsage(
            sum(u.entries for u in usage.values()), sum(u.bytes for u in usage.values())
        )

    def _path(self, kind: str, key: str, suffix: str) -> Path:
        return self.root / kind / key[:2] / f"{key}{suffix}"

    def _write(self, path: Path, chunks: Iterable[bytes]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                for chunk in chunks:
                    stream.write(chunk)
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _parse_header(header: bytes) -> tuple[int, int, bytes] | None:
    if len(header) != _CLIP_HEADER.size:
        return None
    magic, rate, length, digest = _CLIP_HEADER.unpack(header)
    return (rate, length, digest) if magic == _CLIP_MAGIC else None


def _plain(timeline: ChapterTimeline) -> dict[str, Any]:
    return {
        "section_id": timeline.section_id,
        "duration_ms": timeline.duration_ms,
        "items": [[i.id, i.kind, i.start_ms, i.end_ms, i.paragraph_id] for i in timeline.items],
    }


def _timeline(record: dict[str, Any]) -> ChapterTimeline:
    items = tuple(TimedItem(*item) for item in record["items"])
    return ChapterTimeline(str(record["section_id"]), int(record["duration_ms"]), items)
