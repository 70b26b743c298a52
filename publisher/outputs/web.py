"""The web read-along player (web/): the book's text and narration for any browser."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from publisher.check import Finding
from publisher.formats.epub import book_identifier
from publisher.formats.web import (
    ANNOUNCE,
    DATA_ID,
    FOLDER,
    INDEX,
    Announce,
    WebBook,
    WebChapter,
    write_web,
)
from publisher.outputs.base import Built, Output, Written
from publisher.settings import read_choice, setting

_DATA = re.compile(rf'<script type="application/json" id="{DATA_ID}">(.*?)</script>', re.S)


@dataclass(frozen=True)
class WebOptions:
    """The web player's own settings."""

    announce: Announce = setting(
        "off", "Whether the player has a screen reader say each sentence as it is read "
        "(the listener can change it in the page): off, as the narration already says it, "
        "or polite.", " | ".join(ANNOUNCE), read_choice(ANNOUNCE),
    )  # fmt: skip


class Web(Output):
    name = "web"
    title = "web read-along player"
    summary = "A read-along player for any browser, from disk or a web site (web/index.html)."
    requires = ("mp3",)
    options = WebOptions

    def write(self, built: Built) -> tuple[str, ...]:
        options = built.settings.options_of(self.name, WebOptions)
        chapters = tuple(WebChapter(c.section, c.href, c.timeline) for c in built.chapters)
        book = WebBook(built.book, book_identifier(built.book.metadata), chapters, options.announce)
        return write_web(book, built.staging)

    def check(self, written: Written) -> Iterator[Finding]:
        """A page per chapter, each naming an MP3 that is there, with its clips inline."""
        pages = [n for n in written.files if n.endswith(".html") and n != f"{FOLDER}/{INDEX}"]
        count = len(pages)
        chapters = len(written.starts)
        yield Finding(f"{FOLDER}/", "chapter pages", str(count), str(chapters), count == chapters)
        for name in pages:
            path = written.folder / name
            if not path.is_file():
                yield Finding(name, "exists", "missing", "present", False)
                continue
            text = path.read_text(encoding="utf-8")
            audio = re.search(r'<audio [^>]*src="\.\./([^"]+)"', text)
            present = audio is not None and (written.folder / audio.group(1)).is_file()
            yield Finding(name, "its MP3", "present" if present else "missing", "present", present)
            found = _DATA.search(text)
            clips = len(json.loads(found.group(1))["clips"]) if found else 0
            yield Finding(name, "clips", str(clips), "at least 1", clips > 0)


OUTPUT = Web()
