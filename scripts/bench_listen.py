"""Proof-listening speed: the 16-minute sample article built, then heard by Whisper.

    make bench-listen
    .venv/bin/python scripts/bench_listen.py [MANUSCRIPT] [-j N]

The build is from the sentence cache when it is warm; only the listening is timed.
Target (issue 22, 2 cores): a 16-minute book in under 3 minutes.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from publisher import BuildConfig, publish
from publisher.listen import listen

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "manuscript",
        nargs="?",
        type=Path,
        default=ROOT / "source" / "the-last-ferry-to-inishcarrow.txt",
    )
    parser.add_argument("-j", "--jobs", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        values = {"outputs.m4b": False, "outputs.daisy": False}
        book = publish(BuildConfig(args.manuscript, Path(folder), values)).folder
        started = time.perf_counter()
        report = listen(book, jobs=args.jobs)
        seconds = time.perf_counter() - started
    audio = report.book.duration_s
    print(
        f"listened to {audio / 60:.1f} min of audio in {seconds:.1f} s "
        f"({audio / seconds:.1f} x real time); book WER {100 * report.wer:.1f} %, "
        f"{len(report.flagged)} of {report.units} sentences flagged"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
