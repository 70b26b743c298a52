"""ID3v2.3 tags for chapter MP3s through mutagen, with a CHAP per paragraph under a CTOC."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TPE2,
    TRCK,
    TSSE,
    CTOCFlags,
    PictureType,
)

from publisher.model import ChapterTimeline, Image, TimedItem

# ID3 wants ISO 639-2 codes; the books' languages are BCP 47.
ISO_639_2 = {
    "af": "afr",
    "ar": "ara",
    "bg": "bul",
    "ca": "cat",
    "cs": "ces",
    "cy": "cym",
    "da": "dan",
    "de": "deu",
    "el": "ell",
    "en": "eng",
    "eo": "epo",
    "es": "spa",
    "et": "est",
    "eu": "eus",
    "fa": "fas",
    "fi": "fin",
    "fr": "fra",
    "ga": "gle",
    "he": "heb",
    "hi": "hin",
    "hr": "hrv",
    "hu": "hun",
    "id": "ind",
    "is": "isl",
    "it": "ita",
    "ja": "jpn",
    "ko": "kor",
    "la": "lat",
    "lt": "lit",
    "lv": "lav",
    "nl": "nld",
    "no": "nor",
    "nb": "nob",
    "nn": "nno",
    "pl": "pol",
    "pt": "por",
    "ro": "ron",
    "ru": "rus",
    "sk": "slk",
    "sl": "slv",
    "sr": "srp",
    "sv": "swe",
    "sw": "swa",
    "ta": "tam",
    "th": "tha",
    "tr": "tur",
    "uk": "ukr",
    "ur": "urd",
    "vi": "vie",
    "zh": "zho",
}
MARK_TITLE_WORDS = 6
_NO_OFFSET = 0xFFFFFFFF


@dataclass(frozen=True)
class ChapterTags:
    title: str
    album: str
    artist: str | None
    track: int
    tracks: int
    language: str
    year: str | None
    encoder: str
    cover: Image | None = None


Mark = tuple[str, int, int, str]  # element id, start ms, end ms, title


def write_tags(
    path: Path, tags: ChapterTags, timeline: ChapterTimeline, texts: dict[str, str]
) -> None:
    """Tag a chapter's MP3; ``texts`` maps paragraph and item ids to their text, for the
    titles of its marks (one per paragraph)."""
    write_id3(path, tags, chapter_marks(timeline, texts, tags.title))


def write_id3(path: Path, tags: ChapterTags, marks: list[Mark]) -> None:
    """ID3v2.3 text frames, the cover, and a CHAP per mark under one ordered CTOC."""
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    id3.add(TALB(encoding=3, text=[tags.album]))
    if tags.artist:
        id3.add(TPE1(encoding=3, text=[tags.artist]))
        id3.add(TPE2(encoding=3, text=[tags.artist]))
    id3.add(TRCK(encoding=3, text=[f"{tags.track}/{tags.tracks}"]))
    id3.add(TCON(encoding=3, text=["Audiobook"]))
    language = ISO_639_2.get(tags.language.split("-")[0].lower())
    if language:
        id3.add(TLAN(encoding=3, text=[language]))
    if tags.year:
        id3.add(TDRC(encoding=3, text=[tags.year]))
    id3.add(TSSE(encoding=3, text=[tags.encoder]))
    if tags.cover is not None:
        id3.add(
            APIC(
                encoding=3,
                mime=tags.cover.media_type,
                type=PictureType.COVER_FRONT,
                desc="Cover",
                data=tags.cover.data,
            )
        )
    for element_id, start, end, title in marks:
        id3.add(
            CHAP(
                element_id=element_id,
                start_time=start,
                end_time=end,
                start_offset=_NO_OFFSET,
                end_offset=_NO_OFFSET,
                sub_frames=[TIT2(encoding=3, text=[title])],
            )
        )
    id3.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=[m[0] for m in marks],
            sub_frames=[TIT2(encoding=3, text=[tags.title])],
        )
    )
    id3.save(str(path), v2_version=3)


def chapter_marks(
    timeline: ChapterTimeline, texts: dict[str, str], heading_title: str
) -> list[Mark]:
    """One mark for the heading and one per paragraph, back to back from 0 to the end."""
    groups: list[tuple[str, list[TimedItem]]] = [
        (key, list(run))
        for key, run in groupby(timeline.items, key=lambda i: i.paragraph_id or i.id)
    ]
    starts = [0] + [items[0].start_ms for _, items in groups[1:]]
    ends = [*starts[1:], timeline.duration_ms]
    marks = []
    for (key, items), start, end in zip(groups, starts, ends, strict=True):
        first = items[0]
        spoken = texts.get(key) or texts.get(first.id) or key
        title = heading_title if first.kind == "heading" else _first_words(spoken)
        marks.append((key, start, end, title))
    return marks


def _first_words(text: str) -> str:
    words = text.split()
    shown = " ".join(words[:MARK_TITLE_WORDS])
    return shown + ("\u2026" if len(words) > MARK_TITLE_WORDS else "")
