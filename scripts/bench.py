"""Benchmark: a whole build against the engine alone on the same sentences.

    make bench                      # the 3,000-word sample, default engine
    .venv/bin/python scripts/bench.py MANUSCRIPT [--engine NAME]

Narration should dominate a build; the ratio build / engine-alone says how much the rest
(reading, structure, assembly, encoding, packaging) and any lack of parallelism cost.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from publisher.model import book_text
from publisher.readers import read_manuscript
from publisher.speech.engines import DEFAULT_ENGINE, load_engine
from publisher.speech.normalize import Normalizer
from publisher.speech.script import Pauses, section_script
from publisher.structure.chapters import build_book
from publisher.structure.evaluation import labelled_texts, score_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MANUSCRIPT = ROOT / "source" / "the-last-ferry-to-inishcarrow.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manuscript", nargs="?", type=Path, default=DEFAULT_MANUSCRIPT)
    parser.add_argument("--engine", default=DEFAULT_ENGINE)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "publisher",
                "build",
                str(args.manuscript),
                "-o",
                out,
                "--engine",
                args.engine,
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        build_s = time.perf_counter() - started
        report = json.loads(next(Path(out).glob("*/report.json")).read_text())

    engine_s, utterances = engine_alone(args.manuscript, args.engine, report["voice"])
    audio_s = report["duration_s"]
    rows = [
        ("manuscript", f"{args.manuscript.name} ({report['words']:,} words)"),
        ("engine, voice", f"{report['engine']}, {report['voice']}"),
        ("audio produced", f"{audio_s:.1f} s ({utterances} utterances)"),
        ("build wall time", f"{build_s:.2f} s ({audio_s / build_s:.1f}x real time)"),
        ("engine alone", f"{engine_s:.2f} s ({audio_s / engine_s:.1f}x real time)"),
        ("build / engine", f"{build_s / engine_s:.2f}"),
        ("build stages", ", ".join(f"{k[:-2]} {v:.2f}" for k, v in report["timings"].items())),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print_segmentation_scores()


def print_segmentation_scores() -> None:
    """Topic segmentation against the labelled heading-less texts (Pk, WindowDiff)."""
    print("\ntopic segmentation (lower is better; 1 chapter = the score of not splitting)")
    scores = []
    for text, labels in labelled_texts(ROOT / "tests" / "data" / "topics", ROOT / "source"):
        score = score_text(text, labels)
        scores.append(score)
        print(
            f"  {score.name:<34} Pk {score.pk:.3f}  WindowDiff {score.window_diff:.3f}  "
            f"(1 chapter: Pk {score.pk_one_chapter:.3f})"
        )
    mean_pk = sum(s.pk for s in scores) / len(scores)
    mean_wd = sum(s.window_diff for s in scores) / len(scores)
    print(f"  {'mean':<34} Pk {mean_pk:.3f}  WindowDiff {mean_wd:.3f}")


def engine_alone(manuscript: Path, engine_name: str, voice: str) -> tuple[float, int]:
    """Synthesise the build's utterances in one process, voice loading included."""
    book = build_book(read_manuscript(manuscript))
    say = Normalizer.for_text(book.metadata.language, book_text(book))
    texts = [u.text for s in book.sections for u in section_script(s, Pauses(), say)]
    started = time.perf_counter()
    engine = load_engine(engine_name)
    for text in texts:
        engine.synthesize(text, voice)
    return time.perf_counter() - started, len(texts)


if __name__ == "__main__":
    main()
