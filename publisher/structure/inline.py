"""Inline content to RichText: the words of a paragraph once, formatting as ranges over them.

Readers give trees (an emphasis holding a link holding text); narration and the
Timeline want sentences, which cross formatting freely. Flattening the tree into one
string with marks over it lets a sentence be a plain range of that string, whatever
formatting it starts, ends or crosses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import assert_never

from publisher.model import (
    Foreign,
    Inline,
    LineBreak,
    Link,
    Mark,
    MarkKind,
    NoteRef,
    PageNumber,
    Styled,
)

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Point:
    """A zero-width item found in the text: a note reference (by its key) or a page."""

    offset: int
    item: NoteRef | PageNumber


@dataclass(frozen=True)
class Flat:
    text: str
    marks: tuple[Mark, ...]
    points: tuple[Point, ...]


@dataclass
class _Builder:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    marks: list[Mark] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    last: str = "\n"  # as if after a line break: leading white space is dropped
    lines: bool = False  # "\n" in the text is the author's line break (verse)

    def text(self, value: str) -> None:
        if self.lines and "\n" in value:
            for number, line in enumerate(value.split("\n")):
                if number:
                    self.line_break()
                self.text(line)
            return
        value = _SPACE.sub(" ", value)
        if value.startswith(" ") and self.last in " \n":
            value = value[1:]
        if value:
            self.parts.append(value)
            self.length += len(value)
            self.last = value[-1]

    def line_break(self) -> None:
        if self.last == " ":
            self.parts[-1] = self.parts[-1][:-1]
            self.length -= 1
        if self.last == "\n" and self.lines and not self.parts:
            return  # a verse paragraph does not open with an empty line
        self.parts.append("\n")
        self.length += 1
        self.last = "\n"

    def walk(self, content: tuple[Inline, ...]) -> None:
        for item in content:
            match item:
                case str():
                    self.text(item)
                case Styled():
                    self._marked(item.children, item.style, item.title)
                case Link():
                    self._marked(item.children, "link", item.target)
                case Foreign():
                    self._marked(item.children, "lang", item.lang)
                case LineBreak():
                    self.line_break()
                case NoteRef() | PageNumber():
                    self.points.append(Point(self.length, item))
                case _:
                    assert_never(item)

    def _marked(self, children: tuple[Inline, ...], kind: MarkKind, value: str | None) -> None:
        index = len(self.marks)
        start = self.length
        self.marks.append(Mark("emphasis", 0, 0))  # holds the outer mark's place
        self.walk(children)
        self.marks[index] = Mark(kind, start, self.length, value)


def flatten(content: tuple[Inline, ...], *, lines: bool = False) -> Flat:
    """One string with single spaces and the author's line breaks, marks and points over
    it. With ``lines`` (verse), a "\n" in the text is a line break too."""
    builder = _Builder(lines=lines)
    builder.walk(content)
    text = "".join(builder.parts)
    stripped = text.rstrip()
    end = len(stripped)
    marks = tuple(
        Mark(m.kind, m.start, min(m.end, end), m.value)
        for m in builder.marks
        if min(m.end, end) > m.start
    )
    points = tuple(Point(min(p.offset, end), p.item) for p in builder.points)
    return Flat(stripped, marks, points)
