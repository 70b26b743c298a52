"""The sentence cache: synthesised speech and encoded chapters, stored under content hashes.

A sentence's audio is a pure function of the engine, its version, the voice, the settings
that change the sound and the spoken text (DESIGN.md), so its hash names it. A chapter's
MP3 is a pure function of its sentences' hashes, the pauses between them and the encoder,
so a rebuild with nothing changed synthesises and encodes nothing.

Every entry is written whole or not at all (a temporary file renamed into place; one
request to an object store), so two builds sharing the cache never see half an entry;
every entry carries its own length and digest, so a truncated or corrupt one is
detected, dropped and made again.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from publisher.errors import CacheError
from publisher.files import write_whole
from publisher.model import ChapterTimeline, Group, TimedItem
from publisher.speech.engines.base import Clip

# Bumped whenever the entry layout or what goes into a key changes.
FORMAT = 3
_CLIP_HEADER = struct.Struct("<8sIQ32s")  # magic, sample rate, PCM bytes, SHA-256 of the PCM
_CLIP_MAGIC = b"PUBCLIP1"
# "voices" holds what engines compile for this machine (piper_compiled) and "models" the
# language identifier's model unpacked (readers/language), in the local cache only.
_KINDS = ("sentences", "chapters", "books", "voices", "models")
_ENTRY_SUFFIXES = (".pcm", ".json", ".sha256", ".voice", ".npz")  # each entry has one


def machine_cache_dir(kind: str) -> Path:
    """A folder of the local cache for what suits this machine only (a compiled voice, an
    unpacked model): the default cache folder, or the user's when that is a URL."""
    root = default_cache_dir()
    if isinstance(root, str):
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        root = Path(base) / "publisher"
    return root / kind


def cache_at(location: str) -> Path | str:
    """A cache location as given: an fsspec URL stays a string, anything else a folder."""
    return location if "://" in location else Path(location).expanduser()


def default_cache_dir() -> Path | str:
    """$PUBLISHER_CACHE_DIR (a folder or a URL), else the user's cache folder
    ($XDG_CACHE_HOME or ~/.cache)."""
    explicit = os.environ.get("PUBLISHER_CACHE_DIR")
    if explicit:
        return cache_at(explicit)
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
    flac: Path | None  # the same audio, lossless, for the one-file MP3, if a build made it
    aac: Path | None  # and as AAC frames for the M4B, if a build made them
    timeline: ChapterTimeline


class SentenceCache:
    """The cache, in a folder or (for a cluster's workers to share) at an fsspec URL such
    as ``s3://bucket/publisher`` (with the matching fsspec implementation installed)."""

    def __init__(self, root: Path | str) -> None:
        location = str(root)
        if "://" in location and not location.startswith("file://"):
            self.store: _Store = _FsspecStore(location)
        else:
            self.store = _LocalStore(Path(location.removeprefix("file://")))
        self.root = self.store.where

    # --- sentences -----------------------------------------------------------------

    def has_clip(self, key: str) -> bool:
        """A cheap look: the entry exists and is as long as its header says."""
        name = _name("sentences", key, ".pcm")
        parsed = _parse_header(self.store.read(name, _CLIP_HEADER.size) or b"")
        return parsed is not None and self.store.size(name) == _CLIP_HEADER.size + parsed[1]

    def get_clip(self, key: str) -> Clip | None:
        """The clip, or None when it is missing or fails its digest (it is then removed)."""
        name = _name("sentences", key, ".pcm")
        data = self.store.read(name)
        if data is None:
            return None
        parsed = _parse_header(data[: _CLIP_HEADER.size])
        pcm = data[_CLIP_HEADER.size :]
        if parsed is None or len(pcm) != parsed[1] or hashlib.sha256(pcm).digest() != parsed[2]:
            self.store.delete(name)
            return None
        return Clip(pcm, parsed[0])

    def put_clip(self, key: str, clip: Clip) -> None:
        digest = hashlib.sha256(clip.pcm).digest()
        header = _CLIP_HEADER.pack(_CLIP_MAGIC, clip.sample_rate, len(clip.pcm), digest)
        self.store.write(_name("sentences", key, ".pcm"), header + clip.pcm)

    # --- chapters ------------------------------------------------------------------

    def get_chapter(
        self, key: str, with_aac: bool = True, with_flac: bool = False
    ) -> ChapterEntry | None:
        """An encoded chapter and its timeline, or None: when it is missing, damaged (it is
        then removed) or lacks the AAC or FLAC asked for (a build without an M4B or a
        one-file MP3 made it; the next build with one makes the chapter again from its
        sentences)."""
        index = _name("chapters", key, ".json")
        names = {suffix: _name("chapters", key, suffix) for suffix in _CHAPTER_AUDIO}
        data = self.store.read(index)
        if data is None:
            return None
        try:
            record = json.loads(data)
            wanted = {".aac": with_aac, ".flac": with_flac}
            if any(asked and suffix not in record["sha256"] for suffix, asked in wanted.items()):
                return None
            paths: dict[str, Path | None] = {".aac": None, ".flac": None}
            for suffix in record["sha256"]:
                path = self.store.local_path(names[suffix])
                if path is None or _file_digest(path) != record["sha256"][suffix]:
                    raise ValueError("digest")
                paths[suffix] = path
            mp3 = paths[".mp3"]
            if mp3 is None:
                raise ValueError("incomplete")
            return ChapterEntry(mp3, paths[".flac"], paths[".aac"], _timeline(record["timeline"]))
        except (OSError, ValueError, KeyError, TypeError):
            for name in (index, *names.values()):
                self.store.delete(name)
            return None

    def put_chapter(
        self,
        key: str,
        mp3: Path,
        flac: Path | None,
        aac: Path | None,
        timeline: ChapterTimeline,
    ) -> None:
        digests = {}
        # The audio goes first: the index names it, so an index never points at nothing.
        for suffix, source in zip(_CHAPTER_AUDIO, (mp3, flac, aac), strict=True):
            if source is None:
                continue
            data = source.read_bytes()
            digests[suffix] = hashlib.sha256(data).hexdigest()
            self.store.write(_name("chapters", key, suffix), data)
        record = {"sha256": digests, "timeline": _plain(timeline)}
        self.store.write(_name("chapters", key, ".json"), json.dumps(record).encode("utf-8"))

    def get_file(self, key: str, suffix: str) -> Path | None:
        """A whole-book file (an M4B, say) stored with ``put_file``, if intact."""
        name = _name("books", key, suffix)
        expected = self.store.read(name + ".sha256")
        if expected is None:
            return None
        path = self.store.local_path(name)
        if path is not None and _file_digest(path) == expected.decode("ascii", "replace"):
            return path
        self.store.delete(name)
        self.store.delete(name + ".sha256")
        return None

    def put_file(self, key: str, suffix: str, source: Path) -> None:
        name = _name("books", key, suffix)
        data = source.read_bytes()
        self.store.write(name, data)
        self.store.write(name + ".sha256", hashlib.sha256(data).hexdigest().encode("ascii"))

    # --- housekeeping --------------------------------------------------------------

    def usage(self) -> dict[str, CacheUsage]:
        usage = {}
        for kind in _KINDS:
            files = self.store.listing(kind)
            entries = sum(1 for name, _ in files if name.endswith(_ENTRY_SUFFIXES))
            usage[kind] = CacheUsage(entries, sum(size for _, size in files))
        return usage

    def clear(self) -> CacheUsage:
        usage = self.usage()
        for kind in _KINDS:
            self.store.clear(kind)
        return CacheUsage(
            sum(u.entries for u in usage.values()), sum(u.bytes for u in usage.values())
        )


_CHAPTER_AUDIO = (".mp3", ".flac", ".aac")  # in ChapterEntry's order


def _name(kind: str, key: str, suffix: str) -> str:
    return f"{kind}/{key[:2]}/{key}{suffix}"


def _file_digest(path: Path) -> str:
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


class _Store(Protocol):
    """Where entries live. Names are relative, with forward slashes."""

    where: str

    def read(self, name: str, length: int | None = None) -> bytes | None: ...
    def size(self, name: str) -> int | None: ...
    def write(self, name: str, data: bytes) -> None:
        """All of ``data`` or nothing: a reader never sees half an entry."""
        ...

    def delete(self, name: str) -> None: ...
    def listing(self, kind: str) -> list[tuple[str, int]]: ...
    def clear(self, kind: str) -> None: ...
    def local_path(self, name: str) -> Path | None:
        """A file on this machine with the entry's bytes (downloaded if need be)."""
        ...


class _LocalStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.where = str(root)
        try:
            for kind in _KINDS:
                (root / kind).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(
                f"cannot use the cache folder {root}: {exc.strerror or exc}; "
                "choose another with --cache-dir or build with --no-cache"
            ) from None

    def read(self, name: str, length: int | None = None) -> bytes | None:
        try:
            with (self.root / name).open("rb") as stream:
                return stream.read() if length is None else stream.read(length)
        except OSError:
            return None

    def size(self, name: str) -> int | None:
        try:
            return (self.root / name).stat().st_size
        except OSError:
            return None

    def write(self, name: str, data: bytes) -> None:
        write_whole(self.root / name, data)

    def delete(self, name: str) -> None:
        (self.root / name).unlink(missing_ok=True)

    def listing(self, kind: str) -> list[tuple[str, int]]:
        return [
            (str(p.relative_to(self.root)), p.stat().st_size)
            for p in (self.root / kind).rglob("*")
            if p.is_file()
        ]

    def clear(self, kind: str) -> None:
        shutil.rmtree(self.root / kind, ignore_errors=True)
        (self.root / kind).mkdir(parents=True, exist_ok=True)

    def local_path(self, name: str) -> Path | None:
        path = self.root / name
        return path if path.is_file() else None


class _FsspecStore:
    """A cache every worker of a cluster can reach: object stores such as S3 write an
    object in one request, so a reader never sees half an entry there either."""

    def __init__(self, url: str) -> None:
        try:
            import fsspec
        except ImportError:
            raise CacheError(f"a cache at {url} needs fsspec: pip install fsspec") from None
        try:
            self.fs, self.base = fsspec.core.url_to_fs(url)
        except (ImportError, ValueError) as exc:
            raise CacheError(f"cannot use the cache at {url}: {exc}") from None
        self.where = url
        self.downloads = Path(tempfile.mkdtemp(prefix="publisher-cache-"))
        atexit.register(shutil.rmtree, self.downloads, True)

    def _path(self, name: str) -> str:
        return f"{self.base.rstrip('/')}/{name}"

    def read(self, name: str, length: int | None = None) -> bytes | None:
        try:
            data: bytes = self.fs.cat_file(self._path(name), start=0, end=length)
        except (FileNotFoundError, OSError):
            return None
        return data

    def size(self, name: str) -> int | None:
        try:
            return int(self.fs.size(self._path(name)))
        except (FileNotFoundError, OSError):
            return None

    def write(self, name: str, data: bytes) -> None:
        self.fs.pipe_file(self._path(name), data)

    def delete(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError, OSError):
            self.fs.rm_file(self._path(name))

    def listing(self, kind: str) -> list[tuple[str, int]]:
        try:
            found = self.fs.find(self._path(kind), detail=True)
        except (FileNotFoundError, OSError):
            return []
        start = len(self.base.rstrip("/")) + 1
        return [(path[start:], int(info.get("size") or 0)) for path, info in found.items()]

    def clear(self, kind: str) -> None:
        with contextlib.suppress(FileNotFoundError, OSError):
            self.fs.rm(self._path(kind), recursive=True)

    def local_path(self, name: str) -> Path | None:
        data = self.read(name)
        if data is None:
            return None
        path = self.downloads / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path


def _parse_header(header: bytes) -> tuple[int, int, bytes] | None:
    if len(header) != _CLIP_HEADER.size:
        return None
    magic, rate, length, digest = _CLIP_HEADER.unpack(header)
    return (rate, length, digest) if magic == _CLIP_MAGIC else None


def _plain(timeline: ChapterTimeline) -> dict[str, Any]:
    return {
        "section_id": timeline.section_id,
        "duration_ms": timeline.duration_ms,
        "items": [
            [
                *(i.id, i.kind, i.start_ms, i.end_ms, i.paragraph_id),
                [[g.id, g.type] for g in i.groups],
                list(i.voices),
                list(i.voice_ms),
            ]
            for i in timeline.items
        ],
    }


def _timeline(record: dict[str, Any]) -> ChapterTimeline:
    items = tuple(
        TimedItem(
            str(item[0]),
            str(item[1]),
            int(item[2]),
            int(item[3]),
            item[4],
            tuple(Group(str(g[0]), g[1]) for g in (item[5] if len(item) > 5 else ())),
            tuple(str(v) for v in (item[6] if len(item) > 6 else ())),
            tuple(int(v) for v in (item[7] if len(item) > 7 else ())),
        )
        for item in record["items"]
    )
    return ChapterTimeline(str(record["section_id"]), int(record["duration_ms"]), items)
