"""What the narrator says: written text turned into words, the same way for every engine.

``publisher normalize`` prints exactly what this returns, and the narration script is made
from it, so what you read there is what you hear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from num2words import CONVERTER_CLASSES, num2words

from publisher.speech.english import Variant, guess_variant, normalize_english
from publisher.speech.lexicon import Lexicon

# Regions whose spelling and number reading follow British usage.
_BRITISH_REGIONS = frozenset({"GB", "UK", "IE", "AU", "NZ", "ZA", "IN", "SG", "HK", "MT"})
_NUMBER = re.compile(r"(?<![\w.,])-?\d+(?:[.,]\d+)?(?![\w])")


@dataclass(frozen=True)
class Normalizer:
    """Normalisation rules for one book: its language, English variant and lexicon."""

    language: str
    variant: Variant | None = None
    lexicon: Lexicon = field(default_factory=Lexicon)

    @classmethod
    def for_text(cls, language: str, text: str, lexicon: Lexicon | None = None) -> Normalizer:
        """Choose the English variant from the tag, or from the spelling when it is plain "en"."""
        return cls(language, english_variant(language, text), lexicon or Lexicon())

    def in_language(self, language: str) -> Normalizer:
        """The rules for words marked as another language inside this book ("en-GB" for a
        British quotation in an American book); the book's own when the tag is its own."""
        same = language.lower() == self.language.lower()
        if not language or same or language.lower() == self.language.split("-")[0].lower():
            return self
        return Normalizer(language, english_variant(language, ""), self.lexicon)

    def __call__(self, text: str) -> str:
        return "\n".join(self._line(line) for line in text.split("\n"))

    def _line(self, line: str) -> str:
        line = self.lexicon.apply_aliases(line)
        if self.variant is not None:
            return normalize_english(line, self.variant)
        return _numbers_only(line, self.language)


def english_variant(language: str, text: str) -> Variant | None:
    primary, _, region = language.partition("-")
    if primary.lower() != "en":
        return None
    region = region.split("-")[0].upper()
    if region:
        return "en-GB" if region in _BRITISH_REGIONS else "en-US"
    return guess_variant(text)


def _numbers_only(line: str, language: str) -> str:
    """Other languages: numbers in words through num2words; the rest is the engine's."""
    lang = _num2words_language(language)
    if lang is None:
        return line

    def words(m: re.Match[str]) -> str:
        written = m.group(0)
        value = float(written.replace(",", ".")) if re.search(r"[.,]", written) else int(written)
        try:
            return str(num2words(value, lang=lang))
        except (NotImplementedError, OverflowError, ValueError):
            return written

    return " ".join(_NUMBER.sub(words, line).split())


def _num2words_language(language: str) -> str | None:
    primary, _, region = language.partition("-")
    for candidate in (f"{primary.lower()}_{region.upper()}", primary.lower()):
        if candidate in CONVERTER_CLASSES:
            return candidate
    return None
