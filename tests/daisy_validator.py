"""A DAISY 2.02 validator for the tests: no official one installs offline.

Rules from the DAISY 2.02 specification: the NCC's required metadata, each once; the NCC
begins with the title heading; every link (NCC to SMIL, SMIL to text and audio) resolves;
SMIL clips run forward in time, within their MP3s (to one MPEG frame), and every SMIL's
stated times add up: ncc:timeInThisSmil to its clips, ncc:totalElapsedTime to the SMILs
before it, all of them to ncc:totalTime; ncc:tocItems, ncc:depth and ncc:files count what
is there.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from mutagen.mp3 import MP3

XHTML = "{http://www.w3.org/1999/xhtml}"
REQUIRED_ONCE = (
    "dc:title",
    "dc:creator",
    "dc:date",
    "dc:format",
    "dc:identifier",
    "dc:language",
    "dc:publisher",
    "ncc:charset",
    "ncc:depth",
    "ncc:files",
    "ncc:generator",
    "ncc:multimediaType",
    "ncc:narrator",
    "ncc:pageFront",
    "ncc:pageNormal",
    "ncc:pageSpecial",
    "ncc:setInfo",
    "ncc:tocItems",
    "ncc:totalTime",
)
MULTIMEDIA_TYPES = {
    "audioOnly",
    "audioNcc",
    "audioPartText",
    "audioFullText",
    "textPartAudio",
    "textNcc",
}
HEADINGS = [f"{XHTML}h{n}" for n in range(1, 7)]


def validate_daisy(folder: Path) -> list[str]:
    problems: list[str] = []
    try:
        ncc = etree.parse(str(folder / "ncc.html"))
    except (OSError, etree.XMLSyntaxError) as exc:
        return [f"ncc.html: cannot be read as XHTML: {exc}"]
    meta = _metadata(ncc.getroot(), f"{XHTML}meta")
    for name in REQUIRED_ONCE:
        if len(meta.get(name, [])) != 1:
            problems.append(f"ncc.html: {name} appears {len(meta.get(name, []))} times, not once")
    if meta.get("dc:format") and meta["dc:format"][0] != "Daisy 2.02":
        problems.append("ncc.html: dc:format is not 'Daisy 2.02'")
    if meta.get("ncc:multimediaType") and meta["ncc:multimediaType"][0] not in MULTIMEDIA_TYPES:
        problems.append("ncc.html: unknown ncc:multimediaType")
    body = ncc.getroot().find(f"{XHTML}body")
    elements = list(body) if body is not None else []
    if not elements or elements[0].tag != f"{XHTML}h1" or elements[0].get("class") != "title":
        problems.append('ncc.html: the first element of the body is not <h1 class="title">')
    headings = [e for e in elements if e.tag in HEADINGS]
    problems += _counts(folder, meta, headings)
    smils: list[str] = []
    for heading in headings:
        link = heading.find(f"{XHTML}a")
        href = link.get("href", "") if link is not None else ""
        problem = _resolve(folder, href, "ncc.html")
        if problem:
            problems.append(problem)
        name = href.split("#")[0]
        if name and name not in smils:
            smils.append(name)
    elapsed = 0.0
    for name in smils:
        if not (folder / name).is_file():
            continue
        stated, smil_problems = _check_smil(folder, name, elapsed)
        problems += smil_problems
        elapsed += stated
    total = _clock(meta.get("ncc:totalTime", ["0"])[0])
    if abs(total - elapsed) > 1.0:
        problems.append(
            f"ncc.html: ncc:totalTime {total:.3f} s, but the SMILs add up to {elapsed:.3f} s"
        )
    return problems


def _counts(folder: Path, meta: dict[str, list[str]], headings: list[etree._Element]) -> list[str]:
    problems = []
    if meta.get("ncc:tocItems") and int(meta["ncc:tocItems"][0]) != len(headings):
        stated = meta["ncc:tocItems"][0]
        problems.append(f"ncc.html: ncc:tocItems says {stated}, there are {len(headings)} headings")
    deepest = max((int(h.tag[-1]) for h in headings), default=0)
    if meta.get("ncc:depth") and int(meta["ncc:depth"][0]) != deepest:
        problems.append(
            f"ncc.html: ncc:depth says {meta['ncc:depth'][0]}, the deepest heading is h{deepest}"
        )
    files = sum(1 for p in folder.iterdir() if p.is_file())
    if meta.get("ncc:files") and int(meta["ncc:files"][0]) != files:
        problems.append(f"ncc.html: ncc:files says {meta['ncc:files'][0]}, the book has {files}")
    return problems


def _check_smil(folder: Path, name: str, elapsed: float) -> tuple[float, list[str]]:
    problems: list[str] = []
    root = etree.parse(str(folder / name)).getroot()
    meta = _metadata(root, "meta")
    for field in ("ncc:timeInThisSmil", "ncc:totalElapsedTime", "dc:format"):
        if len(meta.get(field, [])) != 1:
            problems.append(f"{name}: {field} appears {len(meta.get(field, []))} times, not once")
    stated = _clock(meta.get("ncc:timeInThisSmil", ["0"])[0])
    if abs(_clock(meta.get("ncc:totalElapsedTime", ["0"])[0]) - elapsed) > 0.01:
        problems.append(f"{name}: ncc:totalElapsedTime is not the sum of the SMILs before it")
    clips = 0.0
    ends: dict[str, float] = {}
    for par in root.iter("par"):
        text, audio = par.find("text"), par.find("audio")
        if text is None or audio is None:
            problems.append(f"{name}: a par without text and audio")
            continue
        problem = _resolve(folder, text.get("src", ""), name)
        if problem:
            problems.append(problem)
        source = audio.get("src", "")
        if not (folder / source).is_file():
            problems.append(f"{name}: audio {source} does not exist")
            continue
        begin, end = _clock(audio.get("clip-begin", "")), _clock(audio.get("clip-end", ""))
        if end <= begin or begin < ends.get(source, 0.0) - 0.0005:
            problems.append(f"{name}: clip {begin:.3f}-{end:.3f} s of {source} is out of order")
        ends[source] = end
        clips += end - begin
    if abs(clips - stated) > 0.01:
        problems.append(
            f"{name}: ncc:timeInThisSmil {stated:.3f} s, the clips add up to {clips:.3f} s"
        )
    for source, end in ends.items():
        info = MP3(folder / source).info
        frame = 1152 / info.sample_rate
        if abs(info.length - end) > frame:
            problems.append(f"{name}: clips end at {end:.3f} s, {source} lasts {info.length:.3f} s")
    return stated, problems


def _resolve(folder: Path, href: str, where: str) -> str | None:
    path, _, fragment = href.partition("#")
    target = folder / path
    if not path or not target.is_file():
        return f"{where}: link {href!r} points at no file"
    if fragment and not etree.parse(str(target)).getroot().xpath("//*[@id=$id]", id=fragment):
        return f"{where}: link {href!r} points at no element"
    return None


def _metadata(root: etree._Element, tag: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in root.iter(tag):
        if meta.get("name"):
            found.setdefault(meta.get("name", ""), []).append(meta.get("content", ""))
    return found


def _clock(value: str) -> float:
    """SMIL clock values: "npt=12.345s", "12.3s", "hh:mm:ss(.sss)", "mm:ss"."""
    value = value.strip().removeprefix("npt=")
    if value.endswith("s") and ":" not in value:
        return float(value[:-1])
    parts = [float(p) for p in re.split(":", value)] if value else [0.0]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds
