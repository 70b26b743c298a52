"""Benchmark: `publisher batch` with 1 and then 2 local Dask workers on the same catalogue.

    make bench-batch

The catalogue is six short books cut from the samples in source/ (about 350 words each),
each run with an empty sentence cache, so every sentence is narrated. Prints books per
hour and hours of audio per hour of wall time for each worker count, so the scaling can be
read off.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOKS = 6
WORDS = 350


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        catalogue = Path(scratch) / "catalogue"
        catalogue.mkdir()
        _write_books(catalogue)
        print(f"{BOOKS} books of about {WORDS} words, Piper, empty cache each run")
        rates = {}
        for workers in (1, 2):
            out, cache = Path(scratch) / f"out{workers}", Path(scratch) / f"cache{workers}"
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "publisher",
                    "batch",
                    str(catalogue),
                    "-o",
                    str(out),
                    "--workers",
                    str(workers),
                    "--cache-dir",
                    str(cache),
                ],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            wall = time.perf_counter() - started
            report = json.loads((out / "batch-report.json").read_text())
            audio_h = report["audio_hours"]
            rates[workers] = audio_h * 3600 / wall
            print(
                f"  {workers} worker{'s' if workers > 1 else ' '}: {wall:6.1f} s wall, "
                f"{report['built'] * 3600 / wall:6.0f} books/hour, "
                f"{rates[workers]:5.1f} h of audio per hour"
            )
        print(f"  2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")


def _write_books(catalogue: Path) -> None:
    words: list[str] = []
    for sample in sorted((ROOT / "source").glob("*.txt")):
        words += sample.read_text(encoding="utf-8").split()
    for n in range(BOOKS):
        text = " ".join(words[n * WORDS : (n + 1) * WORDS])
        body = text if text.endswith(".") else text + "."
        (catalogue / f"book{n + 1}.md").write_text(
            f"---\ntitle: Bench Book {n + 1}\n---\n\n# Part of a Sample\n\n{body}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
