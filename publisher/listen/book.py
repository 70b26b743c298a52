"""A built book as the proof-listener needs it: each chapter's audio, and every narrated
heading and sentence with its place in that audio and the words it shows.

Everything comes from the EPUB's Media Overlays, which our typeset and in-place EPUBs
both carry: a SMIL ``par`` joins a text fragment to a clip of a chapter's MP3. The
EPUB is a zip from the book folder and is read as hostile as any other.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from publisher.check import read_report
from publisher.errors import InputError, ListenError
from publisher.inplace.markup import is_silent
from publisher.readers.archive import open_zip, read_member
from publisher.readers.epub_package import DC, OPF, Package, inside, open_package, xml_part

SMIL = "{http://www.w3.org/ns/SMIL}"


@dataclass(frozen=True)
class Unit:
    """One heading or sentence: where it is said, and what the page shows."""

    id: str
    start_s: float
    end_s: float
    written: str


@dataclass(frozen=True)
class Chapter:
    index: int
    title: str
    audio: str  # the MP3's path inside the EPUB
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class NarratedBook:
    folder: Path
    epub: Path
    language: str
    chapters: tuple[Chapter, ...]

    @property
    def duration_s(self) -> float:
        return sum(c.units[-1].end_s for c in self.chapters if c.units)


def read_book(folder: Path) -> NarratedBook:
    """The narrated book in ``folder`` (what ``publisher build`` wrote), or one error."""
    report = read_report(folder)
    epub = _epub(folder, report)
    titles = {
        posixpath.basename(str(c.get("audio") or "")): str(c.get("title") or "")
        for c in report.get("chapters") or []
        if isinstance(c, dict)
    }
    with open_zip(epub, "an EPUB") as archive:
        package = open_package(archive, epub.name)
        language = str(report.get("language") or _language(package) or "en")
        chapters = tuple(_chapters(archive, package, epub.name, titles))
    if not chapters:
        raise ListenError(
            f"{epub.name} has no narrated chapters (no media overlays): build it with audio"
        )
    return NarratedBook(folder, epub, language, chapters)


def read_audio(book: NarratedBook, chapter: Chapter) -> bytes:
    with open_zip(book.epub, "an EPUB") as archive:
        return read_member(archive, chapter.audio, book.epub.name)


def _epub(folder: Path, report: dict[str, Any]) -> Path:
    outputs = report.get("outputs") if isinstance(report.get("outputs"), dict) else {}
    listed = [str(f) for f in (outputs or {}).get("epub") or [] if str(f).endswith(".epub")]
    candidates = [folder / f for f in listed] or sorted(folder.glob("*.epub"))
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and resolved.is_relative_to(folder.resolve()):
            return resolved
    raise ListenError(
        f"{folder} has no EPUB with its narration: proof-listening reads the EPUB's media "
        "overlays (build with outputs.epub on)"
    )


def _language(package: Package) -> str | None:
    element = package.root.find(f"{OPF}metadata/{DC}language")
    return element.text.strip() if element is not None and element.text else None


def _chapters(
    archive: zipfile.ZipFile, package: Package, name: str, titles: dict[str, str]
) -> list[Chapter]:
    overlays = {
        item.get("id"): item.get("media-overlay")
        for item in package.root.iter(f"{OPF}item")
        if item.get("media-overlay")
    }
    chapters: list[Chapter] = []
    for ref in package.spine:
        smil_id = overlays.get(ref.item.id)
        smil = package.items.get(smil_id or "")
        if smil is None:
            continue
        document = xml_part(archive, ref.item.href, name)
        for audio, units in _clips(archive, smil.href, name, document):
            if chapters and chapters[-1].audio == audio:  # a chapter over several documents
                last = chapters[-1]
                chapters[-1] = Chapter(last.index, last.title, audio, (*last.units, *units))
                continue
            title = titles.get(posixpath.basename(audio)) or units[0].written
            chapters.append(Chapter(len(chapters) + 1, title, audio, tuple(units)))
    return chapters


def _clips(
    archive: zipfile.ZipFile, smil_href: str, name: str, document: etree._Element
) -> list[tuple[str, list[Unit]]]:
    """The units of one overlay, grouped by the audio file they are in, in order."""
    smil = xml_part(archive, smil_href, name)
    by_id = {e.get("id"): e for e in document.iter() if isinstance(e.tag, str) and e.get("id")}
    base = posixpath.dirname(smil_href)
    groups: list[tuple[str, list[Unit]]] = []
    for par in smil.iter(f"{SMIL}par"):
        text, audio = par.find(f"{SMIL}text"), par.find(f"{SMIL}audio")
        if text is None or audio is None:
            continue
        fragment = (text.get("src") or "").partition("#")[2]
        element = by_id.get(fragment)
        src = inside(posixpath.join(base, audio.get("src") or ""), name)
        if element is None:
            continue
        unit = Unit(
            fragment,
            clock(audio.get("clipBegin") or "0"),
            clock(audio.get("clipEnd") or "0"),
            " ".join(shown_text(element).split()),
        )
        if not groups or groups[-1][0] != src:
            groups.append((src, []))
        groups[-1][1].append(unit)
    return groups


def shown_text(element: etree._Element) -> str:
    """The words a unit shows that the narrator says: silent parts (note references, page
    numbers, pictures) left out, a line break kept as a space."""
    if is_silent(element):
        return " "
    parts = [element.text or ""]
    for child in element:
        parts += [shown_text(child), child.tail or ""]
    return "".join(parts)


def clock(value: str) -> float:
    """A SMIL clock value in seconds: "0:01:02.500", "62.5s", "1500ms"."""
    value = value.strip()
    try:
        if value.endswith("ms"):
            return float(value[:-2]) / 1000
        if value.endswith("s") and not value.endswith("ms"):
            return float(value[:-1])
        seconds = 0.0
        for part in value.split(":"):
            seconds = seconds * 60 + float(part)
        return seconds
    except ValueError:
        raise InputError(f"a media overlay has a clock value that is not one: {value!r}") from None
