"""publish(config): the stages in order, each timed, and nothing else."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from publisher.config import BuildConfig
from publisher.errors import ConfigError
from publisher.formats.epub import book_identifier, write_epub
from publisher.formats.verify import verify_epub
from publisher.model import Book, Manuscript
from publisher.output import Staging, make_slug, staged_book
from publisher.readers import read_manuscript
from publisher.structure.chapters import build_book
from publisher.version import __version__

T = TypeVar("T")


@dataclass(frozen=True)
class BuildReport:
    """What a build produced; ``as_json`` is what report.json holds."""

    book: Book
    folder: Path
    slug: str
    source: str
    encoding: str
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def epub(self) -> Path:
        return self.folder / f"{self.slug}.epub"

    def as_json(self) -> dict[str, Any]:
        meta = self.book.metadata
        return {
            "title": meta.title,
            "subtitle": meta.subtitle,
            "author": meta.author,
            "language": meta.language,
            "identifier": book_identifier(meta),
            "source": self.source,
            "source_encoding": self.encoding,
            "generator": f"publisher {__version__}",
            "engine": None,
            "voice": None,
            "duration_s": None,
            "words": self.book.words,
            "epub": f"{self.slug}.epub",
            "chapters": [
                {
                    "index": s.index,
                    "id": s.id,
                    "title": s.display_title,
                    "title_generated": not s.from_manuscript,
                    "kind": s.kind,
                    "matter": s.matter,
                    "depth": s.depth,
                    "words": s.words,
                    "sentences": len(s.sentences),
                    "duration_s": None,
                    "audio": None,
                }
                for s in self.book.sections
            ],
            "timings": {f"{k}_s": round(v, 3) for k, v in self.timings.items()},
        }


def publish(config: BuildConfig) -> BuildReport:
    """Build the publication described by ``config`` into ``config.output_dir/<slug>/``."""
    if config.audio:
        raise ConfigError("narration is not available in this version yet; pass --no-audio")
    timings: dict[str, float] = {}
    started = time.perf_counter()
    manuscript = _timed(timings, "read", lambda: read_manuscript(config.input, config.overrides()))
    book = _timed(timings, "structure", lambda: build_book(manuscript))
    slug = make_slug(book.metadata.title)
    with staged_book(config.output_dir, slug) as staging:
        _timed(timings, "publish", lambda: _write(staging, book, slug, config))
        timings["total"] = time.perf_counter() - started
        report = _report(book, manuscript, config, slug, timings)
        staging.write_json("report.json", report.as_json())
    return report


def _write(staging: Staging, book: Book, slug: str, config: BuildConfig) -> None:
    epub_path = staging.path(f"{slug}.epub")
    write_epub(book, epub_path, config.modified_time())
    verify_epub(epub_path)


def _report(
    book: Book, manuscript: Manuscript, config: BuildConfig, slug: str, timings: dict[str, float]
) -> BuildReport:
    return BuildReport(
        book,
        config.output_dir / slug,
        slug,
        manuscript.source_name,
        manuscript.encoding,
        dict(timings),
    )


def _timed(timings: dict[str, float], stage: str, run: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = run()
    timings[stage] = time.perf_counter() - started
    return result
