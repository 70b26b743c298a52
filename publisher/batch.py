"""`publisher batch`: a catalogue of manuscripts, built on a Dask cluster.

Each book is one Dask task that runs exactly what `publisher build` runs (so the bytes are
the same), on a worker process of a LocalCluster on this machine or of a remote cluster
given by ``--scheduler``. Dask retries a task whose worker dies; a book that fails is
reported and the batch goes on. A rerun skips books whose manuscript, side files and
options are unchanged since they were last built (their build key is in report.json).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from publisher.config import BuildConfig
from publisher.errors import ConfigError, PublisherError
from publisher.readers import reader_suffixes
from publisher.settings import PATH_KEYS, Layer, environment_layer, resolve, schema
from publisher.speech.engines.base import Clip
from publisher.speech.synthesis import Job, speak_batch
from publisher.version import __version__

REPORT = "batch-report.json"
# The catalogue's columns before settings had sections: still read, as these keys.
CATALOGUE_ALIASES = {
    "title": "input.title",
    "author": "input.author",
    "language": "input.language",
    "cover": "input.cover",
    "lexicon": "input.lexicon",
    "engine": "narration.engine",
    "voice": "narration.voice",
    "audio_profile": "audio.profile",
    "bitrate": "audio.bitrate",
    "chapters": "structure.chapters",
    "audio": "narration.enabled",
    "daisy": "outputs.daisy",
    "m4b": "outputs.m4b",
    "single_mp3": "outputs.single_mp3",
    "epub_audio": "epub.audio",
}
# One book is one task: its own narration on one process, the cluster's cores shared
# between books (a book's sentences still spread over the cluster through the backend).
BATCH_DEFAULTS = Layer("default", "publisher batch", {"narration.jobs": 1}, Path.cwd())


@dataclass(frozen=True)
class Entry:
    """One book of the catalogue: its manuscript and its row's settings."""

    manuscript: Path
    row: Layer | None = None

    def config(self, output_dir: Path, values: Mapping[str, object] | None = None) -> BuildConfig:
        """The book's build: batch's defaults < book.toml < its row < environment < ``values``."""
        layers = tuple(x for x in (self.row, environment_layer()) if x is not None)
        return BuildConfig(
            self.manuscript,
            output_dir,
            dict(values or {}),
            layers=layers,
            defaults=(BATCH_DEFAULTS,),
        )

    def key(self, values: Mapping[str, object] | None = None) -> str:
        """Changes whenever the book would build differently: its text, side files,
        settings or the publisher itself."""
        resolved = self.config(Path(), values).resolved
        digest = hashlib.sha256(__version__.encode())
        folder = self.manuscript.parent
        sources = [self.manuscript, folder / "book.toml", folder / "lexicon.pls"]
        sources += [Path(str(resolved.values[k])) for k in PATH_KEYS if resolved.values[k]]
        for source in sources:
            digest.update(source.name.encode() + b"\0")
            if source.is_file():
                digest.update(hashlib.sha256(source.read_bytes()).digest())
        shaping = {k: v for k, v in resolved.values.items() if schema()[k].spec.shapes}
        digest.update(json.dumps(shaping, sort_keys=True, default=str).encode())
        return digest.hexdigest()


@dataclass(frozen=True)
class Outcome:
    manuscript: str
    status: str  # "built", "skipped" or "failed"
    folder: str | None = None
    audio_s: float = 0.0
    seconds: float = 0.0
    error: str | None = None
    key: str = ""


@dataclass(frozen=True)
class BatchReport:
    outcomes: tuple[Outcome, ...]
    seconds: float
    workers: int

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def audio_hours(self) -> float:
        return sum(o.audio_s for o in self.outcomes) / 3600

    def as_json(self) -> dict[str, Any]:
        return {
            "generator": f"publisher {__version__}",
            "workers": self.workers,
            "wall_s": round(self.seconds, 3),
            "built": self.count("built"),
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "audio_hours": round(self.audio_hours, 4),
            "books": [o.__dict__ for o in self.outcomes],
        }


# --- the catalogue ----------------------------------------------------------------------


def read_catalogue(path: Path) -> list[Entry]:
    """A folder of manuscripts, or a CSV or JSONL file naming them with their options."""
    if path.is_dir():
        suffixes = reader_suffixes()
        found = sorted(
            p
            for p in path.rglob("*")
            if p.suffix.lower() in suffixes
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        return [Entry(p.resolve()) for p in found]
    if not path.is_file():
        raise ConfigError(f"catalogue {path} does not exist")
    if path.suffix.lower() == ".csv":
        rows = _csv_rows(path)
    elif path.suffix.lower() in {".jsonl", ".ndjson"}:
        rows = _jsonl_rows(path)
    else:
        raise ConfigError(f"catalogue {path.name}: use a folder, a .csv or a .jsonl file")
    return [_entry(path, line, row) for line, row in rows]


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        for line, row in enumerate(csv.DictReader(stream), 2):
            yield line, {k.strip(): v.strip() for k, v in row.items() if k and v and v.strip()}


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            row = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path.name}, line {line}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise ConfigError(f"{path.name}, line {line}: expected an object")
        yield line, row


def _entry(catalogue: Path, line: int, row: dict[str, Any]) -> Entry:
    where = f"{catalogue.name}, line {line}"
    manuscript = row.pop("manuscript", None)
    if not manuscript:
        raise ConfigError(f"{where}: no manuscript")
    values = {CATALOGUE_ALIASES.get(k.strip().lower(), k): v for k, v in row.items()}
    layer = Layer("catalogue", where, values, catalogue.parent)
    resolve([layer])  # every row's mistakes before any book is built
    return Entry((catalogue.parent / str(manuscript)).resolve(), layer)


# --- running it -------------------------------------------------------------------------


def build_entry(
    entry: Entry,
    output_dir: Path,
    values: Mapping[str, object],
    previous: tuple[str, str] | None,
) -> Outcome:
    """One book, on whichever worker Dask chose: skipped if up to date, else built."""
    from publisher.pipeline import publish  # imported on the worker, not in the driver

    started = time.perf_counter()
    name = str(entry.manuscript)
    try:
        key = entry.key(values)
    except PublisherError as exc:
        return Outcome(name, "failed", None, 0.0, time.perf_counter() - started, str(exc))
    folder, built_key = previous or ("", "")
    if folder and built_key == key and (Path(folder) / "report.json").is_file():
        return Outcome(name, "skipped", folder, _audio_s(Path(folder)), 0.0, key=key)
    try:
        config = entry.config(output_dir, values)
        report = publish(config, backend=_on_the_cluster)
    except PublisherError as exc:
        return Outcome(name, "failed", None, 0.0, time.perf_counter() - started, str(exc), key)
    except Exception as exc:  # a crash in an engine or a library: this book fails alone
        error = f"unexpected {type(exc).__name__}: {exc}"
        return Outcome(name, "failed", None, 0.0, time.perf_counter() - started, error, key)
    seconds = time.perf_counter() - started
    return Outcome(name, "built", str(report.folder), report.duration_s or 0.0, seconds, key=key)


def _on_the_cluster(
    pronunciations: dict[str, str], batches: list[list[Job]]
) -> Iterator[tuple[Job, Clip]]:
    """A book's sentences narrated by every worker of the cluster, not only its own.

    Runs inside the book's task: it submits the batches as tasks of their own (ahead of
    other books' tasks) and leaves the worker's thread to them while it waits."""
    from distributed import as_completed, get_client, rejoin, secede

    client = get_client()
    futures = {
        client.submit(speak_batch, pronunciations, batch, pure=False, priority=10): batch
        for batch in batches
    }
    secede()
    try:
        for future in as_completed(futures):
            yield from zip(futures[future], future.result(), strict=True)
    finally:
        rejoin()


def run_batch(
    entries: list[Entry],
    output_dir: Path,
    values: Mapping[str, object] | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> BatchReport:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ConfigError("publisher batch needs Dask: pip install 'publisher[batch]'") from None
    started = time.perf_counter()
    known = _previous(output_dir)
    todo, repeated = _first_listings(entries)
    output_dir = output_dir.resolve()
    repeats = [
        Outcome(str(e.manuscript), "failed", error="listed twice in the catalogue")
        for e in repeated
    ]
    for outcome in repeats:
        if on_outcome:
            on_outcome(outcome)
    outcomes: list[Outcome] = []
    if scheduler:
        client = Client(scheduler)
    else:
        from publisher.speech.synthesis import usable_cores

        cluster = LocalCluster(
            n_workers=workers or usable_cores(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    try:
        count = len(client.scheduler_info()["workers"])
        futures = [
            client.submit(
                build_entry,
                entry,
                output_dir,
                dict(values or {}),
                known.get(str(entry.manuscript)),  # only its own line of the last report
                pure=False,
            )
            for entry in todo
        ]
        by_future = dict(zip(futures, todo, strict=True))
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except Exception as exc:  # every worker that tried it died (KilledWorker)
                entry = by_future[future]
                outcome = Outcome(
                    str(entry.manuscript), "failed", error=f"{type(exc).__name__}: {exc}"
                )
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
    finally:
        client.close()
        if not scheduler:
            cluster.close()
    order = {str(e.manuscript): i for i, e in reversed(list(enumerate(entries)))}
    # Stable: a repeated listing comes after the book's own outcome.
    outcomes = sorted([*outcomes, *repeats], key=lambda o: order.get(o.manuscript, 0))
    outcomes = _collisions(outcomes)
    report = BatchReport(tuple(outcomes), time.perf_counter() - started, count)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / REPORT).write_text(
        json.dumps(report.as_json(), indent=2) + "\n", encoding="utf-8"
    )
    return report


def _collisions(outcomes: list[Outcome]) -> list[Outcome]:
    """Two manuscripts with one title build into one folder: only the last survives, so
    the others are reported as failed."""
    claimed: dict[str, str] = {}
    checked = []
    for outcome in outcomes:
        first = claimed.setdefault(outcome.folder or "", outcome.manuscript)
        if outcome.folder and first != outcome.manuscript:
            error = f"same book folder as {first} (same title); give one another title"
            outcome = replace(outcome, status="failed", error=error)
        checked.append(outcome)
    return checked


def _first_listings(entries: list[Entry]) -> tuple[list[Entry], list[Entry]]:
    """The entries to build (each manuscript's first listing) and the repeats."""
    seen: set[Path] = set()
    first: list[Entry] = []
    repeated: list[Entry] = []
    for entry in entries:
        (repeated if entry.manuscript in seen else first).append(entry)
        seen.add(entry.manuscript)
    return first, repeated


def _previous(output_dir: Path) -> dict[str, tuple[str, str]]:
    """Manuscript to (book folder, build key), from the last batch into this folder."""
    try:
        books = json.loads((output_dir / REPORT).read_text(encoding="utf-8"))["books"]
        return {b["manuscript"]: (b["folder"], b["key"]) for b in books if b.get("folder")}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _audio_s(folder: Path) -> float:
    try:
        return float(json.loads((folder / "report.json").read_text())["duration_s"] or 0.0)
    except (OSError, ValueError, KeyError, TypeError):
        return 0.0
