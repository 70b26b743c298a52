"""Peak memory of a long build: a 100,000-word manuscript made from the samples.

    .venv/bin/python scripts/memory.py [--words N] [--engine NAME]

Sums the resident memory of the build and its worker processes (from /proc, Linux only)
every 0.2 s and prints the peak. Measured once for the README; not part of the suite.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = 4096


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--engine", default="piper")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        manuscript = Path(scratch) / "long-book.md"
        manuscript.write_text(_long_text(args.words), encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "publisher",
            "build",
            str(manuscript),
            "-o",
            f"{scratch}/out",
            "--no-cache",
            "--engine",
            args.engine,
        ]
        started = time.perf_counter()
        build = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        peak = 0
        each: dict[str, int] = {}  # the peak of each process, by role and pid
        while build.poll() is None:
            sizes = _tree_rss(build.pid)
            peak = max(peak, sum(sizes.values()))
            for who, size in sizes.items():
                each[who] = max(each.get(who, 0), size)
            time.sleep(0.2)
        out = build.stdout.read() if build.stdout else ""
    print(out.strip())
    print(
        f"{args.words:,} words, {args.engine}: peak memory {peak / 2**20:.0f} MB "
        f"(build and workers together), {time.perf_counter() - started:.0f} s"
    )
    largest = sorted(each.items(), key=lambda item: -item[1])[:4]
    print("each at its own peak: " + ", ".join(f"{w} {s / 2**20:.0f} MB" for w, s in largest))


def _long_text(words: int) -> str:
    paragraphs = []
    for sample in sorted((ROOT / "source").glob("*.txt")):
        text = sample.read_text(encoding="utf-8")
        paragraphs += [p for p in text.split("\n\n") if len(p.split()) > 30]
    chapters, total, number = ["# A Long Book\n"], 0, 0
    while total < words:
        number += 1
        chapters.append(f"## Chapter {number}\n")
        for paragraph in paragraphs[(number * 7) % len(paragraphs) :][:25]:
            chapters.append(paragraph.strip() + "\n")
            total += len(paragraph.split())
    return "\n".join(chapters)


def _tree_rss(root: int) -> dict[str, int]:
    """The resident memory of a process and all its descendants, by role and pid."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    sizes, todo = {}, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        with contextlib.suppress(OSError):
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            role = "build" if pid == root else "worker" if b"spawn_main" in command else "other"
            size = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            sizes[f"{role} {pid}"] = size
    return sizes


if __name__ == "__main__":
    main()
