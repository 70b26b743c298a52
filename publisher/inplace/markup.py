"""Sentence spans inserted into a publisher's own XHTML, changing nothing a reader sees.

A block's inline content is cut into runs (text between nested blocks); each run is
split into sentences and rebuilt as the same nodes, with every sentence wrapped in one
``<span id>``. Inline markup that crosses a sentence edge is closed before it and opened
again after it (only its first piece keeps its ``id``); elements that are shown but not
said (note references, page breaks, pictures, line numbers) are moved whole, never cut.
Headings are one unit each: they get an ``id``, not spans.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from publisher.headings import heading_number
from publisher.model import Group, Mark, Sentence
from publisher.readers.epub_package import EDITION, XHTML
from publisher.readers.html_blocks import semantics
from publisher.structure.sentences import split_sentences

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

_BLOCKS = frozenset(
    "p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote aside figure figcaption pre hr table "
    "caption thead tbody tfoot tr th td address div section article main header footer body "
    "nav details summary hgroup center form fieldset legend menu colgroup col".split()
)
# Blocks in which text (and so a span) is not allowed.
_NO_TEXT = frozenset("ul ol dl table thead tbody tfoot tr colgroup col hgroup menu hr".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Shown, or not shown at all, but never said: kept whole where they are.
_SILENT = frozenset(
    "script style template svg math head nav iframe object embed video audio canvas noscript "
    "select textarea img br wbr rt rp input button meter progress".split()
)
_SILENT_TYPES = re.compile(
    r"\b(?:noteref|pagebreak|backlink|doc-noteref|doc-pagebreak|doc-backlink)\b"
)
_SILENT_CLASSES = re.compile(r"\b(?:lnum|linenum|line-?number|pagenum|page-?number)\b", re.I)
_NOTE_TYPES = re.compile(r"\b(footnote|endnote|rearnote|note)s?\b")
_REAL_FRONT = re.compile(r"\b(?:epigraph|dedication|preface|foreword|introduction|prologue)\b")
_INVISIBLE = str.maketrans("", "", "\u00ad\u200b\u2060\ufeff")

UnitKind = Literal["heading", "text"]


@dataclass(frozen=True)
class Unit:
    """What one block of the document says: a heading, or the sentences of one run."""

    kind: UnitKind
    id: str  # the heading's id, or the id of the paragraph group the sentences are read in
    order: int  # the block's place in the document, for finding its chapter
    sentences: tuple[Sentence, ...]
    text: str  # the run's text with white space made single; sentences index it
    groups: tuple[Group, ...] = ()  # the containers it is read in, outermost first
    marks: tuple[Mark, ...] = ()  # spans in another language
    level: int = 0  # a heading's level


@dataclass
class Ids:
    """Ids for one book's narrated units, unique across all its documents."""

    taken: set[str] = field(default_factory=set)  # every id the book's documents use
    claimed: set[str] = field(default_factory=set)  # those that already name a unit
    count: int = 0

    def new(self, letter: str) -> str:
        while True:
            self.count += 1
            candidate = f"pub-{letter}{self.count}"
            if candidate not in self.taken:
                self.taken.add(candidate)
                self.claimed.add(candidate)
                return candidate

    def claim(self, element: etree._Element, letter: str) -> str | None:
        """The element's id for a unit (one given if it has none); None when another
        document's unit already has that id, so it cannot name this one too."""
        existing = element.get("id")
        if not existing:
            fresh = self.new(letter)
            element.set("id", fresh)
            return fresh
        if existing in self.claimed:
            return None
        self.claimed.add(existing)
        return existing


@dataclass
class _Text:
    text: str  # as in the source
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class _Atom:
    element: etree._Element
    start: int
    interval: int = 0


@dataclass
class _Inline:
    element: etree._Element
    start: int
    end: int
    parts: list[_Part]
    intervals: set[int] = field(default_factory=set)  # where its atoms go


_Part = _Text | _Atom | _Inline


def local(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag[len(XHTML) :] if tag.startswith(XHTML) else tag


def is_silent(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return True  # comments and processing instructions
    return (
        local(element) in _SILENT
        or bool(_SILENT_TYPES.search(semantics(element)))
        or bool(_SILENT_CLASSES.search(element.get("class") or ""))
        or element.get("aria-hidden") == "true"
        or element.get("hidden") is not None
    )


def is_edition(element: etree._Element) -> bool:
    return bool(EDITION.search(semantics(element)))


@dataclass
class Marker:
    """Walks one document, inserting spans and collecting what is to be said."""

    language: str
    ids: Ids
    skipped: set[etree._Element] = field(default_factory=set)  # boilerplate found elsewhere
    units: list[Unit] = field(default_factory=list)
    order: dict[etree._Element, int] = field(default_factory=dict)

    def document(self, root: etree._Element) -> list[Unit]:
        self.order = {element: number for number, element in enumerate(root.iter())}
        body = root.find(f"{XHTML}body")
        if body is not None:
            self.block(body, self._language(root), ())
        return self.units

    def _language(self, element: etree._Element) -> str:
        return element.get(XML_LANG) or element.get("lang") or self.language

    def block(self, element: etree._Element, language: str, groups: tuple[Group, ...]) -> None:
        if element in self.skipped or is_silent(element):
            return
        if is_edition(element):
            self._rescue(element, language, groups)
            return
        language = self._language(element)
        name = local(element)
        if name in _HEADINGS or name == "hgroup":
            self.heading(element)
            return
        inside = (*groups, *self._group(element))
        segments = self._segments(element)
        runs = [s for s in segments if isinstance(s, list)]
        for segment in segments:
            if isinstance(segment, list):
                if name not in _NO_TEXT:
                    first = len(runs) == 1 or segment is runs[0]
                    self.run(element, segment, language, inside, first)
            else:
                self.block(segment, language, inside)

    def _rescue(self, element: etree._Element, language: str, groups: tuple[Group, ...]) -> None:
        """Real front matter kept inside an edition's part (an epigraph or a dedication
        set on the title page) is narrated all the same."""
        for child in element:
            if not isinstance(child.tag, str) or is_silent(child) or is_edition(child):
                continue
            if _REAL_FRONT.search(semantics(child)):
                self.block(child, language, groups)
            else:
                self._rescue(child, language, groups)

    def _group(self, element: etree._Element) -> tuple[Group, ...]:
        """The element as a typed container a reading system may let listeners skip."""
        name, kinds = local(element), semantics(element)
        note = _NOTE_TYPES.search(kinds)
        kind = (
            ("endnote" if note.group(1) in {"endnote", "rearnote"} else "footnote")
            if note
            else "list"
            if name in {"ol", "ul"}
            else "table"
            if name == "table"
            else "sidebar"
            if "sidebar" in kinds
            else None
        )
        key = self.ids.claim(element, "g") if kind else None
        return (Group(key, kind),) if key else ()

    def _segments(self, element: etree._Element) -> list[list[etree._Element] | etree._Element]:
        """The element's children as runs of inline nodes (lists) between nested blocks.

        A run is a list whose first item is the element after whose tail it starts (the
        element itself when the run starts with its text)."""
        segments: list[list[etree._Element] | etree._Element] = [[element]]
        for child in element:
            if isinstance(child.tag, str) and _is_block(child) and not is_silent(child):
                segments += [child, [child]]
            else:
                last = segments[-1]
                assert isinstance(last, list)
                last.append(child)
        return segments

    def heading(self, element: etree._Element) -> None:
        text = " ".join(_spoken_of(element).split())
        if not text:
            return
        heading_id = self.ids.claim(element, "h") or _wrap(element, self.ids.new("h"))
        level = _level(element)
        sentence = Sentence(heading_id, text, "text", 0, len(text))
        self.units.append(
            Unit("heading", heading_id, self.order.get(element, 0), (sentence,), text, level=level)
        )

    def run(
        self,
        holder: etree._Element,
        run: list[etree._Element],
        language: str,
        groups: tuple[Group, ...],
        first: bool,
    ) -> None:
        before, children = run[0], run[1:]
        lead = (holder.text if before is holder else before.tail) or ""
        if not (lead + "".join(_all_text(c) for c in children)).strip():
            return
        parts, cursor = self._parts(lead, children, 0)
        raw = _raw(parts, cursor)
        flat, index = _flatten(raw)
        ranges = _ranges(flat, index, language)
        if not ranges:
            return
        intervals = _partition(ranges, len(raw))
        _assign(parts, intervals)
        sentence_ids = [self.ids.new("s") for _ in ranges]
        paragraph_id = (self.ids.claim(holder, "p") if first else None) or sentence_ids[0]
        _rebuild(holder, before, children, parts, intervals, sentence_ids)
        sentences = tuple(
            Sentence(
                sid,
                " ".join(raw[a:b].translate(_INVISIBLE).split()),
                "text",
                _flat_offset(index, a),
                _flat_offset(index, b - 1) + 1,
            )
            for sid, (a, b) in zip(sentence_ids, ranges, strict=True)
        )
        marks = tuple(self._languages(parts, index, language))
        self.units.append(
            Unit(
                "text",
                paragraph_id,
                self.order.get(holder, 0),
                sentences,
                flat,
                groups,
                marks,
            )
        )

    def _parts(
        self, lead: str, children: list[etree._Element], cursor: int
    ) -> tuple[list[_Part], int]:
        parts: list[_Part] = []
        if lead:
            parts.append(_Text(lead, cursor))
            cursor += len(lead)
        for child in children:
            if is_silent(child) or child in self.skipped:
                parts.append(_Atom(child, cursor))
                cursor += 1 if local(child) == "br" else 0
            else:
                inner, end = self._parts(child.text or "", list(child), cursor)
                if any(isinstance(p, _Text | _Inline) for p in inner):
                    parts.append(_Inline(child, cursor, end, inner))
                    cursor = end
                else:
                    parts.append(_Atom(child, cursor))  # a line break inside still parts words
                    cursor = end
            if child.tail:
                parts.append(_Text(child.tail, cursor))
                cursor += len(child.tail)
        return parts, cursor

    def _languages(self, parts: list[_Part], index: list[int], language: str) -> Iterator[Mark]:
        """Spans said by another language's rules: the whole run when its block is in
        another language than the book (a German line in an English poem), and inline
        spans in another language than their block."""
        if language.split("-")[0] != self.language.split("-")[0] and index:
            yield Mark("lang", 0, len(index), language)
        for part in _inlines(parts):
            lang = part.element.get(XML_LANG) or part.element.get("lang")
            if lang and lang.split("-")[0] != language.split("-")[0]:
                yield Mark(
                    "lang", _flat_offset(index, part.start), _flat_offset(index, part.end), lang
                )


def _wrap(element: etree._Element, key: str) -> str:
    """Give an element's content an id of its own, in a span around all of it."""
    span = element.makeelement(f"{XHTML}span", {"id": key})
    span.text, element.text = element.text, None
    for child in list(element):
        span.append(child)
    element.append(span)
    return key


def _is_block(element: etree._Element) -> bool:
    return local(element) in _BLOCKS or any(
        local(d) in _BLOCKS for d in element.iterdescendants() if isinstance(d.tag, str)
    )


def _all_text(element: etree._Element) -> str:
    """An element's text and tail as a reader sees it: silent elements say nothing."""
    return _inner_text(element) + (element.tail or "")


def _inner_text(element: etree._Element) -> str:
    if is_silent(element):
        return ""
    return (element.text or "") + "".join(_all_text(c) for c in element)


def _spoken_of(element: etree._Element) -> str:
    """A heading's words as said: silent parts left out, Roman ordinals as numbers."""
    if is_silent(element):
        return ""
    if "z3998:roman" in semantics(element):
        value = heading_number(_inner_text(element))
        if value is not None:
            return f"{value}"
    pieces = [element.text or ""]
    for child in element:
        said = _spoken_of(child)
        if local(element) == "hgroup" and said.strip():
            said = f"{said.strip().rstrip('.:')}. "
        pieces += [said, child.tail or ""]
    return "".join(pieces).translate(_INVISIBLE)


def _level(element: etree._Element) -> int:
    name = local(element)
    if name in _HEADINGS:
        return int(name[1])
    levels = [int(local(h)[1]) for h in element.iter() if local(h) in _HEADINGS]
    return min(levels) if levels else 2


def _raw(parts: list[_Part], length: int) -> str:
    """The run's text, each character where it stands in the source (white space as
    spaces, a line break as one space), so offsets map both ways."""
    chars = [" "] * length
    for part in _texts(parts):
        chars[part.start : part.end] = re.sub(r"\s", " ", part.text)
    return "".join(chars)


def _texts(parts: list[_Part]) -> Iterator[_Text]:
    for part in parts:
        if isinstance(part, _Text):
            yield part
        elif isinstance(part, _Inline):
            yield from _texts(part.parts)


def _inlines(parts: list[_Part]) -> Iterator[_Inline]:
    for part in parts:
        if isinstance(part, _Inline):
            yield part
            yield from _inlines(part.parts)


def _flatten(raw: str) -> tuple[str, list[int]]:
    """White space made single; ``index[i]`` is where flat character i is in ``raw``."""
    words: list[str] = []
    index: list[int] = []
    for match in _WORD.finditer(raw):
        if words:
            index.append(match.start() - 1)  # the space before the word
        words.append(match.group())
        index.extend(range(match.start(), match.end()))
    return " ".join(words), index


_WORD = re.compile(r"[^ ]+")


def _flat_offset(index: list[int], raw_position: int) -> int:
    """The flat offset of a raw position (of the next character kept, for white space)."""
    return bisect.bisect_left(index, raw_position)


def _ranges(flat: str, index: list[int], language: str) -> list[tuple[int, int]]:
    """Sentences as ranges of the raw text."""
    ranges: list[tuple[int, int]] = []
    position = 0
    for piece in split_sentences(flat, language):
        if not piece.translate(_INVISIBLE).strip():
            continue
        a = flat.find(piece, position)
        if a < 0:
            continue
        b = a + len(piece)
        ranges.append((index[a], index[b - 1] + 1))
        position = b
    return ranges


def _partition(ranges: list[tuple[int, int]], length: int) -> list[tuple[int, int, int]]:
    """[0, length) cut into sentences and the gaps between them: (start, end, sentence
    number or -1 for a gap)."""
    intervals: list[tuple[int, int, int]] = []
    position = 0
    for number, (a, b) in enumerate(ranges):
        if a > position:
            intervals.append((position, a, -1))
        intervals.append((a, b, number))
        position = b
    if position < length:
        intervals.append((position, length, -1))
    return intervals


def _assign(parts: list[_Part], intervals: list[tuple[int, int, int]]) -> set[int]:
    """Give each whole element the interval it belongs in: the one its position ends
    (a note mark stays with the words before it), the first one at the very start."""
    used: set[int] = set()
    for part in parts:
        if isinstance(part, _Atom):
            part.interval = next(
                (n for n, (a, b, _) in enumerate(intervals) if a < part.start <= b), 0
            )
            used.add(part.interval)
        elif isinstance(part, _Inline):
            part.intervals = _assign(part.parts, intervals)
            used |= part.intervals
    return used


def _rebuild(
    holder: etree._Element,
    before: etree._Element,
    children: list[etree._Element],
    parts: list[_Part],
    intervals: list[tuple[int, int, int]],
    sentence_ids: list[str],
) -> None:
    """Replace the run's nodes by the same nodes cut at the sentence edges."""
    for child in children:
        holder.remove(child)  # lxml moves an element's tail with it
    scratch = holder.makeelement("scratch", {})
    emitted: set[int] = set()
    for number, (a, b, sentence) in enumerate(intervals):
        if sentence < 0:
            _emit(parts, a, b, number, scratch, emitted, gap=True)
        else:
            span = etree.SubElement(scratch, f"{XHTML}span", id=sentence_ids[sentence])
            _emit(parts, a, b, number, span, emitted, gap=False)
    if before is holder:
        holder.text = scratch.text
        position = 0
    else:
        before.tail = scratch.text
        position = holder.index(before) + 1
    for offset, node in enumerate(list(scratch)):
        holder.insert(position + offset, node)


def _emit(
    parts: list[_Part],
    start: int,
    end: int,
    interval: int,
    target: etree._Element,
    emitted: set[int],
    gap: bool,
) -> None:
    for part in parts:
        if isinstance(part, _Text):
            a, b = max(start, part.start), min(end, part.end)
            if a < b:
                _append_text(target, part.text[a - part.start : b - part.start])
        elif isinstance(part, _Atom):
            if part.interval == interval:
                part.element.tail = None
                target.append(part.element)
        elif (part.start < end and part.end > start) or interval in part.intervals:
            blank = gap and interval not in part.intervals and not _has_words(part, start, end)
            if blank:
                _emit(part.parts, start, end, interval, target, emitted, gap)
                continue
            attributes = {str(k): str(v) for k, v in part.element.attrib.items()}
            if id(part) in emitted:
                attributes.pop("id", None)
            copy = target.makeelement(part.element.tag, attributes)
            emitted.add(id(part))
            target.append(copy)
            _emit(part.parts, start, end, interval, copy, emitted, gap)


def _has_words(part: _Inline, start: int, end: int) -> bool:
    return any(
        t.text[max(start, t.start) - t.start : max(0, min(end, t.end) - t.start)].strip()
        for t in _texts(part.parts)
    )


def _append_text(target: etree._Element, text: str) -> None:
    if len(target):
        last = target[-1]
        last.tail = (last.tail or "") + text
    else:
        target.text = (target.text or "") + text
