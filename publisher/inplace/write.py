"""The source EPUB written again with its narration: every part it had, byte for byte,
except the package document and the documents that gained sentence spans; new parts
(the chapter audio, one SMIL overlay per narrated document, the highlight's style) in a
folder of their own.

ebooklib rewrites the whole package (its metadata, its navigation) as it understands it,
so this writer copies the zip itself instead: what the publisher of the source made is
what the reader keeps.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from publisher.errors import InputError
from publisher.formats.overlays import (
    ACTIVE_CLASS,
    PLAYBACK_ACTIVE_CLASS,
    Granularity,
    OverlayClip,
    clock,
    smil,
    unique_id,
)
from publisher.inplace.book import InPlaceBook
from publisher.model import ChapterTimeline
from publisher.readers.archive import open_zip, read_member
from publisher.readers.epub_package import OPF, SAFE_XML, XHTML, inside

_META = f"{OPF}meta"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_OVERLAY_CSS = f"""/* The sentence being read aloud, added with the narration. */
.{ACTIVE_CLASS} {{
  background-color: Highlight;
  color: HighlightText;
}}
"""


@dataclass(frozen=True)
class Narrated:
    """A chapter's audio as the EPUB carries it."""

    audio: Path  # the MP3 on disk
    timeline: ChapterTimeline


@dataclass(frozen=True)
class Narration:
    chapters: Sequence[Narrated]
    narrator: str
    granularity: Granularity = "sentence"


def write_in_place(
    source: InPlaceBook, target: Path, modified: dt.datetime, narration: Narration | None
) -> None:
    """Write ``source`` to ``target`` with its sentence spans, and with ``narration`` as
    Media Overlays when there is one."""
    package = source.package
    with open_zip(source.source, "an EPUB") as archive, _zip(target) as out:
        folder = _free_folder(archive.namelist(), package.folder, "narration")
        added: dict[str, bytes | Path] = {}
        overlays: dict[str, tuple[str, int]] = {}  # document -> (SMIL path, duration)
        replaced: set[str] = set()
        if narration is not None:
            added, overlays = _overlays(source, folder, narration)
            replaced = _earlier_narration(archive, source)
        opf = _package_document(source, list(added), overlays, modified, narration, replaced)
        out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        for info in archive.infolist():
            name = info.filename
            if name == "mimetype" or name.endswith("/") or _outside(name) or name in replaced:
                continue
            if name == package.path:
                data = opf
            elif name in source.documents:
                data = _document(source, name, folder, name in overlays)
            else:
                data = read_member(archive, name, source.source.name)
            out.writestr(_info(name, modified, info.compress_type), data)
        for name, content in added.items():
            if isinstance(content, Path):  # a chapter's MP3: copied, never held in memory
                entry = _info(name, modified, zipfile.ZIP_STORED)
                entry.file_size = content.stat().st_size
                with content.open("rb") as audio, out.open(entry, "w") as packed:
                    shutil.copyfileobj(audio, packed, 1 << 20)
            else:
                out.writestr(_info(name, modified, zipfile.ZIP_DEFLATED), content)


def _earlier_narration(archive: zipfile.ZipFile, source: InPlaceBook) -> set[str]:
    """The overlays a source already had, and the audio they play: a new narration
    replaces them (a document has one overlay)."""
    package = source.package
    smils = [i.href for i in package.items.values() if i.media_type == "application/smil+xml"]
    replaced = set(smils)
    for href in smils:
        try:
            root = etree.fromstring(read_member(archive, href, source.source.name), SAFE_XML)
        except (InputError, etree.XMLSyntaxError):
            continue
        for audio in root.iter("{http://www.w3.org/ns/SMIL}audio"):
            src = (audio.get("src") or "").split("#")[0]
            replaced.add(posixpath.normpath(posixpath.join(posixpath.dirname(href), src)))
    return replaced


def _outside(name: str) -> bool:
    try:
        return inside(name, "") != name
    except InputError:
        return True


def _zip(target: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(target, "w", compresslevel=9)


def _info(name: str, modified: dt.datetime, compress_type: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(max(modified.year, 1980), *modified.timetuple()[1:6]))
    info.compress_type = compress_type
    info.external_attr = 0o644 << 16
    return info


def _free_folder(names: list[str], base: str, name: str) -> str:
    """A folder beside the package document that the book does not use yet."""
    candidate, number = posixpath.join(base, name), 1
    while any(n == candidate or n.startswith(f"{candidate}/") for n in names):
        number += 1
        candidate = posixpath.join(base, f"{name}-{number}")
    return candidate


def _overlays(
    source: InPlaceBook, folder: str, narration: Narration
) -> tuple[dict[str, bytes | Path], dict[str, tuple[str, int]]]:
    """The audio files and one SMIL document per narrated content document."""
    added: dict[str, bytes | Path] = {}
    per_document: dict[str, list[OverlayClip]] = {}
    durations: dict[str, int] = {}
    smil_folder = f"{folder}/smil"
    for number, chapter in enumerate(narration.chapters, start=1):
        audio = f"{folder}/audio/{number:02d}-{chapter.audio.stem.split('-', 1)[-1]}.mp3"
        added[audio] = chapter.audio
        relative = posixpath.relpath(audio, smil_folder)
        for item in chapter.timeline.items:
            document = source.document_of(item.id)
            if document is None or item.end_ms <= item.start_ms:
                continue  # an announcement the text does not show
            groups = tuple(g for g in item.groups if source.document_of(g.id) == document)
            timed = replace(item, groups=groups)
            per_document.setdefault(document, []).append(OverlayClip(timed, relative))
            durations[document] = durations.get(document, 0) + item.end_ms - item.start_ms
    overlays: dict[str, tuple[str, int]] = {}
    for document, entries in per_document.items():
        smil_path = _smil_path(smil_folder, document)
        text = posixpath.relpath(document, smil_folder)
        added[smil_path] = smil(text, entries, narration.granularity)
        overlays[document] = (smil_path, durations[document])
    added[f"{folder}/overlay.css"] = _OVERLAY_CSS.encode("utf-8")
    return added, overlays


def _smil_path(smil_folder: str, document: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", document.rsplit(".", 1)[0]).strip("-")
    return f"{smil_folder}/{stem}.smil"


def _document(source: InPlaceBook, name: str, folder: str, narrated: bool) -> bytes:
    root = source.documents[name].root
    if narrated:
        head = root.find(f"{XHTML}head")
        if head is not None:
            link = etree.SubElement(head, f"{XHTML}link")
            link.set("rel", "stylesheet")
            link.set("type", "text/css")
            link.set("href", posixpath.relpath(f"{folder}/overlay.css", posixpath.dirname(name)))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _package_document(
    source: InPlaceBook,
    added: list[str],
    overlays: dict[str, tuple[str, int]],
    modified: dt.datetime,
    narration: Narration | None,
    replaced: set[str],
) -> bytes:
    package = source.package
    root = _copy(package.root)
    manifest = root.find(f"{OPF}manifest")
    metadata = root.find(f"{OPF}metadata")
    assert manifest is not None and metadata is not None  # open_package found the items
    taken = {str(e.get("id")) for e in root.iter() if e.get("id")}
    item_ids: dict[str, str] = {}
    for name in added:
        key = unique_id("pub-" + re.sub(r"[^A-Za-z0-9_-]+", "-", posixpath.basename(name)), taken)
        item_ids[name] = key
        attributes = {"id": key, "href": package.relative(name), "media-type": _media_type(name)}
        etree.SubElement(manifest, f"{OPF}item", attributes)
    for element in list(manifest.iter(f"{OPF}item")):
        item = package.items.get(element.get("id") or "")
        if item is not None and item.href in replaced:
            manifest.remove(element)
            continue
        if replaced and "media-overlay" in element.attrib:
            del element.attrib["media-overlay"]
        if item is not None and item.href in overlays:
            element.set("media-overlay", item_ids[overlays[item.href][0]])
    if root.get(XML_LANG) is None:  # reading systems and Ace look for it there
        root.set(XML_LANG, source.book.metadata.language)
    _set_modified(metadata, modified)
    if narration is not None:
        _media_metadata(metadata, overlays, item_ids, narration)
        _accessibility(metadata, source)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _copy(element: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(element))


def _media_type(name: str) -> str:
    if name.endswith(".mp3"):
        return "audio/mpeg"
    if name.endswith(".smil"):
        return "application/smil+xml"
    return "text/css"


def _set_modified(metadata: etree._Element, modified: dt.datetime) -> None:
    stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    for meta in metadata.iter(_META):
        if meta.get("property") == "dcterms:modified":
            meta.text = stamp
            return
    _meta(metadata, "dcterms:modified", stamp)


def _meta(metadata: etree._Element, prop: str, value: str, refines: str | None = None) -> None:
    meta = etree.SubElement(metadata, _META, {"property": prop})
    if refines:
        meta.set("refines", refines)
    meta.text = value


def _media_metadata(
    metadata: etree._Element,
    overlays: dict[str, tuple[str, int]],
    item_ids: dict[str, str],
    narration: Narration,
) -> None:
    for meta in list(metadata.iter(_META)):
        if (meta.get("property") or "").startswith("media:"):
            metadata.remove(meta)  # an earlier narration's: this one replaces it
    total = 0
    for smil_path, duration in overlays.values():
        _meta(metadata, "media:duration", clock(duration), f"#{item_ids[smil_path]}")
        total += duration
    _meta(metadata, "media:duration", clock(total))
    _meta(metadata, "media:narrator", narration.narrator)
    _meta(metadata, "media:active-class", ACTIVE_CLASS)
    _meta(metadata, "media:playback-active-class", PLAYBACK_ACTIVE_CLASS)


def _accessibility(metadata: etree._Element, source: InPlaceBook) -> None:
    """What the narration adds to the source's own accessibility metadata, and what the
    source lacks that EPUB Accessibility asks for."""
    present: dict[str, list[etree._Element]] = {}
    for meta in metadata.iter(_META):
        present.setdefault(meta.get("property") or "", []).append(meta)

    def values(prop: str) -> set[str]:
        return {(m.text or "").strip() for m in present.get(prop, [])}

    wanted = [
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "auditory"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessModeSufficient", "auditory"),
        ("schema:accessibilityFeature", "synchronizedAudioText"),
    ]
    for prop, value in wanted:
        if value not in values(prop):
            _meta(metadata, prop, value)
    if not values("schema:accessibilityHazard"):
        _meta(metadata, "schema:accessibilityHazard", "unknown")
    said = (
        " The whole text is also narrated, by a synthetic voice rather than a human reader, "
        "and the narration is synchronised with the text (Media Overlays): each sentence is "
        "highlighted as it is read, and listening alone is sufficient."
    )
    summaries = present.get("schema:accessibilitySummary", [])
    if summaries:
        summaries[0].text = (summaries[0].text or "").rstrip() + said
    else:
        title = source.book.metadata.title
        _meta(metadata, "schema:accessibilitySummary", f"This publication of {title}.{said}")
