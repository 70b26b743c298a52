"""What is flagged and suggested, from hearings given as text (no recogniser here)."""

from __future__ import annotations

from pathlib import Path

from publisher.listen.book import Chapter, NarratedBook, Unit
from publisher.listen.report import build_report, suggestions
from publisher.listen.transcribe import Heard, Stretch
from publisher.speech.lexicon import parse_lexicon

SAID_HEARD = [
    ("Maeve rowed across at dawn.", "maze rowed across at dawn"),
    ("The gulls followed Maeve home.", "the gulls followed maze home"),
    ("Nobody rowed like Maeve.", "nobody rowed like maze"),
    ("See example.com/a-b-c for the tide tables.", "see example.com/abc for the tide tables"),
    ("Or see example.org/x-y-z instead.", "or see example.org/xyz instead"),
    ("The harbour was quiet that night.", "the harbor was quiet that knight"),
]


def _report() -> tuple[NarratedBook, list[Heard]]:
    units = tuple(
        Unit(f"s{i}", i * 3.0, i * 3.0 + 2.5, said) for i, (said, _) in enumerate(SAID_HEARD)
    )
    chapter = Chapter(1, "One", "EPUB/audio/01.mp3", units)
    book = NarratedBook(Path(), Path("book.epub"), "en-GB", (chapter,))
    heard = [
        Heard(Stretch(1, (unit,), unit.start_s, unit.end_s), text)
        for unit, (_, text) in zip(units, SAID_HEARD, strict=True)
    ]
    return book, heard


def test_a_word_heard_wrongly_every_time_is_a_candidate_and_its_sentences_are_flagged() -> None:
    report = build_report(*_report(), model="test", seconds=1.0)
    assert [c.written for c in report.candidates] == ["Maeve"]
    assert {r.id for r in report.flagged} == {"s0", "s1", "s2"}


def test_the_normalisers_own_words_and_sound_alikes_are_not_candidates() -> None:
    report = build_report(*_report(), model="test", seconds=1.0)
    assert "dash" not in [c.word for c in report.candidates]
    assert "s5" not in {r.id for r in report.flagged}  # "knight" sounds as "night"


def test_the_suggestions_are_a_lexicon_the_build_reads() -> None:
    report = build_report(*_report(), model="test", seconds=1.0)
    lexicon = parse_lexicon(suggestions(report).encode(), "suggestions")
    assert [entry.graphemes for entry in lexicon.entries] == [("Maeve",)]
