"""Smart punctuation for the page: curly quotes, apostrophes, dashes and ellipses.

Only what is shown changes; the narrator reads the manuscript's own characters, so a
build's audio (and its cache) is the same with or without it. Offsets into the text
(sentences, formatting) are carried over through the returned map.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# (opening double, closing double, opening single, closing single) by primary language.
_NARROW = "\u202f"
_QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "de": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "fr": (f"\u00ab{_NARROW}", f"{_NARROW}\u00bb", "\u2039" + _NARROW, _NARROW + "\u203a"),
    "es": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "it": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "pt": ("\u00ab", "\u00bb", "\u201c", "\u201d"),
    "ru": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "pl": ("\u201e", "\u201d", "\u00ab", "\u00bb"),
    "nl": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "sv": ("\u201d", "\u201d", "\u2019", "\u2019"),
    "fi": ("\u201d", "\u201d", "\u2019", "\u2019"),
    "da": ("\u00bb", "\u00ab", "\u203a", "\u2039"),
    "cs": ("\u201e", "\u201c", "\u201a", "\u2018"),
}
for _lang in ("sk", "sl", "hr", "et", "lt", "bg"):
    _QUOTES[_lang] = _QUOTES["de"]
_QUOTES["no"] = _QUOTES["nb"] = _QUOTES["nn"] = _QUOTES["es"]

_TOKEN = re.compile(r"---|--|\.\.\.|\. \. \.|[\"']")
# A quote opens after these (or at the start); anywhere else it closes.
_OPENERS = frozenset(" \n\t([{\u2014\u2013/-\u201c\u2018\u00ab\u201e")
_APOSTROPHE_BEFORE = re.compile(r"'(?=\d0s|\d\d\b|tis\b|twas\b|em\b|n\b)", re.IGNORECASE)


def quotes_for(language: str) -> tuple[str, str, str, str]:
    return _QUOTES.get(language.split("-")[0].lower(), _QUOTES["en"])


def smarten(
    text: str, language: str, protected: Sequence[tuple[int, int]] = ()
) -> tuple[str, list[int]]:
    """The text with smart punctuation, and ``where[i]``: the new offset of old offset i.

    ``protected`` ranges (code) keep their characters exactly.
    """
    quotes = quotes_for(language)
    out: list[str] = []
    where = [0] * (len(text) + 1)
    length = 0
    position = 0
    for m in _TOKEN.finditer(text):
        if _inside(m.start(), protected):
            continue
        for i in range(position, m.start()):
            where[i] = length + i - position
        out.append(text[position : m.start()])
        length += m.start() - position
        replacement = _replace(text, m.start(), m.group(), quotes)
        for i in range(m.start(), m.end()):
            where[i] = length
        out.append(replacement)
        length += len(replacement)
        position = m.end()
    for i in range(position, len(text) + 1):
        where[i] = length + i - position
    out.append(text[position:])
    return "".join(out), where


def smart(text: str, language: str) -> str:
    """Only the text, for a title or a navigation entry."""
    return smarten(text, language)[0]


def _inside(index: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a <= index < b for a, b in ranges)


def _replace(text: str, index: int, token: str, quotes: tuple[str, str, str, str]) -> str:
    before = text[index - 1] if index else " "
    after = text[index + len(token)] if index + len(token) < len(text) else " "
    if token == "---":
        return "\u2014"
    if token == "--":
        if before.isdigit() and after.isdigit():
            return "\u2013"  # a range: 1914--18
        # Typewriter manuscripts (Gutenberg's among them) set an em dash as "--"; a
        # spaced one is the spaced en dash of British and pandoc usage.
        return "\u2013" if before == " " and after == " " else "\u2014"
    if token in {"...", ". . ."}:
        return "\u2026"
    opening, closing = (quotes[0], quotes[1]) if token == '"' else (quotes[2], quotes[3])
    if token == "'":
        if before.isalnum() and (after.isalpha() or not after.strip() or after in ".,;:!?)"):
            return "\u2019"  # don't, dogs', o'clock
        if _APOSTROPHE_BEFORE.match(text, index):
            return "\u2019"  # '90s, 'tis
    if before in _OPENERS or index == 0:
        return opening
    return closing
