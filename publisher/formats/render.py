"""One XHTML renderer for a section's content: the EPUB's documents and DAISY's text.

Every kind of content has its element and semantics here and nowhere else, dispatched
with ``match`` so that a new kind cannot quietly render as another. Sentences become
``<span id>`` elements holding exactly their text; formatting that crosses a sentence
boundary is closed at the boundary and reopened inside the next sentence, so each
sentence is one element a reading system can highlight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, assert_never

from lxml import etree

from publisher.formats.typography import smarten
from publisher.labels import label
from publisher.model import (
    Anchor,
    Code,
    Content,
    Figure,
    ItemList,
    Mark,
    Note,
    PageBreak,
    Paragraph,
    Quote,
    RichText,
    SceneBreak,
    Sentence,
    SentenceRole,
    Subheading,
    Table,
)

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
Z3998 = "z3998: http://www.daisy.org/z3998/2012/vocab/structure/#"

Dialect = Literal["epub", "daisy"]

# A play's parts of speech, as Standard Ebooks marks them (Z39.98 structural semantics).
ROLES: dict[SentenceRole, tuple[str, str]] = {
    "speaker": ("speaker", "z3998:persona"),
    "direction": ("stage-direction", "z3998:stage-direction"),
}
_MARK_TAGS = {
    "emphasis": "em",
    "strong": "strong",
    "code": "code",
    "cite": "cite",
    "abbr": "abbr",
    "sub": "sub",
    "sup": "sup",
}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class Renderer:
    """``language`` is the book's: quotes follow its typography, spans in another get ``lang``."""

    language: str
    dialect: Dialect = "epub"

    def content(self, parent: etree._Element, content: Sequence[Content]) -> None:
        for item in content:
            self.item(parent, item)

    def item(self, parent: etree._Element, item: Content) -> None:
        match item:
            case Paragraph():
                self.paragraph(parent, item)
            case Subheading():
                heading = sub(parent, f"h{item.level}", id=item.id)
                self.rich(heading, RichText(item.text), ())
            case SceneBreak():
                text, text_lang = label("scene_break", self.language)
                rule = sub(parent, "hr", id=item.id, **{"class": "scene-break"})
                if self.dialect == "epub":
                    rule.set("aria-label", text)
                    mark_lang(rule, text_lang, self.language)
            case PageBreak():
                self.page(parent, item.id, item.page)
            case ItemList():
                self.item_list(parent, item)
            case Quote():
                self.content(sub(parent, "blockquote", id=item.id), item.content)
            case Figure():
                self.figure(parent, item)
            case Table():
                self.table(parent, item)
            case Note():
                self.note(parent, item)
            case Code():
                self.code(parent, item)
            case _:
                assert_never(item)

    def paragraph(self, parent: etree._Element, paragraph: Paragraph, tag: str = "p") -> None:
        p = sub(parent, tag, id=paragraph.id)
        if paragraph.verse:
            p.set("class", "verse")
        elif paragraph.sentences and all(s.role == "direction" for s in paragraph.sentences):
            p.set("class", "stage-direction")
        self.rich(p, paragraph.body, paragraph.sentences)

    def rich(self, parent: etree._Element, body: RichText, sentences: Sequence[Sentence]) -> None:
        """``body`` into ``parent``: sentence spans, formatting inside them, anchors."""
        protected = [(m.start, m.end) for m in body.marks if m.kind == "code"]
        text, where = smarten(body.text, self.language, protected)
        marks = [Mark(m.kind, where[m.start], where[m.end], m.value) for m in body.marks]
        anchors = [_moved(a, where[a.offset]) for a in body.anchors]
        spans = [(where[s.start], where[s.end], s) for s in sentences if s.end > s.start]
        writer = _Writer(self, text, anchors)
        position = 0
        for start, end, sentence in spans:
            gap = _clip(marks, position, start) if text[position:start].strip() else []
            writer.fill(parent, position, start, gap, closed=False)
            span = sub(parent, "span", id=sentence.id)
            if sentence.role in ROLES and self.dialect == "epub":
                css_class, epub_type = ROLES[sentence.role]
                span.set("class", css_class)
                span.set(f"{{{EPUB}}}type", epub_type)
            elif sentence.role in ROLES:
                span.set("class", ROLES[sentence.role][0])
            writer.fill(span, start, end, _clip(marks, start, end), closed=True)
            position = end
        writer.fill(parent, position, len(text), _clip(marks, position, len(text)), closed=True)

    def page(self, parent: etree._Element, page_id: str, page: str) -> None:
        if self.dialect == "daisy":
            return  # DAISY pages need their own narration and NCC entries: not made
        sub(
            parent,
            "span",
            id=page_id,
            role="doc-pagebreak",
            title=page,
            **{f"{{{EPUB}}}type": "pagebreak", "aria-label": page},
        )

    def item_list(self, parent: etree._Element, item: ItemList) -> None:
        element = sub(parent, "ol" if item.ordered else "ul", id=item.id)
        if item.ordered and item.start != 1:
            element.set("start", str(item.start))
        for entry in item.items:
            self.content(sub(element, "li", id=entry.id), entry.content)

    def figure(self, parent: etree._Element, figure: Figure) -> None:
        epub = self.dialect == "epub"
        element = sub(parent, "figure" if epub else "div", id=figure.id, **{"class": "figure"})
        if figure.href is not None and epub:
            image = sub(element, "img", src=figure.href, alt=figure.alt)
            if figure.description is not None:
                image.set("id", figure.description.id)
        elif figure.description is not None:
            # No picture to show (a plain-text book's "[Illustration]", or DAISY's text,
            # which players read and highlight): its description stands in its place.
            described = sub(element, "p", id=figure.description.id, **{"class": "description"})
            self.rich(described, RichText(figure.alt), ())
        if figure.caption is not None:
            self.paragraph(element, figure.caption, "figcaption" if epub else "p")

    def table(self, parent: etree._Element, table: Table) -> None:
        element = sub(parent, "table", id=table.id)
        if table.caption is not None:
            self.paragraph(element, table.caption, "caption")
        if table.header:
            row = sub(sub(element, "thead"), "tr")
            for cell in table.header:
                self.rich(sub(row, "th", scope="col"), cell, ())
        body = sub(element, "tbody")
        for table_row in table.rows:
            row = sub(body, "tr", id=table_row.id)
            for cell in table_row.cells:
                self.rich(sub(row, "td"), cell, ())

    def note(self, parent: etree._Element, note: Note) -> None:
        epub = self.dialect == "epub"
        if note.kind == "endnote" and epub:
            holder = _endnotes(parent, self.language)
            element = sub(holder, "li", id=note.id)  # doc-endnote is deprecated
            element.set(f"{{{EPUB}}}type", "endnote")
        elif epub:
            element = sub(parent, "aside", id=note.id, role="doc-footnote")
            element.set(f"{{{EPUB}}}type", "footnote")
        else:
            element = sub(parent, "div", id=note.id, **{"class": "footnote"})
        mark = sub(element, "p", **{"class": "note-label"})
        if note.ref_id is not None:
            link = sub(mark, "a", note.label, id=note.announcement.id, href=f"#{note.ref_id}")
            if epub:
                link.set("role", "doc-backlink")
        else:
            sub(mark, "span", note.label, id=note.announcement.id)
        self.content(element, note.content)

    def code(self, parent: etree._Element, code: Code) -> None:
        pre = sub(parent, "pre", id=code.announcement.id)
        inner = sub(pre, "code")
        if code.language and self.dialect == "epub":
            inner.set("class", f"language-{code.language}")
        position = 0
        for line in code.lines:  # line breaks stay characters: this is preformatted text
            append_text(inner, code.body.text[position : line.start])
            sub(inner, "span", code.body.text[line.start : line.end], id=line.id)
            position = line.end
        append_text(inner, code.body.text[position:])


@dataclass
class _Writer:
    renderer: Renderer
    text: str
    anchors: list[Anchor]

    def fill(
        self, parent: etree._Element, start: int, end: int, marks: list[Mark], *, closed: bool
    ) -> None:
        """Text ``start:end`` with its (properly nested) marks; anchors at ``end`` too when
        ``closed``, so a note mark after a sentence's full stop stays in its sentence."""
        position = start
        index = 0
        while index < len(marks):
            mark = marks[index]
            inner = index + 1
            while inner < len(marks) and marks[inner].start < mark.end:
                inner += 1
            self.run(parent, position, mark.start, closed=False)
            element = self.element(parent, mark)
            held = _clip(marks[index + 1 : inner], mark.start, mark.end)
            self.fill(element, mark.start, mark.end, held, closed=False)
            position = mark.end
            index = inner
        self.run(parent, position, end, closed=closed)

    def run(self, parent: etree._Element, start: int, end: int, *, closed: bool) -> None:
        position = start
        for anchor in [
            a for a in self.anchors if start <= a.offset < end or (closed and a.offset == end)
        ]:
            self.anchors.remove(anchor)
            self.plain(parent, self.text[position : anchor.offset])
            self.anchor(parent, anchor)
            position = anchor.offset
        self.plain(parent, self.text[position:end])

    def plain(self, parent: etree._Element, text: str) -> None:
        for number, line in enumerate(text.split("\n")):
            if number:
                sub(parent, "br")
            append_text(parent, line)

    def anchor(self, parent: etree._Element, anchor: Anchor) -> None:
        epub = self.renderer.dialect == "epub"
        match anchor.kind:
            case "pagebreak":
                self.renderer.page(parent, anchor.id, anchor.value)
            case "noteref":
                if not anchor.value:
                    sub(parent, "sup", anchor.label)
                    return
                link = sub(parent, "a", anchor.label, id=anchor.id, href=f"#{anchor.value}")
                link.set("class", "noteref")
                if epub:
                    link.set(f"{{{EPUB}}}type", "noteref")
                    link.set("role", "doc-noteref")
            case _:
                assert_never(anchor.kind)

    def element(self, parent: etree._Element, mark: Mark) -> etree._Element:
        match mark.kind:
            case "link":
                target = mark.value or ""
                if target.startswith(_SAFE_SCHEMES):
                    return sub(parent, "a", href=target)
                return sub(parent, "span")  # a target inside the source file is gone here
            case "lang":
                element = sub(parent, "span")
                if mark.value:
                    element.set("lang", mark.value)
                    element.set(XML_LANG, mark.value)
                return element
            case "small-caps":
                return sub(parent, "span", **{"class": "small-caps"})
            case "abbr":
                element = sub(parent, "abbr")
                if mark.value:
                    element.set("title", mark.value)
                return element
            case "emphasis" | "strong" | "code" | "cite" | "sub" | "sup":
                return sub(parent, _MARK_TAGS[mark.kind])
            case _:
                assert_never(mark.kind)


def _clip(marks: list[Mark], start: int, end: int) -> list[Mark]:
    """The marks over ``start:end``, cut to it, outer before inner."""
    clipped = [
        (max(m.start, start), min(m.end, end), n, m)
        for n, m in enumerate(marks)
        if min(m.end, end) > max(m.start, start)
    ]
    clipped.sort(key=lambda c: (c[0], -c[1], c[2]))
    return [Mark(m.kind, a, b, m.value) for a, b, _, m in clipped]


def _moved(anchor: Anchor, offset: int) -> Anchor:
    return Anchor(anchor.kind, offset, anchor.id, anchor.value, anchor.label)


def _endnotes(parent: etree._Element, language: str) -> etree._Element:
    """The chapter's notes section, made at its first note."""
    last = parent[-1] if len(parent) else None
    if last is not None and last.get("class") == "endnotes":
        return last[-1]
    title, title_lang = label("notes", language)
    section = sub(
        parent, "section", role="doc-endnotes", **{"class": "endnotes", "aria-label": title}
    )
    section.set(f"{{{EPUB}}}type", "endnotes")
    mark_lang(section, title_lang, language)
    return sub(section, "ol")


# Elements that hold only other elements: indenting inside them cannot change the text.
_BLOCK_HOLDERS = frozenset(
    "html head body section nav ol ul li blockquote aside figure table thead tbody tr div".split()
)


def indent(element: etree._Element, level: int = 0) -> None:
    """Indent the tree for people reading the files. Only inside elements that hold
    blocks: white space inside a paragraph, a heading or code would change the text."""
    if etree.QName(element).localname not in _BLOCK_HOLDERS or not len(element):
        return
    if (element.text or "").strip() or any((c.tail or "").strip() for c in element):
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        indent(child, level + 1)
        child.tail = inner
    element[-1].tail = "\n" + "  " * level


def sub(
    parent: etree._Element, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{XHTML}}}{tag}")
    for name, value in attributes.items():
        element.set(name, value)
    if text is not None:
        element.text = text
    return element


def append_text(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def mark_lang(element: etree._Element, text_lang: str, document_lang: str) -> None:
    if text_lang != document_lang:
        element.set("lang", text_lang)
        element.set(XML_LANG, text_lang)
