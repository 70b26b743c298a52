"""What proof-listening found: the word error rate per chapter and for the book, the
sentences most likely wrong, and the words heard wrongly more than once.

A sentence is flagged when a listener would likely notice: a word in it that is heard
wrongly again and again through the book (the narrator says it wrongly; a lexicon
entry will mend it), or so many errors that it is garbled. One mishearing of an
ordinary word is the recogniser's, not the narrator's, and is counted but not flagged.
Words that sound the same to the ear ("knew" heard as "new") are no error at all:
the narrator said them right, and the recogniser could only guess the spelling.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from publisher.listen.book import NarratedBook, Unit
from publisher.listen.compare import SIGN_WORDS, Hearing, Miss, compare, words
from publisher.listen.transcribe import Heard
from publisher.speech.normalize import Normalizer
from publisher.speech.phonemes import espeak_ipa

REPORT = "listen-report.json"
SUGGESTIONS = "lexicon-suggestions.pls"
# A sentence this wrong is garbled, whatever its words.
GARBLED_RATE = 0.34
GARBLED_ERRORS = 3
# A word heard wrongly more than once, and in this share of the times it is said, is
# said wrongly: the recogniser's own slips do not repeat so.
SYSTEMATIC_SHARE = 0.4
# Too common to be mispronounced; their mishearings are the recogniser's.
_FUNCTION_WORDS = frozenset(
    "a an the and or but of to in on at by for with as is was were be been it its this that "
    "he she his her him they them their we you i me my our your not no so if then than there "
    "from up out into over had has have do did does are am".split()
)
# The normaliser's own words for digits and signs ("two zero one six", "dash", "slash"):
# a lexicon entry cannot mend them, and a recogniser writes "2016" and "/" for them.
_NORMALISER_WORDS = SIGN_WORDS | frozenset(
    "zero oh one two three four five six seven eight nine point percent".split()
)


@dataclass(frozen=True)
class UnitResult:
    chapter: int
    id: str
    start_s: float
    said: str
    heard: str
    errors: int
    words: int
    wrong_words: tuple[str, ...]


@dataclass(frozen=True)
class ChapterResult:
    index: int
    title: str
    words: int
    errors: int

    @property
    def wer(self) -> float:
        return self.errors / max(self.words, 1)


@dataclass(frozen=True)
class Candidate:
    """A word the narrator likely says wrongly: how often it was heard, and as what."""

    word: str
    written: str
    wrong: int
    said: int
    heard_as: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ListenReport:
    book: NarratedBook
    model: str
    seconds: float
    chapters: tuple[ChapterResult, ...]
    flagged: tuple[UnitResult, ...]
    candidates: tuple[Candidate, ...]
    units: int

    @property
    def words(self) -> int:
        return sum(c.words for c in self.chapters)

    @property
    def errors(self) -> int:
        return sum(c.errors for c in self.chapters)

    @property
    def wer(self) -> float:
        return self.errors / max(self.words, 1)


def build_report(
    book: NarratedBook, heard: list[Heard], model: str, seconds: float
) -> ListenReport:
    normalize = Normalizer.for_text(
        book.language, " ".join(u.written for c in book.chapters for u in c.units)
    )
    alike = _sounds_alike(normalize.variant or book.language)
    results: list[tuple[Unit, int, Hearing]] = []
    spoken: dict[tuple[int, str], str] = {}  # ids are unique within a chapter's document
    for item in heard:
        said = [words(u.written, normalize) for u in item.stretch.units]
        hearings = compare(said, words(item.text, normalize))
        for unit, hearing in zip(item.stretch.units, hearings, strict=True):
            results.append((unit, item.stretch.chapter, _forgive(hearing, alike)))
            spoken[(item.stretch.chapter, unit.id)] = normalize(unit.written)
    candidates = _candidates(results, book)
    systematic = {c.word for c in candidates}
    chapters = _chapters(book, results)
    flagged = [
        _unit_result(unit, chapter, hearing, spoken[(chapter, unit.id)])
        for unit, chapter, hearing in results
        if _flag(hearing, systematic)
    ]
    flagged.sort(
        key=lambda r: (-_systematic_count(r, systematic), -r.errors, -r.errors / max(r.words, 1))
    )
    return ListenReport(book, model, seconds, chapters, tuple(flagged), candidates, len(results))


def _forgive(hearing: Hearing, alike: Callable[[str, str], bool]) -> Hearing:
    """The hearing without the differences that are only in the spelling of a sound."""
    kept: list[Miss] = []
    for miss in hearing.misses:
        if miss.said and miss.heard and alike(" ".join(miss.said), " ".join(miss.heard)):
            continue
        if len(miss.said) == len(miss.heard) > 1:
            pairs = [(s, h) for s, h in zip(miss.said, miss.heard, strict=True) if not alike(s, h)]
            kept += [Miss((s,), (h,)) for s, h in pairs]
            continue
        kept.append(miss)
    return Hearing(hearing.said, hearing.heard, tuple(kept))


def _sounds_alike(language: str) -> Callable[[str, str], bool]:
    """Two spellings of one sound, by the phonemes eSpeak (Piper's own) gives them."""
    ipa = espeak_ipa(language)
    if ipa is None:  # no eSpeak voice for this language: nothing sounds alike
        return lambda _a, _b: False
    cache: dict[str, str] = {}

    def sound(text: str) -> str:
        if text not in cache:
            cache[text] = "".join(p for p in ipa(text) if p not in "ˈˌ ")
        return cache[text]

    return lambda a, b: sound(a) == sound(b)


def _flag(hearing: Hearing, systematic: set[str]) -> bool:
    if any(w in systematic for m in hearing.misses for w in m.said):
        return True
    # Small words dropped or swapped ("a" for "the") are the recogniser's guesses.
    errors = sum(max(len(m.said), len(m.heard)) for m in hearing.misses if _matters(m))
    return errors >= GARBLED_ERRORS or (
        errors / max(len(hearing.said), 1) >= GARBLED_RATE and len(hearing.said) >= 2
    )


def _matters(miss: Miss) -> bool:
    return any(w not in _FUNCTION_WORDS for w in (*miss.said, *miss.heard))


def _systematic_count(result: UnitResult, systematic: set[str]) -> int:
    return sum(1 for w in result.wrong_words if w in systematic)


def _unit_result(unit: Unit, chapter: int, hearing: Hearing, spoken: str) -> UnitResult:
    wrong = tuple(w for m in hearing.misses for w in m.said)
    return UnitResult(
        chapter,
        unit.id,
        unit.start_s,
        spoken,
        " ".join(hearing.heard),
        hearing.errors,
        len(hearing.said),
        wrong,
    )


def _chapters(
    book: NarratedBook, results: list[tuple[Unit, int, Hearing]]
) -> tuple[ChapterResult, ...]:
    said: Counter[int] = Counter()
    errors: Counter[int] = Counter()
    for _, chapter, hearing in results:
        said[chapter] += len(hearing.said)
        errors[chapter] += hearing.errors
    return tuple(
        ChapterResult(c.index, c.title, said[c.index], errors[c.index]) for c in book.chapters
    )


def _candidates(
    results: list[tuple[Unit, int, Hearing]], book: NarratedBook
) -> tuple[Candidate, ...]:
    said: Counter[str] = Counter()
    heard_as: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for _, _, hearing in results:
        said.update(hearing.said)
        for miss in hearing.misses:
            for word, heard in _pairs(miss):
                heard_as[word][heard] += 1
    found: list[Candidate] = []
    for word, hearings in heard_as.items():
        wrong = sum(hearings.values())
        if wrong < 2 or wrong < SYSTEMATIC_SHARE * said[word]:
            continue
        if word in _FUNCTION_WORDS or word in _NORMALISER_WORDS:
            continue
        common = tuple(hearings.most_common(3))
        found.append(Candidate(word, _written_form(word, book), wrong, said[word], common))
    found.sort(key=lambda c: (-c.wrong, c.word))
    return tuple(found)


def _pairs(miss: Miss) -> list[tuple[str, str]]:
    """Each said word with what was heard for it: word for word when the counts agree."""
    if len(miss.said) == len(miss.heard):
        return list(zip(miss.said, miss.heard, strict=True))
    heard = " ".join(miss.heard) or "(nothing)"
    return [(word, heard) for word in miss.said]


_STRIPPED = ".,;:!?\"'()[]\u201c\u201d\u2018\u2019\u2014\u2013-"


def _written_form(word: str, book: NarratedBook) -> str:
    """The word as the book writes it ("Saltfleet", not "saltfleet"), for the lexicon."""
    for chapter in book.chapters:
        for unit in chapter.units:
            for token in unit.written.split():
                bare = token.strip(_STRIPPED)
                if bare.lower() == word:
                    return bare
    return word


# --- writing it out ---------------------------------------------------------------------


def render(report: ListenReport, top: int = 20) -> str:
    lines = [
        f"Listened to {len(report.chapters)} chapters ({_clock(report.book.duration_s)} of audio) "
        f"in {report.seconds:.0f} s with {report.model}.",
        "",
        "chapter                                      words  errors    WER",
    ]
    for c in report.chapters:
        lines.append(
            f"{c.index:3d}  {c.title[:38]:<38} {c.words:7,d} {c.errors:7d} {100 * c.wer:5.1f} %"
        )
    lines.append(
        f"     {'book':<38} {report.words:7,d} {report.errors:7d} {100 * report.wer:5.1f} %"
    )
    lines.append("")
    if report.flagged:
        shown = report.flagged[:top]
        lines.append(
            f"Sentences most likely wrong ({len(report.flagged)} flagged, {len(shown)} shown):"
        )
        titles = {c.index: c.title for c in report.chapters}
        for n, r in enumerate(shown, 1):
            where = f"chapter {r.chapter} ({titles[r.chapter][:30]}) at {_clock(r.start_s)}"
            lines.append(f"{n:3d}. {where}, {r.id}")
            lines.append(f"     said:  {r.said}")
            lines.append(f"     heard: {r.heard}")
    else:
        lines.append("No sentence was flagged.")
    if report.candidates:
        lines.append("")
        lines.append(f"Words heard wrongly more than once (lexicon candidates, in {SUGGESTIONS}):")
        for w in report.candidates:
            heard = ", ".join(f'"{h}" x{n}' for h, n in w.heard_as)
            lines.append(f"  {w.written}: wrong {w.wrong} of {w.said} times, heard as {heard}")
    return "\n".join(lines)


def write_report(report: ListenReport, folder: Path) -> list[Path]:
    data = {
        "model": report.model,
        "language": report.book.language,
        "epub": report.book.epub.name,
        "duration_s": round(report.book.duration_s, 3),
        "seconds": round(report.seconds, 1),
        "words": report.words,
        "errors": report.errors,
        "wer": round(report.wer, 4),
        "units": report.units,
        "chapters": [{**asdict(c), "wer": round(c.wer, 4)} for c in report.chapters],
        "flagged": [asdict(r) for r in report.flagged],
        "candidates": [asdict(c) for c in report.candidates],
    }
    written = [_atomic(folder / REPORT, json.dumps(data, indent=2, ensure_ascii=False) + "\n")]
    written.append(_atomic(folder / SUGGESTIONS, suggestions(report)))
    return written


def suggestions(report: ListenReport) -> str:
    """A PLS lexicon to edit: each candidate with an alias to fill in, and what was heard."""
    lang = escape(report.book.language, {'"': "&quot;"})
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<!-- Words the proof-listener heard wrongly more than once. Give each the alias",
        "     (or phoneme) the narrator should say, then build again with this lexicon. -->",
        '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"',
        f'         alphabet="ipa" xml:lang="{lang}">',
    ]
    for c in report.candidates:
        heard = "; ".join(f"{h} x{n}" for h, n in c.heard_as).replace("--", "- -")
        lines += [
            f"  <!-- wrong {c.wrong} of {c.said} times; heard as: {escape(heard)} -->",
            "  <lexeme>",
            f"    <grapheme>{escape(c.written)}</grapheme>",
            f"    <alias>{escape(c.written)}</alias>",
            "  </lexeme>",
        ]
    lines.append("</lexicon>")
    return "\n".join(lines) + "\n"


def _atomic(path: Path, text: str) -> Path:
    staging = path.with_name(f".{path.name}.part")
    staging.write_text(text, encoding="utf-8")
    staging.replace(path)
    return path


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return (
        f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
        if whole >= 3600
        else f"{whole // 60}:{whole % 60:02d}"
    )
