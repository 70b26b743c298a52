"""The one-file M4B audiobook (in parts, if asked), joined from the chapters' AAC."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from mutagen.mp4 import MP4

from publisher.audio.loudness import measure_file
from publisher.audio.onefile import BookTags, split_parts, tag_m4b, write_m4b
from publisher.audiobook import cached_file, digest, encoder, made, marks, plain, rebased
from publisher.cache import content_key
from publisher.check import TOLERANCE_S, Finding, agree, audio_info, levels, near, titles_agree
from publisher.outputs.base import Built, Output, Written
from publisher.settings import read_hours, setting


@dataclass(frozen=True)
class M4bOptions:
    """The M4B's own settings."""

    split_hours: float | None = setting(
        None, "Split the M4B into parts of at most this many hours, between chapters.",
        "hours", read_hours,
    )  # fmt: skip


class M4b(Output):
    name = "m4b"
    title = "M4B audiobook"
    summary = "The whole book as one M4B audiobook with chapters (<slug>.m4b)."
    encodes = frozenset({"aac"})
    options = M4bOptions

    def write(self, built: Built) -> tuple[str, ...]:
        assert built.audio is not None
        split = built.settings.options_of(self.name, M4bOptions).split_hours
        book_marks = marks(built.chapters)
        parts = split_parts(book_marks, split)
        meta = built.book.metadata
        written = []
        for number, indices in enumerate(parts, 1):
            name = f"{built.slug}.m4b" if len(parts) == 1 else f"{built.slug}-part{number}.m4b"
            title = meta.title if len(parts) == 1 else f"{meta.title}, part {number}"
            part = rebased([book_marks[i] for i in indices])
            segments = [
                made(built.chapters[i].aac, f"{built.chapters[i].href} has no AAC for the M4B")
                for i in indices
            ]
            key = content_key("m4b", [digest(s) for s in segments], title, plain(part))
            path = built.staging.path(name)
            make = partial(write_m4b, segments, part, title=title)
            cached_file(built.cache, key, ".m4b", path, make)
            tags = BookTags(title, meta.author, built.audio.year, encoder(), built.book.cover)
            tag_m4b(path, tags)
            written.append(name)
        return tuple(written)

    def check(self, written: Written) -> Iterator[Finding]:
        """Each part holds the next chapters of the book, its marks counted from its start."""
        reference, titles = list(written.starts), list(written.titles)
        ends = [*reference[1:], written.total_s]
        first = 0
        for name in written.files:
            path = written.folder / name
            if not path.is_file():
                yield Finding(name, "exists", "missing", "present", False)
                continue
            m4b = MP4(path)
            info = audio_info(m4b)
            found = list(m4b.chapters or [])
            last = first + len(found)
            offset = reference[first] if first < len(reference) else 0.0
            expected = [start - offset for start in reference[first:last]]
            yield agree(name, "chapter marks", [m.start for m in found], expected)
            yield titles_agree(name, [m.title for m in found], titles[first:last])
            length = ends[last - 1] - offset if found and last <= len(ends) else 0.0
            yield near(name, "length", info.length, length, TOLERANCE_S, "s")
            yield from levels(name, measure_file(path, info.sample_rate), written.profile)
            first = last
        if written.files and first != len(reference):
            yield Finding("M4B", "chapters", f"{first} in all parts", f"{len(reference)}", False)


OUTPUT = M4b()
