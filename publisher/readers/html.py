"""HTML: a saved web page or a Project Gutenberg HTML edition, read into the document model.

The charset comes from a byte-order mark, else the document's own declaration when the
bytes agree with it, else detection. Gutenberg's header and licence are dropped (in a
``<pre>`` in older editions, in ``pg-header``/``pg-footer`` sections in newer ones), and
its notes, a ``*`` after a word with the note set in a ``<pre>`` after the paragraph,
become notes. Nothing is fetched, and scripts, styles, forms and frames never pass the
converter (``html_blocks``).
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

import lxml.html
from lxml import etree

from publisher.errors import InputError
from publisher.headings import match_heading, title_key
from publisher.model import Block, HeadingBlock
from publisher.readers.base import ReadResult
from publisher.readers.decoding import decode
from publisher.readers.gutenberg import header_fields
from publisher.readers.html_blocks import Converter, remove_keeping_tail
from publisher.readers.images import local_images

log = logging.getLogger(__name__)

_HTML = lxml.html.HTMLParser(huge_tree=True, no_network=True, remove_comments=True, remove_pis=True)
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_BOILERPLATE = re.compile(r"\bpg-(?:header|footer|boilerplate|machine-header|smallprint)\b")
_PG_MARKER = re.compile(r"\*\*\*\s*(START|END) OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
_PG_TEXT = re.compile(r"Project Gutenberg", re.IGNORECASE)
_NOTE_LINE = re.compile(r"(?m)^[ \t]*(\*{1,4})[ \t]+")
_MARKER = re.compile(r"(?<=[\w.,;:!?\u201c\u201d\u2018\u2019\"')\]])(\*{1,4})(?![\w*])")
# After an element ("<i>senor</i>*"), a mark may open its tail.
_TAIL_MARKER = re.compile(r"(?:^|(?<=[\w.,;:!?\u201c\u201d\u2018\u2019\"')\]]))(\*{1,4})(?![\w*])")
_PG_TITLE = re.compile(
    r"^The Project Gutenberg e-?Book of (?P<title>.+?)(?:, by (?P<author>.+))?$", re.IGNORECASE
)
_BYLINE = re.compile(r"^(?:by|von|par|door|di|por)\s+(?P<name>\S.{0,80})$", re.IGNORECASE)


class HtmlReader:
    """HTML files: web pages saved whole, Gutenberg's ``NNN-h.htm`` editions."""

    name = "html"
    suffixes = (".html", ".htm", ".xhtml")

    def sniff(self, head: bytes) -> bool:
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        return start.startswith((b"<!doctype html", b"<html")) or b"<html" in start[:512]

    def read(self, path: Path) -> ReadResult:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
        text, encoding = decode_html(data, path.name)
        root = parse_html(text, path.name)
        metadata = _metadata(root)
        metadata.update(drop_gutenberg(root))
        _gutenberg_notes(root)
        body = root.find("body")
        converter = Converter(local_images(path.parent, path.name), quiet=True)
        blocks = tuple(converter.blocks(body if body is not None else root))
        metadata, blocks = title_page(metadata, blocks)
        return ReadResult(metadata, blocks, encoding)


def decode_html(data: bytes, name: str) -> tuple[str, str]:
    """The text and its encoding: a BOM, then a declaration the bytes agree with."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoded = decode(data, name)
        return decoded.text, decoded.encoding
    declared = _DECLARED.search(data[:4096])
    if declared is not None:
        codec = declared.group(1).decode("ascii", errors="replace").lower()
        try:
            declared_codec = codecs.lookup(codec).name
            utf8 = _as_utf8(data) if declared_codec != "utf-8" and not data.isascii() else None
            if utf8 is not None:
                # Any bytes are Latin-1, so the declaration cannot be caught out by
                # decoding; text that is valid UTF-8 but not ASCII is all but never Latin-1.
                log.warning("%s declares %s but is UTF-8; reading it as UTF-8", name, codec)
                return utf8, "utf-8"
            return data.decode(codec), declared_codec
        except (LookupError, UnicodeDecodeError):
            log.warning("%s: its declared charset %s does not fit its bytes", name, codec)
    decoded = decode(data, name)
    return decoded.text, decoded.encoding


def _as_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def parse_html(text: str, name: str) -> etree._Element:
    text = _XML_DECLARATION.sub("", text.lstrip("\ufeff"))
    try:
        return lxml.html.document_fromstring(text, parser=_HTML)
    except (etree.ParserError, ValueError):
        raise InputError(f"{name} is not an HTML document that can be read") from None


def _metadata(root: etree._Element) -> dict[str, str]:
    fields: dict[str, str] = {}
    language = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if language:
        fields["language"] = language.strip()
    title = " ".join((root.findtext(".//title") or "").split())
    gutenberg = _PG_TITLE.match(title)
    if gutenberg is not None:
        title = gutenberg.group("title")
        if gutenberg.group("author"):
            fields["author"] = gutenberg.group("author")
    if title:
        fields["title"] = title
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        content = " ".join((meta.get("content") or "").split())
        if not content:
            continue
        if name in {"author", "dc.creator", "dcterms.creator", "article:author"}:
            fields.setdefault("author", content)
        elif name in {"description", "dc.description", "og:description"}:
            fields.setdefault("description", content)
        elif name in {"dc.title", "og:title"}:
            fields["title"] = content
        elif name in {"dc.language", "dcterms.language"}:
            fields.setdefault("language", content)
    return fields


def drop_gutenberg(root: etree._Element) -> dict[str, str]:
    """Remove Gutenberg's header, licence and footer; the header's fields, if it had one."""
    found: dict[str, str] = {}
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        marks = f"{element.get('id') or ''} {element.get('class') or ''}"
        if _BOILERPLATE.search(marks) or (
            element.tag == "pre" and _PG_TEXT.search(_words(element))
        ):
            found.update(_header_fields(element))
            remove_keeping_tail(element)
    body = root.find("body")
    if body is not None:
        _cut_at_markers(body)
        _trim_licence(body)
    return found


_LICENCE = re.compile(r"Project Gutenberg|gutenberg\.org|^[\s_*=-]*$", re.IGNORECASE)


def _trim_licence(body: etree._Element) -> None:
    """Short licence lines ending a file made from a Gutenberg edition ("This eBook is for
    the use of anyone...", a rule, a link to its other formats), removed from the end."""
    children = [c for c in body if isinstance(c.tag, str)]
    if not any(_PG_TEXT.search(_words(c)) or _links_gutenberg(c) for c in children[-6:]):
        return
    for child in reversed(children):
        if not (_LICENCE.search(_words(child)) or _links_gutenberg(child)):
            break
        remove_keeping_tail(child)


def _links_gutenberg(element: etree._Element) -> bool:
    return any("gutenberg.org" in (a.get("href") or "") for a in element.iter("a"))


def _header_fields(element: etree._Element) -> dict[str, str]:
    header = header_fields(_words(element))
    return {k: v for k, v in header.items() if k in {"title", "subtitle", "author", "language"}}


def _cut_at_markers(body: etree._Element) -> None:
    """Everything up to "*** START OF ..." and from "*** END OF ..." on, at the top level."""
    children = list(body)
    starts = [i for i, c in enumerate(children) if _marker(c) == "START"]
    ends = [i for i, c in enumerate(children) if _marker(c) == "END"]
    if starts:
        for child in children[: starts[0] + 1]:
            body.remove(child)
    if ends:
        for child in children[ends[-1] :]:
            if child.getparent() is body:
                body.remove(child)


def _marker(element: etree._Element) -> str | None:
    if not isinstance(element.tag, str):
        return None
    found = _PG_MARKER.search(_words(element)[:2000])
    return found.group(1).upper() if found else None


def _gutenberg_notes(root: etree._Element) -> None:
    """A ``<pre>`` (or a ``<p>``) of notes ("* ...", "** ...") after a paragraph whose
    words carry the same marks: the notes as an aside, the marks as references to them."""
    for number, pre in enumerate(list(root.iter("pre", "p")), 1):
        if not _NOTE_LINE.match(_words(pre).lstrip("\r\n")):
            continue
        notes = _split_notes(pre, f"gn{number}")
        marked = _marked_paragraph(pre)
        if not notes or marked is None:
            continue
        _link_markers(marked, {stars: note_id for stars, note_id, _ in notes})
        aside = etree.Element("aside", {"class": "footnotes"})
        for _, note_id, paragraph in notes:
            holder = etree.SubElement(aside, "aside", {"id": note_id, "class": "footnote"})
            holder.append(paragraph)
        aside.tail = pre.tail
        pre.getparent().replace(pre, aside)  # type: ignore[union-attr]


def _marked_paragraph(pre: etree._Element) -> etree._Element | None:
    """The paragraph the notes belong to: the nearest of the three before with a mark."""
    previous = pre.getprevious()
    for _ in range(3):
        if previous is None or previous.tag != "p":
            return None
        if _MARKER.search(_words(previous)):
            return previous
        previous = previous.getprevious()
    return None


def _split_notes(pre: etree._Element, prefix: str) -> list[tuple[str, str, etree._Element]]:
    inner = (pre.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in pre)
    pieces = _NOTE_LINE.split(inner)
    notes = []
    for index in range(1, len(pieces) - 1, 2):
        stars, words = pieces[index], pieces[index + 1]
        paragraph = lxml.html.fragment_fromstring(f"<p>{words.strip()}</p>", parser=_HTML)
        notes.append((stars, f"{prefix}-{len(stars)}", paragraph))
    return notes


def _link_markers(paragraph: etree._Element, targets: dict[str, str]) -> None:
    """Each "*" mark in the paragraph's text as a note reference element."""
    nodes = [(paragraph, "text")] + [
        (child, "tail") for child in paragraph.iter() if child is not paragraph
    ]
    for node, where in nodes:
        value = getattr(node, where)
        if not value or "*" not in value:
            continue
        parts = (_TAIL_MARKER if where == "tail" else _MARKER).split(value)
        if len(parts) == 1:
            continue
        setattr(node, where, parts[0])
        anchor = node if where == "tail" else None
        for index in range(1, len(parts), 2):
            link = etree.Element(
                "a", {"role": "doc-noteref", "href": f"#{targets.get(parts[index], '')}"}
            )
            link.text = parts[index]
            link.tail = parts[index + 1]
            if anchor is None:
                node.insert(0, link)
            else:
                anchor.addnext(link)
            anchor = link


def _words(element: etree._Element) -> str:
    return "".join(str(t) for t in element.itertext())


def title_page(
    metadata: dict[str, str], blocks: tuple[Block, ...]
) -> tuple[dict[str, str], tuple[Block, ...]]:
    """The headings a title page sets before the text: the title, "by ...", "Translated
    by ...". They are the book's metadata, not chapters."""
    result = list(blocks)
    fields = dict(metadata)
    while result and isinstance(result[0], HeadingBlock) and match_heading(result[0].text) is None:
        heading = result[0]
        byline = _BYLINE.match(heading.text)
        if byline is not None:
            fields.setdefault("author", byline.group("name"))
        elif re.match(r"(?i)^(?:translated|edited|illustrated)\b", heading.text):
            pass
        elif (
            "title" not in fields
            or title_key(fields["title"]) in title_key(heading.text)
            or (title_key(heading.text) in title_key(fields["title"]))
        ):
            # "My Post" under <title>My Post | The Site</title>: the page's own heading.
            own, given = title_key(heading.text), title_key(fields.get("title", ""))
            if "title" not in fields or (own in given and own != given):
                fields["title"] = heading.text
        else:
            break
        result.pop(0)
        # A heading is part of the title page only while more headings follow it directly.
        if not result or not isinstance(result[0], HeadingBlock):
            break
    return fields, tuple(result)
