"""The book as data: frozen values passed from one pipeline stage to the next."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, assert_never, get_args

from publisher.errors import ConfigError

if TYPE_CHECKING:
    from publisher.speech.lexicon import Entry

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
    "contributors",
    "declarations",
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
        return IMAGE_EXTENSIONS.get(self.media_type, "bin")


IMAGE_EXTENSIONS: dict[str, str] = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/svg+xml": "svg",
    "image/webp": "webp",
}


# --- inline content: what a paragraph is made of, as a reader found it ---

InlineStyle = Literal["emphasis", "strong", "code", "small-caps", "cite", "abbr", "sub", "sup"]
INLINE_STYLES: tuple[InlineStyle, ...] = get_args(InlineStyle)


@dataclass(frozen=True)
class Styled:
    """A run set apart: italics carry titles, foreign words and ships' names."""

    style: InlineStyle
    children: tuple[Inline, ...]
    title: str | None = None  # an abbreviation's expansion


@dataclass(frozen=True)
class Link:
    children: tuple[Inline, ...]
    target: str


@dataclass(frozen=True)
class Foreign:
    """Words in another language than the book's: shown with ``lang``, said by its rules."""

    children: tuple[Inline, ...]
    lang: str


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class NoteRef:
    """A reference to the note the manuscript names ``key`` ("1", "fn-ships")."""

    key: str


@dataclass(frozen=True)
class PageNumber:
    """Where a printed page begins, for libraries' page lists and print citations."""

    page: str


Inline = str | Styled | Link | Foreign | LineBreak | NoteRef | PageNumber


def plain_text(content: tuple[Inline, ...]) -> str:
    """The words of inline content, as a reader would type them: no marks, no notes."""
    parts: list[str] = []
    for item in content:
        match item:
            case str():
                parts.append(item)
            case Styled() | Link() | Foreign():
                parts.append(plain_text(item.children))
            case LineBreak():
                parts.append("\n")
            case NoteRef() | PageNumber():
                pass
            case _:
                assert_never(item)
    return "".join(parts)


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
    """Running text; in ``verse`` (a line group: a poem, a song) its line breaks ("\n")
    are the author's and are kept.

    ``inline`` holds the paragraph's formatting when the source had any; ``text`` is
    then its plain words (``ParagraphBlock.rich`` keeps the two in step). In a play,
    ``speaker`` names who speaks it (as printed: "LORD GORING") and ``direction`` marks a
    stage direction. ``emphasised``: the source set it wholly in italics (a play's
    setting, a letter, an epigraph).
    """

    text: str
    verse: bool = False
    speaker: str | None = None
    direction: bool = False
    emphasised: bool = False
    inline: tuple[Inline, ...] = ()

    @classmethod
    def rich(cls, content: tuple[Inline, ...], *, verse: bool = False) -> ParagraphBlock:
        return cls(plain_text(content), verse=verse, inline=content)

    @property
    def content(self) -> tuple[Inline, ...]:
        return self.inline or (self.text,)


@dataclass(frozen=True)
class BreakBlock:
    """A scene break: a pause in narration and a rule in print."""


@dataclass(frozen=True)
class PageBlock:
    """A print page boundary between blocks."""

    page: str


@dataclass(frozen=True)
class ListBlock:
    """Items, each a run of blocks (a nested list is a block of its item)."""

    items: tuple[tuple[Block, ...], ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class QuoteBlock:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class FigureBlock:
    """An image. ``alt`` is what it shows, for those who cannot see it; empty means
    decoration. ``image`` is None when the picture could not be packaged (remote, or a
    plain-text book's ``[Illustration: ...]``): the alt text and caption still stand."""

    alt: str
    caption: tuple[Inline, ...] = ()
    image: Image | None = None
    source: str | None = None  # the path or address as the manuscript gave it


@dataclass(frozen=True)
class TableBlock:
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    caption: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class NoteBlock:
    """A note's text, found where the manuscript keeps it (a footnote definition)."""

    key: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class CodeBlock:
    text: str
    language: str | None = None


Block = (
    HeadingBlock
    | ParagraphBlock
    | BreakBlock
    | PageBlock
    | ListBlock
    | QuoteBlock
    | FigureBlock
    | TableBlock
    | NoteBlock
    | CodeBlock
)


def is_text_block(block: Block) -> bool:
    """A block of the running text, as topic segmentation and closing notes count them:
    not a heading, a break or a note kept apart."""
    return not isinstance(block, HeadingBlock | BreakBlock | PageBlock | NoteBlock)


def block_text(block: Block) -> str:
    """A block's plain words; a list's items and a table's rows one to a line."""
    match block:
        case HeadingBlock():
            return " ".join(p for p in (block.label, block.text) if p)
        case ParagraphBlock():
            return block.text
        case BreakBlock() | PageBlock():
            return ""
        case ListBlock():
            return "\n".join(" ".join(block_text(b) for b in item) for item in block.items)
        case QuoteBlock() | NoteBlock():
            return "\n".join(block_text(b) for b in block.blocks)
        case FigureBlock():
            return " ".join(p for p in (block.alt, plain_text(block.caption)) if p)
        case TableBlock():
            rows = (block.header, *block.rows)
            return "\n".join(" ".join(plain_text(c) for c in row) for row in rows)
        case CodeBlock():
            return block.text
        case _:
            assert_never(block)


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
    # The manuscript's own pronunciations (an EPUB's PLS lexicons and ssml:ph).
    pronunciations: tuple[Entry, ...] = ()


# --- the book: structured, every narrated unit with a stable id ---


MarkKind = InlineStyle | Literal["link", "lang"]


@dataclass(frozen=True)
class Mark:
    """Formatting over ``text[start:end]`` of a paragraph; ``value`` is a link's target,
    a language tag or an abbreviation's expansion. Marks nest as the source nested them:
    two marks either hold one another or do not meet, and an outer one comes first."""

    kind: MarkKind
    start: int
    end: int
    value: str | None = None


AnchorKind = Literal["noteref", "pagebreak"]


@dataclass(frozen=True)
class Anchor:
    """A point in the text shown but not spoken: a note's reference mark ("1", pointing
    at the note's id in ``value``) or the start of a print page (``value`` its number)."""

    kind: AnchorKind
    offset: int
    id: str
    value: str
    label: str = ""


@dataclass(frozen=True)
class RichText:
    """A paragraph's text with its formatting and anchors, all as offsets into ``text``.

    "\n" is a line break the author made (a verse line, an address)."""

    text: str
    marks: tuple[Mark, ...] = ()
    anchors: tuple[Anchor, ...] = ()


SentenceRole = Literal["text", "speaker", "direction", "code", "label"]


@dataclass(frozen=True)
class Sentence:
    """One narrated unit: ``text[start:end]`` of its paragraph's RichText, and ``text``
    those words with white space made single (what the narrator is given).

    A play's speaker label and stage directions are sentences too, so they are
    highlighted and timed like the speech, and marked for what they are; a "label" is
    words the publisher adds for listeners ("Note 3.", "Figure."), never shown."""

    id: str
    text: str
    role: SentenceRole = "text"
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Paragraph:
    """``verse``: a line group (poem, song); each sentence is one of the author's lines."""

    id: str
    sentences: tuple[Sentence, ...]
    verse: bool = False
    body: RichText = RichText("")
    # Containers the paragraph sits in that the content tree does not hold (lists, notes,
    # tables of a source EPUB narrated in place), outermost first.
    groups: tuple[Group, ...] = ()

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


@dataclass(frozen=True)
class PageBreak:
    id: str
    page: str


@dataclass(frozen=True)
class ListItem:
    id: str
    content: tuple[Content, ...]


@dataclass(frozen=True)
class ItemList:
    id: str
    items: tuple[ListItem, ...]
    ordered: bool = False
    start: int = 1


@dataclass(frozen=True)
class Quote:
    id: str
    content: tuple[Content, ...]


@dataclass(frozen=True)
class Figure:
    """``href`` is the image's file in the publication; ``description`` the spoken alt text."""

    id: str
    alt: str
    href: str | None
    image: Image | None
    description: Sentence | None
    caption: Paragraph | None


@dataclass(frozen=True)
class TableRow:
    """``sentence`` says the row for listeners: each cell after its column's name."""

    id: str
    cells: tuple[RichText, ...]
    sentence: Sentence


@dataclass(frozen=True)
class Table:
    id: str
    header: tuple[RichText, ...]
    rows: tuple[TableRow, ...]
    caption: Paragraph | None


NoteKind = Literal["footnote", "endnote"]
NotePlacement = Literal["paragraph", "chapter"]
NOTE_PLACEMENTS: tuple[NotePlacement, ...] = get_args(NotePlacement)


@dataclass(frozen=True)
class Note:
    """A note placed where it is read: after its paragraph, or at its chapter's end.
    ``ref_id`` is its reference mark's id, for the back-link."""

    id: str
    label: str
    kind: NoteKind
    ref_id: str | None
    announcement: Sentence
    content: tuple[Content, ...]


@dataclass(frozen=True)
class Code:
    """A code listing; ``announcement`` introduces it, ``lines`` are read when it is short."""

    id: str
    body: RichText
    announcement: Sentence
    lines: tuple[Sentence, ...]
    language: str | None = None


Content = (
    Paragraph
    | Subheading
    | SceneBreak
    | PageBreak
    | ItemList
    | Quote
    | Figure
    | Table
    | Note
    | Code
)


def content_sentences(content: tuple[Content, ...]) -> Iterator[Sentence]:
    """Every narrated unit of some content, in reading order."""
    for item in content:
        match item:
            case Paragraph():
                yield from item.sentences
            case Subheading() | SceneBreak() | PageBreak():
                pass
            case ItemList():
                for entry in item.items:
                    yield from content_sentences(entry.content)
            case Quote():
                yield from content_sentences(item.content)
            case Figure():
                if item.description is not None:
                    yield item.description
                if item.caption is not None:
                    yield from item.caption.sentences
            case Table():
                if item.caption is not None:
                    yield from item.caption.sentences
                yield from (row.sentence for row in item.rows)
            case Note():
                yield item.announcement
                yield from content_sentences(item.content)
            case Code():
                yield item.announcement
                yield from item.lines
            case _:
                assert_never(item)


def content_items(content: tuple[Content, ...]) -> Iterator[Content]:
    """Every item of some content, containers before what they hold."""
    for item in content:
        yield item
        match item:
            case ItemList():
                for entry in item.items:
                    yield from content_items(entry.content)
            case Quote() | Note():
                yield from content_items(item.content)
            case _:
                pass


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
    # A source EPUB narrated in place names its own heading and its own navigation entry.
    heading_ref: str | None = None
    shown_title: str | None = None

    @property
    def heading_id(self) -> str:
        return self.heading_ref or f"{self.id}-h"

    @property
    def display_title(self) -> str:
        """The name shown in navigation: "Chapter One: The Road", "Preface"."""
        return self.shown_title or ": ".join(p for p in (self.label, self.title) if p)

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(content_sentences(self.content))

    @property
    def words(self) -> int:
        """Words of the text: the labels the publisher adds for listeners are not counted."""
        spoken = [s.text for s in self.sentences if s.role != "label"]
        spoken += [i.text for i in content_items(self.content) if isinstance(i, Subheading)]
        return sum(len(text.split()) for text in spoken)


@dataclass(frozen=True)
class Book:
    metadata: Metadata
    sections: tuple[Section, ...]
    cover: Image | None = None

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sections)


# --- narration: what is said, with which silences, and the audio that says it ---

UtteranceKind = Literal["heading", "subheading", "sentence"]


@dataclass(frozen=True)
class Pauses:
    """Silences in milliseconds. ``head`` and ``tail`` are the room tone around each file;
    ``item`` comes between the items of a list and the rows of a table."""

    sentence: int = 400
    paragraph: int = 900
    scene: int = 2200
    heading: int = 1400
    head: int = 750
    tail: int = 1500
    item: int = 650

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not 0 <= value <= 60_000:
                raise ConfigError(f"the {name} pause must be 0 to 60000 ms, not {value}")


NARRATOR = "narrator"
DIALOGUE = "dialogue"


@dataclass(frozen=True)
class Voiced:
    """Part of an utterance and the role of the cast that says it: the narrator, the
    dialogue voice, or a character by name."""

    text: str
    role: str = NARRATOR


@dataclass(frozen=True)
class Utterance:
    """One unit of narration, tied to the id of the text it speaks and the containers
    (``groups``, outermost first) it is read in. ``voiced`` splits it between roles
    (a quotation inside narration); empty, the narrator says all of it."""

    id: str
    text: str
    kind: UtteranceKind
    pause_before: int
    paragraph_id: str | None = None
    groups: tuple[Group, ...] = ()
    voiced: tuple[Voiced, ...] = ()

    @property
    def parts(self) -> tuple[Voiced, ...]:
        return self.voiced or (Voiced(self.text),)


@dataclass(frozen=True)
class Clip:
    """Synthesised speech: 16-bit signed little-endian mono PCM."""

    pcm: bytes
    sample_rate: int

    @property
    def samples(self) -> int:
        return len(self.pcm) // 2


# --- the timeline: where every narrated unit sits in its chapter's audio ---


@dataclass(frozen=True)
class Group:
    """A container a narrated unit is read inside, outermost first: a list, its item, a
    note, a table, the paragraph. ``type`` is its EPUB structural semantics ("list",
    "footnote", "table"; None for a plain paragraph): reading systems let listeners skip
    notes and escape lists and tables by it."""

    id: str
    type: str | None = None


@dataclass(frozen=True)
class TimedItem:
    """One heading or sentence in a chapter's audio, in milliseconds from the file start."""

    id: str
    kind: str
    start_ms: int
    end_ms: int
    paragraph_id: str | None = None
    groups: tuple[Group, ...] = ()
    voices: tuple[str, ...] = ()  # "engine:voice" of each voice that spoke it, in order
    voice_ms: tuple[int, ...] = ()  # how long each of them spoke


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
