"""DAISY 2.02 full-text, full-audio talking book, for library players and apps.

    daisy/ncc.html       the Navigation Control Centre: metadata, then a heading per
                         section (h1 for top-level, h2 inside a part) linking to its SMIL
    daisy/content.html   the full text, every heading and sentence with an id
    daisy/NN.smil        SMIL 1.0, a par per heading and sentence: its text and its clip
    daisy/NN.mp3         the chapter MP3s (CBR, as the DAISY guidelines advise)
    daisy/master.smil    the SMILs in reading order

Clips come from the same Timeline as the EPUB's Media Overlays. Unlike the overlays, they
run back to back over the whole file (a sentence's clip ends where the next begins), as
DAISY players play a book continuously and its SMIL times must add up to the total time.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from publisher.formats.render import Renderer
from publisher.model import Book, ChapterTimeline, Note, Section, Subheading, content_items

XHTML = "http://www.w3.org/1999/xhtml"
XHTML_DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)
SMIL_DOCTYPE = (
    '<!DOCTYPE smil PUBLIC "-//W3C//DTD SMIL 1.0//EN" "http://www.w3.org/TR/REC-smil/SMIL10.dtd">'
)
CONTENT = "content.html"
_NOTE_TYPES = frozenset({"footnote", "endnote"})
FIXED_TIME = dt.datetime(1980, 1, 1)


@dataclass(frozen=True)
class DaisyChapter:
    section: Section
    mp3: Path
    timeline: ChapterTimeline


@dataclass(frozen=True)
class DaisyInfo:
    identifier: str
    narrator: str
    generator: str
    date: str  # yyyy-mm-dd


def write_daisy(
    book: Book, chapters: Sequence[DaisyChapter], folder: Path, info: DaisyInfo
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    width = max(2, len(str(len(chapters))))
    names = [f"{n:0{width}d}" for n in range(1, len(chapters) + 1)]
    elapsed = 0
    for name, chapter in zip(names, chapters, strict=True):
        _link_or_copy(chapter.mp3, folder / f"{name}.mp3")
        smil = _smil(book, chapter, f"{name}.mp3", elapsed, info)
        _write(folder / f"{name}.smil", smil, SMIL_DOCTYPE)
        elapsed += chapter.timeline.duration_ms
    _write(folder / CONTENT, _content(book, chapters), XHTML_DOCTYPE)
    _write(folder / "master.smil", _master(book, chapters, names, elapsed, info), SMIL_DOCTYPE)
    # Written last: ncc:files counts every file of the book, the NCC included.
    files = len(list(folder.iterdir())) + 1
    ncc = _ncc(book, chapters, names, elapsed, files, info)
    _write(folder / "ncc.html", ncc, XHTML_DOCTYPE)


def zip_daisy(folder: Path, archive: Path, top: str) -> None:
    """A zip with the book under one top-level folder; fixed times, so builds repeat."""
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(folder.iterdir()):
            entry = zipfile.ZipInfo(f"{top}/{path.name}", FIXED_TIME.timetuple()[:6])
            entry.external_attr = 0o644 << 16
            kind = zipfile.ZIP_STORED if path.suffix == ".mp3" else zipfile.ZIP_DEFLATED
            entry.compress_type = kind
            with path.open("rb") as source, out.open(entry, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)


# --- NCC -----------------------------------------------------------------------------


def _ncc(
    book: Book,
    chapters: Sequence[DaisyChapter],
    names: Sequence[str],
    total_ms: int,
    files: int,
    info: DaisyInfo,
) -> etree._Element:
    meta = book.metadata
    html = _html(meta.language)
    head = etree.SubElement(html, _x("head"))
    etree.SubElement(
        head, _x("meta"), {"http-equiv": "Content-type", "content": "text/html; charset=utf-8"}
    )
    etree.SubElement(head, _x("title")).text = meta.title
    body = etree.Element(_x("body"))
    entries = _ncc_entries(book, chapters, names)
    levels = [level for level, *_ in entries]
    for index, (level, href, text) in enumerate(entries, 1):
        attributes = {"id": f"nav{index:04d}"}
        if index == 1:
            attributes["class"] = "title"
        heading = etree.SubElement(body, _x(f"h{level}"), attributes)
        etree.SubElement(heading, _x("a"), {"href": href}).text = text
    fields = [
        ("dc:title", meta.title, None),
        ("dc:creator", meta.author or "Unknown", None),
        ("dc:date", info.date, "yyyy-mm-dd"),
        ("dc:format", "Daisy 2.02", None),
        ("dc:identifier", info.identifier, None),
        ("dc:language", meta.language, "ISO 639"),
        ("dc:publisher", meta.publisher or meta.author or "Unknown", None),
        ("ncc:charset", "utf-8", None),
        ("ncc:depth", str(max(levels)), None),
        ("ncc:files", str(files), None),
        ("ncc:footnotes", str(_notes(book)), None),
        ("ncc:generator", info.generator, None),
        ("ncc:maxPageNormal", "0", None),
        ("ncc:multimediaType", "audioFullText", None),
        ("ncc:narrator", info.narrator, None),
        ("ncc:pageFront", "0", None),
        ("ncc:pageNormal", "0", None),
        ("ncc:pageSpecial", "0", None),
        ("ncc:prodNotes", "0", None),
        ("ncc:setInfo", "1 of 1", None),
        ("ncc:sidebars", "0", None),
        ("ncc:tocItems", str(len(entries)), None),
        ("ncc:totalTime", _clock(total_ms, fraction=False), "hh:mm:ss"),
    ]
    for name, content, scheme in fields:
        attributes = {"name": name, "content": content}
        if scheme:
            attributes["scheme"] = scheme
        etree.SubElement(head, _x("meta"), attributes)
    html.append(body)
    return html


def _ncc_entries(
    book: Book, chapters: Sequence[DaisyChapter], names: Sequence[str]
) -> list[tuple[int, str, str]]:
    """(heading level, SMIL link, text) for the title and every section and subheading.

    The title has no narration of its own, so it leads into the first section's heading.
    """
    first = chapters[0]
    entries = [(1, f"{names[0]}.smil#{_par(first.section.heading_id)}", book.metadata.title)]
    for name, chapter in zip(names, chapters, strict=True):
        section = chapter.section
        level = min(6, section.depth + 1)
        href = f"{name}.smil#{_par(section.heading_id)}"
        entries.append((level, href, section.display_title))
        for item in section.content:
            if isinstance(item, Subheading):
                entries.append((min(6, level + 1), f"{name}.smil#{_par(item.id)}", item.text))
    return entries


# --- content and SMIL -----------------------------------------------------------------


def _content(book: Book, chapters: Sequence[DaisyChapter]) -> etree._Element:
    html = _html(book.metadata.language)
    head = etree.SubElement(html, _x("head"))
    etree.SubElement(
        head, _x("meta"), {"http-equiv": "Content-type", "content": "text/html; charset=utf-8"}
    )
    etree.SubElement(head, _x("title")).text = book.metadata.title
    body = etree.SubElement(html, _x("body"))
    renderer = Renderer(book.metadata.language, "daisy")
    for chapter in chapters:
        section = chapter.section
        level = min(6, section.depth + 1)
        heading = etree.SubElement(body, _x(f"h{level}"), {"id": section.heading_id})
        heading.text = section.display_title
        renderer.content(body, section.content)
    return html


def _smil(
    book: Book, chapter: DaisyChapter, audio: str, elapsed_ms: int, info: DaisyInfo
) -> etree._Element:
    timeline = chapter.timeline
    smil, body = _smil_document(
        book,
        info,
        ("title", chapter.section.display_title),
        ("ncc:totalElapsedTime", _clock(elapsed_ms)),
        ("ncc:timeInThisSmil", _clock(timeline.duration_ms)),
    )
    seq = etree.SubElement(body, "seq", {"dur": f"{timeline.duration_ms / 1000:.3f}s"})
    items = timeline.items
    for index, item in enumerate(items):
        begin = 0 if index == 0 else item.start_ms
        end = items[index + 1].start_ms if index + 1 < len(items) else timeline.duration_ms
        par = etree.SubElement(seq, "par", {"endsync": "last", "id": _par(item.id)})
        if any(g.type in _NOTE_TYPES for g in item.groups):
            # Players let a listener turn notes off: "skippable structures" in DAISY 2.02.
            par.set("system-required", "footnote-on")
        etree.SubElement(par, "text", {"src": f"{CONTENT}#{item.id}", "id": f"t_{item.id}"})
        etree.SubElement(
            par,
            "audio",
            {
                "src": audio,
                "clip-begin": f"npt={begin / 1000:.3f}s",
                "clip-end": f"npt={end / 1000:.3f}s",
                "id": f"a_{item.id}",
            },
        )
    return smil


def _master(
    book: Book,
    chapters: Sequence[DaisyChapter],
    names: Sequence[str],
    total_ms: int,
    info: DaisyInfo,
) -> etree._Element:
    smil, body = _smil_document(book, info, ("ncc:timeInThisSmil", _clock(total_ms)))
    for name, chapter in zip(names, chapters, strict=True):
        etree.SubElement(
            body,
            "ref",
            {"src": f"{name}.smil", "title": chapter.section.display_title, "id": f"ms_{name}"},
        )
    return smil


# --- helpers ---------------------------------------------------------------------------


def _smil_document(
    book: Book, info: DaisyInfo, *metadata: tuple[str, str]
) -> tuple[etree._Element, etree._Element]:
    """A SMIL 1.0 document with the metadata every DAISY SMIL carries, and its body."""
    smil = etree.Element("smil")
    head = etree.SubElement(smil, "head")
    for name, content in (
        ("dc:format", "Daisy 2.02"),
        ("dc:title", book.metadata.title),
        ("dc:identifier", info.identifier),
        ("ncc:generator", info.generator),
        *metadata,
    ):
        etree.SubElement(head, "meta", {"name": name, "content": content})
    layout = etree.SubElement(head, "layout")
    etree.SubElement(layout, "region", {"id": "txtView"})
    return smil, etree.SubElement(smil, "body")


def _notes(book: Book) -> int:
    return sum(
        1 for s in book.sections for item in content_items(s.content) if isinstance(item, Note)
    )


def _html(language: str) -> etree._Element:
    return etree.Element(
        _x("html"),
        {"lang": language, "{http://www.w3.org/XML/1998/namespace}lang": language},
        nsmap={None: XHTML},  # type: ignore[dict-item]
    )


def _x(tag: str) -> str:
    return f"{{{XHTML}}}{tag}"


def _par(item_id: str) -> str:
    return f"p_{item_id}"


def _clock(ms: int, fraction: bool = True) -> str:
    """SMIL clock "hh:mm:ss.sss" (or whole seconds, as ncc:totalTime is usually given)."""
    if not fraction:
        ms = round(ms / 1000) * 1000
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds = rest / 1000
    if fraction:
        return f"{hours:02d}:{minutes:02d}:{seconds:06.3f}"
    return f"{hours:02d}:{minutes:02d}:{int(seconds):02d}"


def _write(path: Path, root: etree._Element, doctype: str) -> None:
    path.write_bytes(
        etree.tostring(
            root, xml_declaration=True, encoding="utf-8", doctype=doctype, pretty_print=True
        )
    )


def _link_or_copy(source: Path, target: Path) -> None:
    """The chapter MP3 without a second copy on disk where the file system allows."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
