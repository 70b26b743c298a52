"""Podcasting 2.0 chapters (chapters.json) for the book's audio."""

from __future__ import annotations

import json
from collections.abc import Iterator

from publisher.audio.onefile import podcast_chapters
from publisher.audiobook import marks
from publisher.check import Finding, agree, titles_agree
from publisher.outputs.base import Built, Output, Written

CHAPTERS_JSON = "chapters.json"


class ChaptersJson(Output):
    name = "chapters_json"
    title = "Podcasting 2.0 chapters"
    summary = "Podcasting 2.0 chapters of the book's audio (chapters.json)."

    def write(self, built: Built) -> tuple[str, ...]:
        built.staging.write_json(CHAPTERS_JSON, podcast_chapters(marks(built.chapters)))
        return (CHAPTERS_JSON,)

    def check(self, written: Written) -> Iterator[Finding]:
        for name in written.files:
            chapters = json.loads((written.folder / name).read_text(encoding="utf-8"))
            listed = chapters.get("chapters", [])
            starts = [c["startTime"] for c in listed]
            yield agree(name, "chapter starts", starts, list(written.starts))
            yield titles_agree(name, [c.get("title", "") for c in listed], list(written.titles))


OUTPUT = ChaptersJson()
