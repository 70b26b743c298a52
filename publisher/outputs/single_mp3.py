"""The whole book as one MP3 with ID3 chapter frames, encoded from the chapters' FLAC."""

from __future__ import annotations

from collections.abc import Iterator

from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from publisher.audio.loudness import measure_file
from publisher.audio.onefile import write_single_mp3
from publisher.audio.tags import ChapterTags
from publisher.audiobook import cached_file, digest, encoder, made, marks, plain
from publisher.cache import content_key
from publisher.check import TOLERANCE_S, Finding, agree, audio_info, levels, near, titles_agree
from publisher.outputs.base import Built, Output, Written


class SingleMp3(Output):
    name = "single_mp3"
    title = "single MP3"
    summary = "The whole book as one MP3 with ID3 chapter marks (<slug>.mp3)."
    default = False
    encodes = frozenset({"flac"})

    def write(self, built: Built) -> tuple[str, ...]:
        assert built.audio is not None
        meta = built.book.metadata
        name = f"{built.slug}.mp3"
        year = built.audio.year
        tags = ChapterTags(
            meta.title, meta.title, meta.author, 1, 1, meta.language, year, encoder(),
            built.book.cover,
        )  # fmt: skip
        rate = built.audio.profile.sample_rate
        bitrate = built.audio.bitrate_kbps
        flacs = [made(c.flac, f"{c.href} has no FLAC for the one-file MP3") for c in built.chapters]
        book_marks = marks(built.chapters)
        audio = [digest(flac) for flac in flacs]
        key = content_key("single mp3", audio, plain(book_marks), rate, bitrate, tags.title)
        path = built.staging.path(name)
        cached_file(
            built.cache,
            key,
            ".mp3",
            path,
            lambda p: write_single_mp3(flacs, book_marks, p, rate, bitrate, tags),
        )
        return (name,)

    def check(self, written: Written) -> Iterator[Finding]:
        reference = list(written.starts)
        for name in written.files:
            path = written.folder / name
            frames = sorted(ID3(path).getall("CHAP"), key=lambda f: f.start_time)
            yield agree(name, "ID3 chapter marks", [f.start_time / 1000 for f in frames], reference)
            found = [f.sub_frames["TIT2"].text[0] for f in frames]
            yield titles_agree(name, found, list(written.titles))
            info = audio_info(MP3(path))
            yield near(name, "length", info.length, written.total_s, TOLERANCE_S, "s")
            yield from levels(name, measure_file(path, info.sample_rate), written.profile)


OUTPUT = SingleMp3()
