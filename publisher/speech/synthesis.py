"""Synthesis on every core: worker processes that each load the voice once.

Sentences are sent in small batches, in book order, so that the first chapters finish
early (and are encoded while the rest is narrated) and no worker is left idle for long at
the end. Each sentence's audio depends only on its text, never on which worker spoke it
or how many there were, so the output is the same for any number of workers.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context

from publisher.errors import EngineError, PublisherError
from publisher.speech.engines import Engine, load_engine
from publisher.speech.engines.base import Clip

# About 30 s of speech per batch: a second or two of work, so the last batches end close
# together, while the cost of sending one (a millisecond) stays negligible.
BATCH_CHARACTERS = 400
# Below this much text, starting workers (a second each, the voice loaded in every one)
# costs more than it saves: an edited sentence is narrated in this process.
MIN_PARALLEL_CHARACTERS = 3000


@dataclass(frozen=True)
class Job:
    """Words for one voice of one engine (a book with a cast has several)."""

    key: str
    text: str
    engine: str
    voice: str
    id: str = ""  # the (first) utterance that says it, for error messages


def speak(engine: Engine, job: Job, pronunciations: Mapping[str, str]) -> Clip:
    """One utterance. An engine that crashes or says nothing gets one more try; then the
    build stops naming the sentence, so an editor can find and fix it."""
    problem = ""
    for _ in range(2):
        try:
            clip = engine.synthesize(job.text, job.voice, pronunciations)
        except PublisherError:
            raise  # already says what is wrong and what to do (no network, no voice)
        except Exception as exc:  # a third-party engine may fail in any way
            problem = f"{type(exc).__name__}: {exc}"
            continue
        if clip.pcm or not any(c.isalnum() for c in job.text):
            return clip
        problem = "it returned no audio"
    shown = job.text if len(job.text) <= 80 else job.text[:77] + "..."
    raise EngineError(
        f"{engine.name} failed twice on sentence {job.id or '?'} ({shown!r}): {problem}"
    )


# An utterance longer than this goes to the engine in pieces, cut at clause punctuation or
# else between words: a neural voice's memory grows with the square of its input, and a
# 10,000-word sentence (a transcript, a legal text) would exhaust it in one piece.
MAX_PIECE_CHARACTERS = 500
_CLAUSE_END = re.compile(r"(?<=[,;:\u2013\u2014)])\s+")


def engine_pieces(text: str, limit: int = MAX_PIECE_CHARACTERS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at clause ends if it can,
    between words if it must, and inside a word only when the word is longer than that."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    for clause in _CLAUSE_END.split(text):
        for part in _fit(clause, limit):
            if pieces and len(pieces[-1]) + 1 + len(part) <= limit:
                pieces[-1] += " " + part
            else:
                pieces.append(part)
    return pieces


def _fit(clause: str, limit: int) -> list[str]:
    parts: list[str] = []
    for word in clause.split():
        chunks = [word[i : i + limit] for i in range(0, len(word), limit)]
        for chunk in chunks:
            if parts and len(parts[-1]) + 1 + len(chunk) <= limit:
                parts[-1] += " " + chunk
            else:
                parts.append(chunk)
    return parts


def usable_cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# Narrates batches somewhere else (the workers of a Dask cluster, say): given the
# pronunciations and the batches, yields every job with its clip.
Backend = Callable[[dict[str, str], list[list[Job]]], Iterator[tuple[Job, Clip]]]


def synthesize(
    engines: Mapping[str, Engine],
    pronunciations: Mapping[str, str],
    jobs: Sequence[Job],
    processes: int,
    backend: Backend | None = None,
) -> Iterator[tuple[Job, Clip]]:
    """Every job's clip, in the order they finish. ``engines`` holds every engine the
    jobs name, by name; workers load their own by the same names."""
    batches = _batches(jobs)
    used = {job.engine for job in jobs}
    # The engines' own limit (1 for an online service), whatever this machine's cores.
    limits = [m for m in (engines[n].max_processes for n in used) if m]
    if backend is not None and len(batches) > 1 and min(limits, default=2) > 1:
        yield from backend(dict(pronunciations), batches)
        return
    limit = min([processes, *limits])
    workers = min(processes, len(batches), limit)
    if workers <= 1 or sum(len(j.text) for j in jobs) < MIN_PARALLEL_CHARACTERS:
        for job in jobs:
            yield job, speak(engines[job.engine], job, pronunciations)
        return
    # Work every worker would otherwise do at start-up (compiling Piper's voices on a
    # machine's first build), done once here: one process's time and memory, not N.
    for name in sorted(used):
        engines[name].prepare(sorted({j.voice for j in jobs if j.engine == name}))
    yield from _in_workers(dict(pronunciations), batches, workers)


def _batches(jobs: Sequence[Job]) -> list[list[Job]]:
    batches: list[list[Job]] = []
    size = 0
    for job in jobs:
        full = size + len(job.text) > BATCH_CHARACTERS
        # A batch holds one voice's words, so a worker that has only been sent the
        # narrator's never loads the other voices' models.
        if not batches or full or _speaker(batches[-1][-1]) != _speaker(job):
            batches.append([])
            size = 0
        batches[-1].append(job)
        size += len(job.text)
    return batches


def _speaker(job: Job) -> tuple[str, str]:
    return job.engine, job.voice


def _in_workers(
    pronunciations: dict[str, str],
    batches: list[list[Job]],
    workers: int,
) -> Iterator[tuple[Job, Clip]]:
    # "spawn": a fresh interpreter per worker, safe on every platform and with any threads
    # the parent holds; the cost is a second of start-up, paid once per build.
    pool = ProcessPoolExecutor(workers, get_context("spawn"), _start_worker, (os.getpid(),))
    try:
        # At most two batches in flight per worker: results stream back in book order and
        # an interrupted build has little queued work to abandon.
        queue = iter(batches)
        running: dict[Future[list[Clip]], list[Job]] = {}
        for batch in _take(queue, 2 * workers):
            running[pool.submit(speak_batch, pronunciations, batch)] = batch
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                batch = running.pop(future)
                yield from zip(batch, future.result(), strict=True)
                for more in _take(queue, 1):
                    job = pool.submit(speak_batch, pronunciations, more)
                    running[job] = more
    except BrokenProcessPool as exc:
        # The system killed a worker (out of memory, most often), or a script that calls
        # publish() lacks the `if __name__ == "__main__":` guard that spawned workers need.
        # A result or the next submit tells, whichever comes first after the death.
        raise EngineError(
            "a narration worker process stopped unexpectedly (killed, or out of memory?); "
            "run the build again, with fewer --jobs: what was narrated is cached, unless "
            "--no-cache"
        ) from exc
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _take(queue: Iterator[list[Job]], count: int) -> list[list[Job]]:
    return [batch for _, batch in zip(range(count), queue, strict=False)]


def _start_worker(build: int) -> None:
    # Ctrl-C is the parent's to handle: it stops the build and keeps the cache; workers
    # that also caught it would each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The build's process id comes from the build: a worker that starts after the build
    # was killed already has a new parent, and would watch that one.
    threading.Thread(target=_exit_with_parent, args=(build,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """End this worker when its build is gone. A build killed outright (SIGKILL, the
    out-of-memory killer) cannot stop its workers, and they would live on for good, each
    holding its voice in memory and blocked on a pipe that nobody reads."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


_engines: dict[str, Engine] = {}


def speak_batch(pronunciations: dict[str, str], batch: list[Job]) -> list[Clip]:
    """A batch in whatever process runs this (a local worker, a Dask worker): each engine
    is loaded on the first batch that needs it and kept for the next ones, so each
    worker loads a voice once."""
    clips = []
    for job in batch:
        engine = _engines.get(job.engine)
        if engine is None:
            engine = _engines[job.engine] = load_engine(job.engine)
        clips.append(speak(engine, job, pronunciations))
    return clips
