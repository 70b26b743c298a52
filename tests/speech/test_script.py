"""What is read aloud: items, rows, figures, notes, code, other languages."""

from __future__ import annotations

from pathlib import Path

from publisher.model import Pauses, Section, Utterance
from publisher.readers import read_manuscript
from publisher.speech.normalize import Normalizer
from publisher.speech.script import Reading, section_script
from publisher.structure.chapters import build_book

from ..conftest import DATA

RICH = DATA / "rich-book" / "rich-book.md"


def script(path: Path, number: int = 0, reading: Reading | None = None) -> list[Utterance]:
    book = build_book(read_manuscript(path))
    section: Section = book.sections[number]
    say = Normalizer.for_text(book.metadata.language, "")
    return list(section_script(section, Pauses(), say, reading))


def test_narration_reads_items_rows_figures_and_notes_where_expected() -> None:
    said = script(RICH)
    texts = [u.text for u in said]
    note = texts.index("Note one.")
    assert texts[note - 1].endswith("agrees.")  # right after its paragraph
    assert texts[note + 1].startswith("The lamp burned colza oil")
    items = [u for u in said if any(g.type == "list-item" for g in u.groups)]
    assert items[0].text.startswith("three.")  # an ordered list is read with its numbers
    assert items[1].pause_before == Pauses().item
    rows = [u for u in said if any(g.type == "table" for g in u.groups)]
    assert rows[0].text == "Light: Pointe; Range: eighteen miles; Character: two white flashes."
    figure = next(u for u in said if any(g.type == "figure" for g in u.groups))
    assert figure.text == "Figure: The lighthouse at dusk, its lamp lit."
    # What the narrator says is the manuscript's punctuation, not the page's curly quotes.
    assert any('"A light you cannot see' in t for t in texts)


def test_a_phrase_in_another_language_is_said_by_that_languages_rules(tmp_path: Path) -> None:
    path = tmp_path / "de.md"
    path.write_text(
        "---\ntitle: T\nlanguage: en\n---\n\n# One\n\nThe sign read [Gleis 3 und 4]{lang=de}, "
        "and we took platform 3.\n",
        encoding="utf-8",
    )
    said = [u.text for u in script(path)]
    assert "Gleis drei und vier" in said[1] and "platform three" in said[1]


def test_figures_and_code_can_be_left_unread() -> None:
    quiet = script(RICH, reading=Reading(figures=False, code="skip"))
    assert not any(u.text.startswith("Figure") for u in quiet)
    assert not any(u.text.startswith("Code") for u in quiet)
    announced = script(RICH, reading=Reading(code="announce"))
    code = [u.text for u in announced if u.id.startswith("c01-k01")]
    assert code == ["Code."]
