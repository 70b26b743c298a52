"""Who says what: quotations found in prose, and the character each is attributed to.

Quotations are found by the marks a language prints them with (a style: English
double or single quotes, guillemets, German low quotes, Japanese corner brackets);
``auto`` takes, of the language's usual styles, the one the book uses most. A quotation
left open at the end of its paragraph runs to that end, as a speech of several
paragraphs is printed. A quotation is attributed to a character of the cast from the
usual patterns next to it ("said Holmes", "Holmes said", "asked Mrs. Hudson"), and every
quotation of a paragraph to the one character it names; unattributed ones are dialogue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from publisher.model import DIALOGUE, NARRATOR

QuoteStyle = Literal["auto", "double", "single", "guillemets", "low", "corner"]
QUOTE_STYLES: tuple[QuoteStyle, ...] = get_args(QuoteStyle)

# Each style's pairs of (opening, closing) marks; a straight mark opens after a space.
_MARKS: dict[str, tuple[tuple[str, str], ...]] = {
    "double": (("\u201c", "\u201d"), ('"', '"')),
    "single": (("\u2018", "\u2019"),),
    "guillemets": (("\u00ab", "\u00bb"), ("\u2039", "\u203a")),
    "low": (("\u201e", "\u201c"), ("\u201a", "\u2018")),
    "corner": (("\u300c", "\u300d"), ("\u300e", "\u300f")),
}
_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    "en": ("double", "single"),
    "fr": ("guillemets", "double"),
    "es": ("guillemets", "double"),
    "it": ("guillemets", "double"),
    "pt": ("guillemets", "double"),
    "de": ("low", "guillemets", "double"),
    "nl": ("double", "low"),
    "pl": ("low", "guillemets"),
    "cs": ("low", "guillemets"),
    "ru": ("guillemets", "low"),
    "ja": ("corner",),
    "zh": ("double", "corner"),
}
_OTHER = ("double", "guillemets")

_VERBS = (
    "said|says|asked|asks|cried|replied|answered|shouted|whispered|called|continued|"
    "added|exclaimed|muttered|murmured|remarked|observed|returned|repeated|began|insisted|"
    "demanded|declared|interrupted|laughed|sighed|screamed|retorted|suggested|went on"
)
TITLES = (
    "mr|mrs|ms|miss|dr|sir|lady|lord|captain|colonel|inspector|professor|aunt|uncle|"
    "madame|monsieur|mademoiselle|herr|frau|don|doña"
)
_NAME = rf"(?:(?i:{TITLES})\.?\s+)?[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)?"
_AFTER = re.compile(rf"^[\s,.;:!?\u2014-]*(?:(?:{_VERBS})\s+({_NAME})|({_NAME})\s+(?:{_VERBS})\b)")
_BEFORE = re.compile(rf"(?:({_NAME})\s+(?:{_VERBS})|(?:{_VERBS})\s+({_NAME}))[\s,:\u2014-]*$")
_TITLE_WORDS = frozenset(TITLES.split("|"))


@dataclass(frozen=True)
class Roles:
    """What the script needs of a cast: the characters it names and the marks of a
    quotation (none: quotations are the narrator's)."""

    characters: tuple[str, ...] = ()
    marks: tuple[tuple[str, str], ...] = ()

    def character(self, name: str) -> str | None:
        """The cast's name for a play's speaker label, compared exactly (case and
        spacing aside): "LADY MACBETH." is "Lady Macbeth", never "Macbeth"."""
        wanted = _plain(name)
        return next((c for c in self.characters if _plain(c) == wanted), None)

    def attributed(self, name: str) -> str | None:
        """The cast's name for a name in prose: "Sherlock Holmes" or "Holmes" for
        HOLMES, "Mrs. Hudson" for "MRS HUDSON" (titles aside)."""
        said = _words(name)
        for character in self.characters:
            known = _words(character)
            if known and said and (known <= said or said <= known):
                return character
        return None


def quote_marks(style: QuoteStyle, language: str, text: str) -> tuple[tuple[str, str], ...]:
    """The marks of ``style``; for auto, of the language's usual style the text uses most."""
    if style != "auto":
        return _MARKS[style]
    candidates = _BY_LANGUAGE.get(language.split("-")[0].lower(), _OTHER)
    counts = [(sum(text.count(o) for o, _ in _MARKS[c]), -n, c) for n, c in enumerate(candidates)]
    return _MARKS[max(counts)[2]]


def quotations(text: str, marks: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """Where each quotation is, marks included, in order."""
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        found = _next_opening(text, position, marks)
        if found is None:
            return spans
        start, close = found
        end = _closing(text, start + 1, close)
        spans.append((start, end))
        position = end


def speaker_of(text: str, spans: Sequence[tuple[int, int]], roles: Roles) -> str:
    """The role that says a paragraph's quotations: the one character named in an
    attribution next to them, else the dialogue voice."""
    named: set[str] = set()
    for start, end in spans:
        for match in (_AFTER.match(text[end:]), _BEFORE.search(text[:start])):
            name = next((g for g in match.groups() if g), None) if match else None
            character = roles.attributed(name) if name else None
            if character:
                named.add(character)
    return named.pop() if len(named) == 1 else DIALOGUE


def voiced_spans(
    start: int, end: int, spans: Iterable[tuple[int, int]], role: str
) -> list[tuple[int, int, str]]:
    """``start:end`` of a paragraph cut into the narrator's parts and ``role``'s
    (the quotations); empty parts are left out."""
    parts: list[tuple[int, int, str]] = []
    position = start
    for quote_start, quote_end in spans:
        left, right = max(quote_start, start), min(quote_end, end)
        if left >= right:
            continue
        parts.append((position, left, NARRATOR))
        parts.append((left, right, role))
        position = right
    parts.append((position, end, NARRATOR))
    return [p for p in parts if p[1] > p[0]]


def _next_opening(
    text: str, position: int, marks: Sequence[tuple[str, str]]
) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for opening, closing in marks:
        at = text.find(opening, position)
        while at >= 0 and not _opens(text, at, opening, closing):
            at = text.find(opening, at + 1)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, closing)
    return best


def _opens(text: str, at: int, opening: str, closing: str) -> bool:
    """A mark that is its own closing (a straight quote) or doubles as an apostrophe
    opens only where a word cannot be going on: at the start, after space or a dash."""
    if opening != closing and opening not in "\u2018\u201a":
        return True
    return at == 0 or text[at - 1].isspace() or text[at - 1] in "([\u2014\u2013-"


def _closing(text: str, position: int, closing: str) -> int:
    at = text.find(closing, position)
    while at >= 0 and closing == "\u2019" and at + 1 < len(text) and text[at + 1].isalpha():
        at = text.find(closing, at + 1)  # "don't" curled: an apostrophe, not the closing quote
    return len(text) if at < 0 else at + 1


def _plain(name: str) -> str:
    return " ".join(name.replace(".", " ").split()).casefold()


def _words(name: str) -> frozenset[str]:
    return frozenset(w for w in _plain(name).split() if w not in _TITLE_WORDS)
