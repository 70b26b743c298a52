"""Project Gutenberg plain-text files: keep the book, drop the licence, read the header.

Libraries feed these to the publisher as often as anything else. Without this, a listener
would hear several minutes of licence text before the first chapter and after the last.
"""

from __future__ import annotations

import re

_START = re.compile(r"^\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK.*$", re.I | re.M)
_END = re.compile(r"^\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG E-?BOOK.*$", re.I | re.M)
_FIELD = re.compile(
    r"^(?P<key>Title|Author|Language|Translator)\s*:\s*(?P<value>\S.*)$", re.I | re.M
)

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


def strip_gutenberg(text: str) -> tuple[dict[str, str], str]:
    """Return the header's metadata and the text between the START and END markers."""
    start = _START.search(text)
    if start is None:
        return {}, text
    end = _END.search(text, start.end())
    header = text[: start.start()]
    body = text[start.end() : end.start() if end else len(text)]
    metadata: dict[str, str] = {}
    for field in _FIELD.finditer(header):
        key, value = field.group("key").lower(), " ".join(field.group("value").split())
        if key == "language":
            code = _LANGUAGES.get(value.split(",")[0].split(" and ")[0].strip().lower())
            if code:
                metadata["language"] = code
        elif key in {"title", "author"}:
            metadata.setdefault(key, value)
    return metadata, body
