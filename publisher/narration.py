"""Narrate a book: script, synthesis (cached, on every core), assembly, MP3 and tags.

Chapters are finished in book order as soon as their sentences are spoken, so encoding
overlaps narration, and only the clips of chapters not yet finished are held in memory.
"""

from __future__ import annotations

import logging
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from publisher.audio.assemble import KEEP_MS, SILENCE_DBFS, assemble_chapter, at_rate, trim
from publisher.audio.encode import encoder_version
from publisher.audio.ffmpeg import SAMPLE_RATE
from publisher.audio.loudness import (
    LIMITER,
    PROFILES,
    AudioProfile,
    integrated_lufs,
    normalise,
    with_gain,
)
from publisher.audio.onefile import ChapterFiles, encode_chapter
from publisher.audio.tags import ChapterTags, write_tags
from publisher.cache import SentenceCache, clip_key, content_key
from publisher.errors import ConfigError
from publisher.model import (
    Book,
    ChapterTimeline,
    Paragraph,
    Pauses,
    Section,
    Subheading,
    Utterance,
    book_text,
    content_items,
)
from publisher.output import Staging, make_slug
from publisher.speech.cast import Cast, Narrator
from publisher.speech.dialogue import Roles
from publisher.speech.engines import Engine
from publisher.speech.engines.base import Clip
from publisher.speech.normalize import Normalizer
from publisher.speech.script import Reading, section_script
from publisher.speech.synthesis import Backend, Job, engine_pieces, speak, synthesize
from publisher.timing import Timings
from publisher.version import __version__

log = logging.getLogger(__name__)

MAX_FILE_SLUG = 40
# Silence where one voice hands over to another inside a sentence ('"Come in," said
# Holmes'): a comma's breath, so the change of voice does not clip the words.
VOICE_CHANGE_MS = 250
# What each voice of a cast is measured on to match its level to the narrator's: the
# book's own opening words, so the measure is of the book's language and the same for
# every build (and cached like any sentence).
CALIBRATION_CHARACTERS = 600


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

    def seconds_by_voice(self) -> dict[str, float]:
        """How long each voice of the cast spoke, from the chapters' Timelines."""
        spoken: Counter[str] = Counter()
        for chapter in self.files:
            for item in chapter.timeline.items:
                for voice, ms in zip(item.voices, item.voice_ms, strict=False):
                    spoken[voice] += ms
        return {voice: ms / 1000 for voice, ms in spoken.items()}


@dataclass(frozen=True)
class _Piece:
    """What one voice is asked to say in one go, and the cache's name for its audio."""

    key: str
    text: str
    speaker: Narrator


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
    cast: Cast,
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
    phonemes = settings.say.lexicon.phonemes()
    with timings.stage("script"):
        versions = {n.id: _version(n) for n in cast.members}
        plans = _plans(book, cast, settings, versions)
    speakers = {p.speaker.id: p.speaker for plan in plans for part in plan.parts for p in part}
    engines = {n.engine.name: n.engine for n in speakers.values()}
    with timings.stage("narrate"):
        gains = _levels(book, cast, speakers, versions, settings, cache, engines, jobs)
    if gains:
        plans = [replace(p, key=content_key(p.key, sorted(gains.items()))) for p in plans]
    run = _Run(book, gains, settings, staging, timings, scratch, cache, progress)
    run.total = sum(len(p.keys) for p in plans)
    waiting = [p for p in plans if not run.finish_from_cache(p)]
    work = run.work(waiting)
    spoken = synthesize(engines, phonemes, work, jobs, backend)
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


def _plans(
    book: Book, cast: Cast, settings: AudioSettings, versions: dict[str, str]
) -> list[_Plan]:
    roles = cast.roles(book.metadata.language, book_text(book))
    width = max(2, len(str(len(book.sections))))
    plans = []
    for number, section in enumerate(book.sections, 1):
        script, parts = _section_parts(section, cast, settings, versions, roles)
        chapter_key = content_key(
            "chapter",
            [[piece.key for piece in part] for part in parts],
            [
                (u.id, u.kind, u.pause_before, u.paragraph_id, [(g.id, g.type) for g in u.groups])
                for u in script
            ],
            [[piece.speaker.id for piece in part] for part in parts],
            asdict(settings.pauses),
            asdict(settings.profile),
            settings.bitrate_kbps,
            SAMPLE_RATE,
            SILENCE_DBFS,
            LIMITER,
            KEEP_MS,
            VOICE_CHANGE_MS,
            encoder_version(),
        )
        slug = make_slug(section.display_title)[:MAX_FILE_SLUG].strip("-") or "chapter"
        href = f"audio/{number:0{width}d}-{slug}.mp3"
        plans.append(_Plan(number, section, script, parts, chapter_key, href))
    return plans


def _section_parts(
    section: Section,
    cast: Cast,
    settings: AudioSettings,
    versions: dict[str, str],
    roles: Roles | None,
) -> tuple[tuple[Utterance, ...], tuple[tuple[_Piece, ...], ...]]:
    """A section's script, and what each voice is asked to say of each utterance."""
    phonemes = settings.say.lexicon.phonemes()
    script = section_script(section, settings.pauses, settings.say, settings.reading, roles)
    parts = tuple(
        tuple(
            _piece(cast.voice_of(voiced.role), versions, text, phonemes)
            for voiced in u.parts
            for text in engine_pieces(voiced.text)
        )
        for u in script
    )
    return script, parts


@dataclass(frozen=True)
class Said:
    """One utterance as a build says it: its words, its audio, and how many of its pieces
    had to be spoken (the rest came from the cache)."""

    text: str
    clip: Clip
    spoken: int


def say_utterance(
    book: Book,
    cast: Cast,
    settings: AudioSettings,
    utterance_id: str,
    cache: SentenceCache | None,
) -> Said:
    """The heading or sentence ``utterance_id`` spoken exactly as a build of ``book`` with
    these settings would speak it, through the cache: a build afterwards finds it there,
    and one already made costs nothing. Each voice at its own level (no cast matching)."""
    versions = {n.id: _version(n) for n in cast.members}
    roles = cast.roles(book.metadata.language, book_text(book))
    phonemes = settings.say.lexicon.phonemes()
    for section in book.sections:
        if not _holds(section, utterance_id):
            continue
        script, parts = _section_parts(section, cast, settings, versions, roles)
        for utterance, part in zip(script, parts, strict=True):
            if utterance.id != utterance_id:
                continue
            clips, spoken = [], 0
            for piece in part:
                clip = cache.get_clip(piece.key) if cache else None
                if clip is None:
                    clip = speak(piece.speaker.engine, _job(piece, utterance.id), phonemes)
                    spoken += 1
                    if cache is not None:
                        cache.put_clip(piece.key, clip)
                clips.append(clip)
            joined, _ = _joined_clips(clips, [p.speaker.id for p in part])
            return Said(utterance.text, joined, spoken)
    raise ConfigError(f"no sentence or heading {utterance_id!r} in this book")


def _holds(section: Section, utterance_id: str) -> bool:
    if utterance_id == section.heading_id or any(s.id == utterance_id for s in section.sentences):
        return True
    return any(
        isinstance(i, Subheading) and i.id == utterance_id for i in content_items(section.content)
    )


def _version(speaker: Narrator) -> str:
    """What makes a voice's sound: its engine's version, and the voice's own where the
    engine's does not cover it (a user's model file). A voice the engine's version
    covers keeps the keys its clips were always cached under."""
    own = speaker.engine.voice_version(speaker.voice)
    version = speaker.engine.version()
    return f"{version}; {own}" if own else version


def _piece(
    speaker: Narrator, versions: dict[str, str], text: str, phonemes: dict[str, str]
) -> _Piece:
    key = clip_key(speaker.engine.name, versions[speaker.id], speaker.voice, text, phonemes)
    return _Piece(key, text, speaker)


def _levels(
    book: Book,
    cast: Cast,
    speakers: dict[str, Narrator],
    versions: dict[str, str],
    settings: AudioSettings,
    cache: SentenceCache | None,
    engines: dict[str, Engine],
    jobs: int,
) -> dict[str, float]:
    """The gain (dB) that brings each voice of the cast to the narrator's level, from
    each saying the same passage: engines and voices differ by several dB, and without
    this a change of voice would jump in level mid-sentence."""
    if len(speakers) < 2:
        return {}
    phonemes = settings.say.lexicon.phonemes()
    passage = _calibration_text(book, settings)
    pieces = {i: _piece(n, versions, passage, phonemes) for i, n in speakers.items()}
    clips = {key: cache.get_clip(key) for key in (p.key for p in pieces.values())} if cache else {}
    wanted = [_job(p, "calibration") for p in pieces.values() if clips.get(p.key) is None]
    for job, spoken in synthesize(engines, phonemes, wanted, jobs):
        clips[job.key] = spoken
        if cache is not None:
            cache.put_clip(job.key, spoken)
    level = {}
    for speaker, piece in pieces.items():
        clip = clips[piece.key]
        if clip is not None:
            level[speaker] = integrated_lufs(trim(clip.pcm, clip.sample_rate), clip.sample_rate)
    reference = level.get(cast.narrator.id, next(iter(level.values())))
    return {
        s: round(max(-MAX_MATCH_DB, min(MAX_MATCH_DB, reference - v)), 2) for s, v in level.items()
    }


# Beyond this a voice is not merely quieter: something is wrong with it, and a huge gain
# would only raise its noise.
MAX_MATCH_DB = 15.0


def _calibration_text(book: Book, settings: AudioSettings) -> str:
    """The book's first sentences, said as the narrator says them."""
    words: list[str] = []
    length = 0
    for section in book.sections:
        for sentence in section.sentences:
            if sentence.role == "text":
                words.append(settings.say(sentence.text))
                length += len(words[-1]) + 1
            if length >= CALIBRATION_CHARACTERS:
                return " ".join(words)[: CALIBRATION_CHARACTERS * 2]
    return " ".join(words) or settings.say(book.metadata.title)


class _Run:
    """The state of one narration: clips waiting for their chapter, counts, progress."""

    def __init__(
        self,
        book: Book,
        gains: dict[str, float],
        settings: AudioSettings,
        staging: Staging,
        timings: Timings,
        scratch: Path,
        cache: SentenceCache | None,
        progress: ProgressHook | None,
    ) -> None:
        self.book, self.gains, self.settings, self.scratch = book, gains, settings, scratch
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
            jobs.append(_job(piece, utterance.id))

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
        joined = [self._joined(u, part) for u, part in zip(plan.script, plan.parts, strict=True)]
        spoken = [(u, clip) for u, (clip, _) in zip(plan.script, joined, strict=True)]
        with self.timings.stage("assemble"):
            voices = [voiced for _, voiced in joined]
            chapter = assemble_chapter(plan.section.id, spoken, self.settings.pauses, voices=voices)
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

    def _joined(
        self, utterance: Utterance, part: tuple[_Piece, ...]
    ) -> tuple[Clip, tuple[tuple[str, int], ...]]:
        """An utterance's audio: its pieces one after another, as the engines spoke them,
        each voice at the narrator's level; and each voice's share of it in ms."""
        clips = [self._level(piece, self._clip(utterance, piece)) for piece in part]
        return _joined_clips(clips, [piece.speaker.id for piece in part])

    def _level(self, piece: _Piece, clip: Clip) -> Clip:
        gain = self.gains.get(piece.speaker.id, 0.0)
        return Clip(with_gain(clip.pcm, gain), clip.sample_rate) if gain else clip

    def _clip(self, utterance: Utterance, piece: _Piece) -> Clip:
        """A clip from this run, else from the cache, else (a damaged entry) spoken now."""
        key = piece.key
        clip = self.clips.get(key) or (self.cache.get_clip(key) if self.cache else None)
        if clip is None:
            phonemes = self.settings.say.lexicon.phonemes()
            clip = speak(piece.speaker.engine, _job(piece, utterance.id), phonemes)
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


def _joined_clips(
    clips: list[Clip], speakers: list[str]
) -> tuple[Clip, tuple[tuple[str, int], ...]]:
    """Pieces one after another; a change of voice gets its breath."""
    if len(set(speakers)) == 1:
        joined = (
            clips[0]
            if len(clips) == 1
            else Clip(b"".join(c.pcm for c in clips), clips[0].sample_rate)
        )
        return joined, ((speakers[0], -1),)
    return _handed_over(clips, speakers)


def _job(piece: _Piece, said_by: str) -> Job:
    """The piece as work for its voice; ``said_by`` names the utterance, for errors."""
    speaker = piece.speaker
    return Job(piece.key, piece.text, speaker.engine.name, speaker.voice, said_by)


def _handed_over(
    clips: list[Clip], speakers: list[str]
) -> tuple[Clip, tuple[tuple[str, int], ...]]:
    """Pieces of several voices, at one sample rate, each voice's run trimmed of its
    engine's silence and a short breath between one voice and the next."""
    runs: list[tuple[str, bytes]] = []
    for clip, speaker in zip(clips, speakers, strict=True):
        pcm = at_rate(clip, SAMPLE_RATE)
        if runs and runs[-1][0] == speaker:
            runs[-1] = (speaker, runs[-1][1] + pcm)
        else:
            runs.append((speaker, pcm))
    gap = bytes(VOICE_CHANGE_MS * SAMPLE_RATE // 1000 * 2)
    pieces: list[bytes] = []
    shares: list[tuple[str, int]] = []
    for number, (speaker, pcm) in enumerate(runs):
        audio = trim(pcm, SAMPLE_RATE)
        pieces += [gap, audio] if number else [audio]
        shares.append((speaker, round(len(audio) / 2 * 1000 / SAMPLE_RATE)))
    return Clip(b"".join(pieces), SAMPLE_RATE), tuple(shares)
