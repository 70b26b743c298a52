"""What the narrator says for each section, and the pause before each utterance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, assert_never, get_args

from publisher.headings import heading_number, match_heading, soften_caps
from publisher.labels import label
from publisher.model import (
    DIALOGUE,
    NARRATOR,
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
    Voiced,
)
from publisher.speech.dialogue import Roles, quotations, speaker_of, voiced_spans
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
    section: Section,
    pauses: Pauses,
    say: Normalizer,
    reading: Reading | None = None,
    roles: Roles | None = None,
) -> tuple[Utterance, ...]:
    """The heading announcement, then every sentence, each with the silence before it.

    ``say`` turns written text into what is spoken (the book's Normalizer); words marked
    as another language are said by that language's rules. With ``roles`` (a cast), a
    play's speeches are given to their speakers and prose quotations to theirs.
    """
    script = _Script(pauses, reading or Reading(), say, roles)
    spoken = [Utterance(section.heading_id, say(announcement(section)), "heading", 0)]
    script.pause = pauses.heading
    script.content(section.content, ())
    return (*spoken, *script.spoken)


@dataclass
class _Script:
    pauses: Pauses
    reading: Reading
    say: Normalizer
    roles: Roles | None = None
    pause: int = 0
    spoken: list[Utterance] = field(default_factory=list)

    def utter(
        self,
        unit: Sentence,
        text: str,
        groups: tuple[Group, ...],
        kind: UtteranceKind = "sentence",
        voiced: tuple[Voiced, ...] = (),
    ) -> None:
        paragraph_id = groups[-1].id if groups else None
        self.spoken.append(Utterance(unit.id, text, kind, self.pause, paragraph_id, groups, voiced))
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
        cast = _Voicing.of(paragraph, self.roles)
        for number, sentence in enumerate(paragraph.sentences):
            voiced: tuple[Voiced, ...] = ()
            if sentence.role == "speaker":
                # Capitals would be spelled out as letters: "LORD" is not an acronym.
                text = self.say(soften_caps(sentence.text))
                cast.speaking(sentence.text)
            else:
                text = self.spans(paragraph, sentence)
                voiced = cast.voiced(paragraph, sentence, text, self.say)
            if number == 0 and lead:
                said = self.say(lead)
                text = f"{said} {text}"
                voiced = (Voiced(said), *voiced) if voiced else ()
            self.utter(sentence, text, inside, voiced=voiced)
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


@dataclass
class _Voicing:
    """Which role says each sentence of one paragraph: a play's speaker says the speech
    after the label (stage directions stay the narrator's); prose quotations go to the
    character an attribution names, else to the dialogue voice."""

    roles: Roles | None
    quotes: list[tuple[int, int]]
    quoted_by: str
    speaker: str | None = None

    @classmethod
    def of(cls, paragraph: Paragraph, roles: Roles | None) -> _Voicing:
        if roles is None or not roles.marks:
            return cls(roles, [], DIALOGUE)
        body = paragraph.body.text
        quotes = quotations(body, roles.marks)
        return cls(roles, quotes, speaker_of(body, quotes, roles) if quotes else DIALOGUE)

    def speaking(self, label: str) -> None:
        if self.roles is not None:
            self.speaker = self.roles.character(label) or DIALOGUE

    def voiced(
        self, paragraph: Paragraph, sentence: Sentence, said: str, say: Normalizer
    ) -> tuple[Voiced, ...]:
        if self.roles is None or sentence.role in ("direction", "label", "code"):
            return ()
        if self.speaker is not None:
            return (Voiced(said, self.speaker),)
        if not self.quotes or sentence.end <= sentence.start:
            return ()
        body = paragraph.body.text
        parts = voiced_spans(sentence.start, sentence.end, self.quotes, self.quoted_by)
        if all(role == NARRATOR for _, _, role in parts):
            return ()
        spoken = [(say(body[a:b]), role) for a, b, role in parts]
        return tuple(Voiced(text, role) for text, role in spoken if text.strip())


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
