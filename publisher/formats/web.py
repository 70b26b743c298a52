"""The web read-along player: a page per chapter, the book's contents, a script and a style.

    web/index.html       the title, the author and the contents, with "continue listening"
    web/NN-title.html    a chapter: its text from the EPUB's renderer, its MP3 in an
                         <audio> element, and its Timeline's clips inline as JSON
    web/player.js        the player (plain JavaScript, no framework, no build step)
    web/player.css       its look: light, dark, large-text and high-contrast themes

The clips are in the page, not in a file beside it: a page opened from disk (file://)
may not fetch() its neighbours, and a library's site should need no server code. The
pages load nothing from anywhere else, and say so in a Content-Security-Policy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import PurePosixPath
from typing import Literal

from lxml import etree

from publisher.formats.epub import pictures
from publisher.formats.render import EPUB, XHTML, XML_LANG, Renderer, indent, sub
from publisher.formats.typography import smart
from publisher.formats.xhtml import SEMANTICS, section_file, text_direction
from publisher.labels import label
from publisher.model import Book, ChapterTimeline, Section
from publisher.output import Staging

Announce = Literal["off", "polite"]
ANNOUNCE: tuple[Announce, ...] = ("off", "polite")
FOLDER = "web"
INDEX = "index.html"
SCRIPT = "player.js"
STYLE = "player.css"
DATA_ID = "publisher-clips"
# Nothing from the network, nothing inline that runs: only the player's own files.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; media-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'"
)
# The player speaks English; a page in another language marks its controls so.
UI_LANGUAGE = "en"
SPEEDS = ("0.75", "1", "1.25", "1.5", "1.75", "2", "2.5", "3")


@dataclass(frozen=True)
class WebChapter:
    section: Section
    audio: str  # the MP3, relative to the book folder ("audio/01-the-fog.mp3")
    timeline: ChapterTimeline

    @property
    def page(self) -> str:
        return f"{PurePosixPath(self.audio).stem}.html"


@dataclass(frozen=True)
class WebBook:
    book: Book
    identifier: str  # the key the reader's place and preferences are kept under
    chapters: tuple[WebChapter, ...]
    announce: Announce = "off"


def write_web(web: WebBook, staging: Staging) -> tuple[str, ...]:
    """Every page, the script and the style, under ``web/`` in ``staging``."""
    written = [_write(staging, INDEX, index_page(web))]
    pages = {section_file(c.section): c.page for c in web.chapters}
    for number, chapter in enumerate(web.chapters):
        written.append(_write(staging, chapter.page, chapter_page(web, number, pages)))
        for figure in pictures(chapter.section):
            assert figure.image is not None and figure.href is not None
            written.append(_write(staging, figure.href, figure.image.data))
    for asset in (SCRIPT, STYLE):
        written.append(
            _write(staging, asset, files("publisher.formats").joinpath(asset).read_bytes())
        )
    return tuple(written)


def chapter_page(web: WebBook, number: int, pages: dict[str, str]) -> bytes:
    chapter = web.chapters[number]
    section = chapter.section
    meta = web.book.metadata
    html, body = _page(f"{section.display_title} · {meta.title}", meta.language)
    skip = sub(body, "a", "Skip to the text", href="#text", **{"class": "skip"})
    _mark_ui(skip, meta.language)
    _player(body, web, number, chapter)
    main = sub(body, "main", id="text", tabindex="-1")
    wrapper = sub(main, "section", id=section.id, **{"aria-labelledby": section.heading_id})
    if section.kind in SEMANTICS:
        wrapper.set("role", SEMANTICS[section.kind][1])
    heading = sub(wrapper, "h1", smart(section.display_title, meta.language), id=section.heading_id)
    del heading
    Renderer(meta.language).content(wrapper, section.content)
    _close_heading_gaps(wrapper)
    _chapter_links(
        sub(body, "footer"), web, number, "chapter-links-end", "Chapters, after the text"
    )
    data = {
        "book": web.identifier,
        "chapter": section.id,
        "title": section.display_title,
        "bookTitle": meta.title,
        "author": meta.author,
        "announce": web.announce,
        "next": web.chapters[number + 1].page if number + 1 < len(web.chapters) else None,
        "clips": [
            [i.id, i.start_ms / 1000, i.end_ms / 1000, i.paragraph_id]
            for i in chapter.timeline.items
            if i.end_ms > i.start_ms
        ],
    }
    sub(body, "script", _json(data), type="application/json", id=DATA_ID)
    sub(body, "script", "", src=SCRIPT)
    return _html(html, pages)


def index_page(web: WebBook) -> bytes:
    meta = web.book.metadata
    html, body = _page(meta.title, meta.language)
    main = sub(body, "main", id="text", **{"class": "contents-page"})
    sub(main, "h1", meta.title, **{"class": "title"})
    if meta.subtitle:
        sub(main, "p", meta.subtitle, **{"class": "subtitle"})
    if meta.author:
        sub(main, "p", meta.author, **{"class": "author"})
    resume = sub(main, "p", id="resume", hidden="hidden")
    _mark_ui(resume, meta.language)
    contents, contents_lang = label("contents", meta.language)
    nav = sub(main, "nav", id="toc", **{"aria-labelledby": "toc-title"})
    title = sub(nav, "h2", contents, id="toc-title")
    if contents_lang != meta.language:
        title.set("lang", contents_lang)
    _toc(nav, web.chapters)
    data: dict[str, object] = {
        "book": web.identifier,
        "chapter": None,
        "announce": web.announce,
        "clips": [],
        "pages": {c.page: c.section.display_title for c in web.chapters},
    }
    sub(body, "script", _json(data), type="application/json", id=DATA_ID)
    sub(body, "script", "", src=SCRIPT)
    return _html(html, {})


def _player(body: etree._Element, web: WebBook, number: int, chapter: WebChapter) -> None:
    """The controls: a landmark of their own, so a screen reader can jump to them."""
    language = web.book.metadata.language
    bar = sub(body, "header", id="player", **{"class": "player"})
    _chapter_links(bar, web, number, "chapter-links")
    controls = sub(bar, "div", role="group", **{"class": "controls", "aria-label": "Playback"})
    _mark_ui(controls, language)
    _button(controls, "play", "Play")
    _button(controls, "previous", "Previous sentence")
    _button(controls, "next", "Next sentence")
    speed = sub(controls, "span", **{"class": "speed"})
    sub(speed, "label", "Speed", **{"for": "speed"})
    select = sub(speed, "select", id="speed")
    for value in SPEEDS:
        option = sub(select, "option", f"{value}\N{MULTIPLICATION SIGN}", value=value)
        if value == "1":
            option.set("selected", "selected")
    sub(controls, "span", "", id="where", **{"class": "where"})
    # Folded away until wanted: on a phone the controls would otherwise fill the screen.
    display = sub(bar, "details", **{"class": "display"})
    _mark_ui(display, language)
    sub(display, "summary", "Display and announcements", id="display")
    settings = sub(display, "div", role="group", **{"class": "settings", "aria-label": "Display"})
    _button(settings, "large", "Large text", pressed=True)
    _button(settings, "contrast", "High contrast", pressed=True)
    _button(settings, "announce", "Announce sentences", pressed=True)
    name = f"Narration of {chapter.section.display_title}"
    sub(
        bar, "audio", "", id="audio", controls="controls", preload="metadata",
        src=f"../{chapter.audio}", **{"aria-label": name},
    )  # fmt: skip
    # Said by a screen reader when the reader turns announcements on; empty otherwise.
    sub(bar, "div", "", id="announcer", **{"class": "visually-hidden", "aria-live": "polite"})
    _mark_ui(sub(bar, "p", "", id="status", role="status", **{"class": "status"}), language)


def _close_heading_gaps(wrapper: etree._Element) -> None:
    """The page's own heading is its h1, so the levels under it run on from h2 without a
    gap: a source whose chapter was an h2 had its subheadings at h3, and a screen reader's
    list of headings should not skip a level."""
    names = [f"{{{XHTML}}}h{n}" for n in range(2, 7)]
    headings = list(wrapper.iter(*names))
    used = sorted({int(etree.QName(h).localname[1]) for h in headings})
    level = {old: new for new, old in enumerate(used, 2)}
    for heading in headings:
        heading.tag = f"{{{XHTML}}}h{level[int(etree.QName(heading).localname[1])]}"


def _chapter_links(
    parent: etree._Element, web: WebBook, number: int, id_: str, name: str = "Chapters"
) -> None:
    nav = sub(parent, "nav", id=id_, **{"aria-label": name, "class": "chapters"})
    if number > 0:
        before = web.chapters[number - 1]
        sub(nav, "a", f"← {before.section.display_title}", href=before.page, rel="prev")
    language = web.book.metadata.language
    contents, contents_lang = label("contents", language)
    link = sub(nav, "a", contents, href=INDEX)
    if contents_lang != language:
        link.set("lang", contents_lang)
    if number + 1 < len(web.chapters):
        after = web.chapters[number + 1]
        sub(nav, "a", f"{after.section.display_title} →", href=after.page, rel="next")


def _toc(parent: etree._Element, chapters: Sequence[WebChapter]) -> None:
    """Nested as the sections are: chapters inside their part."""
    top = sub(parent, "ol")
    lists = [top]
    for chapter in chapters:
        depth = min(chapter.section.depth, len(lists))
        while len(lists) > depth + 1:
            lists.pop()
        if depth == len(lists):
            last = lists[-1][-1] if len(lists[-1]) else sub(lists[-1], "li")
            lists.append(sub(last, "ol"))
        item = sub(lists[-1], "li")
        sub(item, "a", chapter.section.display_title, href=chapter.page)
        minutes = round(chapter.timeline.duration_ms / 60000)
        sub(
            item,
            "span",
            f" ({minutes} min)" if minutes else " (under a minute)",
            **{"class": "length"},
        )


def _button(parent: etree._Element, id_: str, text: str, *, pressed: bool = False) -> None:
    """A button; a toggle says whether it is on (``aria-pressed``, set by the script)."""
    button = sub(parent, "button", text, id=id_, type="button")
    if pressed:
        button.set("aria-pressed", "false")


def _page(title: str, language: str) -> tuple[etree._Element, etree._Element]:
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML})  # type: ignore[dict-item]
    html.set("lang", language)
    html.set("dir", text_direction(language))
    head = sub(html, "head")
    sub(head, "meta", charset="utf-8")
    sub(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    sub(head, "meta", **{"http-equiv": "Content-Security-Policy", "content": POLICY})
    sub(head, "meta", name="referrer", content="no-referrer")
    sub(head, "title", title)
    sub(head, "link", rel="stylesheet", href=STYLE)
    return html, sub(html, "body")


def _mark_ui(element: etree._Element, language: str) -> None:
    if language.split("-")[0].lower() != UI_LANGUAGE:
        element.set("lang", UI_LANGUAGE)


def _json(data: object) -> str:
    """JSON that cannot end its <script> element or open a comment: "<" is escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _html(html: etree._Element, pages: dict[str, str]) -> bytes:
    """The tree as HTML: EPUB's vocabulary dropped, links to other chapters' documents
    pointed at their pages, and no XML namespaces."""
    for element in html.iter():
        if not isinstance(element.tag, str):
            continue
        element.tag = etree.QName(element).localname
        for name in list(element.attrib):
            if str(name).startswith(f"{{{EPUB}}}"):
                del element.attrib[name]
            elif name == XML_LANG:
                element.set("lang", element.attrib.pop(name))
        href = element.get("href")
        if href and "#" in href and not href.startswith("#"):
            document, fragment = href.split("#", 1)
            if document in pages:
                element.set("href", f"{pages[document]}#{fragment}")
    etree.cleanup_namespaces(html)
    indent(html)
    text = etree.tostring(html, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
    return f"{text}\n".encode()


def _write(staging: Staging, name: str, data: bytes) -> str:
    relative = f"{FOLDER}/{name}"
    staging.path(relative).write_bytes(data)
    return relative
