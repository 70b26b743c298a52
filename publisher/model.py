"""The book as data: frozen values passed from one pipeline stage to the next."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

SectionKind = Literal[
    "preamble",
    "chapter",
    "part",
    "act",
    "scene",
    "dramatis-personae",
    "prologue",
    "epilogue",
    "interlude",
    "preface",
    "foreword",
    "introduction",
    "dedication",
    "epigraph",
    "afterword",
    "acknowledgments",
    "notes",
    "appendix",
    "glossary",
    "bibliography",
    "about-the-author",
    "colophon",
    "conclusion",
]
SECTION_KINDS: tuple[SectionKind, ...] = get_args(SectionKind)

Matter = Literal["front", "body", "back"]


@dataclass(frozen=True)
class Metadata:
    """What a reader, a catalogue or a player shows about the publication."""

    title: str
    language: str = "en"
    subtitle: str | None = None
    author: str | None = None
    publisher: str | None = None
    date: str | None = None
    description: str | None = None
    identifier: str | None = None
    rights: str | None = None
    cover: str | None = None  # path of a JPEG or PNG cover image


@dataclass(frozen=True)
class Image:
    data: bytes
    media_type: str

    @property
    def extension(self) -> str:
        return "png" if self.media_type == "image/png" else "jpg"


# --- the manuscript: what a reader found in the file, before any structure ---


@dataclass(frozen=True)
class HeadingBlock:
    """A heading line. ``label`` is the numbering part ("Chapter IV"), ``text`` the name."""

    level: int
    text: str
    label: str | None = None
    generated: bool = False  # a title the publisher made (topic chapters, closing notes)


@dataclass(frozen=True)
class ParagraphBlock:
    """Running text; in ``verse`` its line breaks ("\n") are the author's and are kept.

    In a play, ``speaker`` names who speaks it (as printed: "LORD GORING") and
    ``direction`` marks a stage direction. ``emphasised``: the source set it wholly in
    italics (a play's setting, a letter, an epigraph).
    """

    text: str
    verse: bool = False
    speaker: str | None = None
    direction: bool = False
    emphasised: bool = False


@dataclass(frozen=True)
class BreakBlock:
    """A scene break: a pause in narration and a rule in print."""


Block = HeadingBlock | ParagraphBlock | BreakBlock


@dataclass(frozen=True)
class DetectedLanguage:
    """A language told from the text, for a manuscript that declared none."""

    language: str  # an ISO 639-1 code, as BCP 47's primary subtag
    confidence: float


@dataclass(frozen=True)
class Manuscript:
    metadata: Metadata
    blocks: tuple[Block, ...]
    source_name: str
    encoding: str = "utf-8"
    cover: Image | None = None
    detected_language: DetectedLanguage | None = None


# --- the book: structured, every narrated unit with a stable id ---


SentenceRole = Literal["text", "speaker", "direction"]


@dataclass(frozen=True)
class Sentence:
    """One narrated unit. A play's speaker label and stage directions are sentences too,
    so they are highlighted and timed like the speech, and marked for what they are."""

    id: str
    text: str
    role: SentenceRole = "text"


@dataclass(frozen=True)
class Paragraph:
    """``verse``: each sentence is one of the author's lines, shown on a line of its own."""

    id: str
    sentences: tuple[Sentence, ...]
    verse: bool = False

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


@dataclass(frozen=True)
class Subheading:
    """A heading inside a section (Markdown ``###`` under a ``##`` chapter); ``level`` 2 to 6."""

    id: str
    level: int
    text: str


@dataclass(frozen=True)
class SceneBreak:
    id: str


Content = Paragraph | Subheading | SceneBreak


@dataclass(frozen=True)
class Section:
    """One chapter-like unit: one XHTML document, one audio file, one navigation entry.

    ``depth`` is 0 for top-level entries and 1 for chapters inside a part. A section
    always has a title to show; ``from_manuscript`` is False when the manuscript gave
    it none (text before the first heading is titled with the book's title).
    """

    id: str
    index: int
    kind: SectionKind
    matter: Matter
    depth: int
    label: str | None
    title: str | None
    content: tuple[Content, ...]
    from_manuscript: bool = True

    @property
    def heading_id(self) -> str:
        return f"{self.id}-h"

    @property
    def display_title(self) -> str:
        """The name shown in navigation: "Chapter One: The Road", "Preface"."""
        return ": ".join(p for p in (self.label, self.title) if p)

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(
            s for item in self.content if isinstance(item, Paragraph) for s in item.sentences
        )

    @property
    def words(self) -> int:
        spoken = [s.text for s in self.sentences]
        spoken += [item.text for item in self.content if isinstance(item, Subheading)]
        return sum(len(text.split()) for text in spoken)


@dataclass(frozen=True)
class Book:
    metadata: Metadata
    sections: tuple[Section, ...]
    cover: Image | None = None

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sections)


# --- the timeline: where every narrated unit sits in its chapter's audio ---


@dataclass(frozen=True)
class TimedItem:
    """One heading or sentence in a chapter's audio, in milliseconds from the file start."""

    id: str
    kind: str
    start_ms: int
    end_ms: int
    paragraph_id: str | None = None


@dataclass(frozen=True)
class ChapterTimeline:
    """Every view of the audio (overlays, chapter marks, DAISY) is built from this."""

    section_id: str
    duration_ms: int
    items: tuple[TimedItem, ...]


def book_text(book: Book) -> str:
    """All of a book's text, for whole-book decisions such as British or American English."""
    parts = [s.display_title for s in book.sections]
    parts += [sentence.text for section in book.sections for sentence in section.sentences]
    return "\n".join(parts)
