"""What every output is: a name, what it needs, its own settings, a writer and a check.

An output subclasses ``Output`` and is listed once in ``publisher.outputs.BUILT_IN`` (or,
from another package, under the ``publisher.outputs`` entry-point group). The pipeline
writes the enabled ones in registry order, ``report.json`` lists what each wrote, and
``publisher check`` runs each one's check on the files it wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from publisher.formats.playlist import Track

if TYPE_CHECKING:
    from publisher.audio.loudness import AudioProfile
    from publisher.cache import SentenceCache
    from publisher.check import Finding
    from publisher.inplace.book import InPlaceBook
    from publisher.model import Book
    from publisher.narration import AudioSettings, ChapterFile
    from publisher.output import Staging
    from publisher.settings import Settings
    from publisher.speech.cast import Cast


@dataclass(frozen=True)
class Built:
    """What outputs are written from: the book, and its narration when it has one."""

    staging: Staging
    book: Book
    slug: str
    modified: dt.datetime
    settings: Settings
    # The source EPUB when the book is narrated in its own pages; None for a manuscript.
    source: InPlaceBook | None
    lexicon: bytes | None  # the PLS the EPUB carries, as the user wrote it
    narrator: Cast | None
    chapters: tuple[ChapterFile, ...]  # each chapter's MP3, at ChapterFile.path
    audio: AudioSettings | None
    cache: SentenceCache | None


@dataclass(frozen=True)
class Written:
    """A built book as `publisher check` sees it: its folder, report.json and the
    chapters' titles and start times (seconds) that every navigation file must agree on."""

    folder: Path
    report: Mapping[str, Any]
    files: tuple[str, ...]  # what this output wrote, relative to ``folder``
    profile: AudioProfile
    titles: Sequence[str]
    starts: Sequence[float]
    total_s: float


class Output:
    """One kind of file (or set of files) a build makes."""

    #: The key in the ``outputs`` settings section and in report.json's ``outputs``.
    name: ClassVar[str]
    #: What it is, in a few words ("the M4B audiobook").
    title: ClassVar[str]
    #: One line for ``publisher settings``.
    summary: ClassVar[str]
    #: Made unless switched off (True), or only when switched on.
    default: ClassVar[bool] = True
    #: Made only for a narrated build.
    needs_audio: ClassVar[bool] = True
    #: Other outputs whose files this one points to: without them it is not made.
    requires: ClassVar[tuple[str, ...]] = ()
    #: Each chapter's extra encodings it is made from: "aac", "flac".
    encodes: ClassVar[frozenset[str]] = frozenset()
    #: Its own settings section (a frozen dataclass of Spec fields), named after it.
    options: ClassVar[type[Any] | None] = None

    def wants_audio(self, settings: Settings) -> bool:
        """Whether the build should narrate for this output's sake."""
        del settings
        return self.needs_audio

    def write(self, built: Built) -> tuple[str, ...]:
        """Write into ``built.staging``; return the names written, relative to it."""
        raise NotImplementedError

    def check(self, written: Written) -> Iterator[Finding]:
        """Measure what ``write`` made, in a finished book folder."""
        del written
        return iter(())


def tracks(built: Built) -> list[Track]:
    """The chapter MP3s as playlist and manifest list them."""
    return [Track(c.href, c.section.display_title, c.timeline.duration_ms) for c in built.chapters]
