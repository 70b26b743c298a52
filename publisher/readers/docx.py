"""Word documents (.docx), through mammoth's HTML and the same HTML reading as Markdown.

mammoth reads the document body as its author meant it: heading styles, emphasis,
lists, tables, footnotes and endnotes, images with their descriptions; tracked changes
as accepted (insertions kept, deletions gone); comments, headers and footers left out.
The core properties (title, author) and the default language come from the package's
own XML, parsed without DTDs, entities or network. The archive is checked before
anything reads it: a Word file is a zip, and a zip may be a bomb.
"""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path
from typing import Any

import lxml.html
import mammoth  # type: ignore[import-untyped]
from lxml import etree

from publisher.errors import InputError
from publisher.model import (
    Block,
    HeadingBlock,
    Image,
    ListBlock,
    ParagraphBlock,
    Styled,
    plain_text,
)
from publisher.readers.archive import open_zip
from publisher.readers.base import ReadResult
from publisher.readers.html import title_page
from publisher.readers.html_blocks import Converter, remove_keeping_tail
from publisher.readers.images import image_type

log = logging.getLogger(__name__)

_SAFE_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Styles mammoth does not map by itself, as Word and pandoc name them.
_STYLE_MAP = """
p[style-name='Title'] => h1.title:fresh
p[style-name='Subtitle'] => p.subtitle:fresh
p[style-name='Image Caption'] => p.caption:fresh
p[style-name='Caption'] => p.caption:fresh
p[style-name='Block Text'] => blockquote > p:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
p[style-name='Source Code'] => pre:separator('\\n')
r[style-name='Verbatim Char'] => code
"""
# A citation link into the reference list ("[1,2,3]"): for the eye, not the ear.
_CITATION = re.compile(r"^\[[\d,\s\u2013-]+\]$")
_EMPTY_BRACKETS = re.compile(r"\s?\[[\s,;\u2013-]*\]")
_HTML = lxml.html.HTMLParser(huge_tree=True, no_network=True, remove_comments=True)


class DocxReader:
    """Word 2007 and later documents, and what LibreOffice and pandoc save as .docx."""

    name = "docx"
    suffixes = (".docx",)

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"word/" in head

    def read(self, path: Path) -> ReadResult:
        with _open(path) as archive:
            fields = _properties(archive)
        images: dict[str, Image] = {}
        html = _convert(path, images)
        root = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div", parser=_HTML)
        _mark_notes(root)
        converter = Converter(images.get, quiet=True)
        blocks = tuple(converter.blocks(root))
        fields, blocks = title_page(fields, blocks)
        listed = _listed_author(blocks)
        if listed is not None:
            # A manuscript's own list of authors names them; the core properties' creator
            # is often whoever last saved the file.
            fields["author"] = listed
        return ReadResult(fields, blocks, "utf-8")


def _listed_author(blocks: tuple[Block, ...]) -> str | None:
    """The first name, in bold, of an "Authors" list near the start of the document."""
    for index, block in enumerate(blocks[:8]):
        if not (isinstance(block, HeadingBlock) and block.text.strip().lower() == "authors"):
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(following, ListBlock) and following.items:
            first = following.items[0][0] if following.items[0] else None
            if isinstance(first, ParagraphBlock) and first.inline:
                lead = first.inline[0]
                if isinstance(lead, Styled) and lead.style == "strong":
                    name = " ".join(plain_text(lead.children).split())
                    return name or None
    return None


def _open(path: Path) -> zipfile.ZipFile:
    archive = open_zip(path, "a Word document")
    if "word/document.xml" not in archive.namelist():
        archive.close()
        raise InputError(f"{path.name} has no document body (word/document.xml)")
    return archive


def _convert(path: Path, images: dict[str, Image]) -> str:
    def image(picture: Any) -> dict[str, str]:
        with picture.open() as stream:
            data = stream.read(MAX_IMAGE + 1)
        media_type = image_type(data) if len(data) <= MAX_IMAGE else None
        if media_type is None:
            log.warning("%s: an image that is not a JPEG, PNG, GIF or WebP is left out", path.name)
            return {"src": ""}
        key = f"docx-image-{len(images) + 1}"
        images[key] = Image(data, media_type)
        return {"src": key}

    try:
        with path.open("rb") as source:
            result = mammoth.convert_to_html(
                source, style_map=_STYLE_MAP, convert_image=mammoth.images.img_element(image)
            )
    except (KeyError, ValueError, zipfile.BadZipFile, etree.LxmlError) as exc:
        raise InputError(f"{path.name} cannot be read as a Word document ({exc})") from None
    for message in result.messages:
        log.debug("%s: %s", path.name, message.message)
    return str(result.value)


MAX_IMAGE = 10 * 1024 * 1024


def _properties(archive: zipfile.ZipFile) -> dict[str, str]:
    fields: dict[str, str] = {}
    core = _xml(archive, "docProps/core.xml")
    if core is not None:
        for key, tag in (("title", f"{_DC}title"), ("author", f"{_DC}creator")):
            value = " ".join((core.findtext(tag) or "").split())
            if value:
                fields[key] = value
        language = (core.findtext(f"{_DC}language") or "").strip()
        if language:
            fields["language"] = language
        description = " ".join((core.findtext(f"{_DC}description") or "").split())
        if description:
            fields["description"] = description
    if "language" not in fields:
        styles = _xml(archive, "word/styles.xml")
        found = styles.find(f".//{_W}docDefaults//{_W}lang") if styles is not None else None
        if found is not None and found.get(f"{_W}val"):
            fields["language"] = str(found.get(f"{_W}val"))
    if "author" in fields:
        # "Ann Lee; Bo Park" or "Ann Lee, Bo Park": the first named is the author of record.
        fields["author"] = re.split(r";|\band\b", fields["author"])[0].strip()
    return fields


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        data = archive.read(name)
    except KeyError:
        return None
    try:
        return etree.fromstring(data, _SAFE_XML)
    except etree.XMLSyntaxError:
        return None


def _mark_notes(root: etree._Element) -> None:
    """mammoth's notes in the vocabulary the converter reads; citation links dropped."""
    dropped = False
    for link in list(root.iter("a")):
        href = link.get("href") or ""
        words = "".join(str(t) for t in link.itertext()).strip()
        if re.match(r"#(?:footnote|endnote)-\d+$", href):
            link.set("role", "doc-noteref")
        elif re.match(r"#(?:footnote|endnote)-ref-\d+$", href):
            link.set("class", "footnote-backref")
        elif href.startswith("#") and (_CITATION.match(words) or href.startswith("#ref-")):
            remove_keeping_tail(link, trim=True)
            dropped = True
    if dropped:  # what the citations leave: "[-]", "[, ]"
        for node in root.iter():
            for where in ("text", "tail"):
                value = getattr(node, where)
                if value and "[" in value:
                    setattr(node, where, _EMPTY_BRACKETS.sub("", value))
    for item in root.iter("li"):
        if re.match(r"(?:footnote|endnote)-\d+$", item.get("id") or ""):
            parent = item.getparent()
            if parent is not None:
                parent.set("class", "footnotes")
