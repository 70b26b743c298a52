"""Quotations found by their language's marks, and attributed to the cast's characters."""

from __future__ import annotations

from publisher.model import DIALOGUE, NARRATOR
from publisher.speech.dialogue import Roles, quotations, quote_marks, speaker_of, voiced_spans

ENGLISH = quote_marks("double", "en", "")
ROLES = Roles(("HOLMES", "MRS. HUDSON", "LADY MACBETH"), ENGLISH)


def quoted(text: str, marks: tuple[tuple[str, str], ...] = ENGLISH) -> list[str]:
    return [text[a:b] for a, b in quotations(text, marks)]


def test_curly_and_straight_double_quotes_are_found_marks_included() -> None:
    text = '\u201cCome in,\u201d said Holmes. "Sit down." She sat.'
    assert quoted(text) == ["\u201cCome in,\u201d", '"Sit down."']


def test_a_quotation_left_open_runs_to_the_end_of_its_paragraph() -> None:
    assert quoted("He began: \u201cIt was a dark night, and") == ["\u201cIt was a dark night, and"]


def test_british_single_quotes_skip_apostrophes() -> None:
    marks = quote_marks("single", "en-GB", "")
    text = "\u2018I don\u2019t know,\u2019 said Holmes, \u2018it\u2019s late.\u2019"
    assert quoted(text, marks) == ["\u2018I don\u2019t know,\u2019", "\u2018it\u2019s late.\u2019"]


def test_auto_takes_the_style_the_book_uses_among_its_languages() -> None:
    british = "\u2018Yes,\u2019 she said. \u2018No,\u2019 he said. \u201cOnce\u201d"
    assert quote_marks("auto", "en-GB", british) == quote_marks("single", "en", "")
    assert quote_marks("auto", "fr", "\u00ab Oui \u00bb, dit-il.") == quote_marks(
        "guillemets", "fr", ""
    )
    assert quote_marks("auto", "de", "\u201eJa\u201c, sagte er.") == quote_marks("low", "de", "")


def test_the_usual_attributions_name_a_character_of_the_cast() -> None:
    for text in (
        "\u201cCome in,\u201d said Holmes.",
        "\u201cCome in,\u201d Holmes said.",
        "\u201cCome in,\u201d said Sherlock Holmes.",
        "Holmes said, \u201cCome in.\u201d",
    ):
        assert speaker_of(text, quotations(text, ENGLISH), ROLES) == "HOLMES", text
    text = "\u201cMore tea?\u201d asked Mrs. Hudson."
    assert speaker_of(text, quotations(text, ENGLISH), ROLES) == "MRS. HUDSON"


def test_an_unknown_or_missing_speaker_gives_the_dialogue_voice() -> None:
    for text in ("\u201cCome in,\u201d said Watson.", "\u201cCome in,\u201d he said."):
        assert speaker_of(text, quotations(text, ENGLISH), ROLES) == DIALOGUE


def test_a_plays_speaker_label_matches_the_cast_exactly() -> None:
    assert ROLES.character("LADY MACBETH.") == "LADY MACBETH"
    assert ROLES.character("MACBETH.") is None


def test_a_sentence_is_cut_into_the_narrators_parts_and_the_speakers() -> None:
    text = "\u201cCome in,\u201d said Holmes."
    parts = voiced_spans(0, len(text), quotations(text, ENGLISH), "HOLMES")
    assert [(text[a:b], role) for a, b, role in parts] == [
        ("\u201cCome in,\u201d", "HOLMES"),
        (" said Holmes.", NARRATOR),
    ]
