"""An extended M3U playlist of the chapter MP3s."""

from __future__ import annotations

from collections.abc import Iterator

from publisher.check import Finding, agree
from publisher.formats.playlist import m3u8
from publisher.outputs.base import Built, Output, Written, tracks


class Playlist(Output):
    name = "playlist"
    title = "playlist"
    summary = "An M3U playlist of the chapter MP3s (<slug>.m3u8)."
    requires = ("mp3",)

    def write(self, built: Built) -> tuple[str, ...]:
        meta = built.book.metadata
        name = f"{built.slug}.m3u8"
        text = m3u8(meta.title, meta.author, tracks(built))
        built.staging.path(name).write_text(text, encoding="utf-8")
        return (name,)

    def check(self, written: Written) -> Iterator[Finding]:
        starts = list(written.starts)
        # M3U lengths are whole seconds: each track within one, not their running sum.
        durations = [b - a for a, b in zip(starts, [*starts[1:], written.total_s], strict=True)]
        for name in written.files:
            lines = (written.folder / name).read_text(encoding="utf-8").splitlines()
            lengths = [
                float(line.split(":", 1)[1].split(",", 1)[0])
                for line in lines
                if line.startswith("#EXTINF:")
            ]
            yield agree(name, "track lengths", lengths, durations, tolerance=1.0)


OUTPUT = Playlist()
