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
from pathlib import Path
from urllib.parse import unquote

import lxml.html
from lxml import etree

from publisher.errors import InputError
from publisher.headings import title_key
from publisher.model import Block, HeadingBlock, Image, NoteBlock
from publisher.readers.archive import open_zip, read_member
from publisher.readers.base import ReadResult
from publisher.readers.epub_package import (
    EDITION,
    EDITION_FILES,
    SAFE_XML,
    XHTML,
    NavEntry,
    covers,
    metadata_fields,
    navigation,
    open_package,
    source_lexicon,
    spelt_words,
)
from publisher.readers.html import drop_gutenberg
from publisher.readers.html_blocks import Converter, semantics
from publisher.readers.images import MAX_IMAGE_BYTES, image_type

log = logging.getLogger(__name__)

_HTML = lxml.html.HTMLParser(huge_tree=True, no_network=True, remove_comments=True)


class EpubReader:
    """EPUB 2 and 3 publications, read and published anew."""

    name = "epub"
    suffixes = (".epub",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"mimetypeapplication/epub+zip" in head[:100]

    def read(self, path: Path) -> ReadResult:
        with open_zip(path, "an EPUB") as archive:
            package = open_package(archive, path.name)
            fields = metadata_fields(package.root)
            cover_images = covers(package)
            entries = navigation(archive, package, path.name)
            titles = _titles(entries)
            blocks: list[Block] = []
            finder = ImageFinder(archive)
            converter = Converter(finder, quiet=True)
            spelt: dict[str, str] = {}
            for href in package.documents():
                if EDITION_FILES.search(href):
                    continue
                finder.document = href
                here = [e for e in entries if e.document == href and e.fragment]
                found = _document(archive, href, converter, titles, path.name, cover_images, here)
                blocks += found[0]
                spelt.update(found[1])
            lexicon = source_lexicon(archive, package, path.name, spelt)
        if not blocks:
            raise InputError(f"{path.name}: its spine holds no text to publish")
        return ReadResult(fields, tuple(blocks), "utf-8", lexicon)


def _titles(entries: list[NavEntry]) -> dict[str, tuple[int, str]]:
    """The table of contents' titles by the file they open: (depth, title)."""
    titles: dict[str, tuple[int, str]] = {}
    for entry in entries:
        titles.setdefault(entry.document, (entry.depth, entry.label))
    return titles


def _document(
    archive: zipfile.ZipFile,
    href: str,
    converter: Converter,
    titles: dict[str, tuple[int, str]],
    name: str,
    covers: frozenset[str],
    entries: list[NavEntry],
) -> tuple[list[Block], dict[str, str]]:
    """The document's blocks, and the words its ``ssml:ph`` attributes spell out."""
    data = read_member(archive, href, name)
    try:
        root = etree.fromstring(data, SAFE_XML)
    except etree.XMLSyntaxError:
        log.warning("%s: %s is not well-formed XHTML; read as HTML", name, href)
        root = lxml.html.document_fromstring(data, parser=_HTML)
    spelt = spelt_words(root)
    return _blocks(root, href, converter, titles, covers, entries), spelt


def _blocks(
    root: etree._Element,
    href: str,
    converter: Converter,
    titles: dict[str, tuple[int, str]],
    covers: frozenset[str],
    entries: list[NavEntry],
) -> list[Block]:
    strip_namespaces(root)
    drop_gutenberg(root)
    body = root.find("body")
    if body is None:
        return []
    if EDITION.search(semantics(body)):
        return []
    for image in list(body.iter("img")):
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(href), unquote(image.get("src") or ""))
        )
        holder = image.getparent()
        if target in covers and holder is not None:
            holder.remove(image)  # the cover is the publication's, not a figure of the text
    _headings_from_navigation(body, entries)
    for section in list(body.iter("section", "div", "aside")):
        holder = section.getparent()
        if EDITION.search(semantics(section)) and holder is not None:
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


def _headings_from_navigation(body: etree._Element, entries: list[NavEntry]) -> None:
    """Chapters where the contents says they begin inside a file: the entry's heading
    named as the contents names it ("190" set over "190 A Four-Leaved Clover"), or a
    heading made where the target has none."""
    targets = {str(e.get("id")): e for e in body.iter() if e.get("id")}
    for entry in entries:
        target = targets.get(entry.fragment or "")
        if target is None:
            continue
        heading = leading_heading(target)
        if heading is None:
            level = min(6, entry.depth + 2)
            made = target.makeelement(f"h{level}", {})
            made.text = entry.label
            if target.tag in {"section", "div", "article", "aside", "body"}:
                target.insert(0, made)
            elif target.getparent() is not None:
                target.addprevious(made)
            continue
        shown = " ".join("".join(str(t) for t in heading.itertext()).split())
        if shown and shown != entry.label and title_key(shown) in title_key(entry.label):
            for child in list(heading):
                heading.remove(child)
            heading.text = entry.label


def leading_heading(target: etree._Element) -> etree._Element | None:
    """The heading a chapter's target opens with, before any text of its own."""
    for element in target.iter():
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if re.fullmatch(r"h[1-6]", tag):
            return element
        if tag in {"p", "li", "blockquote", "td", "pre"} and _has_text(element):
            return None
    return None


def strip_namespaces(root: etree._Element) -> None:
    """XHTML elements by their local names, as the converter (and lxml.html) name them."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith(XHTML):
            element.tag = element.tag[len(XHTML) :]


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


def _has_text(element: etree._Element) -> bool:
    return any(str(t).strip() for t in element.itertext())
