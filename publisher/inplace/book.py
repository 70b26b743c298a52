"""A source EPUB 3 read for narration in place: its documents marked, its chapters from
its own table of contents, and a Book the narrator reads.

Chapters are the navigation's entries, wherever they point: a file, or a section inside
one (a book in a single file comes out as its chapters), and a chapter that runs over
several files keeps them all. Title pages, imprints, colophons, copyright pages and the
Gutenberg licence stay in the book as they were, shown and not narrated.
"""

from __future__ import annotations

import copy
import itertools
import logging
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

from publisher.errors import ConfigError, InputError
from publisher.headings import heading_number, title_key
from publisher.inplace.markup import Ids, Marker, Unit
from publisher.metadata import load_book_toml, resolve_metadata, title_from_filename
from publisher.model import (
    SECTION_KINDS,
    Book,
    Content,
    Image,
    Matter,
    Metadata,
    Paragraph,
    RichText,
    Section,
    SectionKind,
    Subheading,
)
from publisher.readers import check_file
from publisher.readers.archive import open_zip, read_member
from publisher.readers.epub import strip_namespaces
from publisher.readers.epub_package import (
    EDITION_FILES,
    SAFE_XML,
    XHTML,
    NavEntry,
    Package,
    covers,
    metadata_fields,
    navigation,
    open_package,
    source_lexicon,
    spelt_words,
)
from publisher.readers.html import drop_gutenberg
from publisher.readers.html_blocks import semantics
from publisher.readers.images import image_type
from publisher.speech.lexicon import Lexicon

log = logging.getLogger(__name__)

_FRONT = re.compile(r"\b(?:frontmatter|preface|foreword|dedication|epigraph|prologue)\b")
_BACK = re.compile(
    r"\b(?:backmatter|rearnotes|endnotes|footnotes|appendix|afterword|glossary|bibliography|"
    r"index)\b"
)
_MARK = "{urn:publisher}n"
_HTML = lxml.html.HTMLParser(huge_tree=True, no_network=True, remove_comments=True)


@dataclass(frozen=True)
class Document:
    """One XHTML document of the spine, with the spans now in it."""

    href: str
    root: etree._Element
    units: list[Unit]
    order: dict[etree._Element, int]  # every source element's place, before the spans


@dataclass(frozen=True)
class InPlaceBook:
    source: Path
    package: Package
    book: Book
    documents: dict[str, Document]  # the documents narrated, by their path in the zip
    lexicon: Lexicon  # the source's own PLS lexicons and ssml:ph pronunciations
    where: dict[str, str] = field(default_factory=dict)  # narrated id -> its document

    def document_of(self, unit_id: str) -> str | None:
        return self.where.get(unit_id)


def narrates_in_place(path: Path, wanted: bool | None) -> bool:
    """Whether a build narrates its source in place: an EPUB 3 does unless re-typesetting
    is asked for; an EPUB 2 cannot carry Media Overlays, so by default it is re-typeset."""
    if wanted is False:
        return False
    check_file(path)
    if path.suffix.lower() != ".epub" and not _looks_like_epub(path):
        if wanted:
            raise ConfigError(f"{path.name} is not an EPUB; only an EPUB is narrated in place")
        return False
    if wanted:
        return True
    with open_zip(path, "an EPUB") as archive:
        version = open_package(archive, path.name).version
    if version.startswith("3"):
        return True
    log.info("%s is an EPUB %s; it is re-typeset as EPUB 3", path.name, version)
    return False


def _looks_like_epub(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            head = file.read(100)
    except OSError:
        return False
    return head.startswith(b"PK\x03\x04") and b"mimetypeapplication/epub+zip" in head


def read_in_place(path: Path, overrides: Mapping[str, str | None] | None = None) -> InPlaceBook:
    with open_zip(path, "an EPUB") as archive:
        package = open_package(archive, path.name)
        if not package.version.startswith("3"):
            raise InputError(
                f"{path.name} is an EPUB {package.version}; Media Overlays need EPUB 3, so "
                "it can only be re-typeset (--retypeset)"
            )
        fields = metadata_fields(package.root)
        layers = [{k: v for k, v in (overrides or {}).items() if v}, fields, load_book_toml(path)]
        metadata = resolve_metadata(layers, title_from_filename(path))
        entries = navigation(archive, package, path.name)
        roots = {
            href: root
            for href in package.documents()
            if (root := _parse(archive, href, path.name)) is not None
        }
        ids = Ids({str(e.get("id")) for r in roots.values() for e in r.iter() if e.get("id")})
        documents: dict[str, Document] = {}
        pronunciations: dict[str, str] = {}
        for href, root in roots.items():
            document = _mark(href, root, metadata.language, ids, pronunciations)
            if document is not None:
                documents[href] = document
        cover = _cover(archive, package)
        lexicon = source_lexicon(archive, package, path.name, pronunciations)
    sections = _sections(documents, package.documents(), entries, metadata)
    if not sections:
        raise InputError(f"{path.name}: its spine holds no text to narrate")
    where = {
        unit_id: document.href
        for document in documents.values()
        for unit in document.units
        for unit_id in (unit.id, *(s.id for s in unit.sentences), *(g.id for g in unit.groups))
    }
    book = Book(metadata, tuple(sections), cover)
    return InPlaceBook(path, package, book, documents, lexicon, where)


def _parse(archive: zipfile.ZipFile, href: str, name: str) -> etree._Element | None:
    if EDITION_FILES.search(href):
        return None
    data = read_member(archive, href, name)
    try:
        return etree.fromstring(data, SAFE_XML)
    except etree.XMLSyntaxError as exc:
        log.warning("%s: %s is not well-formed XHTML (%s); repaired as HTML", name, href, exc.msg)
    return _repaired(data)


_PREFIXES = {
    "epub": "http://www.idpf.org/2007/ops",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "ssml": "http://www.w3.org/2001/10/synthesis",
}


def _repaired(data: bytes) -> etree._Element | None:
    """A document that is HTML rather than XHTML (a ``<br>`` left open, an ``&nbsp;``)
    read as a browser reads it and made XHTML, so spans can go in and the output is valid.
    EPUB 3 documents are UTF-8, whatever charset a meta tag claims."""
    text = data.decode("utf-8", errors="replace")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    try:
        root = lxml.html.document_fromstring(text, parser=_HTML)
    except (etree.ParserError, ValueError):
        return None
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for key in [k for k in element.attrib if ":" in str(k) or k == "xmlns"]:
            value = element.attrib.pop(key)
            prefix, _, local_name = str(key).partition(":")
            if prefix in _PREFIXES and local_name:
                element.set(f"{{{_PREFIXES[prefix]}}}{local_name}", value)
        if element.tag == "meta" and element.get("charset"):
            element.set("charset", "utf-8")
        elif element.tag == "meta" and "charset" in (element.get("content") or ""):
            element.set("content", "text/html; charset=utf-8")
    lxml.html.html_to_xhtml(root)
    return etree.fromstring(etree.tostring(root), SAFE_XML)


def _mark(
    href: str,
    root: etree._Element,
    language: str,
    ids: Ids,
    pronunciations: dict[str, str],
) -> Document | None:
    gutenberg = any("utenberg" in (t or "") for t in root.itertext())
    marker = Marker(language, ids, _boilerplate(root) if gutenberg else set())
    pronunciations.update(spelt_words(root))  # before spans may cut an element in two
    units = marker.document(root)
    return Document(href, root, units, marker.order) if units else None


def _boilerplate(root: etree._Element) -> set[etree._Element]:
    """Gutenberg's header, licence and footer, found as the HTML reader finds them (on a
    copy, with the namespaces the reader does not use taken off)."""
    originals = list(root.iter())
    for number, element in enumerate(originals):
        element.set(_MARK, str(number))
    twin = copy.deepcopy(root)
    strip_namespaces(twin)
    drop_gutenberg(twin)
    kept = {int(e.get(_MARK) or -1) for e in twin.iter()}
    for element in originals:
        del element.attrib[_MARK]
    return {e for number, e in enumerate(originals) if number not in kept}


@dataclass
class _Chapter:
    entry: NavEntry | None
    kind: SectionKind
    matter: Matter
    units: list[Unit] = field(default_factory=list)


def _sections(
    documents: dict[str, Document],
    spine: list[str],
    entries: list[NavEntry],
    metadata: Metadata,
) -> list[Section]:
    starts = _starts(documents, spine, entries)
    chapters: list[_Chapter] = []
    current = _Chapter(None, "preamble", "front")
    for position, href in enumerate(spine):
        document = documents.get(href)
        for unit in document.units if document else ():
            while starts and starts[0][0] <= (position, unit.order):
                _, entry, kind, matter = starts.pop(0)
                chapters.append(current)
                current = _Chapter(entry, kind, matter)
            current.units.append(unit)
    chapters.append(current)
    parents = {id(a) for a, b in itertools.pairwise(entries) if b.depth > a.depth}
    sections: list[Section] = []
    for chapter in chapters:
        if chapter.units:
            sections.append(_section(chapter, len(sections) + 1, metadata, parents))
    return sections


def _starts(
    documents: dict[str, Document], spine: list[str], entries: list[NavEntry]
) -> list[tuple[tuple[int, int], NavEntry, SectionKind, Matter]]:
    """Where each navigation entry begins: (spine position, element order), with the
    kind and matter its target says."""
    starts = []
    for entry in entries:
        if entry.document not in spine:
            continue
        position = spine.index(entry.document)
        document = documents.get(entry.document)
        order, kinds = 0, ""
        if document is not None:
            target = _target(document.root, entry.fragment)
            if target is None and entry.fragment:
                log.warning("the contents entry %r points at nothing", entry.label)
                continue
            element = target if target is not None else document.root.find(f"{XHTML}body")
            if element is not None:
                order = document.order.get(element, 0)
                kinds = " ".join(semantics(e) for e in (element, *element.iterancestors()))
        starts.append(((position, order), entry, _kind(kinds), _matter(kinds)))
    starts.sort(key=lambda s: s[0])
    return starts


def _target(root: etree._Element, fragment: str | None) -> etree._Element | None:
    if not fragment:
        return None
    return next((e for e in root.iter() if e.get("id") == fragment), None)


def _kind(kinds: str) -> SectionKind:
    for word in kinds.split():
        name = word.split(":")[-1]
        if name in SECTION_KINDS and name != "preamble":
            return name
        if name in {"endnotes", "rearnotes", "footnotes"}:
            return "notes"
    return "chapter"


def _matter(kinds: str) -> Matter:
    if _BACK.search(kinds):
        return "back"
    if _FRONT.search(kinds):
        return "front"
    return "body"


def _section(chapter: _Chapter, index: int, metadata: Metadata, parents: set[int]) -> Section:
    units = chapter.units
    entry = chapter.entry
    heading = units[0] if units[0].kind == "heading" else None
    content: list[Content] = []
    for unit in units[1:] if heading else units:
        if unit.kind == "heading":
            content.append(Subheading(unit.id, max(2, min(6, unit.level)), unit.text))
        else:
            body = RichText(unit.text, unit.marks)
            content.append(Paragraph(unit.id, unit.sentences, body=body, groups=unit.groups))
    shown = entry.label if entry else (heading.text if heading else metadata.title)
    title = heading.text if heading else _spoken_label(entry) if entry else metadata.title
    if heading and entry and _names_more(entry.label, heading.text):
        title = entry.label  # "190" set over a contents entry "190 A Four-Leaved Clover"
    kind = "part" if entry is not None and id(entry) in parents else chapter.kind
    return Section(
        f"pub-c{index}",
        index,
        kind,
        chapter.matter,
        entry.depth if entry else 0,
        None,
        title,
        tuple(content),
        from_manuscript=entry is not None or heading is not None,
        heading_ref=heading.id if heading else None,
        shown_title=shown,
    )


def _names_more(label: str, heading: str) -> bool:
    return label != heading and title_key(heading) in title_key(label)


def _spoken_label(entry: NavEntry) -> str:
    if "z3998:roman" in entry.semantics:
        value = heading_number(entry.label)
        if value is not None:
            return str(value)
    return entry.label


def _cover(archive: zipfile.ZipFile, package: Package) -> Image | None:
    for href in sorted(covers(package)):
        try:
            data = read_member(archive, href, "the cover")
        except InputError:
            continue
        media_type = image_type(data)
        if media_type in {"image/jpeg", "image/png"}:
            return Image(data, media_type)
    return None
