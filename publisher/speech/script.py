"""What the narrator says for each section, and the pause before each utterance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from publisher.model import Paragraph, SceneBreak, Section, Subheading
from publisher.structure.headings import heading_number, match_heading, soften_caps

UtteranceKind = Literal["heading", "subheading", "sentence"]


@dataclass(frozen=True)
class Pauses:
    """Silences in milliseconds. ``head`` and ``tail`` are the room tone around each file."""

    sentence: int = 400
    paragraph: int = 900
    scene: int = 2200
    heading: int = 1400
    head: int = 750
    tail: int = 1500

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not 0 <= value <= 60_000:
                raise ValueError(f"{name} pause must be 0 to 60000 ms, not {value}")


@dataclass(frozen=True)
class Utterance:
    """One unit of narration, tied to the id of the text it speaks."""

    id: str
    text: str
    kind: UtteranceKind
    pause_before: int
    paragraph_id: str | None = None


def section_script(
    section: Section, pauses: Pauses, say: Callable[[str], str]
) -> tuple[Utterance, ...]:
    """The heading announcement, then every sentence, each with the silence before it.

    ``say`` turns written text into what is spoken (the book's Normalizer).
    """
    return tuple(replace(u, text=say(u.text)) for u in _written_script(section, pauses))


def _written_script(section: Section, pauses: Pauses) -> list[Utterance]:
    spoken = [Utterance(section.heading_id, announcement(section), "heading", 0)]
    pause = pauses.heading
    for item in section.content:
        if isinstance(item, SceneBreak):
            pause = max(pause, pauses.scene)
        elif isinstance(item, Subheading):
            spoken.append(
                Utterance(
                    item.id,
                    _sentence(soften_caps(item.text)),
                    "subheading",
                    max(pause, pauses.paragraph),
                    item.id,
                )
            )
            pause = pauses.heading
        else:
            spoken.extend(_paragraph(item, max(pause, pauses.paragraph), pauses))
            pause = pauses.paragraph
    return spoken


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


def _paragraph(paragraph: Paragraph, first_pause: int, pauses: Pauses) -> list[Utterance]:
    return [
        Utterance(
            s.id,
            # Capitals would be spelled out as letters: "LORD" is not an acronym.
            soften_caps(s.text) if s.role == "speaker" else s.text,
            "sentence",
            first_pause if n == 0 else pauses.sentence,
            paragraph.id,
        )
        for n, s in enumerate(paragraph.sentences)
    ]


def _sentence(text: str) -> str:
    """End a heading with a full stop so engines give it a falling, final intonation."""
    text = text.strip()
    return text if not text or text[-1] in ".!?\u2026" else f"{text}."
