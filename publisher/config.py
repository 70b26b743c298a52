"""What one build is asked to do: a frozen value the CLI fills and the pipeline reads."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from publisher.audio.encode import bitrates_at
from publisher.audio.loudness import PROFILES, AudioProfile, ProfileName
from publisher.errors import ConfigError
from publisher.formats.overlays import Granularity
from publisher.metadata import normalise_language
from publisher.model import Pauses
from publisher.speech.script import Reading
from publisher.speech.synthesis import usable_cores
from publisher.structure.topics import ChapterOptions

DEFAULT_OUTPUT = Path("output")


@dataclass(frozen=True)
class BuildConfig:
    """One build. ``title``, ``author`` and ``language`` override the manuscript's metadata."""

    input: Path
    output_dir: Path = DEFAULT_OUTPUT
    title: str | None = None
    author: str | None = None
    language: str | None = None
    cover: Path | None = None
    lexicon: Path | None = None  # None: lexicon.pls beside the manuscript, if there is one
    # An EPUB's own pages narrated in place (None: for EPUB 3 input) or re-typeset.
    in_place: bool | None = None
    audio: bool = True
    epub_audio: bool = True  # narration and Media Overlays inside the EPUB
    overlay_granularity: Granularity = "sentence"
    chapters: ChapterOptions = field(default_factory=ChapterOptions)
    engine: str | None = None  # None: Piper, or eSpeak NG for languages Piper lacks
    voice: str | None = None
    audio_profile: ProfileName = "speech"
    bitrate: int | None = None  # None: the profile's
    pauses: Pauses = field(default_factory=Pauses)
    reading: Reading = field(default_factory=Reading)  # figures and code read aloud or not
    daisy: bool = True  # the DAISY 2.02 talking book, and its zip
    m4b: bool = True  # the one-file audiobook
    single_mp3: bool = False  # and the whole book as one MP3 with ID3 chapters
    split_hours: float | None = None  # M4B parts no longer than this, split between chapters
    jobs: int | None = None  # narration processes; None: every usable core
    # The sentence cache: a folder or an fsspec URL; None: none (the CLI uses one).
    cache_dir: Path | str | None = None
    # Fixed for reproducible builds; by default SOURCE_DATE_EPOCH, else the build time.
    modified: dt.datetime | None = field(default=None)

    def profile(self) -> AudioProfile:
        profile = PROFILES[self.audio_profile]
        bitrate = self.bitrate_kbps()
        if profile.name == "acx" and bitrate != profile.bitrate_kbps:
            raise ConfigError(f"ACX requires {profile.bitrate_kbps} kbps MP3s, not {bitrate}")
        if bitrate not in bitrates_at(profile.sample_rate):
            rates = ", ".join(map(str, bitrates_at(profile.sample_rate)))
            raise ConfigError(
                f"{bitrate} kbps is not an MP3 bitrate at {profile.sample_rate} Hz ({rates})"
            )
        return profile

    def bitrate_kbps(self) -> int:
        return self.bitrate or PROFILES[self.audio_profile].bitrate_kbps

    def processes(self) -> int:
        if self.jobs is not None and self.jobs < 1:
            raise ConfigError(f"--jobs must be 1 or more, not {self.jobs}")
        return self.jobs or usable_cores()

    def overrides(self) -> dict[str, str | None]:
        language = normalise_language(self.language, "--language") if self.language else None
        return {
            "title": _clean(self.title, "--title"),
            "author": _clean(self.author, "--author"),
            "language": language,
            "cover": str(self.cover.resolve()) if self.cover else None,
        }

    def modified_time(self, manuscript_date: str | None = None) -> dt.datetime:
        """The build's date: given, else SOURCE_DATE_EPOCH, else the manuscript's own date
        (so that it builds to the same bytes every time), else now."""
        if self.modified is not None:
            return self.modified.astimezone(dt.UTC).replace(microsecond=0)
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            try:
                return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
            except (ValueError, OverflowError, OSError):
                raise ConfigError(
                    f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time in seconds"
                ) from None
        fixed = _date(manuscript_date)
        return fixed or dt.datetime.now(dt.UTC).replace(microsecond=0)


def _date(value: str | None) -> dt.datetime | None:
    """A full "YYYY-MM-DD" date as midnight UTC; a bare year fixes too little to use."""
    try:
        day = dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        return None
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _clean(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if not value:
        raise ConfigError(f"{option} must not be empty")
    return value
