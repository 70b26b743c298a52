"""What one build is asked to do: a frozen value the CLI fills and the pipeline reads."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from publisher.audio.encode import bitrates_at
from publisher.audio.loudness import PROFILES, AudioProfile
from publisher.cache import cache_at, default_cache_dir
from publisher.errors import ConfigError
from publisher.settings import Layer, Resolved, Settings, default_layers, resolve
from publisher.speech.script import Reading
from publisher.speech.synthesis import usable_cores
from publisher.structure.topics import ChapterOptions

DEFAULT_OUTPUT = Path("output")


@dataclass(frozen=True)
class BuildConfig:
    """One build: the manuscript, where the book goes, and its settings.

    ``values`` are the caller's settings (``{"narration.engine": "espeak"}``); they count
    as the command line's and win over every other layer. ``layers`` are those between
    the book's own book.toml and them: a catalogue row, the environment."""

    input: Path
    output_dir: Path = DEFAULT_OUTPUT
    values: Mapping[str, object] = field(default_factory=dict)
    # Fixed for reproducible builds; by default SOURCE_DATE_EPOCH, else the build time.
    modified: dt.datetime | None = None
    layers: tuple[Layer, ...] = ()
    defaults: tuple[Layer, ...] = ()  # below the book's own: what `publisher batch` assumes

    @cached_property
    def resolved(self) -> Resolved:
        caller = Layer("command line", "command line", self.values, Path.cwd())
        return resolve([*self.defaults, *default_layers(self.input), *self.layers, caller])

    @property
    def settings(self) -> Settings:
        return self.resolved.settings

    def profile(self) -> AudioProfile:
        profile = PROFILES[self.settings.audio.profile]
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
        audio = self.settings.audio
        return audio.bitrate or PROFILES[audio.profile].bitrate_kbps

    def processes(self) -> int:
        return self.settings.narration.jobs or usable_cores()

    def cache_location(self) -> Path | str | None:
        """The sentence cache: a folder or an fsspec URL, or None for none."""
        chosen = self.settings.narration.cache
        if chosen is None:
            return default_cache_dir()
        if chosen == "off":
            return None
        return cache_at(chosen)

    def chapter_options(self, titles: tuple[str, ...] = ()) -> ChapterOptions:
        structure = self.settings.structure
        return ChapterOptions(
            structure.chapters,
            structure.min_chapter_words,
            structure.max_chapter_words,
            titles,
            structure.notes,
        )

    def reading(self) -> Reading:
        narration = self.settings.narration
        return Reading(narration.figures, narration.code)

    def overrides(self) -> dict[str, str | None]:
        given = self.settings.input
        return {
            "title": given.title,
            "author": given.author,
            "language": given.language,
            "cover": str(given.cover) if given.cover else None,
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
