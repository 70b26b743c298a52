"""EPUB 2 and 3 in, re-typeset: the spine's documents read into the document model.

Every part of the container is hostile until proven otherwise: the zip is checked
before it is read (``readers/archive.py``), every XML part is parsed without DTDs,
entities or network, and a path inside the book never leaves it. Encrypted content
(DRM) is refused. Gutenberg's header and licence, title pages, imprints, colophons and
copyright pages are left out: they are the edition's, not the work's.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import lxml.html
from lxml import etree

from publisher.errors import InputError
from publisher.model import Block, HeadingBlock, Image, NoteBlock
from publisher.readers.archive import open_zip, read_member
from publisher.readers.base import ReadResult
from publisher.readers.html import drop_gutenberg
from publisher.readers.html_blocks import EPUB_TYPE, Converter, semantics
from publisher.readers.images import MAX_IMAGE_BYTES, image_type

log = logging.getLogger(__name__)

_SAFE_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, recover=False
)
_HTML = lxml.html.HTMLParser(huge_tree=True, no_network=True, remove_comments=True)
_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
_XHTML = "{http://www.w3.org/1999/xhtml}"
# Parts of an edition, not of the work: left out of the re-typeset book.
_EDITION = re.compile(
    r"\b(?:titlepage|halftitlepage|imprint|colophon|copyright-page|"
    r"z3998:(?:publisher-)?(?:copyright|advertisement)|cover|toc|loi|lot|landmarks)\b"
)
_EDITION_FILES = re.compile(r"(?:^|/)(?:uncopyright|imprint|colophon|titlepage|cover)\.x?html?$")


_FONT_OBFUSCATION = frozenset(
    {b"http://www.idpf.org/2008/embedding", b"http://ns.adobe.com/pdf/enc#RC"}
)


@dataclass(frozen=True)
class _Item:
    href: str  # the path inside the zip
    media_type: str
    properties: str


class EpubReader:
    """EPUB 2 and 3 publications, read and published anew."""

    name = "epub"
    suffixes = (".epub",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"mimetypeapplication/epub+zip" in head[:100]

    def read(self, path: Path) -> ReadResult:
        with open_zip(path, "an EPUB") as archive:
            _refuse_drm(archive, path.name)
            opf_path = _rootfile(archive, path.name)
            opf = _xml(archive, opf_path, path.name)
            base = posixpath.dirname(opf_path)
            items = _manifest(opf, base)
            fields = _metadata(opf)
            covers = _covers(opf, items)
            titles = _navigation(archive, items, path.name)
            blocks: list[Block] = []
            finder = ImageFinder(archive)
            converter = Converter(finder, quiet=True)
            for href in _spine(opf, items):
                if _EDITION_FILES.search(href):
                    continue
                finder.document = href
                blocks += _document(archive, href, converter, titles, path.name, covers)
        if not blocks:
            raise InputError(f"{path.name}: its spine holds no text to publish")
        return ReadResult(fields, tuple(blocks), "utf-8")


def _refuse_drm(archive: zipfile.ZipFile, name: str) -> None:
    names = set(archive.namelist())
    if "META-INF/rights.xml" in names:
        raise InputError(f"{name} is protected by DRM (rights.xml); it cannot be read")
    if "META-INF/encryption.xml" in names:
        data = read_member(archive, "META-INF/encryption.xml", name)
        algorithms = re.findall(rb'Algorithm="([^"]+)"', data)
        # Font obfuscation (IDPF's, Adobe's) only hides fonts; any other encryption is DRM.
        if any(a not in _FONT_OBFUSCATION for a in algorithms if b"EncryptionMethod" in data):
            raise InputError(f"{name} is encrypted (DRM); it cannot be read")


def _rootfile(archive: zipfile.ZipFile, name: str) -> str:
    container = _xml(archive, "META-INF/container.xml", name)
    rootfile = container.find(f".//{_CONTAINER}rootfile")
    full_path = rootfile.get("full-path") if rootfile is not None else None
    if not full_path:
        raise InputError(f"{name}: META-INF/container.xml names no package document")
    return _inside(full_path, name)


def _inside(href: str, name: str) -> str:
    """A path inside the book, never above it."""
    clean = posixpath.normpath(unquote(href)).lstrip("/")
    if clean.startswith("..") or clean == ".":
        raise InputError(f"{name} points outside itself ({href}); refusing it")
    return clean


def _xml(archive: zipfile.ZipFile, member: str, name: str) -> etree._Element:
    data = read_member(archive, member, name)
    try:
        return etree.fromstring(data, _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name}: {member} is not well-formed XML ({exc.msg})") from None


def _manifest(opf: etree._Element, base: str) -> dict[str, _Item]:
    items: dict[str, _Item] = {}
    for item in opf.iter(f"{_OPF}item"):
        href = item.get("href")
        if item.get("id") and href:
            joined = posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0])))
            if not joined.startswith(".."):
                items[str(item.get("id"))] = _Item(
                    joined, item.get("media-type") or "", item.get("properties") or ""
                )
    return items


def _spine(opf: etree._Element, items: dict[str, _Item]) -> list[str]:
    hrefs: list[str] = []
    for ref in opf.iter(f"{_OPF}itemref"):
        item = items.get(ref.get("idref") or "")
        if item is None or ref.get("linear") == "no":
            continue
        if "html" in item.media_type or item.href.endswith((".xhtml", ".html", ".htm")):
            hrefs.append(item.href)
    return hrefs


def _covers(opf: etree._Element, items: dict[str, _Item]) -> frozenset[str]:
    """The cover image's path: EPUB 3's cover-image property, or EPUB 2's meta."""
    found = {i.href for i in items.values() if "cover-image" in i.properties.split()}
    found |= {
        item.href
        for key, item in items.items()
        if key.lower() in {"cover", "cover-image", "coverimage"}
        and item.media_type.startswith("image/")
    }
    for meta in opf.iter(f"{_OPF}meta"):
        if meta.get("name") == "cover" and meta.get("content") in items:
            found.add(items[str(meta.get("content"))].href)
    return frozenset(found)


def _metadata(opf: etree._Element) -> dict[str, str]:
    fields: dict[str, str] = {}
    metadata = opf.find(f"{_OPF}metadata")
    if metadata is None:
        return fields
    refines = {
        (m.get("refines") or "").lstrip("#"): (m.get("property"), (m.text or "").strip())
        for m in metadata.iter(f"{_OPF}meta")
        if m.get("refines")
    }
    titles = [t for t in metadata.iter(f"{_DC}title") if (t.text or "").strip()]
    main = [t for t in titles if refines.get(t.get("id") or "", ("", ""))[1] == "main"]
    if titles:
        fields["title"] = " ".join((main or titles)[0].text.split())  # type: ignore[union-attr]
    subtitles = [t for t in titles if refines.get(t.get("id") or "", ("", ""))[1] == "subtitle"]
    if subtitles:
        fields["subtitle"] = " ".join(subtitles[0].text.split())  # type: ignore[union-attr]
    creators = [c for c in metadata.iter(f"{_DC}creator") if (c.text or "").strip()]
    authors = [
        c
        for c in creators
        if (c.get(f"{_OPF}role") or refines.get(c.get("id") or "", ("", "aut"))[1] or "aut")
        == "aut"
    ]
    if authors or creators:
        fields["author"] = " ".join((authors or creators)[0].text.split())  # type: ignore[union-attr]
    for key, tag in (
        ("language", "language"),
        ("publisher", "publisher"),
        ("description", "description"),
    ):
        value = metadata.findtext(f"{_DC}{tag}")
        if value and value.strip():
            fields[key] = " ".join(value.split())
    if "description" in fields:
        fields["description"] = re.sub(r"<[^>]+>", "", fields["description"])
    identifier = opf.get("unique-identifier")
    for element in metadata.iter(f"{_DC}identifier"):
        if element.get("id") == identifier and (element.text or "").strip():
            fields["identifier"] = element.text.strip()  # type: ignore[union-attr]
    date = metadata.findtext(f"{_DC}date")
    if date and re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", date.strip()):
        fields["date"] = date.strip()[:10]
    return fields


def _navigation(
    archive: zipfile.ZipFile, items: dict[str, _Item], name: str
) -> dict[str, tuple[int, str]]:
    """The table of contents' titles by the file they open: (depth, title)."""
    titles: dict[str, tuple[int, str]] = {}
    nav = next((i for i in items.values() if "nav" in i.properties.split()), None)
    if nav is not None:
        try:
            root = _xml(archive, nav.href, name)
        except InputError:
            root = None
        toc = None
        if root is not None:
            toc = next(
                (n for n in root.iter(f"{_XHTML}nav") if "toc" in (n.get(EPUB_TYPE) or "")), None
            )
        if toc is not None:
            _nav_entries(toc, posixpath.dirname(nav.href), titles)
            return titles
    ncx = next((i for i in items.values() if i.href.endswith(".ncx")), None)
    if ncx is not None:
        try:
            root = _xml(archive, ncx.href, name)
        except InputError:
            return titles
        for point in root.iter(f"{_NCX}navPoint"):
            depth = sum(1 for a in point.iterancestors(f"{_NCX}navPoint"))
            label = " ".join("".join(point.findtext(f"{_NCX}navLabel/{_NCX}text") or "").split())
            content = point.find(f"{_NCX}content")
            src = content.get("src") if content is not None else None
            if src and label:
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(ncx.href), unquote(src))
                )
                titles.setdefault(target.split("#")[0], (depth, label))
    return titles


def _nav_entries(element: etree._Element, base: str, titles: dict[str, tuple[int, str]]) -> None:
    for item in element.iter(f"{_XHTML}li"):
        link = item.find(f"{_XHTML}a")
        if link is None or not link.get("href"):
            continue
        level = sum(1 for a in item.iterancestors(f"{_XHTML}li"))
        target = posixpath.normpath(posixpath.join(base, unquote(str(link.get("href")))))
        title = " ".join("".join(str(t) for t in link.itertext()).split())
        if title:
            titles.setdefault(target.split("#")[0], (level, title))


def _document(
    archive: zipfile.ZipFile,
    href: str,
    converter: Converter,
    titles: dict[str, tuple[int, str]],
    name: str,
    covers: frozenset[str],
) -> list[Block]:
    data = read_member(archive, href, name)
    try:
        root = etree.fromstring(data, _SAFE_XML)
    except etree.XMLSyntaxError:
        log.warning("%s: %s is not well-formed XHTML; read as HTML", name, href)
        root = lxml.html.document_fromstring(data, parser=_HTML)
    _strip_namespaces(root)
    drop_gutenberg(root)
    body = root.find("body")
    if body is None:
        return []
    if _EDITION.search(semantics(body)):
        return []
    for image in list(body.iter("img")):
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(href), unquote(image.get("src") or ""))
        )
        holder = image.getparent()
        if target in covers and holder is not None:
            holder.remove(image)  # the cover is the publication's, not a figure of the text
    for section in list(body.iter("section", "div", "aside")):
        holder = section.getparent()
        if _EDITION.search(semantics(section)) and holder is not None:
            holder.remove(section)
    blocks = list(converter.blocks(body))
    if (
        blocks
        and isinstance(blocks[0], HeadingBlock)
        and all(isinstance(b, NoteBlock) for b in blocks[1:])
    ):
        # An endnotes document: its notes go where they are read; its heading has no text.
        return blocks[1:]
    entry = titles.get(href)
    notes_only = all(isinstance(b, NoteBlock) for b in blocks)
    if (
        entry is not None
        and blocks
        and not notes_only
        and not any(isinstance(b, HeadingBlock) for b in blocks)
    ):
        # A file the contents opens but that sets no heading: the contents names it.
        blocks.insert(0, HeadingBlock(min(6, entry[0] + 2), entry[1]))
    return blocks


def _strip_namespaces(root: etree._Element) -> None:
    """XHTML elements by their local names, as the converter (and lxml.html) name them."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(_XHTML):
            element.tag = element.tag[len(_XHTML) :]


class ImageFinder:
    """Pictures inside the book, by their path from the document that shows them."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.document = ""

    def __call__(self, src: str) -> Image | None:
        if not src or re.match(r"[A-Za-z][\w+.-]+:", src):
            return None
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(self.document), unquote(src.split("#")[0]))
        )
        if target.startswith(".."):
            return None
        try:
            info = self.archive.getinfo(target)
        except KeyError:
            return None
        if info.file_size > MAX_IMAGE_BYTES:
            return None
        data = self.archive.read(info)
        media_type = image_type(data)
        return Image(data, media_type) if media_type else None
