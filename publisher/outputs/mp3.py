"""One narrated MP3 per chapter, tagged with ID3 chapter marks, in audio/."""

from __future__ import annotations

from collections.abc import Iterator

from publisher.check import Finding, chapter_file
from publisher.outputs.base import Built, Output, Written


class ChapterMp3s(Output):
    name = "mp3"
    title = "chapter MP3s"
    summary = "One narrated MP3 per chapter, with ID3 tags and chapter marks (audio/)."

    def write(self, built: Built) -> tuple[str, ...]:
        # Narration left them in a working folder beside the book, where the outputs
        # before this one read them: moved into place, not copied.
        for chapter in built.chapters:
            chapter.path.replace(built.staging.path(chapter.href))
        return tuple(c.href for c in built.chapters)

    def check(self, written: Written) -> Iterator[Finding]:
        for chapter in written.report["chapters"]:
            if chapter.get("audio"):
                yield from chapter_file(
                    written.folder / chapter["audio"], chapter["duration_s"], written.profile
                )


OUTPUT = ChapterMp3s()
