"""Hearing a book's audio with Whisper (faster-whisper, on the CPU, offline).

The audio is heard in stretches of whole sentences, up to about 25 seconds each, cut in
the pauses the Timeline knows about: Whisper hears 30-second windows, and a window cut
mid-word loses or doubles the word. A stretch is heard without context from the last
one, so one mishearing cannot run on. Stretches are shared among worker processes of
one thread each, which hears more per second on two cores than one process of two.
"""

from __future__ import annotations

import io
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from publisher.errors import ListenError
from publisher.listen.book import Chapter, NarratedBook, Unit, read_audio

SAMPLE_RATE = 16_000
STRETCH_S = 25.0
# Shorter than this, a book is heard in this process, on every core.
SHORT_S = 120.0
_EDGE_S = 0.2


@dataclass(frozen=True)
class Stretch:
    """Consecutive units of one chapter, heard together."""

    chapter: int
    units: tuple[Unit, ...]
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Heard:
    stretch: Stretch
    text: str


def stretches(chapter: Chapter) -> list[Stretch]:
    out: list[Stretch] = []
    group: list[Unit] = []
    for unit in chapter.units:
        if group and unit.end_s - group[0].start_s > STRETCH_S:
            out.append(_stretch(chapter, group, unit.start_s))
            group = []
        group.append(unit)
    if group:
        out.append(_stretch(chapter, group, None))
    return out


def _stretch(chapter: Chapter, units: list[Unit], next_start: float | None) -> Stretch:
    start = max(0.0, units[0].start_s - _EDGE_S)
    end = units[-1].end_s + _EDGE_S
    if next_start is not None:
        end = min(end, (units[-1].end_s + next_start) / 2)
    return Stretch(chapter.index, tuple(units), start, end)


def hear(
    book: NarratedBook,
    model: Path,
    jobs: int,
    progress: Callable[[float], None] | None = None,
) -> list[Heard]:
    """Every stretch of the book, heard; ``progress`` gets the seconds heard so far.

    A few stretches per worker wait in the queue, never the whole book: a long book's
    audio, decoded, would not fit in memory."""
    heard: list[Heard] = []
    pending: deque[tuple[Stretch, Future[str]]] = deque()
    done_s = 0.0

    def collect() -> None:
        nonlocal done_s
        stretch, future = pending.popleft()
        heard.append(Heard(stretch, future.result()))
        done_s += stretch.end_s - stretch.start_s
        if progress:
            progress(done_s)

    if book.duration_s < SHORT_S:
        jobs = 1  # starting workers would take longer than hearing it
    try:
        _hear_all(book, model, jobs, pending, collect)
    except BrokenProcessPool as exc:
        raise ListenError(
            "a listening worker process stopped unexpectedly (killed, or out of memory?); "
            "run it again with fewer --jobs"
        ) from exc
    return heard


def _hear_all(
    book: NarratedBook,
    model: Path,
    jobs: int,
    pending: deque[tuple[Stretch, Future[str]]],
    collect: Callable[[], None],
) -> None:
    language = book.language.split("-")[0].lower()
    with _pool(model, jobs) as pool:
        for chapter in book.chapters:
            samples = _decode(read_audio(book, chapter), chapter)
            for stretch in stretches(chapter):
                clip = samples[
                    int(stretch.start_s * SAMPLE_RATE) : int(stretch.end_s * SAMPLE_RATE)
                ]
                pending.append((stretch, pool.submit(_transcribe, clip, language)))
                while len(pending) > 3 * max(jobs, 1):
                    collect()
        while pending:
            collect()


def _decode(mp3: bytes, chapter: Chapter) -> Any:
    try:
        return _whisper().decode_audio(io.BytesIO(mp3), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises its own errors for damaged files
        raise ListenError(f"cannot decode {chapter.audio}: {exc}") from None


class _InProcess:
    """The pool's interface, run here: for one job, where a worker would only cost."""

    def __init__(self, model: Path) -> None:
        _load(str(model), 0)
        if _PROBLEM is not None:
            raise _PROBLEM

    def submit(self, fn: Callable[..., str], *args: Any) -> Future[str]:
        future: Future[str] = Future()
        future.set_result(fn(*args))
        return future

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _pool(model: Path, jobs: int) -> Any:
    if jobs <= 1:
        return _InProcess(model)
    # "spawn": a forked worker would inherit the locks of threads the parent holds (ONNX
    # Runtime's, CTranslate2's) and can hang on them.
    return ProcessPoolExecutor(jobs, get_context("spawn"), _load, (str(model), 1))


_MODEL: Any = None
_PROBLEM: ListenError | None = None


def _whisper() -> Any:
    try:
        import faster_whisper
    except ImportError:
        raise ListenError(
            "the speech recogniser is not installed: pip install 'publisher[listen]'"
        ) from None
    return faster_whisper


def _load(model: str, threads: int) -> None:
    """Load the model once per process (``threads`` 0: as many as the machine has). A
    worker keeps what went wrong for its first stretch to raise, so that the caller gets
    the one-line error rather than the worker's traceback and a broken pool."""
    global _MODEL, _PROBLEM
    _PROBLEM = None
    count = threads or os.cpu_count() or 1
    try:
        _MODEL = _whisper().WhisperModel(
            model, device="cpu", compute_type="int8", cpu_threads=count
        )
    except ListenError as exc:
        _PROBLEM = exc
    except (RuntimeError, ValueError, OSError) as exc:  # CTranslate2's errors for a bad model
        _PROBLEM = ListenError(f"{model} cannot be loaded as a Whisper model ({exc})")


def _transcribe(samples: Any, language: str) -> str:
    if _PROBLEM is not None:
        raise _PROBLEM
    segments, _ = _MODEL.transcribe(
        samples,
        language=language,
        beam_size=1,
        temperature=0.0,
        condition_on_previous_text=False,
        without_timestamps=True,
        vad_filter=False,
    )
    return " ".join(segment.text.strip() for segment in segments)
