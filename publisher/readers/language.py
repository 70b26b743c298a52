"""The language of a manuscript that does not declare one, told from its text.

py3langid (a maintained port of langid.py, Lui and Baldwin 2012) is used: its model of 97
languages ships inside the wheel (4.6 MB, BSD licence, numpy only), so it works offline
and gives the same answer every run; over a few thousand characters of a book it is
all but certain. lingua-language-detector is more accurate on a sentence or two, which
a book never is, and weighs 96 MB.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache
from typing import Any

from publisher.model import DetectedLanguage

log = logging.getLogger(__name__)

# A book's language shows in its first pages; more text only costs time.
SAMPLE_CHARS = 20_000
MIN_WORDS = 20
# Three sentences of Spanish score 0.9 (Galician and Extremaduran share its words); a
# book's first pages score 1.0. Below this the text is too mixed to name one language.
MIN_CONFIDENCE = 0.8


def detect_language(paragraphs: Iterable[str]) -> DetectedLanguage | None:
    """The language of the text, or None when there is too little to tell or it is unsure."""
    sample = _sample(paragraphs)
    if len(sample.split()) < MIN_WORDS:
        return None
    language, confidence = _identifier().classify(sample)
    found = DetectedLanguage(str(language), round(float(confidence), 3))
    return found if found.confidence >= MIN_CONFIDENCE else None


def _sample(paragraphs: Iterable[str]) -> str:
    taken: list[str] = []
    size = 0
    for text in paragraphs:
        taken.append(text)
        size += len(text)
        if size >= SAMPLE_CHARS:
            break
    return "\n".join(taken)[:SAMPLE_CHARS]


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
