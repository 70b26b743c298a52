"""XHTML content documents, title page and navigation document, built as XML trees.

Building trees rather than strings means every piece of manuscript text is escaped by
the serialiser: "<script>" in a manuscript is shown, never run.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from publisher.formats.render import (
    EPUB,
    ROLES,
    XHTML,
    XML_LANG,
    Z3998,
    Renderer,
    indent,
    mark_lang,
    sub,
)
from publisher.formats.typography import smart
from publisher.labels import Label, label
from publisher.model import Book, Metadata, Section, SectionKind

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
    wrapper = sub(body, "section", id=section.id, **{"aria-labelledby": section.heading_id})
    if section.kind in SEMANTICS:
        epub_type, role = SEMANTICS[section.kind]
        wrapper.set(f"{{{EPUB}}}type", epub_type)
        wrapper.set("role", role)
    elif section.kind in Z3998_KINDS:
        wrapper.set(f"{{{EPUB}}}type", Z3998_KINDS[section.kind])
    _heading(wrapper, section, language)
    Renderer(language).content(wrapper, section.content)
    return _serialise(html)


def title_document(metadata: Metadata, *, lexicon: bool = False) -> bytes:
    page_title, page_lang = label("title_page", metadata.language)
    html, body = _document(metadata.title, metadata.language, lexicon)
    section = sub(
        body,
        "section",
        **{"class": "titlepage", f"{{{EPUB}}}type": "titlepage", "aria-label": page_title},
    )
    if page_lang != metadata.language:
        section.set("lang", page_lang)
        section.set(XML_LANG, page_lang)
    _lang(sub(section, "h1", metadata.title, **{"class": "title"}), section, metadata.language)
    if metadata.subtitle:
        _lang(
            sub(section, "p", metadata.subtitle, **{"class": "subtitle"}),
            section,
            metadata.language,
        )
    if metadata.author:
        _lang(sub(section, "p", metadata.author, **{"class": "author"}), section, metadata.language)
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
    toc = sub(
        body,
        "nav",
        id="toc",
        role="doc-toc",
        **{f"{{{EPUB}}}type": "toc", "aria-labelledby": "toc-title"},
    )
    heading = sub(toc, "h1", contents, id="toc-title")
    mark_lang(heading, contents_lang, language)
    _nav_list(toc, entries)
    items = _hidden_nav(body, "landmarks", "landmarks", language)
    for epub_type, href, text in landmarks:
        sub(sub(items, "li"), "a", text, href=href, **{f"{{{EPUB}}}type": epub_type})
    if pages:
        # The print edition's pages, for citing and for following a class in print.
        items = _hidden_nav(body, "page-list", "pages", language, role="doc-pagelist")
        for href, page in pages:
            sub(sub(items, "li"), "a", page, href=href)
    return _serialise(html)


def _hidden_nav(
    body: etree._Element, epub_type: str, title: Label, language: str, role: str | None = None
) -> etree._Element:
    """A navigation list for reading systems, not shown in the text: its ``ol``."""
    text, text_lang = label(title, language)
    nav = sub(
        body,
        "nav",
        id=epub_type,
        hidden="hidden",
        **{f"{{{EPUB}}}type": epub_type, "aria-labelledby": f"{epub_type}-title"},
    )
    if role is not None:
        nav.set("role", role)
    mark_lang(sub(nav, "h2", text, id=f"{epub_type}-title"), text_lang, language)
    return sub(nav, "ol")


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
    head = sub(html, "head")
    sub(head, "meta", charset="utf-8")
    sub(head, "title", title)
    sub(head, "link", rel="stylesheet", type="text/css", href=STYLESHEET)
    if lexicon:
        # Reading systems' own text-to-speech then says the lexicon's words as we do.
        sub(
            head,
            "link",
            rel="pronunciation",
            type="application/pls+xml",
            href=LEXICON_FILE,
            hreflang=language,
        )
    return html, sub(html, "body")


def _heading(parent: etree._Element, section: Section, language: str) -> None:
    h1 = sub(parent, "h1", id=section.heading_id)
    if section.label and section.title:
        # The space keeps "Chapter I" and "The Keeper" two words for text-to-speech and
        # search even where the stylesheet is off.
        sub(h1, "span", smart(section.label, language), **{"class": "label"}).tail = " "
        sub(h1, "span", smart(section.title, language), **{"class": "title"})
    else:
        h1.text = smart(section.display_title, language)


def _nav_list(parent: etree._Element, entries: tuple[NavEntry, ...]) -> None:
    ol = sub(parent, "ol")
    for entry in entries:
        li = sub(ol, "li")
        sub(li, "a", entry.title, href=entry.href)
        if entry.children:
            _nav_list(li, entry.children)


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
