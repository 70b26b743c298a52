"""publish(config): the stages in order, each timed, and nothing else."""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from publisher.audiobook import one_file
from publisher.cache import SentenceCache
from publisher.config import BuildConfig
from publisher.formats.daisy import DaisyChapter, DaisyInfo, write_daisy, zip_daisy
from publisher.formats.epub import book_identifier, write_epub
from publisher.formats.manifest import audiobook_manifest
from publisher.formats.overlays import OverlayChapter, ReadAlong
from publisher.formats.playlist import Track, m3u8
from publisher.formats.verify import verify_epub
from publisher.formats.xhtml import section_file
from publisher.inplace.book import InPlaceBook, narrates_in_place, read_in_place
from publisher.inplace.write import Narrated, write_in_place
from publisher.inplace.write import Narration as InPlaceNarration
from publisher.metadata import load_chapter_titles
from publisher.model import Book, DetectedLanguage, Manuscript, book_text
from publisher.narration import (
    AudioSettings,
    ChapterFile,
    Narration,
    Narrator,
    ProgressHook,
    choose_narrator,
    narrate_book,
)
from publisher.output import Staging, make_slug, staged_book
from publisher.readers import read_manuscript
from publisher.speech.lexicon import find_lexicon
from publisher.speech.normalize import Normalizer
from publisher.speech.synthesis import Backend
from publisher.structure.chapters import build_book
from publisher.timing import Timings
from publisher.version import __version__


@dataclass(frozen=True)
class BuildReport:
    """What a build produced; ``as_json`` is what report.json holds."""

    book: Book
    folder: Path
    slug: str
    source: str
    encoding: str
    narrator: Narrator | None
    narration: Narration | None
    timings: dict[str, float]
    cache_enabled: bool
    audio_profile: str
    one_files: tuple[str, ...] = ()  # chapters.json, the M4B (or its parts), the single MP3
    detected_language: DetectedLanguage | None = None  # when the manuscript declared none
    in_place: bool = False  # a source EPUB narrated in its own pages

    @property
    def chapters(self) -> tuple[ChapterFile, ...]:
        return self.narration.files if self.narration else ()

    @property
    def epub(self) -> Path:
        return self.folder / f"{self.slug}.epub"

    @property
    def duration_s(self) -> float | None:
        if self.narrator is None:
            return None
        return round(sum(c.timeline.duration_ms for c in self.chapters) / 1000, 3)

    def as_json(self) -> dict[str, Any]:
        meta = self.book.metadata
        audio = {c.section.id: c for c in self.chapters}
        return {
            "title": meta.title,
            "subtitle": meta.subtitle,
            "author": meta.author,
            "language": meta.language,
            "language_detected": {
                "language": self.detected_language.language,
                "confidence": self.detected_language.confidence,
            }
            if self.detected_language
            else None,
            "identifier": book_identifier(meta),
            "source": self.source,
            "source_encoding": self.encoding,
            "generator": f"publisher {__version__}",
            "engine": self.narrator.engine.name if self.narrator else None,
            "engine_version": self.narrator.engine.version() if self.narrator else None,
            "voice": self.narrator.voice if self.narrator else None,
            "audio_profile": self.audio_profile if self.narrator else None,
            "duration_s": self.duration_s,
            "words": self.book.words,
            "epub": f"{self.slug}.epub",
            "epub_made": "in place" if self.in_place else "typeset",
            "playlist": f"{self.slug}.m3u8" if self.narrator else None,
            "manifest": "manifest.json" if self.narrator else None,
            "m4b": [f for f in self.one_files if f.endswith(".m4b")],
            "daisy": next((f for f in self.one_files if f.startswith("daisy/")), None),
            "daisy_zip": next((f for f in self.one_files if f.endswith("-daisy.zip")), None),
            "single_mp3": next((f for f in self.one_files if f.endswith(".mp3")), None),
            "chapters_json": "chapters.json" if "chapters.json" in self.one_files else None,
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
                    "duration_s": round(audio[s.id].timeline.duration_ms / 1000, 3)
                    if s.id in audio
                    else None,
                    "audio": audio[s.id].href if s.id in audio else None,
                }
                for s in self.book.sections
            ],
            "timings": {f"{k}_s": round(v, 3) for k, v in self.timings.items()},
            "cache": {
                "enabled": self.cache_enabled,
                "hits": self.narration.cache_hits if self.narration else 0,
                "misses": self.narration.cache_misses if self.narration else 0,
            },
        }


def publish(
    config: BuildConfig, progress: ProgressHook | None = None, backend: Backend | None = None
) -> BuildReport:
    """Build the publication described by ``config`` into ``config.output_dir/<slug>/``.

    ``progress`` is called as narration advances (for a progress bar); ``backend``, when
    given, narrates instead of local worker processes (`publisher batch` spreads a book's
    sentences over a Dask cluster with it)."""
    started = time.perf_counter()
    timings = Timings()
    with timings.stage("read"):
        source = (
            read_in_place(config.input, config.overrides())
            if narrates_in_place(config.input, config.in_place)
            else None
        )
        manuscript = None if source else read_manuscript(config.input, config.overrides())
    with timings.stage("structure"):
        lexicon = find_lexicon(config.input, config.lexicon)
        if source is not None:
            book = source.book
            lexicon = lexicon.with_entries(source.lexicon.entries)
        else:
            assert manuscript is not None
            lexicon = lexicon.with_entries(manuscript.pronunciations)
            chapter_options = replace(config.chapters, titles=load_chapter_titles(config.input))
            book = build_book(manuscript, chapter_options)
    # Choose the voice before anything is written, so a missing engine fails at once.
    narrator = cache = None
    if config.audio:
        narrator = choose_narrator(config.engine, config.voice, book.metadata.language)
        processes = config.processes()
        profile = config.profile()
        cache = SentenceCache(config.cache_dir) if config.cache_dir else None
    slug = make_slug(book.metadata.title)
    # A source narrated in place is modified now (or at SOURCE_DATE_EPOCH), not when it
    # was first published.
    modified = config.modified_time(None if source else book.metadata.date)
    narration: Narration | None = None
    one_files: list[str] = []
    with staged_book(config.output_dir, slug) as staging, _scratch() as scratch:
        if narrator is not None:
            year = (book.metadata.date or str(modified.year))[:4]
            say = Normalizer.for_text(book.metadata.language, book_text(book), lexicon)
            settings = AudioSettings(
                config.pauses,
                config.bitrate_kbps(),
                year,
                say,
                profile,
                reading=config.reading,
                m4b=config.m4b,
                single_mp3=config.single_mp3,
            )
            narration = narrate_book(
                book,
                narrator,
                settings,
                staging,
                timings,
                scratch,
                cache,
                processes,
                progress,
                backend,
            )
            with timings.stage("one_file"):
                one_files = one_file(staging, book, slug, narration.files, settings, config, cache)
            if config.daisy:
                with timings.stage("daisy"):
                    _write_daisy(staging, book, slug, narration.files, narrator, modified)
                    one_files += ["daisy/ncc.html", f"{slug}-daisy.zip"]
        chapters = narration.files if narration else ()
        with timings.stage("publish"):
            if source is not None:
                _narrate_in_place(staging, source, slug, modified, narrator, chapters, config)
            else:
                read_along = _read_along(staging, narrator, chapters, config)
                _write_epub(staging, book, slug, modified, lexicon.source, read_along)
            if book.cover is not None:
                # Players and file managers show a cover.jpg or cover.png beside the audio.
                staging.path(f"cover.{book.cover.extension}").write_bytes(book.cover.data)
            if narrator is not None:
                _write_navigation(staging, book, slug, narrator, chapters, config, modified)
        timings.seconds["total"] = time.perf_counter() - started
        origin = _Origin.of(manuscript, config.input)
        report = _report(book, origin, config, slug, narrator, narration, timings, one_files)
        staging.write_json("report.json", report.as_json())
    return report


@contextlib.contextmanager
def _scratch() -> Iterator[Path]:
    """Working files (each chapter's FLAC and AAC) that never reach the output."""
    with tempfile.TemporaryDirectory(prefix="publisher-") as folder:
        yield Path(folder)


def _write_daisy(
    staging: Staging,
    book: Book,
    slug: str,
    files: Sequence[ChapterFile],
    narrator: Narrator,
    modified: dt.datetime,
) -> None:
    date = book.metadata.date or ""
    info = DaisyInfo(
        book_identifier(book.metadata),
        narrator.description,
        f"publisher {__version__}",
        date if len(date) == 10 else modified.date().isoformat(),
    )
    chapters = [DaisyChapter(f.section, staging.path(f.href), f.timeline) for f in files]
    folder = staging.path("daisy")
    write_daisy(book, chapters, folder, info)
    zip_daisy(folder, staging.path(f"{slug}-daisy.zip"), slug)


def _read_along(
    staging: Staging,
    narrator: Narrator | None,
    chapters: tuple[ChapterFile, ...],
    config: BuildConfig,
) -> ReadAlong | None:
    """The narration for the EPUB's Media Overlays, unless the EPUB is to stay text-only."""
    if narrator is None or not config.epub_audio:
        return None
    overlays = tuple(
        OverlayChapter(
            c.section.id, section_file(c.section), c.href, staging.path(c.href), c.timeline
        )
        for c in chapters
    )
    return ReadAlong(overlays, narrator.description, config.overlay_granularity)


def _write_epub(
    staging: Staging,
    book: Book,
    slug: str,
    modified: dt.datetime,
    lexicon: bytes | None,
    read_along: ReadAlong | None,
) -> None:
    epub_path = staging.path(f"{slug}.epub")
    write_epub(book, epub_path, modified, lexicon, read_along)
    verify_epub(epub_path)


def _write_navigation(
    staging: Staging,
    book: Book,
    slug: str,
    narrator: Narrator,
    chapters: tuple[ChapterFile, ...],
    config: BuildConfig,
    modified: dt.datetime,
) -> None:
    meta = book.metadata
    tracks = [Track(c.href, c.section.display_title, c.timeline.duration_ms) for c in chapters]
    staging.path(f"{slug}.m3u8").write_text(m3u8(meta.title, meta.author, tracks), encoding="utf-8")
    manifest = audiobook_manifest(
        meta,
        book_identifier(meta),
        modified,
        narrator.description,
        tracks,
        config.bitrate_kbps(),
        f"{slug}.epub",
        book.cover,
    )
    staging.write_json("manifest.json", manifest)


@dataclass(frozen=True)
class _Origin:
    """What the report says of the source file."""

    name: str
    encoding: str
    detected_language: DetectedLanguage | None
    in_place: bool = False

    @classmethod
    def of(cls, manuscript: Manuscript | None, path: Path) -> _Origin:
        if manuscript is None:  # an EPUB narrated in place: XML, so UTF-8 or declared
            return cls(path.name, "utf-8", None, in_place=True)
        return cls(manuscript.source_name, manuscript.encoding, manuscript.detected_language)


def _narrate_in_place(
    staging: Staging,
    source: InPlaceBook,
    slug: str,
    modified: dt.datetime,
    narrator: Narrator | None,
    chapters: tuple[ChapterFile, ...],
    config: BuildConfig,
) -> None:
    narration = None
    if narrator is not None and config.epub_audio:
        narration = InPlaceNarration(
            tuple(Narrated(staging.path(c.href), c.timeline) for c in chapters),
            narrator.description,
            config.overlay_granularity,
        )
    epub_path = staging.path(f"{slug}.epub")
    write_in_place(source, epub_path, modified, narration)
    verify_epub(epub_path)


def _report(
    book: Book,
    origin: _Origin,
    config: BuildConfig,
    slug: str,
    narrator: Narrator | None,
    narration: Narration | None,
    timings: Timings,
    one_files: list[str],
) -> BuildReport:
    return BuildReport(
        book,
        config.output_dir / slug,
        slug,
        origin.name,
        origin.encoding,
        narrator,
        narration,
        dict(timings.seconds),
        config.cache_dir is not None and narrator is not None,
        config.audio_profile,
        tuple(one_files),
        origin.detected_language,
        origin.in_place,
    )
