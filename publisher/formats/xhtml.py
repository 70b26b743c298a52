"""XHTML content documents, title page and navigation document, built as XML trees.

Building trees rather than strings means every piece of manuscript text is escaped by
the serialiser: "<script>" in a manuscript is shown, never run.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from publisher.formats.render import ROLES, Z3998, Renderer, indent
from publisher.labels import label
from publisher.model import Book, Metadata, Section, SectionKind

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STYLESHEET = "style/book.css"
NAV_FILE = "nav.xhtml"
TITLE_FILE = "title.xhtml"
LEXICON_FILE = "lexicon.pls"

# epub:type and the DPUB-ARIA role that must accompany it (Ace checks they match).
# Kinds without a well-defined pair get neither rather than a wrong one.
SEMANTICS: dict[SectionKind, tuple[str, str]] = {
    "chapter": ("chapter", "doc-chapter"),
    "part": ("part", "doc-part"),
    "prologue": ("prologue", "doc-prologue"),
    "epilogue": ("epilogue", "doc-epilogue"),
    "interlude": ("chapter", "doc-chapter"),
    "preface": ("preface", "doc-preface"),
    "foreword": ("foreword", "doc-foreword"),
    "introduction": ("introduction", "doc-introduction"),
    "dedication": ("dedication", "doc-dedication"),
    "afterword": ("afterword", "doc-afterword"),
    "acknowledgments": ("acknowledgments", "doc-acknowledgments"),
    "appendix": ("appendix", "doc-appendix"),
    "colophon": ("colophon", "doc-colophon"),
    "conclusion": ("conclusion", "doc-conclusion"),
}


_RTL_LANGUAGES = frozenset(
    {"ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi", "ug", "syr"}
)


@dataclass(frozen=True)
class NavEntry:
    href: str
    title: str
    children: tuple[NavEntry, ...] = ()


def section_file(section: Section) -> str:
    return f"{section.id}.xhtml"


# Kinds that DPUB-ARIA has no role for, named in the Z39.98 structural vocabulary only.
Z3998_KINDS: dict[SectionKind, str] = {"dramatis-personae": "z3998:dramatis-personae"}


def section_document(section: Section, language: str, *, lexicon: bool = False) -> bytes:
    html, body = _document(section.display_title, language, lexicon)
    if section.kind in Z3998_KINDS or any(s.role in ROLES for s in section.sentences):
        html.set(f"{{{EPUB}}}prefix", Z3998)
    wrapper = _sub(body, "section", id=section.id, **{"aria-labelledby": section.heading_id})
    if section.kind in SEMANTICS:
        epub_type, role = SEMANTICS[section.kind]
        wrapper.set(f"{{{EPUB}}}type", epub_type)
        wrapper.set("role", role)
    elif section.kind in Z3998_KINDS:
        wrapper.set(f"{{{EPUB}}}type", Z3998_KINDS[section.kind])
    _heading(wrapper, section)
    Renderer(language).content(wrapper, section.content)
    return _serialise(html)


def title_document(metadata: Metadata, *, lexicon: bool = False) -> bytes:
    page_title, page_lang = label("title_page", metadata.language)
    html, body = _document(metadata.title, metadata.language, lexicon)
    section = _sub(
        body,
        "section",
        **{"class": "titlepage", f"{{{EPUB}}}type": "titlepage", "aria-label": page_title},
    )
    if page_lang != metadata.language:
        section.set("lang", page_lang)
        section.set(XML_LANG, page_lang)
    _lang(_sub(section, "h1", metadata.title, **{"class": "title"}), section, metadata.language)
    if metadata.subtitle:
        _lang(
            _sub(section, "p", metadata.subtitle, **{"class": "subtitle"}),
            section,
            metadata.language,
        )
    if metadata.author:
        _lang(
            _sub(section, "p", metadata.author, **{"class": "author"}), section, metadata.language
        )
    return _serialise(html)


def nav_document(
    book: Book,
    entries: tuple[NavEntry, ...],
    landmarks: tuple[tuple[str, str, str], ...],
    pages: tuple[tuple[str, str], ...] = (),
    *,
    lexicon: bool = False,
) -> bytes:
    language = book.metadata.language
    contents, contents_lang = label("contents", language)
    html, body = _document(contents, language, lexicon)
    toc = _sub(
        body,
        "nav",
        id="toc",
        role="doc-toc",
        **{f"{{{EPUB}}}type": "toc", "aria-labelledby": "toc-title"},
    )
    heading = _sub(toc, "h1", contents, id="toc-title")
    _mark_lang(heading, contents_lang, language)
    _nav_list(toc, entries)
    marks_title, marks_lang = label("landmarks", language)
    marks = _sub(
        body,
        "nav",
        id="landmarks",
        hidden="hidden",
        **{f"{{{EPUB}}}type": "landmarks", "aria-labelledby": "landmarks-title"},
    )
    _mark_lang(_sub(marks, "h2", marks_title, id="landmarks-title"), marks_lang, language)
    items = _sub(marks, "ol")
    for epub_type, href, text in landmarks:
        _sub(_sub(items, "li"), "a", text, href=href, **{f"{{{EPUB}}}type": epub_type})
    if pages:
        _page_list(body, pages, language)
    return _serialise(html)


def _page_list(body: etree._Element, pages: tuple[tuple[str, str], ...], language: str) -> None:
    """The print edition's pages, for citing and for following a class in print."""
    title, title_lang = label("pages", language)
    nav = _sub(
        body,
        "nav",
        id="page-list",
        role="doc-pagelist",
        hidden="hidden",
        **{f"{{{EPUB}}}type": "page-list", "aria-labelledby": "page-list-title"},
    )
    _mark_lang(_sub(nav, "h2", title, id="page-list-title"), title_lang, language)
    items = _sub(nav, "ol")
    for href, page in pages:
        _sub(_sub(items, "li"), "a", page, href=href)


def text_direction(language: str) -> str:
    """ "rtl" for scripts written right to left, else "ltr"."""
    return "rtl" if language.split("-")[0].lower() in _RTL_LANGUAGES else "ltr"


def _document(
    title: str, language: str, lexicon: bool = False
) -> tuple[etree._Element, etree._Element]:
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": EPUB})  # type: ignore[dict-item]
    html.set("lang", language)
    html.set(XML_LANG, language)
    html.set("dir", text_direction(language))
    head = _sub(html, "head")
    _sub(head, "meta", charset="utf-8")
    _sub(head, "title", title)
    _sub(head, "link", rel="stylesheet", type="text/css", href=STYLESHEET)
    if lexicon:
        # Reading systems' own text-to-speech then says the lexicon's words as we do.
        _sub(
            head,
            "link",
            rel="pronunciation",
            type="application/pls+xml",
            href=LEXICON_FILE,
            hreflang=language,
        )
    return html, _sub(html, "body")


def _heading(parent: etree._Element, section: Section) -> None:
    h1 = _sub(parent, "h1", id=section.heading_id)
    if section.label and section.title:
        # The space keeps "Chapter I" and "The Keeper" two words for text-to-speech and
        # search even where the stylesheet is off.
        _sub(h1, "span", section.label, **{"class": "label"}).tail = " "
        _sub(h1, "span", section.title, **{"class": "title"})
    else:
        h1.text = section.display_title


def _nav_list(parent: etree._Element, entries: tuple[NavEntry, ...]) -> None:
    ol = _sub(parent, "ol")
    for entry in entries:
        li = _sub(ol, "li")
        _sub(li, "a", entry.title, href=entry.href)
        if entry.children:
            _nav_list(li, entry.children)


def _sub(
    parent: etree._Element, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{XHTML}}}{tag}")
    for name, value in attributes.items():
        element.set(name, value)
    if text is not None:
        element.text = text
    return element


def _mark_lang(element: etree._Element, text_lang: str, document_lang: str) -> None:
    if text_lang != document_lang:
        element.set("lang", text_lang)
        element.set(XML_LANG, text_lang)


def _lang(element: etree._Element, parent: etree._Element, language: str) -> None:
    """Text from the manuscript inside a label in another language keeps the book's language."""
    if parent.get("lang") not in (None, language):
        element.set("lang", language)
        element.set(XML_LANG, language)


def _serialise(html: etree._Element) -> bytes:
    indent(html)
    return bytes(
        etree.tostring(html, xml_declaration=True, encoding="utf-8", doctype="<!DOCTYPE html>")
    )
