"""Project Gutenberg plain-text files: keep the book, drop the licence, read the header.

Libraries feed these to the publisher as often as anything else. Without this, a listener
would hear several minutes of licence text before the first chapter and after the last.
Three generations of the header are known: the 2010s ``*** START OF THE PROJECT
GUTENBERG EBOOK ... ***`` markers; the 1990s "Small Print!" licence, which ends with
``*END*THE SMALL PRINT! ...*END*`` and has no START marker; and the producers' credits,
repeated titles and thanks that follow either of them before the book begins.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

_START = re.compile(
    r"^\W{0,5}\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?(?:BOOK|TEXT).*$",
    re.I | re.M,
)
_SMALL_PRINT_END = re.compile(r"^\W{0,3}\*?END\*?\s*THE SMALL PRINT.*$", re.I | re.M)
# "*** END OF THE PROJECT GUTENBERG EBOOK", "End of the Project Gutenberg EBook of",
# "End of Project Gutenberg's", "End of The Project Gutenberg Etext of", and the World
# Library Shakespeare's "End of this Etext of The Complete Works".
_END = re.compile(
    r"^\W{0,5}(?:\*{3}\s*)?END OF (?:(?:THE |THIS )?PROJECT GUTENBERG(?:'S|\u2019S)?\b"
    r"|TH(?:IS|E) E-?TEXT OF\b)",
    re.I | re.M,
)
# The 1990s Shakespeare's copyright notice, repeated between the scenes of every play.
_NOTICE = re.compile(r"<<THIS ELECTRONIC VERSION OF .*?>>", re.DOTALL | re.IGNORECASE)
# Where a header could be: a START marker or the Small Print's end after the book began
# would be a quotation of it, not the licence.
_HEADER_SHARE = 0.5
_FIELD = re.compile(
    r"^(?P<key>Title|Author|Language|Translator)\s*:\s*(?P<value>\S.*(?:\n[ \t]+\S.*)*)$",
    re.I | re.M,
)
# "The Project Gutenberg Etext of An Ideal Husband, by Oscar Wilde" (the 1990s header's
# first line, which names what the 2010s header gives as fields).
_OPENING = re.compile(
    r"^\W*The Project Gutenberg(?:'s|\u2019s)? E-?(?:text|book) of (?P<title>.+?)"
    r"(?:,?\s+by\s+(?P<author>[^\n]+?))?\s*$",
    re.I | re.M,
)
# Credits, notices and thanks that sit between the marker and the book.
_CREDIT = re.compile(
    r"Project Gutenberg|\bE-?texts?\b|\be-?books?\b|Produced by|Prepared by|Scanned|proofed|"
    r"Proofread|Transcribed by|\bpgdp\b|Distributed Proofreaders|This file was produced|"
    r"images? (?:generously )?(?:made )?available|gallica|www\.|www:|https?://|@\w+\.\w|"
    r"in our series|^\W*$|Character set encoding|Release Date|\bthank|\bremerci|\bBiblioth",
    re.I,
)
_TRANSCRIBER = re.compile(r"^\W{0,3}Transcriber(?:'s|\u2019s|s')? Notes?\b", re.I)
_MAX_CREDIT_BLOCKS = 12

_LANGUAGES = {
    "english": "en",
    "french": "fr",
    "german": "de",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
    "dutch": "nl",
    "finnish": "fi",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "no",
    "latin": "la",
    "greek": "el",
    "russian": "ru",
    "polish": "pl",
    "hungarian": "hu",
    "czech": "cs",
    "chinese": "zh",
    "japanese": "ja",
    "esperanto": "eo",
    "catalan": "ca",
    "welsh": "cy",
    "irish": "ga",
    "icelandic": "is",
    "tagalog": "tl",
}


@dataclass(frozen=True)
class Stripped:
    """What a Gutenberg file gave: its header's metadata, the book's text, and what went."""

    metadata: dict[str, str]
    body: str
    dropped: tuple[str, ...] = ()


def strip_gutenberg(text: str) -> tuple[dict[str, str], str]:
    """Return the header's metadata and the book's text without licence or credits."""
    found = read_gutenberg(text)
    for what in found.dropped:
        log.info("dropped %s", what)
    return found.metadata, found.body


def read_gutenberg(text: str) -> Stripped:
    start = _header_end(text)
    if start is None:
        return Stripped({}, text)
    header_end, kind = start
    header = text[:header_end]
    end = _END.search(text, header_end)
    body = text[header_end : end.start() if end else len(text)]
    dropped = [f"the Project Gutenberg header ({kind}, {header.count(chr(10)) + 1} lines)"]
    if end:
        footer = text[end.start() :]
        dropped.append(f"the Project Gutenberg footer and licence ({footer.count(chr(10))} lines)")
    body, notices = _NOTICE.subn("", body)
    if notices:
        dropped.append(f"the World Library copyright notice ({notices} times)")
    body, credits = _drop_credits(body)
    dropped += credits
    return Stripped(_header_metadata(header), body, tuple(dropped))


def header_fields(header: str) -> dict[str, str]:
    """Title, author and language from a header alone (an HTML edition's first ``<pre>``)."""
    return _header_metadata(header)


def _header_end(text: str) -> tuple[int, str] | None:
    limit = int(len(text) * _HEADER_SHARE)
    start = _START.search(text)
    if start is not None and start.start() < limit:
        return start.end(), "START marker"
    small_print = _SMALL_PRINT_END.search(text)
    if small_print is not None and small_print.start() < limit:
        return small_print.end(), "1990s Small Print licence"
    return None


def _drop_credits(body: str) -> tuple[str, list[str]]:
    """Drop the credit blocks right after the header, and transcriber's notes anywhere."""
    blocks = re.split(r"(\n[ \t]*\n)", body)
    dropped: list[str] = []
    texts = blocks[0::2]
    seen = 0
    for index, block in enumerate(texts):
        if not block.strip():
            continue
        if seen >= _MAX_CREDIT_BLOCKS or not _is_credit(block):
            break
        seen += 1
        dropped.append(f"a credit: {_quote(block)}")
        texts[index] = ""
    for index, block in enumerate(texts):
        if _TRANSCRIBER.match(block.strip()):
            dropped.append(f"a transcriber's note: {_quote(block)}")
            texts[index] = ""
            # "[Transcriber's Note: ...]" may run over several blocks to its bracket.
            if block.strip().startswith("[") and "]" not in block:
                for later in range(index + 1, len(texts)):
                    closed = "]" in texts[later]
                    texts[later] = ""
                    if closed:
                        break
    blocks[0::2] = texts
    return "".join(blocks), dropped


def _is_credit(block: str) -> bool:
    lines = [line.strip() for line in block.strip().split("\n")]
    credited = sum(1 for line in lines if _CREDIT.search(line))
    # "An Ideal Husband, by Oscar Wilde / Scanned and proofed by ...": a title line may
    # stand beside its credit; a paragraph of the book with one "www." does not qualify.
    return credited * 2 >= len(lines) and len(block.split()) < 120


def _quote(block: str) -> str:
    words = block.split()
    return repr(" ".join(words[:12]) + (" ..." if len(words) > 12 else ""))


def _header_metadata(header: str) -> dict[str, str]:
    metadata: dict[str, str] = {}
    for field in _FIELD.finditer(header):
        key, value = field.group("key").lower(), " ".join(field.group("value").split())
        if key == "title":
            # A title's continuation lines are its subtitle ("A Story of the French Revolution").
            first, *more = field.group("value").split("\n")
            value = " ".join(first.split())
            if more:
                metadata.setdefault("subtitle", " ".join(" ".join(more).split()))
        if key == "language":
            code = _LANGUAGES.get(value.split(",")[0].split(" and ")[0].strip().lower())
            if code:
                metadata["language"] = code
        elif key in {"title", "author"}:
            metadata.setdefault(key, value)
    opening = _OPENING.search(header)
    if opening is not None:
        metadata.setdefault("title", " ".join(opening.group("title").split()).rstrip(","))
        if opening.group("author"):
            metadata.setdefault("author", " ".join(opening.group("author").split()))
    return metadata
