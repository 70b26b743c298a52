"""What the narrator says for each section, and the pause before each utterance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, assert_never, get_args

from publisher.headings import heading_number, match_heading, soften_caps
from publisher.labels import label
from publisher.model import (
    Code,
    Content,
    Figure,
    Group,
    ItemList,
    Mark,
    Note,
    PageBreak,
    Paragraph,
    Pauses,
    Quote,
    SceneBreak,
    Section,
    Sentence,
    Subheading,
    Table,
    Utterance,
    UtteranceKind,
)
from publisher.speech.normalize import Normalizer

CodeReading = Literal["auto", "read", "announce", "skip"]
CODE_READINGS: tuple[CodeReading, ...] = get_args(CodeReading)
# "auto" reads a listing this short line by line and only announces a longer one.
SHORT_CODE_LINES = 6


@dataclass(frozen=True)
class Reading:
    """What is read aloud besides the text: figures' descriptions, code listings."""

    figures: bool = True
    code: CodeReading = "auto"


def section_script(
    section: Section, pauses: Pauses, say: Normalizer, reading: Reading | None = None
) -> tuple[Utterance, ...]:
    """The heading announcement, then every sentence, each with the silence before it.

    ``say`` turns written text into what is spoken (the book's Normalizer); words marked
    as another language are said by that language's rules.
    """
    script = _Script(pauses, reading or Reading(), say)
    spoken = [Utterance(section.heading_id, say(announcement(section)), "heading", 0)]
    script.pause = pauses.heading
    script.content(section.content, ())
    return (*spoken, *script.spoken)


@dataclass
class _Script:
    pauses: Pauses
    reading: Reading
    say: Normalizer
    pause: int = 0
    spoken: list[Utterance] = field(default_factory=list)

    def utter(
        self,
        unit: Sentence,
        text: str,
        groups: tuple[Group, ...],
        kind: UtteranceKind = "sentence",
    ) -> None:
        paragraph_id = groups[-1].id if groups else None
        self.spoken.append(Utterance(unit.id, text, kind, self.pause, paragraph_id, groups))
        self.pause = self.pauses.sentence

    def content(self, content: tuple[Content, ...], groups: tuple[Group, ...]) -> None:
        for item in content:
            self.item(item, groups)

    def item(self, item: Content, groups: tuple[Group, ...]) -> None:
        match item:
            case Paragraph():
                self.paragraph(item, groups)
            case Subheading():
                self.pause = max(self.pause, self.pauses.paragraph)
                unit = Sentence(item.id, item.text)
                text = self.say(_sentence(soften_caps(item.text)))
                self.utter(unit, text, (Group(item.id),), "subheading")
                self.pause = self.pauses.heading
            case SceneBreak():
                self.pause = max(self.pause, self.pauses.scene)
            case PageBreak():
                pass  # a print page boundary is for the eye and for navigation
            case ItemList():
                self.item_list(item, groups)
            case Quote():
                self.pause = max(self.pause, self.pauses.paragraph)
                self.content(item.content, groups)
            case Figure():
                self.figure(item, groups)
            case Table():
                self.table(item, groups)
            case Note():
                inside = (*groups, Group(item.id, item.kind))
                self.pause = max(self.pause, self.pauses.paragraph)
                self.utter(item.announcement, self.say(item.announcement.text), inside)
                self.content(item.content, inside)
                self.pause = self.pauses.paragraph
            case Code():
                self.code(item, groups)
            case _:
                assert_never(item)

    def paragraph(self, paragraph: Paragraph, groups: tuple[Group, ...], lead: str = "") -> None:
        inside = (*groups, *paragraph.groups, Group(paragraph.id))
        for number, sentence in enumerate(paragraph.sentences):
            if sentence.role == "speaker":
                # Capitals would be spelled out as letters: "LORD" is not an acronym.
                text = self.say(soften_caps(sentence.text))
            else:
                text = self.spans(paragraph, sentence)
            if number == 0 and lead:
                text = f"{self.say(lead)} {text}"
            self.utter(sentence, text, inside)
        self.pause = self.pauses.paragraph

    def spans(self, paragraph: Paragraph, sentence: Sentence) -> str:
        """The sentence said by the book's rules, and its foreign words by their own."""
        foreign = [
            m
            for m in paragraph.body.marks
            if m.kind == "lang" and m.value and m.start < sentence.end and m.end > sentence.start
        ]
        if not foreign or sentence.end <= sentence.start:
            return self.say(sentence.text)
        said = "".join(
            _spaced(piece, say(piece))
            for piece, say in self.pieces(paragraph.body.text, sentence, foreign)
            if piece.strip()
        )
        return " ".join(said.split())

    def pieces(
        self, text: str, sentence: Sentence, foreign: list[Mark]
    ) -> list[tuple[str, Normalizer]]:
        pieces: list[tuple[str, Normalizer]] = []
        position = sentence.start
        for mark in sorted(foreign, key=lambda m: m.start):
            start, end = max(mark.start, position), min(mark.end, sentence.end)
            if start < position:
                continue
            pieces.append((text[position:start], self.say))
            pieces.append((text[start:end], self.say.in_language(mark.value or "")))
            position = end
        pieces.append((text[position : sentence.end], self.say))
        return pieces

    def item_list(self, item: ItemList, groups: tuple[Group, ...]) -> None:
        self.pause = max(self.pause, self.pauses.paragraph)
        outer = (*groups, Group(item.id, "list"))
        for number, entry in enumerate(item.items):
            if number:
                self.pause = self.pauses.item
            inside = (*outer, Group(entry.id, "list-item"))
            lead = f"{item.start + number}." if item.ordered else ""
            for index, content in enumerate(entry.content):
                if index == 0 and lead and isinstance(content, Paragraph):
                    self.paragraph(content, inside, lead)
                else:
                    self.item(content, inside)
        self.pause = self.pauses.paragraph

    def figure(self, figure: Figure, groups: tuple[Group, ...]) -> None:
        if not self.reading.figures:
            return
        inside = (*groups, Group(figure.id, "figure"))
        word = label("figure", self.say.language)[0]
        self.pause = max(self.pause, self.pauses.paragraph)
        if figure.description is not None:
            self.utter(figure.description, self.say(f"{word}: {_sentence(figure.alt)}"), inside)
        if figure.caption is not None:
            lead = "" if figure.description is not None else f"{word}:"
            self.paragraph(figure.caption, inside, lead)
        self.pause = self.pauses.paragraph

    def table(self, table: Table, groups: tuple[Group, ...]) -> None:
        inside = (*groups, Group(table.id, "table"))
        self.pause = max(self.pause, self.pauses.paragraph)
        if table.caption is not None:
            self.paragraph(table.caption, inside)
        for number, row in enumerate(table.rows):
            if number or table.caption is not None:
                self.pause = self.pauses.item
            self.utter(row.sentence, self.say(row.sentence.text), inside)
        self.pause = self.pauses.paragraph

    def code(self, code: Code, groups: tuple[Group, ...]) -> None:
        mode = self.reading.code
        if mode == "skip":
            return
        if mode == "auto":
            mode = "read" if len(code.lines) <= SHORT_CODE_LINES else "announce"
        inside = (*groups, Group(code.id))
        self.pause = max(self.pause, self.pauses.paragraph)
        self.utter(code.announcement, self.say(code.announcement.text), inside)
        if mode == "read":
            for line in code.lines:
                self.utter(line, self.say(line.text), inside)
        self.pause = self.pauses.paragraph


def announcement(section: Section) -> str:
    """ "Chapter 3. Fog." for "CHAPTER III. / FOG"; "Prologue." for "PROLOGUE"."""
    parts: list[str] = []
    if section.label:
        found = match_heading(section.label)
        numbered_last = heading_number(section.label.split()[-1]) is not None
        if found is not None and found.number is not None and numbered_last:
            keyword = section.label.split()[0].capitalize() if " " in section.label else ""
            parts.append(f"{keyword} {found.number}".strip())
        else:
            parts.append(soften_caps(section.label))
    if section.title:
        parts.append(soften_caps(section.title))
    return " ".join(_sentence(p) for p in parts)


def _spaced(written: str, said: str) -> str:
    """What was said for a piece, with the white space the piece had around it."""
    before = " " if written[:1].isspace() else ""
    after = " " if written[-1:].isspace() else ""
    return f"{before}{said.strip()}{after}"


def _sentence(text: str) -> str:
    """End a heading with a full stop so engines give it a falling, final intonation."""
    text = text.strip()
    return text if not text or text[-1] in ".!?\u2026" else f"{text}."
