"""Sentence splitting with pysbd, guarded so that no text is ever lost or invented."""

from __future__ import annotations

import re
from functools import cache

import pysbd
from pysbd.languages import LANGUAGE_CODES

_FALLBACK = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


def split_sentences(text: str, language: str) -> list[str]:
    """Split a paragraph into sentences; joined with spaces they give the paragraph back."""
    text = " ".join(text.split())
    if not text:
        return []
    try:
        pieces = [p.strip() for p in _segmenter(_pysbd_language(language)).segment(text)]
    except Exception:  # pysbd's regexes fail on a few odd inputs; never lose the text for it
        pieces = []
    pieces = [p for p in pieces if p]
    if _squash(" ".join(pieces)) != _squash(text):
        pieces = [p.strip() for p in _FALLBACK.split(text) if p.strip()]
    return pieces


def _squash(text: str) -> str:
    return "".join(text.split())


@cache
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False)


def _pysbd_language(language: str) -> str:
    primary = language.split("-")[0].lower()
    return primary if primary in LANGUAGE_CODES else "en"
