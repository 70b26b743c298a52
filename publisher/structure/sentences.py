"""Sentence splitting with pysbd, guarded so that no text is ever lost or invented."""

from __future__ import annotations

import itertools
import re
from functools import cache

import pysbd
from pysbd.languages import LANGUAGE_CODES

# Used only when pysbd fails: a sentence ends at . ! ? or an ellipsis, with any closing
# quotes or brackets, before a capital letter or a digit.
_CHUNK = 3000
# A chunk cut is a sentence end after a word long enough not to be an abbreviation ("Dr.").
_SAFE_CUT = re.compile(
    r"(?<=\w{4})[.!?\u2026][\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z])"
)
# A full stop, question or exclamation mark, ellipsis or line of dashes before the last
# word: only then can a paragraph hold more than one sentence.
_INNER_STOP = re.compile(r"[.!?\u2026;:\u2014-]+[\"'\u201d\u2019)\]]*\s+\S")
_BOUNDARY = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])")


def split_sentences(text: str, language: str) -> list[str]:
    """Split a paragraph into sentences; joined with spaces they give the paragraph back.

    pysbd proposes the boundaries; only those that fall on white space are kept, so a
    sentence is always a run of whole words and no character is lost or added.
    """
    text = " ".join(text.split())
    if not _INNER_STOP.search(text):
        return [text] if text else []  # one sentence: nothing inside it could end one
    pieces = [sentence for chunk in _chunks(text) for sentence in _split_chunk(chunk, language)]
    return _rejoin_abbreviations(pieces) if language.lower().startswith("en") else pieces


# Abbreviations that never end a sentence: a piece ending in one continues in the next.
_NOT_FINAL = re.compile(
    r"(?:^|\s)(?:Mr|Mrs|Ms|Dr|Prof|Rev|Revd|Gen|Col|Lt|Sgt|Capt|Maj|Cpl|Adm|Gov|Sen|Rep|St|Mt|"
    r"Ft|Fr|Supt|Insp|Det|No|Nos|no|vol|vols|Vol|p|pp|fig|Fig|ch|Ch|art|Art|para|sec|ed|approx|"
    r"ca|cf|vs|v|e\.g|i\.e)\.$"
)


def _rejoin_abbreviations(pieces: list[str]) -> list[str]:
    joined: list[str] = []
    for piece in pieces:
        if joined and _NOT_FINAL.search(joined[-1]):
            joined[-1] = f"{joined[-1]} {piece}"
        else:
            joined.append(piece)
    return joined


def _split_chunk(text: str, language: str) -> list[str]:
    starts = _pysbd_starts(text, _pysbd_language(language))
    if starts is None:
        return _split_simply(text)
    bounds = [0, *(b for b in starts if 0 < b < len(text) and text[b - 1] == " "), len(text)]
    pieces = (text[a:b].strip() for a, b in itertools.pairwise(bounds))
    return [p for p in pieces if p]


def _chunks(text: str) -> list[str]:
    """Cut a very long paragraph at safe sentence ends so that pysbd, whose time grows with
    the square of its input, only ever sees a few thousand characters at once."""
    chunks: list[str] = []
    start = 0
    while len(text) - start > _CHUNK * 3 // 2:
        cut = _SAFE_CUT.search(text, start + _CHUNK)
        if cut is None:
            break
        chunks.append(text[start : cut.end()].strip())
        start = cut.end()
    chunks.append(text[start:].strip())
    return [c for c in chunks if c]


def _pysbd_starts(text: str, language: str) -> list[int] | None:
    """Where pysbd starts each sentence, or None when its sentences are not the text's.

    Its processor is called directly: ``segment()`` finds each sentence again with a
    regex compiled for that sentence alone, most of its time on a long book.
    """
    try:
        sentences = _segmenter(language).processor(text).process()
    except Exception:  # pysbd's regexes fail on a few odd inputs; never lose the text for it
        return None
    starts: list[int] = []
    position = 0
    for sentence in sentences:
        found = text.find(sentence, position)
        if found < 0 or text[position:found].strip():
            return None
        starts.append(found)
        position = found + len(sentence)
    return starts


def _split_simply(text: str) -> list[str]:
    pieces, start = [], 0
    for boundary in _BOUNDARY.finditer(text):
        pieces.append(text[start : boundary.end()].strip())
        start = boundary.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


@cache
def _segmenter(language: str) -> pysbd.Segmenter:
    # pysbd builds its abbreviation patterns from the text's own abbreviations, a few
    # thousand over a book: more than the re module's cache holds, so it compiled them
    # again for every paragraph. A larger cache compiles each once per process.
    re._MAXCACHE = max(getattr(re, "_MAXCACHE", 0), _REGEX_CACHE)  # type: ignore[attr-defined]
    return pysbd.Segmenter(language=language, clean=False, char_span=False)


_REGEX_CACHE = 8192


def _pysbd_language(language: str) -> str:
    primary = language.split("-")[0].lower()
    return primary if primary in LANGUAGE_CODES else "en"
