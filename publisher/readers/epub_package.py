"""An EPUB's package: container, OPF manifest, spine, metadata and navigation, read safely.

Both ways of publishing an EPUB (re-typeset, narrated in place) start here. Every XML part
is parsed without DTDs, entities or network, and every path stays inside the book.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from publisher.errors import InputError
from publisher.readers.archive import read_member
from publisher.speech.lexicon import Entry, Lexicon, parse_lexicon

log = logging.getLogger(__name__)

SAFE_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True, recover=False
)
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
_FONT_OBFUSCATION = frozenset(
    {b"http://www.idpf.org/2008/embedding", b"http://ns.adobe.com/pdf/enc#RC"}
)
# Parts of an edition, not of the work: a reading system shows them; nobody narrates them.
EDITION = re.compile(
    r"\b(?:titlepage|halftitlepage|imprint|colophon|copyright-page|"
    r"z3998:(?:publisher-)?(?:copyright|advertisement)|cover|toc|loi|lot|landmarks)\b"
)
EDITION_FILES = re.compile(r"(?:^|/)(?:uncopyright|imprint|colophon|titlepage|cover)\.x?html?$")


@dataclass(frozen=True)
class Item:
    id: str
    href: str  # the path inside the zip
    media_type: str
    properties: str

    @property
    def is_document(self) -> bool:
        return "html" in self.media_type or self.href.endswith((".xhtml", ".html", ".htm"))


@dataclass(frozen=True)
class SpineRef:
    item: Item
    linear: bool


@dataclass(frozen=True)
class NavEntry:
    """One entry of the table of contents: the document and fragment it opens."""

    depth: int  # 0 for top-level entries
    document: str  # the path inside the zip
    fragment: str | None
    label: str
    semantics: str  # the link's own epub:type ("z3998:roman" on a Roman-numeral label)


@dataclass(frozen=True)
class Package:
    path: str  # the OPF's path inside the zip
    root: etree._Element
    version: str
    items: dict[str, Item]
    spine: tuple[SpineRef, ...]

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path)

    def documents(self) -> list[str]:
        """The linear XHTML documents of the spine, in reading order."""
        return [ref.item.href for ref in self.spine if ref.linear and ref.item.is_document]

    def nav(self) -> Item | None:
        return next((i for i in self.items.values() if "nav" in i.properties.split()), None)

    def relative(self, href: str) -> str:
        """A path inside the zip as the OPF refers to it."""
        return posixpath.relpath(href, self.folder or ".")


def open_package(archive: zipfile.ZipFile, name: str) -> Package:
    refuse_drm(archive, name)
    path = _rootfile(archive, name)
    root = xml_part(archive, path, name)
    if root.tag != f"{OPF}package":
        raise InputError(f"{name}: {path} is not an OPF package document")
    items = _manifest(root, posixpath.dirname(path))
    return Package(path, root, root.get("version") or "2.0", items, _spine(root, items))


def refuse_drm(archive: zipfile.ZipFile, name: str) -> None:
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
    container = xml_part(archive, "META-INF/container.xml", name)
    rootfile = container.find(f".//{_CONTAINER}rootfile")
    full_path = rootfile.get("full-path") if rootfile is not None else None
    if not full_path:
        raise InputError(f"{name}: META-INF/container.xml names no package document")
    return inside(full_path, name)


def inside(href: str, name: str) -> str:
    """A path inside the book, never above it."""
    clean = posixpath.normpath(unquote(href)).lstrip("/")
    if clean.startswith("..") or clean == ".":
        raise InputError(f"{name} points outside itself ({href}); refusing it")
    return clean


def xml_part(archive: zipfile.ZipFile, member: str, name: str) -> etree._Element:
    data = read_member(archive, member, name)
    try:
        return etree.fromstring(data, SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{name}: {member} is not well-formed XML ({exc.msg})") from None


def _manifest(opf: etree._Element, base: str) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for item in opf.iter(f"{OPF}item"):
        href, key = item.get("href"), item.get("id")
        if key and href:
            joined = posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0])))
            if not joined.startswith(".."):
                items[key] = Item(
                    key, joined, item.get("media-type") or "", item.get("properties") or ""
                )
    return items


def _spine(opf: etree._Element, items: dict[str, Item]) -> tuple[SpineRef, ...]:
    refs: list[SpineRef] = []
    for ref in opf.iter(f"{OPF}itemref"):
        item = items.get(ref.get("idref") or "")
        if item is None:
            log.warning("the spine names %r, which the manifest lacks", ref.get("idref"))
            continue
        refs.append(SpineRef(item, ref.get("linear") != "no"))
    return tuple(refs)


def covers(package: Package) -> frozenset[str]:
    """The cover image's path: EPUB 3's cover-image property, or EPUB 2's meta."""
    items = package.items
    found = {i.href for i in items.values() if "cover-image" in i.properties.split()}
    found |= {
        item.href
        for key, item in items.items()
        if key.lower() in {"cover", "cover-image", "coverimage"}
        and item.media_type.startswith("image/")
    }
    for meta in package.root.iter(f"{OPF}meta"):
        if meta.get("name") == "cover" and meta.get("content") in items:
            found.add(items[str(meta.get("content"))].href)
    return frozenset(found)


def metadata_fields(opf: etree._Element) -> dict[str, str]:
    fields: dict[str, str] = {}
    metadata = opf.find(f"{OPF}metadata")
    if metadata is None:
        return fields
    refined: dict[tuple[str, str], set[str]] = {}
    for meta in metadata.iter(f"{OPF}meta"):
        if meta.get("refines"):
            about = (str(meta.get("refines")).lstrip("#"), meta.get("property") or "")
            refined.setdefault(about, set()).add((meta.text or "").strip())

    def refinement(element: etree._Element, prop: str) -> set[str]:
        return refined.get((element.get("id") or "", prop), set())

    titles = [t for t in metadata.iter(f"{DC}title") if (t.text or "").strip()]
    main = [t for t in titles if "main" in refinement(t, "title-type")]
    if titles:
        fields["title"] = " ".join((main or titles)[0].text.split())  # type: ignore[union-attr]
    subtitles = [t for t in titles if "subtitle" in refinement(t, "title-type")]
    if subtitles:
        fields["subtitle"] = " ".join(subtitles[0].text.split())  # type: ignore[union-attr]
    creators = [c for c in metadata.iter(f"{DC}creator") if (c.text or "").strip()]
    authors = [
        c
        for c in creators
        if (c.get(f"{OPF}role") == "aut")
        or (
            c.get(f"{OPF}role") is None
            and (not refinement(c, "role") or "aut" in refinement(c, "role"))
        )
    ]
    if authors or creators:
        names = [" ".join(str(c.text).split()) for c in authors or creators[:1]]
        fields["author"] = (
            names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        )
    for key in ("language", "publisher", "description"):
        value = metadata.findtext(f"{DC}{key}")
        if value and value.strip():
            fields[key] = " ".join(value.split())
    if "description" in fields:
        fields["description"] = re.sub(r"<[^>]+>", "", fields["description"])
    identifier = opf.get("unique-identifier")
    for element in metadata.iter(f"{DC}identifier"):
        if element.get("id") == identifier and (element.text or "").strip():
            fields["identifier"] = element.text.strip()  # type: ignore[union-attr]
    date = metadata.findtext(f"{DC}date")
    if date and re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", date.strip()):
        fields["date"] = date.strip()[:10]
    return fields


def navigation(archive: zipfile.ZipFile, package: Package, name: str) -> list[NavEntry]:
    """The table of contents in reading order: the nav document's, else the NCX's."""
    nav = package.nav()
    if nav is not None:
        try:
            root = xml_part(archive, nav.href, name)
        except InputError as exc:
            log.warning("%s; its table of contents is not used", exc)
        else:
            toc = next(
                (n for n in root.iter(f"{XHTML}nav") if "toc" in (n.get(EPUB_TYPE) or "")), None
            )
            if toc is not None:
                return _nav_entries(toc, posixpath.dirname(nav.href))
    ncx = next((i for i in package.items.values() if i.href.endswith(".ncx")), None)
    if ncx is None:
        return []
    try:
        root = xml_part(archive, ncx.href, name)
    except InputError as exc:
        log.warning("%s; its table of contents is not used", exc)
        return []
    entries: list[NavEntry] = []
    for point in root.iter(f"{_NCX}navPoint"):
        depth = sum(1 for _ in point.iterancestors(f"{_NCX}navPoint"))
        label = " ".join((point.findtext(f"{_NCX}navLabel/{_NCX}text") or "").split())
        content = point.find(f"{_NCX}content")
        src = content.get("src") if content is not None else None
        if src and label:
            entries.append(_entry(depth, posixpath.dirname(ncx.href), src, label, ""))
    return entries


def _nav_entries(toc: etree._Element, base: str) -> list[NavEntry]:
    entries: list[NavEntry] = []
    for item in toc.iter(f"{XHTML}li"):
        link = item.find(f"{XHTML}a")
        if link is None or not link.get("href"):
            continue
        # An entry under a heading that links nowhere (an author's name) is not deeper.
        depth = sum(
            1 for li in item.iterancestors(f"{XHTML}li") if li.find(f"{XHTML}a") is not None
        )
        label = " ".join("".join(str(t) for t in link.itertext()).split())
        if label:
            entries.append(
                _entry(depth, base, str(link.get("href")), label, link.get(EPUB_TYPE) or "")
            )
    return entries


def _entry(depth: int, base: str, href: str, label: str, semantics: str) -> NavEntry:
    path, _, fragment = href.partition("#")
    document = posixpath.normpath(posixpath.join(base, unquote(path)))
    return NavEntry(depth, document, unquote(fragment) or None, label, semantics)


SSML_PH = "{http://www.w3.org/2001/10/synthesis}ph"


def spelt_words(root: etree._Element) -> dict[str, str]:
    """Words a document spells with ``ssml:ph`` (IPA), as the narrator should say them."""
    found: dict[str, str] = {}
    for element in root.iter():
        phoneme = element.get(SSML_PH) if isinstance(element.tag, str) else None
        if phoneme:
            word = " ".join("".join(str(t) for t in element.itertext()).split())
            if word:
                found[word] = phoneme
    return found


def source_lexicon(
    archive: zipfile.ZipFile, package: Package, name: str, spelt: dict[str, str]
) -> Lexicon:
    """The book's own PLS lexicons, then the words its documents spell with ssml:ph."""
    entries: list[Entry] = []
    for item in package.items.values():
        if item.media_type == "application/pls+xml":
            data = read_member(archive, item.href, name)
            entries += parse_lexicon(data, f"{name}: {item.href}").entries
    entries += [Entry((word,), None, ipa) for word, ipa in spelt.items()]
    return Lexicon(tuple(entries))
