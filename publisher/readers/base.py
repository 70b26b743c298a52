"""What every reader returns."""

from __future__ import annotations

from dataclasses import dataclass

from publisher.model import Block


@dataclass(frozen=True)
class ReadResult:
    """Blocks plus the metadata the manuscript itself declares (front matter, title block)."""

    metadata: dict[str, str]
    blocks: tuple[Block, ...]
