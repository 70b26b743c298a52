"""EPUB 3 Media Overlays: one SMIL document per chapter, a view of the narration Timeline.

Each clip is exactly the span of one narrated sentence (or heading), so the highlight in a
reading system moves with the voice; the silences between clips are left out, which is
also how reading systems skip pauses when a reader jumps from sentence to sentence.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Literal, get_args

from lxml import etree

from publisher.model import ChapterTimeline, Group, TimedItem

Granularity = Literal["sentence", "paragraph"]
GRANULARITIES: tuple[Granularity, ...] = get_args(Granularity)

SMIL = "http://www.w3.org/ns/SMIL"
EPUB = "http://www.idpf.org/2007/ops"
ACTIVE_CLASS = "-epub-media-overlay-active"
PLAYBACK_ACTIVE_CLASS = "-epub-media-overlay-playing"


@dataclass(frozen=True)
class OverlayChapter:
    section_id: str
    document: str  # the XHTML file, relative to the package folder
    audio_href: str  # the MP3, relative to the package folder ("audio/01-fog.mp3")
    audio_path: Path  # where the MP3 is now, to be copied into the EPUB
    timeline: ChapterTimeline

    @property
    def smil_href(self) -> str:
        return f"smil/{self.section_id}.smil"


@dataclass(frozen=True)
class ReadAlong:
    """Everything the EPUB needs to carry the narration and synchronise it with the text."""

    chapters: tuple[OverlayChapter, ...]
    narrator: str
    granularity: Granularity = "sentence"

    @property
    def duration_ms(self) -> int:
        return sum(c.timeline.duration_ms for c in self.chapters)


def smil_document(chapter: OverlayChapter, granularity: Granularity) -> bytes:
    audio = f"../{chapter.audio_href}"
    clips = [OverlayClip(item, audio) for item in chapter.timeline.items]
    return smil(f"../{chapter.document}", clips, granularity)


@dataclass(frozen=True)
class OverlayClip:
    """A narrated unit and the audio file it is in, as the SMIL document refers to it."""

    item: TimedItem
    audio: str


def smil(document: str, clips: Sequence[OverlayClip], granularity: Granularity) -> bytes:
    """The overlay of one content document (``document``, as the SMIL refers to it)."""
    root = etree.Element(f"{{{SMIL}}}smil", nsmap={None: SMIL, "epub": EPUB})  # type: ignore[dict-item]
    root.set("version", "3.0")
    body = etree.SubElement(root, f"{{{SMIL}}}body")
    body.set(f"{{{EPUB}}}textref", document)
    if granularity == "paragraph":
        for _, run in _groups(clips):
            for fragment, begin, end in _clips(run):
                _par(body, document, run[0].audio, fragment, begin, end)
    else:
        _nested(body, document, clips)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


def _nested(body: etree._Element, document: str, clips: Sequence[OverlayClip]) -> None:
    """A ``seq`` for every container a sentence is read in (a list, its item, a note, a
    table, the paragraph), typed with its structural semantics, so a reading system can
    offer to skip notes and escape a list or table the listener has heard enough of."""
    open_seqs: list[tuple[Group, etree._Element]] = []
    used: set[str] = set()  # a container read in two stretches is two seqs
    for clip in clips:
        item = clip.item
        groups = item.groups if item.kind == "sentence" else ()
        common = 0
        while (
            common < len(open_seqs)
            and common < len(groups)
            and open_seqs[common][0].id == groups[common].id
        ):
            common += 1
        del open_seqs[common:]
        for group in groups[common:]:
            parent = open_seqs[-1][1] if open_seqs else body
            seq = etree.SubElement(parent, f"{{{SMIL}}}seq", id=unique_id(f"seq-{group.id}", used))
            seq.set(f"{{{EPUB}}}textref", f"{document}#{group.id}")
            if group.type is not None:
                seq.set(f"{{{EPUB}}}type", group.type)
            open_seqs.append((group, seq))
        if item.end_ms > item.start_ms:
            parent = open_seqs[-1][1] if open_seqs else body
            _par(parent, document, clip.audio, item.id, item.start_ms, item.end_ms)
    for seq in reversed(list(body.iter(f"{{{SMIL}}}seq"))):
        holder = seq.getparent()
        if len(seq) == 0 and holder is not None:
            holder.remove(seq)  # every sentence in it was silent


def unique_id(wanted: str, used: set[str]) -> str:
    """``wanted``, or it numbered ("-2", "-3") when ``used`` has it; then marked used."""
    candidate, number = wanted, 1
    while candidate in used:
        number += 1
        candidate = f"{wanted}-{number}"
    used.add(candidate)
    return candidate


def clock(ms: int) -> str:
    """A SMIL full clock value: 0:01:02.345."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _groups(clips: Sequence[OverlayClip]) -> Iterator[tuple[str | None, list[OverlayClip]]]:
    """Sentences grouped by paragraph; headings stand alone (key None)."""
    for key, run in groupby(
        clips, key=lambda c: c.item.paragraph_id if c.item.kind == "sentence" else None
    ):
        if key is None:
            for clip in run:
                yield None, [clip]
        else:
            yield key, list(run)


def _clips(run: list[OverlayClip]) -> list[tuple[str, int, int]]:
    """One clip for a paragraph's sentences, from its first start to its last end."""
    first, last = run[0].item, run[-1].item
    key = first.paragraph_id if first.kind == "sentence" else None
    if key is not None:
        return [(key, first.start_ms, last.end_ms)]
    return [
        (c.item.id, c.item.start_ms, c.item.end_ms) for c in run if c.item.end_ms > c.item.start_ms
    ]


def _par(
    parent: etree._Element, document: str, audio: str, fragment: str, begin: int, end: int
) -> None:
    par = etree.SubElement(parent, f"{{{SMIL}}}par", id=f"par-{fragment}")
    etree.SubElement(par, f"{{{SMIL}}}text", src=f"{document}#{fragment}")
    etree.SubElement(par, f"{{{SMIL}}}audio", src=audio, clipBegin=clock(begin), clipEnd=clock(end))
