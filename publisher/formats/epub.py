"""EPUB 3 packaging with ebooklib: manifest, spine, metadata, NCX, and a stable zip.

ebooklib writes the package; the content documents and the navigation document are
built by ``xhtml.py`` so that every element carries the language, semantics and ids an
accessible book needs. Two ebooklib gaps are closed here: it writes no ``xml:lang`` on
``<package>``, and its zip entries carry the time of writing, which would make two
builds of one manuscript differ.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from ebooklib import epub
from lxml import etree

from publisher.formats.overlays import (
    ACTIVE_CLASS,
    PLAYBACK_ACTIVE_CLASS,
    ReadAlong,
    clock,
    smil_document,
)
from publisher.formats.render import XML_LANG
from publisher.formats.typography import smart
from publisher.formats.xhtml import (
    LEXICON_FILE,
    NAV_FILE,
    STYLESHEET,
    TITLE_FILE,
    NavEntry,
    nav_document,
    section_document,
    section_file,
    text_direction,
    title_document,
)
from publisher.labels import label
from publisher.model import (
    Book,
    Figure,
    Metadata,
    PageBreak,
    Paragraph,
    Section,
    Subheading,
    content_items,
)
from publisher.version import __version__

_IDENTIFIER_NAMESPACE = uuid.UUID("5b0d1f0e-6a77-4f39-9a1c-3c8e0a4f2b11")
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
CERTIFIED_BY = "publisher (automated conformance by construction, not a human audit)"


def write_epub(
    book: Book,
    path: Path,
    modified: dt.datetime,
    lexicon: bytes | None = None,
    read_along: ReadAlong | None = None,
) -> None:
    """Write the book as an EPUB 3 file at ``path``: with its PLS lexicon if it has one, and
    with the narration and Media Overlays when ``read_along`` is given."""
    package = epub.EpubBook()
    figures, pages = _figures(book), page_list(book)
    _metadata(package, book.metadata, modified, read_along, Contents.of(figures, pages))
    style = epub.EpubItem(
        uid="style",
        file_name=STYLESHEET,
        media_type="text/css",
        content=files("publisher.formats").joinpath("book.css").read_bytes(),
    )
    package.add_item(style)
    if book.cover is not None:
        cover = epub.EpubItem(
            uid="cover-image",
            file_name=f"images/cover.{book.cover.extension}",
            media_type=book.cover.media_type,
            content=book.cover.data,
        )
        cover.properties = ["cover-image"]
        package.add_item(cover)
        # EPUB 2 reading systems find the cover through this meta instead.
        package.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    for number, figure in enumerate(figures, 1):
        assert figure.image is not None and figure.href is not None
        package.add_item(
            epub.EpubItem(
                uid=f"figure-{number}",
                file_name=figure.href,
                media_type=figure.image.media_type,
                content=figure.image.data,
            )
        )
    has_lexicon = lexicon is not None
    if lexicon is not None:
        package.add_item(
            epub.EpubItem(
                uid="lexicon",
                file_name=LEXICON_FILE,
                media_type="application/pls+xml",
                content=lexicon,
            )
        )
    title_page = _Document(
        "title-page",
        TITLE_FILE,
        book.metadata.title,
        title_document(book.metadata, lexicon=has_lexicon),
    )
    sections = [
        _Document(
            section.id,
            section_file(section),
            section.display_title,
            section_document(section, book.metadata.language, lexicon=has_lexicon),
        )
        for section in book.sections
    ]
    entries = navigation(book)
    nav = _Document(
        "nav",
        NAV_FILE,
        label("contents", book.metadata.language)[0],
        nav_document(book, entries, _landmarks(book), pages, lexicon=has_lexicon),
    )
    nav.properties.append("nav")
    for item in (title_page, nav, *sections):
        package.add_item(item)
    if read_along is not None:
        _add_read_along(package, read_along, {s.id: s for s in sections})
    package.add_item(epub.EpubNcx())
    package.toc = _ncx_toc(entries)
    package.spine = [title_page, nav, *sections]
    _Writer(
        str(path),
        package,
        {
            "mtime": modified,
            "epub2_guide": False,
            "epub3_landmark": False,
            "raise_exceptions": True,
        },
        book.metadata.language,
    ).write()


def book_identifier(metadata: Metadata) -> str:
    """The identifier a library catalogues: the given one, or one derived from the metadata.

    Derived from title, subtitle, author and language rather than the text, so that a
    corrected edition stays the same publication (``dcterms:modified`` tells the versions
    apart) while a different book never shares it.
    """
    if metadata.identifier:
        digits = metadata.identifier.replace("-", "").replace(" ", "")
        if digits[:-1].isdigit() and len(digits) in (10, 13):
            return f"urn:isbn:{digits}"
        return metadata.identifier
    seed = "\n".join(
        v or "" for v in (metadata.title, metadata.subtitle, metadata.author, metadata.language)
    )
    return f"urn:uuid:{uuid.uuid5(_IDENTIFIER_NAMESPACE, seed)}"


def navigation(book: Book) -> tuple[NavEntry, ...]:
    """The table of contents: chapters nested under their part, sub-headings under chapters."""
    entries: list[NavEntry] = []
    for section in book.sections:
        href = section_file(section)
        language = book.metadata.language
        subheadings = tuple(
            NavEntry(f"{href}#{item.id}", smart(item.text, language))
            for item in section.content
            if isinstance(item, Subheading) and item.level == 2
        )
        entry = NavEntry(href, smart(section.display_title, language), subheadings)
        if section.depth > 0 and entries:
            part = entries[-1]
            entries[-1] = NavEntry(part.href, part.title, (*part.children, entry))
        else:
            entries.append(entry)
    return tuple(entries)


def _landmarks(book: Book) -> tuple[tuple[str, str, str], ...]:
    language = book.metadata.language
    marks = [("toc", f"{NAV_FILE}#toc", label("contents", language)[0])]
    body = next((s for s in book.sections if s.matter == "body"), book.sections[0])
    marks.append(("bodymatter", section_file(body), label("start", language)[0]))
    return tuple(marks)


def _ncx_toc(entries: tuple[NavEntry, ...], counter: Iterator[int] | None = None) -> list[Any]:
    numbers = counter if counter is not None else itertools.count(1)
    toc: list[Any] = []
    for entry in entries:
        link = epub.Link(entry.href, entry.title, f"navpoint-{next(numbers)}")
        toc.append((link, _ncx_toc(entry.children, numbers)) if entry.children else link)
    return toc


def _add_read_along(
    package: epub.EpubBook, read_along: ReadAlong, documents: dict[str, _Document]
) -> None:
    """The chapter audio, one SMIL overlay per chapter, and the Media Overlays metadata."""
    for chapter in read_along.chapters:
        audio = epub.EpubItem(
            uid=f"audio-{chapter.section_id}",
            file_name=chapter.audio_href,
            media_type="audio/mpeg",
            content=chapter.audio_path.read_bytes(),
        )
        overlay = epub.EpubItem(
            uid=f"smil-{chapter.section_id}",
            file_name=chapter.smil_href,
            media_type="application/smil+xml",
            content=smil_document(chapter, read_along.granularity),
        )
        package.add_item(audio)
        package.add_item(overlay)
        documents[chapter.section_id].media_overlay = overlay.id
        package.add_metadata(
            None,
            "meta",
            clock(chapter.timeline.duration_ms),
            {"property": "media:duration", "refines": f"#{overlay.id}"},
        )
    # Per-overlay durations are whole milliseconds, so their sum is exact (no MED_016).
    package.add_metadata(
        None, "meta", clock(read_along.duration_ms), {"property": "media:duration"}
    )
    package.add_metadata(None, "meta", read_along.narrator, {"property": "media:narrator"})
    package.add_metadata(None, "meta", ACTIVE_CLASS, {"property": "media:active-class"})
    package.add_metadata(
        None, "meta", PLAYBACK_ACTIVE_CLASS, {"property": "media:playback-active-class"}
    )


def _metadata(
    package: epub.EpubBook,
    metadata: Metadata,
    modified: dt.datetime,
    read_along: ReadAlong | None,
    contents: Contents,
) -> None:
    package.set_identifier(book_identifier(metadata))
    package.set_title(metadata.title)
    package.set_language(metadata.language)
    package.set_direction(text_direction(metadata.language))
    package.metadata[epub.NAMESPACES["OPF"]]["generator"] = [
        ("", {"name": "generator", "content": f"publisher {__version__}"})
    ]
    if metadata.subtitle:
        package.add_metadata("DC", "title", metadata.subtitle, {"id": "subtitle"})
        package.add_metadata(
            None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"}
        )
    if metadata.author:
        package.add_author(metadata.author, role="aut")
    for name in ("publisher", "description", "rights"):
        value = getattr(metadata, name)
        if value:
            package.add_metadata("DC", name, value)
    package.add_metadata("DC", "date", metadata.date or modified.strftime("%Y-%m-%d"))
    for prop, value in accessibility_metadata(metadata, read_along is not None, contents):
        package.add_metadata(None, "meta", value, {"property": prop})
    if contents.pages:
        # The page list follows the page numbers the manuscript records; readers who
        # follow a class in print need to know which edition those belong to.
        by = f" by {metadata.author}" if metadata.author else ""
        source = f"the print edition of {metadata.title}{by}"
        package.add_metadata("DC", "source", source)
        package.add_metadata(None, "meta", source, {"property": "pageBreakSource"})


def page_list(book: Book) -> tuple[tuple[str, str], ...]:
    """(href, page number) of every print page boundary, in reading order."""
    pages: list[tuple[str, str]] = []
    for section in book.sections:
        for item in content_items(section.content):
            if isinstance(item, PageBreak):
                pages.append((f"{section_file(section)}#{item.id}", item.page))
            elif isinstance(item, Paragraph):
                pages += [
                    (f"{section_file(section)}#{a.id}", a.value)
                    for a in item.body.anchors
                    if a.kind == "pagebreak"
                ]
    return tuple(pages)


def _figures(book: Book) -> list[Figure]:
    return [figure for section in book.sections for figure in pictures(section)]


def pictures(section: Section) -> list[Figure]:
    """The section's figures that have a picture to package (not only a description)."""
    return [
        item
        for item in content_items(section.content)
        if isinstance(item, Figure) and item.image is not None
    ]


@dataclass(frozen=True)
class Contents:
    """What accessibility metadata must tell about a book's content."""

    images: int = 0  # pictures packaged
    described: int = 0  # of them, those with alt text
    pages: bool = False  # a page list from the source's print pages

    @classmethod
    def of(cls, figures: list[Figure], pages: tuple[tuple[str, str], ...]) -> Contents:
        return cls(len(figures), sum(1 for f in figures if f.alt), bool(pages))


def accessibility_metadata(
    metadata: Metadata, narrated: bool = False, contents: Contents | None = None
) -> list[tuple[str, str]]:
    """EPUB Accessibility 1.1 metadata: for a text-only book, or a full-text, full-audio one."""
    contents = contents or Contents()
    pictures = (
        "Its images have text alternatives."
        if contents.images and contents.described == contents.images
        else "Some of its images have no text alternative."
        if contents.images
        else "No information is conveyed by colour or images."
    )
    summary = (
        f"This publication of {metadata.title} is a reflowable EPUB 3 text in which every "
        "chapter is a separate document with a heading, in reading order, listed in a table "
        "of contents with landmarks. Text size, font and colours can be changed by the "
        f"reader. {pictures} It has no known hazards."
    )
    modes = [("schema:accessMode", "textual"), ("schema:accessModeSufficient", "textual")]
    if contents.images:
        modes.insert(1, ("schema:accessMode", "visual"))
        if contents.described < contents.images:
            modes[-1] = ("schema:accessModeSufficient", "textual,visual")
    if narrated:
        summary += (
            " The whole text is also narrated, by a synthetic voice rather than a human "
            "reader, and the narration is synchronised with the text (Media Overlays): each "
            "sentence is highlighted as it is read, and listening alone is sufficient."
        )
        modes += [
            ("schema:accessMode", "auditory"),
            ("schema:accessModeSufficient", "auditory"),
            ("schema:accessibilityFeature", "synchronizedAudioText"),
        ]
    described = contents.images and contents.described == contents.images
    features = [("schema:accessibilityFeature", "alternativeText")] if described else []
    if contents.pages:
        features.append(("schema:accessibilityFeature", "pageNavigation"))
        features.append(("schema:accessibilityFeature", "printPageNumbers"))
    return [
        *modes,
        *features,
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "displayTransformability"),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary),
        ("dcterms:conformsTo", CONFORMS_TO),
        ("a11y:certifiedBy", CERTIFIED_BY),
    ]


class _Document(epub.EpubHtml):  # type: ignore[misc]
    """A content document whose XHTML we built ourselves; ebooklib only packages it."""

    def __init__(self, uid: str, file_name: str, title: str, content: bytes) -> None:
        super().__init__(uid=uid, file_name=file_name, title=title)
        self._xhtml = content

    def get_content(self, default: Any = None) -> bytes:
        del default
        return self._xhtml


class _StableZip(zipfile.ZipFile):
    """Zip entries with a fixed time and permissions, so equal books give equal bytes."""

    def __init__(self, file: str, stamp: dt.datetime, **kwargs: Any) -> None:
        super().__init__(file, "w", **kwargs)
        self._stamp = (max(stamp.year, 1980), *stamp.timetuple()[1:6])

    def writestr(
        self,
        zinfo_or_arcname: Any,
        data: Any,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._stamp)
            if compress_type is None:
                # MP3 is compressed already: deflating it again costs time and saves nothing.
                mp3 = zinfo_or_arcname.endswith(".mp3")
                compress_type = zipfile.ZIP_STORED if mp3 else zipfile.ZIP_DEFLATED
            info.compress_type = compress_type
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    def __init__(
        self, name: str, package: epub.EpubBook, options: dict[str, Any], language: str
    ) -> None:
        super().__init__(name, package, options)
        self._language = language

    def _write_opf_file(self, root: etree._Element) -> None:
        root.set(XML_LANG, self._language)
        super()._write_opf_file(root)

    def write(self) -> None:
        self.out = _StableZip(self.file_name, self.options["mtime"], compresslevel=9)
        self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()
