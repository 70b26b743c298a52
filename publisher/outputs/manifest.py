"""A Readium Web Publication Manifest with the audiobook profile."""

from __future__ import annotations

import json
from collections.abc import Iterator

from publisher.check import Finding, agree, cumulative
from publisher.formats.epub import book_identifier
from publisher.formats.manifest import audiobook_manifest
from publisher.outputs.base import Built, Output, Written, tracks

MANIFEST = "manifest.json"


class Manifest(Output):
    name = "manifest"
    title = "audiobook manifest"
    summary = "A Readium audiobook manifest of the chapter MP3s (manifest.json)."
    requires = ("mp3",)

    def write(self, built: Built) -> tuple[str, ...]:
        assert built.narrator is not None and built.audio is not None
        meta = built.book.metadata
        epub = f"{built.slug}.epub" if built.settings.enabled("epub") else None
        manifest = audiobook_manifest(
            meta,
            book_identifier(meta),
            built.modified,
            built.narrator.description,
            tracks(built),
            built.audio.bitrate_kbps,
            epub,
            built.book.cover,
        )
        built.staging.write_json(MANIFEST, manifest)
        return (MANIFEST,)

    def check(self, written: Written) -> Iterator[Finding]:
        for name in written.files:
            manifest = json.loads((written.folder / name).read_text(encoding="utf-8"))
            lengths = [float(item["duration"]) for item in manifest.get("readingOrder", [])]
            yield agree(name, "reading order lengths", cumulative(lengths), list(written.starts))


OUTPUT = Manifest()
