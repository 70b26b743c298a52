"""Readium Web Publication Manifest with the audiobook profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from publisher.formats.playlist import Track
from publisher.model import Image, Metadata

AUDIOBOOK_PROFILE = "https://readium.org/webpub-manifest/profiles/audiobook"


def audiobook_manifest(
    metadata: Metadata,
    identifier: str,
    modified: dt.datetime,
    narrator: str,
    tracks: Sequence[Track],
    bitrate_kbps: int,
    epub_href: str | None,
    cover: Image | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "@type": "http://schema.org/Audiobook",
        "conformsTo": AUDIOBOOK_PROFILE,
        "identifier": identifier,
        "title": metadata.title,
        "language": metadata.language,
        "modified": modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "readBy": narrator,
        "duration": round(sum(t.duration_ms for t in tracks) / 1000, 3),
    }
    if metadata.subtitle:
        meta["subtitle"] = metadata.subtitle
    if metadata.author:
        meta["author"] = metadata.author
    if metadata.publisher:
        meta["publisher"] = metadata.publisher
    if metadata.date:
        meta["published"] = metadata.date
    if metadata.description:
        meta["description"] = metadata.description
    manifest: dict[str, Any] = {
        "@context": "https://readium.org/webpub-manifest/context.jsonld",
        "metadata": meta,
        "links": [{"rel": "self", "href": "manifest.json", "type": "application/audiobook+json"}],
        "readingOrder": [
            {
                "href": t.href,
                "type": "audio/mpeg",
                "duration": round(t.duration_ms / 1000, 3),
                "bitrate": bitrate_kbps,
                "title": t.title,
            }
            for t in tracks
        ],
        "toc": [{"href": t.href, "title": t.title} for t in tracks],
    }
    resources: list[dict[str, str]] = []
    if cover is not None:
        resources.append(
            {"href": f"cover.{cover.extension}", "type": cover.media_type, "rel": "cover"}
        )
    if epub_href:
        resources.append(
            {"href": epub_href, "type": "application/epub+zip", "title": "Text (EPUB 3)"}
        )
    if resources:
        manifest["resources"] = resources
    return manifest
