"""Narrate a book: script, synthesis (cached, on every core), assembly, MP3 and tags.

Chapters are finished in book order as soon as their sentences are spoken, so encoding
overlaps narration, and only the clips of chapters not yet finished are held in memory.
"""

from __future__ import annotations

import logging
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from publisher.audio.assemble import KEEP_MS, SILENCE_DBFS, assemble_chapter
from publisher.audio.encode import encoder_version
from publisher.audio.ffmpeg import SAMPLE_RATE
from publisher.audio.loudness import LIMITER, PROFILES, AudioProfile, normalise
from publisher.audio.onefile import ChapterFiles, encode_chapter
from publisher.audio.tags import ChapterTags, write_tags
from publisher.cache import SentenceCache, clip_key, content_key
from publisher.errors import EngineError
from publisher.model import (
    Book,
    ChapterTimeline,
    Paragraph,
    Pauses,
    Section,
    Utterance,
    content_items,
)
from publisher.output import Staging, make_slug
from publisher.speech.engines import DEFAULT_ENGINE, Engine, load_engine
from publisher.speech.engines.base import Clip, Voice, language_matches
from publisher.speech.normalize import Normalizer
from publisher.speech.script import Reading, section_script
from publisher.speech.synthesis import Backend, Job, engine_pieces, speak, synthesize
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
    profile: AudioProfile = PROFILES["speech"]
    reading: Reading = field(default_factory=Reading)
    aac: bool = True  # encode each chapter's AAC too, for the M4B
    flac: bool = False  # and keep it lossless (FLAC), for the one-file MP3


@dataclass(frozen=True)
class ChapterFile:
    section: Section
    href: str  # its place in the book
    timeline: ChapterTimeline
    path: Path  # where the MP3 is now: narration's working folder, until it is moved
    # The chapter's audio for the one-file books (in scratch or the cache): lossless for the
    # one-file MP3, AAC frames for the M4B (each None when the build does not make that book).
    flac: Path | None
    aac: Path | None


def choose_narrator(engine_name: str | None, voice: str | None, language: str) -> Narrator:
    """The engine and voice for a book; the default engine gives way when it lacks the language."""
    engine = _usable(load_engine(engine_name or DEFAULT_ENGINE))
    if voice is not None:
        voices = engine.voices()
        if voice not in {v.id for v in voices}:
            raise EngineError(
                f"{engine.name} has no voice {voice!r}; {_voice_hint(engine, voices, language)}"
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


@dataclass(frozen=True)
class Progress:
    """Narration so far: sentences (cached ones count as done at once) and audio made."""

    done: int
    total: int
    audio_s: float
    cache_hits: int


ProgressHook = Callable[[Progress], None]


@dataclass(frozen=True)
class Narration:
    files: tuple[ChapterFile, ...]
    cache_hits: int
    cache_misses: int


@dataclass(frozen=True)
class _Piece:
    """What the engine is asked to say in one go, and the cache's name for its audio."""

    key: str
    text: str


@dataclass(frozen=True)
class _Plan:
    """One chapter's narration, worked out before any sound is made."""

    number: int
    section: Section
    script: tuple[Utterance, ...]
    parts: tuple[tuple[_Piece, ...], ...]  # per utterance: one piece, or more if it is long
    key: str  # the encoded chapter's
    href: str

    @property
    def keys(self) -> list[str]:
        return [piece.key for part in self.parts for piece in part]


def narrate_book(
    book: Book,
    narrator: Narrator,
    settings: AudioSettings,
    staging: Staging,
    timings: Timings,
    scratch: Path,
    cache: SentenceCache | None = None,
    jobs: int = 1,
    progress: ProgressHook | None = None,
    backend: Backend | None = None,
) -> Narration:
    """Every chapter's MP3, tagged, in ``staging``. Chapters whose sound has not changed
    come from the cache already encoded; sentences that did not change are not spoken
    again; the rest are spoken on ``jobs`` processes while finished chapters are encoded."""
    with timings.stage("script"):
        plans = _plans(book, narrator, settings)
    run = _Run(book, narrator, settings, staging, timings, scratch, cache, progress)
    run.total = sum(len(p.keys) for p in plans)
    waiting = [p for p in plans if not run.finish_from_cache(p)]
    work = run.work(waiting)
    phonemes = settings.say.lexicon.phonemes()
    spoken = synthesize(narrator.engine, narrator.voice, phonemes, work, jobs, backend)
    with timings.stage("narrate"):
        for job, clip in spoken:
            run.arrived(job, clip)
            while waiting and run.ready(waiting[0]):
                run.finish(waiting.pop(0))
    # Chapters whose every sentence was cached (nothing was spoken for them) finish here.
    for plan in waiting:
        run.finish(plan)
    files = tuple(sorted(run.files, key=lambda f: f.section.index))
    return Narration(files, run.hits, run.misses)


def _plans(book: Book, narrator: Narrator, settings: AudioSettings) -> list[_Plan]:
    engine = narrator.engine
    engine_version = engine.version()
    phonemes = settings.say.lexicon.phonemes()
    width = max(2, len(str(len(book.sections))))
    plans = []
    for number, section in enumerate(book.sections, 1):
        script = section_script(section, settings.pauses, settings.say, settings.reading)
        parts = tuple(
            tuple(
                _Piece(clip_key(engine.name, engine_version, narrator.voice, text, phonemes), text)
                for text in engine_pieces(u.text)
            )
            for u in script
        )
        chapter_key = content_key(
            "chapter",
            [[piece.key for piece in part] for part in parts],
            [
                (u.id, u.kind, u.pause_before, u.paragraph_id, [(g.id, g.type) for g in u.groups])
                for u in script
            ],
            asdict(settings.pauses),
            asdict(settings.profile),
            settings.bitrate_kbps,
            SAMPLE_RATE,
            SILENCE_DBFS,
            LIMITER,
            KEEP_MS,
            encoder_version(),
        )
        slug = make_slug(section.display_title)[:MAX_FILE_SLUG].strip("-") or "chapter"
        href = f"audio/{number:0{width}d}-{slug}.mp3"
        plans.append(_Plan(number, section, script, parts, chapter_key, href))
    return plans


class _Run:
    """The state of one narration: clips waiting for their chapter, counts, progress."""

    def __init__(
        self,
        book: Book,
        narrator: Narrator,
        settings: AudioSettings,
        staging: Staging,
        timings: Timings,
        scratch: Path,
        cache: SentenceCache | None,
        progress: ProgressHook | None,
    ) -> None:
        self.book, self.narrator, self.settings, self.scratch = book, narrator, settings, scratch
        self.staging, self.timings, self.cache, self.progress = staging, timings, cache, progress
        self.files: list[ChapterFile] = []
        self.clips: dict[str, Clip] = {}
        self.needed: Counter[str] = Counter()  # clips still wanted by unfinished chapters
        self.missing: Counter[str] = Counter()  # utterances waiting for each new clip
        self.total = self.done = self.hits = self.misses = 0
        self.audio_s = 0.0

    def finish_from_cache(self, plan: _Plan) -> bool:
        entry = (
            self.cache.get_chapter(plan.key, self.settings.aac, self.settings.flac)
            if self.cache
            else None
        )
        if entry is None:
            return False
        with self.timings.stage("encode"):
            path = self.staging.path(plan.href)
            shutil.copyfile(entry.mp3, path)
            self._tag(plan, path, entry.timeline, entry.flac, entry.aac)
        self.hits += len(plan.keys)
        self._advance(len(plan.keys), entry.timeline.duration_ms / 1000)
        return True

    def work(self, plans: list[_Plan]) -> list[Job]:
        """The sentences to synthesise, in book order, each once."""
        jobs: list[Job] = []
        for plan in plans:
            for utterance, part in zip(plan.script, plan.parts, strict=True):
                for piece in part:
                    self._plan_piece(utterance, piece, jobs)
        return jobs

    def _plan_piece(self, utterance: Utterance, piece: _Piece, jobs: list[Job]) -> None:
        key = piece.key
        self.needed[key] += 1
        if key in self.missing:
            self.missing[key] += 1  # the same words again: spoken once
        elif self.cache is not None and self.cache.has_clip(key):
            self.hits += 1
            self._advance(1, 0.0)
        else:
            self.missing[key] = 1
            jobs.append(Job(key, piece.text, utterance.id))

    def arrived(self, job: Job, clip: Clip) -> None:
        self.misses += 1
        copies = self.missing.pop(job.key, 1)
        self.clips[job.key] = clip
        if self.cache is not None:
            self.cache.put_clip(job.key, clip)
        self._advance(copies, copies * clip.samples / clip.sample_rate)

    def ready(self, plan: _Plan) -> bool:
        return not any(key in self.missing for key in plan.keys)

    def finish(self, plan: _Plan) -> None:
        spoken = [
            (u, self._joined(u, part)) for u, part in zip(plan.script, plan.parts, strict=True)
        ]
        with self.timings.stage("assemble"):
            chapter = assemble_chapter(plan.section.id, spoken, self.settings.pauses)
        with self.timings.stage("loudness"):
            pcm = normalise(chapter.pcm, chapter.sample_rate, self.settings.profile)
        with self.timings.stage("encode"):
            path = self.staging.path(plan.href)
            # Each encode beyond the MP3 only for the one-file book that needs it.
            flac = self.scratch / f"{plan.number:04d}.flac" if self.settings.flac else None
            aac = self.scratch / f"{plan.number:04d}.aac" if self.settings.aac else None
            encode_chapter(
                pcm,
                chapter.sample_rate,
                ChapterFiles(path, flac, aac),
                self.settings.bitrate_kbps,
                self.settings.profile.sample_rate,
            )
            if self.cache is not None:
                self.cache.put_chapter(plan.key, path, flac, aac, chapter.timeline)
            self._tag(plan, path, chapter.timeline, flac, aac)
        log.info("narrated %s (%.1f s)", plan.section.display_title, chapter.duration_ms / 1000)

    def _joined(self, utterance: Utterance, part: tuple[_Piece, ...]) -> Clip:
        """An utterance's audio: its pieces one after another, as the engine spoke them."""
        clips = [self._clip(utterance, piece) for piece in part]
        if len(clips) == 1:
            return clips[0]
        return Clip(b"".join(c.pcm for c in clips), clips[0].sample_rate)

    def _clip(self, utterance: Utterance, piece: _Piece) -> Clip:
        """A clip from this run, else from the cache, else (a damaged entry) spoken now."""
        key = piece.key
        clip = self.clips.get(key) or (self.cache.get_clip(key) if self.cache else None)
        if clip is None:
            job = Job(key, piece.text, utterance.id)
            phonemes = self.settings.say.lexicon.phonemes()
            clip = speak(self.narrator.engine, job, self.narrator.voice, phonemes)
            if self.cache is not None:
                self.cache.put_clip(key, clip)
            self.hits -= 1
            self.misses += 1
        self.needed[key] -= 1
        if self.needed[key] <= 0:
            self.clips.pop(key, None)  # one chapter's clips in memory, not the book's
        return clip

    def _tag(
        self,
        plan: _Plan,
        path: Path,
        timeline: ChapterTimeline,
        flac: Path | None,
        aac: Path | None,
    ) -> None:
        texts = {u.id: u.text for u in plan.script}
        content = content_items(plan.section.content)
        texts |= {p.id: p.text for p in content if isinstance(p, Paragraph)}
        tags = _tags(self.book, plan.section, plan.number, self.settings.year)
        write_tags(path, tags, timeline, texts)
        self.files.append(ChapterFile(plan.section, plan.href, timeline, path, flac, aac))

    def _advance(self, sentences: int, audio_s: float) -> None:
        self.done += sentences
        self.audio_s += audio_s
        if self.progress is not None:
            self.progress(Progress(self.done, self.total, self.audio_s, self.hits))


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


def _voice_hint(engine: Engine, voices: tuple[Voice, ...], language: str) -> str:
    """The voices to choose from: all of them if few, else those for the book's language."""
    shown = (
        voices
        if len(voices) <= 8
        else [v for v in voices if language_matches(v.language, language)]
    )
    names = ", ".join(v.id for v in shown[:8])
    more = len(voices) - min(len(shown), 8)
    rest = f" ({more} more: `publisher voices --engine {engine.name}`)" if more else ""
    return (
        f"it has {names}{rest}"
        if names
        else f"`publisher voices --engine {engine.name}` lists them"
    )


def _usable(engine: Engine) -> Engine:
    problem = engine.problem()
    if problem:
        raise EngineError(f"the {engine.name} engine cannot narrate here: {problem}")
    return engine
