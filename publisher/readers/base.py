"""What every reader returns, and what a reader is."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from publisher.model import Block
from publisher.speech.lexicon import Lexicon


@dataclass(frozen=True)
class ReadResult:
    """Blocks plus the metadata the manuscript itself declares (front matter, title block).

    The metadata stays raw fields here: ``read_manuscript`` layers them under book.toml
    and the command line, then resolves them once for every reader alike.
    """

    metadata: dict[str, str]
    blocks: tuple[Block, ...]
    encoding: str = "utf-8"
    lexicon: Lexicon = field(default_factory=Lexicon)  # the manuscript's own pronunciations


@runtime_checkable
class Reader(Protocol):
    """A manuscript format. Third-party readers register a factory under the
    ``publisher.readers`` entry-point group, as the built-in ones do in pyproject.toml.

    ``suffixes`` are the file names it takes (".md"); ``sniff`` may claim a file by its
    first bytes when the suffix says nothing (".txt" that is really Markdown is not
    claimed: the suffix wins when it is known).
    """

    name: str
    suffixes: tuple[str, ...]

    def sniff(self, head: bytes) -> bool: ...

    def read(self, path: Path) -> ReadResult: ...
