"""publish(config): the stages in order, each timed, and nothing else."""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from publisher.cache import SentenceCache
from publisher.config import BuildConfig
from publisher.errors import OutputError
from publisher.formats.epub import book_identifier
from publisher.inplace.book import InPlaceBook, narrates_in_place, read_in_place
from publisher.metadata import load_chapter_titles
from publisher.model import Book, DetectedLanguage, Manuscript, book_text
from publisher.narration import (
    AudioSettings,
    ChapterFile,
    Narration,
    ProgressHook,
    narrate_book,
)
from publisher.output import Staging, make_slug, staged_book
from publisher.outputs import Built, Output, registry
from publisher.readers import read_manuscript
from publisher.settings import Settings
from publisher.speech.cast import Cast, choose_cast
from publisher.speech.lexicon import Lexicon, find_lexicon
from publisher.speech.normalize import Normalizer
from publisher.speech.synthesis import Backend
from publisher.structure.chapters import build_book
from publisher.timing import Timings
from publisher.version import __version__

log = logging.getLogger(__name__)

# Narration's working folder inside the staged book, on the same file system, so the
# chapter MP3s are moved into the book rather than copied.
WORK = ".narration"


@dataclass(frozen=True)
class BuildReport:
    """What a build produced; ``as_json`` is what report.json holds."""

    book: Book
    folder: Path
    slug: str
    source: str
    encoding: str
    narrator: Cast | None
    narration: Narration | None
    timings: dict[str, float]
    cache_enabled: bool
    audio_profile: str
    outputs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # name -> files
    detected_language: DetectedLanguage | None = None  # when the manuscript declared none
    in_place: bool = False  # a source EPUB narrated in its own pages
    # How the narration was made (the normaliser, its lexicon, pauses): the studio says
    # a sentence again exactly so.
    audio: AudioSettings | None = None

    @property
    def chapters(self) -> tuple[ChapterFile, ...]:
        return self.narration.files if self.narration else ()

    @property
    def epub(self) -> Path:
        files = self.outputs.get("epub")
        if not files:
            raise OutputError("this build made no EPUB: outputs.epub is off")
        return self.folder / files[0]

    @property
    def duration_s(self) -> float | None:
        if self.narrator is None:
            return None
        return round(sum(c.timeline.duration_ms for c in self.chapters) / 1000, 3)

    def _cast(self) -> list[dict[str, Any]]:
        """Every voice of the cast, the roles it reads, and how long it spoke."""
        if self.narrator is None:
            return []
        spoken = self.narration.seconds_by_voice() if self.narration else {}
        return [
            {
                "voice": voice,
                "engine": voice.split(":", 1)[0],
                "roles": roles,
                "minutes": round(spoken.get(voice, 0.0) / 60, 2),
            }
            for voice, roles in self.narrator.roles_of().items()
        ]

    def as_json(self) -> dict[str, Any]:
        meta = self.book.metadata
        audio = {c.section.id: c for c in self.chapters}
        mp3s = "mp3" in self.outputs
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
            "cast": self._cast(),
            "audio_profile": self.audio_profile if self.narrator else None,
            "duration_s": self.duration_s,
            "words": self.book.words,
            "outputs": {name: list(files) for name, files in self.outputs.items()},
            "epub_made": "in place" if self.in_place else "typeset",
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
                    "audio": audio[s.id].href if s.id in audio and mp3s else None,
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
    settings = config.settings
    source, manuscript, book, lexicon = _read(config, timings)
    outputs = enabled_outputs(settings)
    # Choose the voice before anything is written, so a missing engine fails at once.
    narrator = cache = None
    if settings.narration.enabled and any(o.wants_audio(settings) for o in outputs):
        narration_settings = settings.narration
        narrator = choose_cast(
            narration_settings.engine,
            narration_settings.voice,
            book.metadata.language,
            settings.cast,
            narration_settings.quotes,
        )
        processes = config.processes()
        profile = config.profile()
        location = config.cache_location()
        cache = SentenceCache(location) if location else None
    made = [o for o in outputs if narrator is not None or not o.needs_audio]
    slug = make_slug(book.metadata.title)
    # A source narrated in place is modified now (or at SOURCE_DATE_EPOCH), not when it
    # was first published.
    modified = config.modified_time(None if source else book.metadata.date)
    narration: Narration | None = None
    written: dict[str, tuple[str, ...]] = {}
    with staged_book(config.output_dir, slug) as staging, _scratch() as scratch:
        audio = None
        if narrator is not None:
            year = (book.metadata.date or str(modified.year))[:4]
            say = Normalizer.for_text(book.metadata.language, book_text(book), lexicon)
            encodes = frozenset().union(*(o.encodes for o in made))
            audio = AudioSettings(
                settings.narration.pauses(),
                config.bitrate_kbps(),
                year,
                say,
                profile,
                reading=config.reading(),
                aac="aac" in encodes,
                flac="flac" in encodes,
            )
            work = Staging(staging.path(WORK))
            narration = narrate_book(
                book, narrator, audio, work, timings, scratch, cache, processes, progress, backend
            )
        chapters = narration.files if narration else ()
        built = Built(
            staging, book, slug, modified, settings, source, lexicon.source, narrator,
            chapters, audio, cache,
        )  # fmt: skip
        for output in made:
            with timings.stage(output.name):
                written[output.name] = output.write(built)
        shutil.rmtree(staging.root / WORK, ignore_errors=True)
        if book.cover is not None:
            # Players and file managers show a cover.jpg or cover.png beside the audio.
            staging.path(f"cover.{book.cover.extension}").write_bytes(book.cover.data)
        timings.seconds["total"] = time.perf_counter() - started
        origin = _Origin.of(manuscript, config.input)
        report = _report(book, origin, config, slug, narrator, narration, cache, timings, written)
        staging.write_json("report.json", report.as_json())
    return replace(report, audio=audio)


def _read(
    config: BuildConfig, timings: Timings
) -> tuple[InPlaceBook | None, Manuscript | None, Book, Lexicon]:
    """The source (an EPUB narrated in place, or a manuscript), the book made of it, and
    the lexicon its narration uses."""
    settings = config.settings
    with timings.stage("read"):
        in_place = narrates_in_place(config.input, settings.input.in_place)
        source = read_in_place(config.input, config.overrides()) if in_place else None
        manuscript = None if source else read_manuscript(config.input, config.overrides())
    with timings.stage("structure"):
        lexicon = find_lexicon(config.input, settings.input.lexicon)
        if source is not None:
            book = source.book
            lexicon = lexicon.with_entries(source.lexicon.entries)
        else:
            assert manuscript is not None
            lexicon = lexicon.with_entries(manuscript.pronunciations)
            book = build_book(manuscript, config.chapter_options(load_chapter_titles(config.input)))
    return source, manuscript, book, lexicon


def book_folder(config: BuildConfig) -> Path:
    """Where ``publish(config)`` puts the book, found without building it (the manuscript
    is read, nothing narrated or written)."""
    _, _, book, _ = _read(config, Timings())
    return config.output_dir / make_slug(book.metadata.title)


def enabled_outputs(settings: Settings) -> list[Output]:
    """The outputs this build makes, in registry order: those switched on whose every
    required output is made too."""
    chosen = [o for o in registry() if settings.enabled(o.name)]
    names = {o.name for o in chosen}
    kept = [o for o in chosen if all(r in names for r in o.requires)]
    for output in chosen:
        if output not in kept:
            needed = ", ".join(r for r in output.requires if r not in names)
            log.info("no %s: it lists what outputs.%s makes, which is off", output.title, needed)
    return kept


@contextlib.contextmanager
def _scratch() -> Iterator[Path]:
    """Working files (each chapter's FLAC and AAC) that never reach the output."""
    with tempfile.TemporaryDirectory(prefix="publisher-") as folder:
        yield Path(folder)


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


def _report(
    book: Book,
    origin: _Origin,
    config: BuildConfig,
    slug: str,
    narrator: Cast | None,
    narration: Narration | None,
    cache: SentenceCache | None,
    timings: Timings,
    written: dict[str, tuple[str, ...]],
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
        cache is not None and narrator is not None,
        config.settings.audio.profile,
        written,
        origin.detected_language,
        origin.in_place,
    )
