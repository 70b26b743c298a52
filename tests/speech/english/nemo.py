"""NVIDIA NeMo's English text-normalisation cases, scored in process.

The cases and their lenient comparison (``score.py``) live in ``shared/tn`` beside the
project; this module runs our normaliser over them without a subprocess per class, counts
the cases listed in ``nemo-accepted.tsv`` as passed, and makes the per-class table that the
conformance test asserts and ``make bench`` prints.
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from publisher.speech.normalize import Normalizer

ROOT = Path(__file__).resolve().parents[3]
CASES = Path(os.environ.get("PUBLISHER_TN", ROOT.parent / "shared" / "tn"))
ACCEPTED = Path(__file__).with_name("nemo-accepted.tsv")


@dataclass(frozen=True)
class Accepted:
    """A case where our reading is kept over NeMo's, with the reason."""

    cls: str
    written: str
    ours: str
    reason: str


@dataclass(frozen=True)
class ClassScore:
    name: str
    cases: int
    passed: int
    accepted: int

    @property
    def percent(self) -> float:
        return 100.0 * self.passed / self.cases


@dataclass(frozen=True)
class Miss:
    cls: str
    written: str
    expected: str
    got: str


def scorer() -> ModuleType:
    """The suite's own ``score.py``: its ``load``, ``canon`` and ``matches``."""
    spec = importlib.util.spec_from_file_location("nemo_score", CASES / "score.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(CASES / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def accepted() -> dict[tuple[str, str], Accepted]:
    rows: dict[tuple[str, str], Accepted] = {}
    for line in ACCEPTED.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cls, written, ours, reason = line.split("\t")
        rows[(cls, written)] = Accepted(cls, written, ours, reason)
    return rows


# British forms of what NeMo writes the American way; an en-GB reading that differs only
# by these is the same reading.
_BRITISH = (
    (r"\b(kilo|centi|milli)?meters?\b", lambda m: m.group(0).replace("meter", "metre")),
    (r"\b(milli)?liters?\b", lambda m: m.group(0).replace("liter", "litre")),
    (r"\bpercent\b", lambda _: "per cent"),
)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"


def british(expected: str) -> str:
    text = expected.lower()
    for pattern, replace in _BRITISH:
        text = re.sub(pattern, replace, text)
    # "august fifth" -> "the fifth of august": the same date, said the British way.
    return re.sub(
        rf"\b({_MONTHS}) ([a-z]+(?:st|nd|rd|th)|[a-z]+ [a-z]+(?:st|nd|rd|th))\b",
        r"the \2 of \1",
        text,
    )


def score(language: str) -> tuple[list[ClassScore], list[Miss]]:
    nemo = scorer()
    normalize = Normalizer.for_text(language, "")
    kept = accepted()
    table: list[ClassScore] = []
    misses: list[Miss] = []
    for path in sorted(CASES.glob("*.tsv")):
        cases = nemo.load(path)
        passed = taken = 0
        for written, expected in cases:
            got = normalize(written)
            forms = (
                [*expected, *(british(e) for e in expected)] if language == "en-GB" else expected
            )
            if nemo.matches(got, forms):
                passed += 1
            elif (path.stem, written) in kept:
                passed += 1
                taken += 1
            else:
                misses.append(Miss(path.stem, written, expected[0], got))
        table.append(ClassScore(path.stem, len(cases), passed, taken))
    return table, misses


def render(language: str, table: list[ClassScore]) -> str:
    total = sum(c.cases for c in table)
    passed = sum(c.passed for c in table)
    lines = [f"NeMo text normalisation, {language}: class, cases, passed (of them accepted), %"]
    lines += [
        f"  {c.name:<11} {c.cases:4d} {c.passed:4d} ({c.accepted:2d}) {c.percent:6.1f}"
        for c in table
    ]
    lines.append(f"  {'total':<11} {total:4d} {passed:4d}      {100.0 * passed / total:6.1f}")
    return "\n".join(lines)
