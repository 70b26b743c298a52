"""The EPUB 3: typeset from the manuscript, or the source EPUB narrated in its own pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from publisher.check import Finding, epubcheck
from publisher.formats.epub import write_epub
from publisher.formats.overlays import GRANULARITIES, Granularity, OverlayChapter, ReadAlong
from publisher.formats.verify import verify_epub
from publisher.formats.xhtml import section_file
from publisher.inplace.write import Narrated, Narration, write_in_place
from publisher.outputs.base import Built, Output, Written
from publisher.settings import Settings, read_choice, read_flag, setting


@dataclass(frozen=True)
class EpubOptions:
    """The EPUB's own settings."""

    audio: bool = setting(
        True, "Narration and Media Overlays inside the EPUB; no: a text-only EPUB, with "
        "the audio beside it.", "yes or no", read_flag,
    )  # fmt: skip
    overlay_granularity: Granularity = setting(
        "sentence", "What the EPUB's read-along highlight follows.",
        " | ".join(GRANULARITIES), read_choice(GRANULARITIES),
    )  # fmt: skip


class Epub(Output):
    name = "epub"
    title = "EPUB 3"
    summary = "The EPUB 3, with its read-along narration (Media Overlays) when narrated."
    needs_audio = False
    options = EpubOptions

    def wants_audio(self, settings: Settings) -> bool:
        return settings.options_of(self.name, EpubOptions).audio

    def write(self, built: Built) -> tuple[str, ...]:
        options = built.settings.options_of(self.name, EpubOptions)
        name = f"{built.slug}.epub"
        path = built.staging.path(name)
        narrated = built.narrator is not None and options.audio
        narrator = built.narrator.description if built.narrator else ""
        if built.source is not None:
            narration = None
            if narrated:
                files = tuple(Narrated(c.path, c.timeline) for c in built.chapters)
                narration = Narration(files, narrator, options.overlay_granularity)
            write_in_place(built.source, path, built.modified, narration)
        else:
            read_along = None
            if narrated:
                overlays = tuple(
                    OverlayChapter(
                        c.section.id, section_file(c.section), c.href, c.path, c.timeline
                    )
                    for c in built.chapters
                )
                read_along = ReadAlong(overlays, narrator, options.overlay_granularity)
            write_epub(built.book, path, built.modified, built.lexicon, read_along)
        verify_epub(path)
        return (name,)

    def check(self, written: Written) -> Iterator[Finding]:
        for name in written.files:
            yield from epubcheck(written.folder / name)


OUTPUT = Epub()
