"""Extended M3U playlist: UTF-8, relative paths, whole-second durations, "Author - Title"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Track:
    href: str
    title: str
    duration_ms: int


def m3u8(title: str, author: str | None, tracks: Sequence[Track]) -> str:
    lines = ["#EXTM3U", f"#PLAYLIST:{_one_line(title)}"]
    for track in tracks:
        name = f"{author} - {track.title}" if author else track.title
        lines.append(f"#EXTINF:{round(track.duration_ms / 1000)},{_one_line(name)}")
        lines.append(track.href)
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
