"""Narrate a book chapter by chapter: script, synthesis, assembly, MP3 and tags.

One chapter is in memory at a time; its MP3 is written before the next one starts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from publisher.audio.assemble import assemble_chapter
from publisher.audio.encode import encode_mp3
from publisher.audio.tags import ChapterTags, write_tags
from publisher.errors import EngineError
from publisher.model import Book, ChapterTimeline, Paragraph, Section
from publisher.output import Staging, make_slug
from publisher.speech.engines import DEFAULT_ENGINE, Engine, load_engine
from publisher.speech.normalize import Normalizer
from publisher.speech.script import Pauses, section_script
from publisher.timing import Timings
from publisher.version import __version__

log = logging.getLogger(__name__)

FALLBACK_ENGINE = "espeak"
MAX_FILE_SLUG = 40


@dataclass(frozen=True)
class Narrator:
    engine: Engine
    voice: str

    @property
    def description(self) -> str:
        return f"synthetic voice: {self.engine.label}, voice {self.voice}"


@dataclass(frozen=True)
class AudioSettings:
    pauses: Pauses
    bitrate_kbps: int
    year: str
    say: Normalizer


@dataclass(frozen=True)
class ChapterFile:
    section: Section
    href: str
    timeline: ChapterTimeline


def choose_narrator(engine_name: str | None, voice: str | None, language: str) -> Narrator:
    """The engine and voice for a book; the default engine gives way when it lacks the language."""
    engine = _usable(load_engine(engine_name or DEFAULT_ENGINE))
    if voice is not None:
        known = {v.id for v in engine.voices()}
        if voice not in known:
            raise EngineError(
                f"{engine.name} has no voice {voice!r}; `publisher voices` lists them"
            )
        return Narrator(engine, voice)
    chosen = engine.default_voice(language)
    if chosen is not None:
        return Narrator(engine, chosen)
    if engine_name is None:
        fallback = _usable(load_engine(FALLBACK_ENGINE))
        chosen = fallback.default_voice(language)
        if chosen is not None:
            log.warning(
                "%s has no %s voice here; narrating with %s voice %s",
                engine.name,
                language,
                fallback.name,
                chosen,
            )
            return Narrator(fallback, chosen)
    raise EngineError(
        f"{engine.name} has no voice for language {language}; try --engine {FALLBACK_ENGINE}"
        " or see `publisher voices`"
    )


def narrate_book(
    book: Book, narrator: Narrator, settings: AudioSettings, staging: Staging, timings: Timings
) -> tuple[ChapterFile, ...]:
    files: list[ChapterFile] = []
    width = max(2, len(str(len(book.sections))))
    phonemes = settings.say.lexicon.phonemes()
    for number, section in enumerate(book.sections, 1):
        script = section_script(section, settings.pauses, settings.say)
        with timings.stage("narrate"):
            spoken = [
                (u, narrator.engine.synthesize(u.text, narrator.voice, phonemes)) for u in script
            ]
        with timings.stage("assemble"):
            chapter = assemble_chapter(section.id, spoken, settings.pauses)
        slug = make_slug(section.display_title)[:MAX_FILE_SLUG].strip("-") or "chapter"
        href = f"audio/{number:0{width}d}-{slug}.mp3"
        with timings.stage("encode"):
            path = staging.path(href)
            encode_mp3(chapter.pcm, chapter.sample_rate, path, settings.bitrate_kbps)
            texts = {u.id: u.text for u in script}
            texts |= {p.id: p.text for p in section.content if isinstance(p, Paragraph)}
            tags = _tags(book, section, number, settings.year)
            write_tags(path, tags, chapter.timeline, texts)
        log.info("narrated %s (%.1f s)", section.display_title, chapter.duration_ms / 1000)
        files.append(ChapterFile(section, href, chapter.timeline))
    return tuple(files)


def _tags(book: Book, section: Section, number: int, year: str) -> ChapterTags:
    meta = book.metadata
    return ChapterTags(
        title=section.display_title,
        album=meta.title,
        artist=meta.author,
        track=number,
        tracks=len(book.sections),
        language=meta.language,
        year=year,
        encoder=f"publisher {__version__}",
        cover=book.cover,
    )


def _usable(engine: Engine) -> Engine:
    problem = engine.problem()
    if problem:
        raise EngineError(f"the {engine.name} engine cannot narrate here: {problem}")
    return engine
