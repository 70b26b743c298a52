"""`publisher batch` on a real Dask LocalCluster (issue 11): the same bytes as single
builds, failures that stay alone, up-to-date books skipped, a killed worker survived."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster, get_task_stream

from publisher import BuildConfig, publish
from publisher.batch import Entry, read_catalogue, run_batch
from publisher.cli import main

from .conftest import SOURCE

pytestmark = pytest.mark.slow

BOOK = (
    "---\ntitle: Small Book {n}\n---\n\n# One\n\nThe bell rang {n} times.\n\n"
    "# Two\n\nNobody came.\n"
)


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "report.json"
    }


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folder = tmp_path / "catalogue"
    folder.mkdir()
    for n in (1, 2, 3):
        (folder / f"book{n}.md").write_text(BOOK.format(n=n), encoding="utf-8")
    return folder


def test_two_local_workers_build_three_books_byte_for_byte_as_single_builds_do(
    catalogue: Path, tmp_path: Path
) -> None:
    report = run_batch(read_catalogue(catalogue), tmp_path / "batch", None, workers=2)
    assert report.workers == 2 and report.count("built") == 3 and report.count("failed") == 0
    for n in (1, 2, 3):
        alone = publish(BuildConfig(catalogue / f"book{n}.md", tmp_path / "alone"))
        assert _digests(tmp_path / "batch" / f"small-book-{n}") == _digests(alone.folder)


def test_a_csv_catalogue_carries_options_and_a_bad_book_fails_alone(
    catalogue: Path, tmp_path: Path
) -> None:
    (catalogue / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    listing = catalogue / "list.csv"
    listing.write_text(
        "manuscript,title,audio_profile,m4b\nbook1.md,Renamed Book,podcast,no\nbroken.txt,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(listing), "-o", str(out), "--workers", "2"])
    assert result.exit_code == 1, result.output
    assert "failed   " in result.output and "PNG image" in result.output
    for row in (r"built\s+1", r"up to date\s+0", r"failed\s+1"):
        assert re.search(rf"^{row}$", result.output, re.MULTILINE), result.output
    built = out / "renamed-book"
    assert not list(built.glob("*.m4b"))
    assert '"audio_profile": "podcast"' in (built / "report.json").read_text()


def test_a_rerun_skips_what_is_up_to_date_and_rebuilds_what_changed(
    catalogue: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run_batch(read_catalogue(catalogue), out, None, workers=2)
    (catalogue / "book2.md").write_text(BOOK.format(n=22), encoding="utf-8")
    again = run_batch(read_catalogue(catalogue), out, None, workers=2)
    status = {Path(o.manuscript).name: o.status for o in again.outcomes}
    assert status == {"book1.md": "skipped", "book2.md": "built", "book3.md": "skipped"}


def test_a_killed_worker_has_its_book_built_elsewhere_with_the_same_bytes(
    catalogue: Path, tmp_path: Path
) -> None:
    long_book = catalogue / "ferry.txt"  # a minute or two of narration: time to be killed
    paragraphs = (SOURCE / "the-last-ferry-to-inishcarrow.txt").read_text().split("\n\n")
    long_book.write_text("\n\n".join(paragraphs[:4]) + "\n", encoding="utf-8")
    entries = read_catalogue(catalogue)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0")
    client = Client(cluster)
    killed: list[int] = []

    def kill_the_worker_building_the_ferry() -> None:
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            for address, tasks in client.processing().items():
                if tasks and any("build_entry" in str(t) for t in tasks):
                    pids = client.run(os.getpid, workers=[address])
                    time.sleep(0.8)  # well into narrating
                    os.kill(pids[address], signal.SIGKILL)
                    killed.append(pids[address])
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_the_worker_building_the_ferry)
    try:
        killer.start()
        report = run_batch(entries, tmp_path / "batch", None, scheduler=cluster.scheduler_address)
        killer.join()
    finally:
        client.close()
        cluster.close()
    assert killed, "no worker was killed"
    assert report.count("built") == 4 and report.count("failed") == 0
    alone = publish(BuildConfig(long_book, tmp_path / "alone"))
    assert _digests(tmp_path / "batch" / alone.folder.name) == _digests(alone.folder)


def test_one_book_is_narrated_by_every_worker_with_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    paragraphs = (SOURCE / "the-last-ferry-to-inishcarrow.txt").read_text().split("\n\n")
    book = tmp_path / "ferry.txt"
    book.write_text("\n\n".join(paragraphs[:5]) + "\n", encoding="utf-8")
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0")
    client = Client(cluster)
    try:
        with get_task_stream(client) as stream:
            report = run_batch([Entry(book)], tmp_path / "batch", None, cluster.scheduler_address)
        narrators = {t["worker"] for t in stream.data if "speak_batch" in str(t["key"])}
    finally:
        client.close()
        cluster.close()
    assert report.count("built") == 1 and len(narrators) == 2
    alone = publish(BuildConfig(book, tmp_path / "alone"))
    assert _digests(tmp_path / "batch" / alone.folder.name) == _digests(alone.folder)


def test_a_manuscript_listed_twice_is_built_once_and_the_repeat_reported(
    catalogue: Path, tmp_path: Path
) -> None:
    listing = catalogue / "twice.jsonl"
    listing.write_text('{"manuscript": "book1.md"}\n{"manuscript": "book1.md"}\n')
    report = run_batch(read_catalogue(listing), tmp_path / "out", None, workers=1)
    assert [o.status for o in report.outcomes] == ["built", "failed"]
    assert report.outcomes[1].error == "listed twice in the catalogue"
