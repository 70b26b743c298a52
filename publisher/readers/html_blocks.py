"""HTML elements to the document model: what Markdown renders to, and what HTML books are.

The vocabulary is closed. Elements with a meaning in the model become it (paragraphs,
headings, lists, quotes, figures, tables, notes, code, emphasis, links, language
spans, page numbers); scripts, styles and embedded objects are dropped whole; any other
element gives its text alone, with one warning per element name, so a tag is never
shown as text and never kept as markup.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from publisher.model import (
    Block,
    BreakBlock,
    CodeBlock,
    FigureBlock,
    Foreign,
    HeadingBlock,
    Image,
    Inline,
    InlineStyle,
    LineBreak,
    Link,
    ListBlock,
    NoteBlock,
    NoteRef,
    PageNumber,
    ParagraphBlock,
    QuoteBlock,
    Styled,
    TableBlock,
    plain_text,
)
from publisher.readers.plaintext import is_scene_break

log = logging.getLogger(__name__)

EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ImageLoader = Callable[[str], Image | None]

_DROPPED = frozenset(
    "script style noscript template iframe object embed applet form input button select "
    "textarea canvas audio video source track map area svg math head title meta link".split()
)
_CONTAINERS = frozenset(
    "div section article main header footer body html details summary hgroup center".split()
)
_QUIET_INLINE = frozenset("span small u s mark ins del font big time bdi bdo wbr nobr".split())
_STYLES: dict[str, InlineStyle] = {
    "em": "emphasis",
    "i": "emphasis",
    "dfn": "emphasis",
    "var": "emphasis",
    "strong": "strong",
    "b": "strong",
    "code": "code",
    "kbd": "code",
    "samp": "code",
    "tt": "code",
    "cite": "cite",
    "abbr": "abbr",
    "acronym": "abbr",
    "sup": "sup",
    "sub": "sub",
}
_BLOCKS = (
    frozenset(
        "p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote aside figure figcaption pre hr table "
        "caption thead tbody tfoot tr th td address".split()
    )
    | _CONTAINERS
)
# Deeper than any book nests (a list in a quote in a note...): below it, text only.
MAX_DEPTH = 40
_NOTE_CLASSES = re.compile(r"\b(?:footnotes?|endnotes?)\b")


@dataclass
class Converter:
    """One document's conversion; ``images`` loads a picture by its ``src`` (or not)."""

    images: ImageLoader = lambda _src: None
    warned: set[str] = field(default_factory=set)
    depth: int = 0
    # An HTML book is all divs and spans: only Markdown's raw HTML is warned about.
    quiet: bool = False

    def blocks(self, parent: etree._Element) -> list[Block]:
        """The blocks of an element's children; loose inline content becomes paragraphs."""
        result: list[Block] = []
        run: list[Inline] = []
        figures: list[Block] = []

        def close_run() -> None:
            if plain_text(tuple(run)).strip() or any(not isinstance(i, str) for i in run):
                result.extend(self.paragraph(tuple(run)))
            run.clear()
            result.extend(figures)
            figures.clear()

        if parent.text:
            run.append(_spaced(parent.text))
        for child in parent:
            tag = _tag(child)
            if tag is None:
                pass  # a comment or processing instruction
            elif tag in _BLOCKS or self.is_note_section(child):
                close_run()
                result.extend(self.block(child, tag))
            elif tag == "img":
                figures.extend(self.figure_of_image(child))
            else:
                run.extend(self.inline(child, figures))
            if child.tail:
                run.append(_spaced(child.tail))
        close_run()
        return result

    def block(self, element: etree._Element, tag: str) -> Iterator[Block]:
        if self.depth >= MAX_DEPTH:
            # Nesting no book has: its words, as one paragraph, rather than a crash.
            yield from self.paragraph((" ".join(_text(element).split()),))
            return
        self.depth += 1
        try:
            yield from self.kind(element, tag)
        finally:
            self.depth -= 1

    def kind(self, element: etree._Element, tag: str) -> Iterator[Block]:
        if self.is_note_section(element):
            yield from self.notes(element)
        elif tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            text = " ".join(_text(element).split())
            yield HeadingBlock(int(tag[1]), text) if text else BreakBlock()
        elif tag in {"p", "address", "dt", "dd", "figcaption", "caption", "th", "td", "li"}:
            yield from self.blocks(element)
        elif tag in {"ul", "ol"}:
            yield self.item_list(element, tag == "ol")
        elif tag == "dl":
            yield self.definitions(element)
        elif tag in {"blockquote", "aside"}:
            inner = tuple(self.blocks(element))
            if inner:
                yield QuoteBlock(inner)
        elif tag == "figure":
            yield from self.figure(element)
        elif tag == "pre":
            yield from self.code(element)
        elif tag == "hr":
            if "footnotes-sep" not in (element.get("class") or ""):
                yield BreakBlock()
        elif tag == "table":
            yield from self.table(element)
        elif tag in {"thead", "tbody", "tfoot", "tr"}:
            yield from self.blocks(element)
        elif tag in _CONTAINERS:
            if tag not in {"body", "html"}:
                self.warn(tag)
            yield from self.blocks(element)

    def paragraph(self, content: tuple[Inline, ...]) -> Iterator[Block]:
        text = " ".join(plain_text(content).split())
        if not text:
            return
        if is_scene_break(text):
            yield BreakBlock()
            return
        yield ParagraphBlock.rich(_trimmed(content))

    def inline(self, element: etree._Element, figures: list[Block]) -> list[Inline]:
        tag = _tag(element)
        if tag is None:
            return []
        if self.depth >= MAX_DEPTH:
            return [_spaced(_text(element))]
        self.depth += 1
        try:
            return self.inline_kind(element, tag, figures)
        finally:
            self.depth -= 1

    def inline_kind(self, element: etree._Element, tag: str, figures: list[Block]) -> list[Inline]:
        if tag in _DROPPED:
            self.warn(tag, dropped=True)
            return []
        if tag == "br":
            return [LineBreak()]
        if tag == "img":
            figures.extend(self.figure_of_image(element))
            return []
        page = _page_number(element)
        if page is not None:
            return [PageNumber(page)]
        note = _note_key(element)
        if note is not None:
            return [NoteRef(note)]
        children = self.children(element, figures)
        lang = element.get("lang") or element.get(XML_LANG)
        wrapped = self.styled(element, tag, children)
        if lang:
            return [Foreign(tuple(wrapped), lang)]
        return wrapped

    def styled(self, element: etree._Element, tag: str, children: list[Inline]) -> list[Inline]:
        content = tuple(children)
        if tag in _STYLES:
            title = element.get("title") if tag in {"abbr", "acronym"} else None
            return [Styled(_STYLES[tag], content, title)]
        if tag == "a":
            href = element.get("href") or ""
            return [Link(content, href)] if href and not href.startswith("#") else children
        if tag == "q":
            return ['"', *children, '"']
        classes = (element.get("class") or "").split()
        if "smallcaps" in classes or "small-caps" in classes:
            return [Styled("small-caps", content)]
        if tag not in _QUIET_INLINE:
            self.warn(tag)
        return children

    def children(self, element: etree._Element, figures: list[Block]) -> list[Inline]:
        result: list[Inline] = [_spaced(element.text)] if element.text else []
        for child in element:
            result.extend(self.inline(child, figures))
            if child.tail:
                result.append(_spaced(child.tail))
        return result

    def item_list(self, element: etree._Element, ordered: bool) -> ListBlock:
        items = tuple(tuple(self.blocks(li)) for li in element if _tag(li) == "li")
        start = element.get("start") or "1"
        return ListBlock(items, ordered, int(start) if start.isdigit() else 1)

    def definitions(self, element: etree._Element) -> ListBlock:
        """A definition list as a list of terms, each with its definitions."""
        items: list[list[Block]] = []
        for child in element:
            tag = _tag(child)
            if tag == "dt":
                term = tuple(self.children(child, []))
                items.append([ParagraphBlock.rich((Styled("strong", term),))])
            elif tag == "dd" and items:
                items[-1].extend(self.blocks(child))
        return ListBlock(tuple(tuple(i) for i in items))

    def figure(self, element: etree._Element) -> Iterator[Block]:
        images = [e for e in element.iter() if _tag(e) == "img"]
        captions = [e for e in element if _tag(e) == "figcaption"]
        caption = tuple(self.children(captions[0], [])) if captions else ()
        if not images:
            yield from self.blocks(element)
            return
        for n, image in enumerate(images):
            alt = _alt(image)
            src = image.get("src") or ""
            yield FigureBlock(alt, caption if n == 0 else (), self.images(src), src)

    def figure_of_image(self, element: etree._Element) -> Iterator[Block]:
        alt = _alt(element)
        src = element.get("src") or ""
        title = " ".join((element.get("title") or "").split())
        if not alt and not title and re.match(r"[A-Za-z][\w+.-]+:", src):
            return  # a web page's tracking pixel or spacer: nothing to show or to say
        image = self.images(src)
        if image is None and not alt and not title:
            return  # nothing to show and nothing to say: a decoration that stayed away
        yield FigureBlock(alt, (title,) if title else (), image, src)

    def code(self, element: etree._Element) -> Iterator[Block]:
        text = "".join(str(t) for t in element.itertext())
        if not text.strip():
            return
        inner = element[0] if len(element) and _tag(element[0]) == "code" else element
        classes = (inner.get("class") or "").split()
        language = next((c[9:] for c in classes if c.startswith("language-")), None)
        yield CodeBlock(text.strip("\n"), language)

    def table(self, element: etree._Element) -> Iterator[Block]:
        rows = [r for r in element.iter() if _tag(r) == "tr"]
        caption_elements = [e for e in element if _tag(e) == "caption"]
        caption = tuple(self.children(caption_elements[0], [])) if caption_elements else ()
        header: tuple[tuple[Inline, ...], ...] = ()
        body: list[tuple[tuple[Inline, ...], ...]] = []
        for row in rows:
            cells = [c for c in row if _tag(c) in {"th", "td"}]
            content = tuple(tuple(self.children(c, [])) for c in cells)
            if not header and not body and all(_tag(c) == "th" for c in cells):
                header = content
            elif content:
                body.append(content)
        if header or body:
            yield TableBlock(header, tuple(body), caption)

    def is_note_section(self, element: etree._Element) -> bool:
        kind = semantics(element)
        classes = element.get("class") or ""
        return _tag(element) in {"section", "div", "ol", "aside"} and bool(
            _NOTE_CLASSES.search(classes) or re.search(r"(?:foot|end|rear)notes?\b", kind)
        )

    def notes(self, element: etree._Element) -> Iterator[Block]:
        items = [e for e in element.iter() if _tag(e) in {"li", "aside"} and e.get("id")]
        if _tag(element) == "aside" and element.get("id"):
            items = [element]
        for item in items:
            for backref in list(item.iter()):
                if _is_backlink(backref):
                    remove_keeping_tail(backref)
            yield NoteBlock(str(item.get("id")), tuple(self.blocks(item)))

    def warn(self, tag: str, *, dropped: bool = False) -> None:
        if tag not in self.warned and not (self.quiet and not dropped):
            self.warned.add(tag)
            what = "dropped with its content" if dropped else "dropped, its text kept"
            log.warning("<%s> is not book markup: %s", tag, what)


def _tag(element: etree._Element) -> str | None:
    if not isinstance(element.tag, str):
        return None
    return etree.QName(element).localname.lower()


def _text(element: etree._Element) -> str:
    """The words of an element, scripts and note marks left out; without recursion, as
    a hostile file may nest thousands deep."""
    parts: list[str] = []
    skipped: set[etree._Element] = set()
    for node in element.iter():
        if (node is not element and node.getparent() in skipped) or (
            node is not element and (_tag(node) in _DROPPED or _note_key(node) is not None)
        ):
            skipped.add(node)
        elif node.text and isinstance(node.tag, str):
            parts.append(node.text)
        if node is not element and node.tail and node.getparent() not in skipped:
            parts.append(node.tail)
    return "".join(parts)


def _page_number(element: etree._Element) -> str | None:
    kind = semantics(element)
    classes = (element.get("class") or "").split()
    if "pagebreak" not in kind and "pagenum" not in classes and "pagebreak" not in classes:
        return None
    page = (
        element.get("title")
        or element.get("aria-label")
        or "".join(str(t) for t in element.itertext())
    )
    page = " ".join(page.replace("[", " ").replace("]", " ").split())
    page = re.sub(r"^(?:Pg|Page|p\.)\s*", "", page, flags=re.IGNORECASE)
    return page or None


def _note_key(element: etree._Element) -> str | None:
    """The note an element refers to: markdown-it's ``sup.footnote-ref``, EPUB noterefs."""
    tag = _tag(element)
    kind = semantics(element)
    if tag == "sup" and "footnote-ref" in (element.get("class") or ""):
        links = [e for e in element if _tag(e) == "a"]
        return _fragment(links[0]) if links else None
    if tag == "a" and "noteref" in kind:
        return _fragment(element)
    return None


def _fragment(element: etree._Element) -> str | None:
    href = element.get("href") or ""
    return href.split("#", 1)[1] or None if "#" in href else None


def _is_backlink(element: etree._Element) -> bool:
    kind = semantics(element)
    return _tag(element) == "a" and (
        "footnote-backref" in (element.get("class") or "") or "backlink" in kind
    )


def remove_keeping_tail(element: etree._Element, *, trim: bool = False) -> None:
    """Take ``element`` out of its parent, its tail text staying where it stood; with
    ``trim``, the white space just before it goes too (a dropped citation's gap)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    before = (previous.tail if previous is not None else parent.text) or ""
    joined = (before.rstrip() if trim else before) + tail
    if previous is not None:
        previous.tail = joined
    else:
        parent.text = joined
    parent.remove(element)


# Alt texts that name the kind of picture, not what it shows: decoration, not content.
_DECORATIVE = frozenset(
    "avatar icon image img logo photo picture spacer badge banner placeholder thumbnail".split()
)


def _alt(image: etree._Element) -> str:
    alt = " ".join((image.get("alt") or "").split())
    return "" if alt.lower().strip(".") in _DECORATIVE else alt


def _trimmed(content: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Without the white space around it: the source's indentation is not the text's."""
    items: list[Inline] = []
    for item in content:  # neighbouring strings as one
        if isinstance(item, str) and items and isinstance(items[-1], str):
            items[-1] += item
        else:
            items.append(item)
    if items and isinstance(items[0], str):
        items[0] = items[0].lstrip()
    if items and isinstance(items[-1], str):
        items[-1] = items[-1].rstrip()
    return tuple(i for i in items if i != "")


def _spaced(text: str) -> str:
    return _SPACE.sub(" ", text)


_SPACE = re.compile(r"\s+")


def semantics(element: etree._Element) -> str:
    """epub:type and role together; an HTML parser keeps "epub:type" as a plain name."""
    kind = element.get(EPUB_TYPE) or element.get("epub:type") or ""
    return f"{kind} {element.get('role') or ''}"
