"""Paragraph layouts: one paragraph per line, wrapped, indented."""

from __future__ import annotations

import logging
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.model import HeadingBlock, ParagraphBlock
from publisher.readers.drama import mark_speakers
from publisher.readers.gutenberg import read_gutenberg
from publisher.readers.layout import detect_layout, split_paragraphs, strip_emphasis
from publisher.readers.markdown import read_markdown
from publisher.readers.plaintext import read_plaintext

PARAGRAPHS = [
    "The ferry left at nine, as it had for forty years, and nobody on the quay looked up.",
    "By noon the wind had turned. The skipper said nothing, which was how you knew.",
    "She kept the ledger in a tin box under the counter, with the keys and the stamps.",
    "Nobody asked why the lamp in the upper window burned all night; everyone knew.",
    "In spring the boats came back, one by one, and the harbour filled with voices.",
    "There is a kind of silence that belongs only to islands after the last boat.",
] * 3


def wrapped(paragraph: str, indent: str = "") -> list[str]:
    return textwrap.wrap(paragraph, 60, initial_indent=indent)


SHAPES = {
    "blank": "\n\n".join("\n".join(wrapped(p)) for p in PARAGRAPHS),
    "lines": "\n".join(p * 3 for p in PARAGRAPHS),
    "indented": "\n".join("\n".join(wrapped(p, "    ")) for p in PARAGRAPHS),
    "wrapped": "\n".join("\n".join(wrapped(p)) for p in PARAGRAPHS),
}

MODERN = """The Project Gutenberg eBook of Tides, by Ann Reilly

Title: Tides
       A Story of the Coast

Author: Ann Reilly

Language: German

*** START OF THE PROJECT GUTENBERG EBOOK TIDES ***

Produced by A Volunteer and the Online Distributed Proofreading Team

Transcriber's Note: obvious misprints were corrected.

CHAPTER I.

Das Meer war ruhig.

*** END OF THE PROJECT GUTENBERG EBOOK TIDES ***

Licence text that must go.
"""

SMALL_PRINT = """The Project Gutenberg Etext of Tides, by Ann Reilly
#3 in our series by Ann Reilly

**Welcome To The World of Free Plain Vanilla Electronic Texts**

*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*

Tides, by Ann Reilly
Scanned and proofed by Somebody, email someone@example.org

CHAPTER I.

The sea was calm.

End of The Project Gutenberg Etext of Tides, by Ann Reilly
"""


def _play_lines(speakers: list[str]) -> str:
    return "\n".join(
        f"  {name}. Line {n} of my speech, and so on,\n    And on into the night."
        for n, name in enumerate(speakers)
    )


@pytest.mark.parametrize("shape", SHAPES)
def test_each_layout_is_recognised_and_gives_back_its_paragraphs(shape: str) -> None:
    lines = SHAPES[shape].split("\n")
    assert detect_layout(lines) == shape
    found = [" ".join(p.lines) for p in split_paragraphs(lines)]
    expected = [p * 3 if shape == "lines" else p for p in PARAGRAPHS]
    assert found == [" ".join(p.split()) for p in expected]


def test_a_wrapped_file_with_one_line_dialogue_keeps_each_speech() -> None:
    text = "\n\n".join(["\n".join(wrapped(PARAGRAPHS[0])), "“Not yet,” she said.", "“Now?”"])
    found = [" ".join(p.lines) for p in split_paragraphs("\n\n".join([text] * 4).split("\n"))]
    assert found[1:3] == ["“Not yet,” she said.", "“Now?”"]


def test_short_lines_set_for_effect_are_one_paragraph_and_indented_verse_keeps_lines() -> None:
    prose = "\n\n".join("\n".join(wrapped(p)) for p in PARAGRAPHS[:6])
    effect = "It was the best of times,\nit was the worst of times,\nit was the age of wisdom."
    verse = "     The herds are shut in byre and hut\n        For loosed till dawn are we."
    found = split_paragraphs(f"{prose}\n\n{effect}\n\n{verse}\n\n{prose}".split("\n"))
    assert [p.verse for p in found[6:8]] == [False, True]
    assert found[7].lines == ("The herds are shut in byre and hut", "For loosed till dawn are we.")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text("abcdefghij klmnopq.,", min_size=1, max_size=200), min_size=1, max_size=30),
    st.sampled_from(["\n", "\n\n", "\n    "]),
)
def test_no_layout_loses_or_invents_text(paragraphs: list[str], joiner: str) -> None:
    text = joiner.join(paragraphs)
    found = split_paragraphs(text.split("\n"))
    assert " ".join(w for p in found for line in p.lines for w in line.split()) == " ".join(
        text.split()
    )


@pytest.mark.parametrize(
    ("text", "metadata", "kept"),
    [
        (
            MODERN,
            {
                "title": "Tides",
                "subtitle": "A Story of the Coast",
                "author": "Ann Reilly",
                "language": "de",
            },
            "CHAPTER I.\n\nDas Meer war ruhig.",
        ),
        (
            SMALL_PRINT,
            {"title": "Tides", "author": "Ann Reilly"},
            "CHAPTER I.\n\nThe sea was calm.",
        ),
    ],
    ids=["2010s markers", "1990s small print"],
)
def test_every_gutenberg_generation_gives_the_book_alone_and_its_header_as_metadata(
    text: str, metadata: dict[str, str], kept: str
) -> None:
    found = read_gutenberg(text)
    assert found.metadata == metadata
    assert found.body.strip() == kept
    assert any("header" in d for d in found.dropped) and any("credit" in d for d in found.dropped)


def test_a_contents_list_finds_mixed_case_titles_and_is_dropped() -> None:
    from publisher.model import Manuscript, Metadata
    from publisher.structure.chapters import build_book

    body = "\n\n".join(["The story goes on and on, as stories do."] * 30)
    text = (
        "Contents\n\n     The Selfish Giant ..... 5\n     The Happy Prince ..... 19\n\n\n"
        f"THE SELFISH GIANT.\n\n{body}\n\n\nThe Happy Prince\n\n{body}\n"
    )
    blocks = read_plaintext(text).blocks
    book = build_book(Manuscript(Metadata("Tales"), blocks, "tales.txt"))
    assert [s.display_title for s in book.sections] == ["THE SELFISH GIANT", "The Happy Prince"]
    assert all(s.from_manuscript for s in book.sections)


def test_jekyll_front_matter_keys_are_ignored_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    source = "---\nlayout: post\nlang: de\ntitle: Gut\nautor: X\ntoc:\n  a: b\n---\n\nText.\n"
    with caplog.at_level(logging.WARNING):
        found = read_markdown(source, "post.md")
    assert found.metadata == {"language": "de", "title": "Gut"}
    [record] = caplog.records
    assert "layout, autor (did you mean 'author'?), toc" in record.getMessage()


def test_a_pandoc_title_block_gives_title_authors_and_date() -> None:
    found = read_markdown("% The Road\n% Ann Lee; Bo Park\n% 2001-02-03\n\nText.\n", "r.md")
    assert found.metadata == {
        "title": "The Road",
        "author": "Ann Lee and Bo Park",
        "date": "2001-02-03",
    }


def test_a_play_has_speakers_and_stage_directions_and_prose_does_not() -> None:
    speeches = "\n\n".join(
        f"{name}.  Line {n} of the play, said with feeling.\n\n[Here they cross the stage.]"
        for n, name in enumerate(["LORD GORING", "MABEL CHILTERN", "MRS. CHEVELEY"] * 8)
    )
    blocks = mark_speakers(read_plaintext(f"FIRST ACT\n\n{speeches}\n").blocks)
    paragraphs = [b for b in blocks if isinstance(b, ParagraphBlock)]
    assert {b.speaker for b in paragraphs} == {
        None,
        "LORD GORING",
        "MABEL CHILTERN",
        "MRS. CHEVELEY",
    }
    assert all(b.direction for b in paragraphs if b.speaker is None)
    assert isinstance(blocks[0], HeadingBlock) and blocks[0].text == "FIRST ACT"
    novel = "\n\n".join(["NOBODY. That was the word on the quay that day."] * 30)
    assert all(
        b.speaker is None for b in read_plaintext(novel).blocks if isinstance(b, ParagraphBlock)
    )


def test_numbered_items_in_prose_are_paragraphs_and_emphasis_marks_go() -> None:
    text = (
        "CHAPTER I.\n\nHis limits ran as follows.\n\n1. Knowledge of Literature.--Nil.\n"
        "2. Knowledge of Politics.--Feeble.\n\nCHAPTER II. _The Country of the Saints._\n\n"
        "An arid *desert* lies there.\n"
    )
    blocks = read_plaintext(text).blocks
    headings = [b.text for b in blocks if isinstance(b, HeadingBlock)]
    assert headings == ["CHAPTER I", "The Country of the Saints"]
    texts = [b.text for b in blocks if isinstance(b, ParagraphBlock)]
    assert "1. Knowledge of Literature.--Nil." in texts
    assert texts[-1] == "An arid desert lies there."
    assert strip_emphasis("snake_case and 2 * 3 * 4") == "snake_case and 2 * 3 * 4"


def test_a_play_with_names_alone_above_speeches_and_italic_settings() -> None:
    names = ["HARGREAVES", "MRS. PELL", "THE CURATE"] * 8
    speeches = "\n\n".join(
        f"{name}.\n\n[_Turning._] Speech {n} of the evening, said plainly."
        for n, name in enumerate(names)
    )
    text = (
        "  THE FIRST ACT\n\n\n_The scene is a parlour with a piano._\n\n"
        "  [_HARGREAVES is at the window, and does not turn round\n  as they come in._\n\n"
        f"{speeches}\n"
    )
    blocks = mark_speakers(read_plaintext(text).blocks)
    assert isinstance(blocks[0], HeadingBlock) and blocks[0].text == "THE FIRST ACT"
    paragraphs = [b for b in blocks if isinstance(b, ParagraphBlock)]
    assert [p.direction for p in paragraphs[:2]] == [True, True]
    speech = paragraphs[2:]
    assert [p.speaker for p in speech] == names
    assert speech[0].text == "[Turning.] Speech 0 of the evening, said plainly."


def test_centred_title_pages_give_the_title_and_the_works_author() -> None:
    page = "                              "
    text = (
        f"{page}OEUVRES\n\n{page}DE\n\n{page}MARIE DUVAL.\n\n{page}TOME III\n\n\n\n"
        f"{page}A LYON,\n\n{page}MDCCCXL.\n\n\n\n"
        f"{page}LA MAISON,\n\n{page}ou\n\n{page}LE JARDIN.\n\n\n\n"
        "CHAPITRE I.\n\nLa maison était au bout de la rue, et personne ne la voyait.\n"
    )
    found = read_plaintext(text)
    assert found.metadata == {"title": "La Maison, ou Le Jardin", "author": "Marie Duval"}
    assert isinstance(found.blocks[0], HeadingBlock)
    # A header's short title gives way to the book's own, longer one.
    gutenberg = MODERN.replace("Title: Tides\n       A Story of the Coast", "Title: La Maison")
    gutenberg = gutenberg.replace("CHAPTER I.\n\nDas Meer war ruhig.", text)
    assert read_plaintext(gutenberg).metadata["title"] == "La Maison, ou Le Jardin"


def test_titles_set_apart_by_space_alone_are_headings_when_nothing_else_is() -> None:
    story = "\n\n".join(["They walked on and on, and the road went with them."] * 5)
    titles = ["The Selfish Giant.", "“Tiger! Tiger!”", "The Happy Prince"]
    text = "".join(f"\n\n\n\n{title}\n\n{story}\n" for title in titles)
    headings = [b.text for b in read_plaintext(text).blocks if isinstance(b, HeadingBlock)]
    assert headings == ["The Selfish Giant", "“Tiger! Tiger!”", "The Happy Prince"]
    # A short line between ordinary paragraphs, or set apart only twice, is prose.
    assert not any(
        isinstance(b, HeadingBlock)
        for b in read_plaintext(f"{story}\n\nThe End\n\n{story}\n\n\n\nThe Road\n\n{story}").blocks
    )


def test_a_title_line_that_goes_on_with_and_is_the_title_not_a_subtitle() -> None:
    text = "THE HAPPY PRINCE\nAND OTHER TALES\n\nBY OSCAR WILDE\n\n\nHigh above the city.\n"
    assert read_plaintext(text).metadata == {
        "title": "The Happy Prince and Other Tales",
        "author": "Oscar Wilde",
    }
    text = (
        "A TALE OF TWO CITIES\nA STORY OF THE FRENCH REVOLUTION\n\nBy Charles Dickens\n\nIt was.\n"
    )
    assert read_plaintext(text).metadata["subtitle"] == "A Story of the French Revolution"


def test_a_1990s_shakespeare_play_with_act_and_scene_on_one_line_and_speeches_unspaced() -> None:
    speakers = ["FIRST SAILOR", "SECOND SAILOR", "THE CAPTAIN"] * 4
    notice = "<<THIS ELECTRONIC VERSION OF THE COMPLETE WORKS OF WILLIAM\nSHAKESPEARE>>"
    text = (
        "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\n\n"
        f"{notice}\n\n\nACT I. SCENE I.\nA ship at sea.\n\nThunder. Enter three Sailors.\n\n"
        f"{_play_lines(speakers)}\n\n\n{notice}\n\n\nSCENE II.\nThe shore.\n\n"
        f"{_play_lines(speakers)}\n\n\nEnd of this Etext of The Storm\n"
    )
    blocks = read_plaintext(text).blocks
    headings = [(b.label, b.text) for b in blocks if isinstance(b, HeadingBlock)]
    assert headings == [(None, "ACT I"), ("SCENE I", "A ship at sea"), ("SCENE II", "The shore")]
    speeches = [b for b in blocks if isinstance(b, ParagraphBlock) and b.speaker]
    assert [b.speaker for b in speeches] == speakers * 2
    assert all(b.verse and b.text.count("\n") == 1 for b in speeches)
    assert not any(
        "ELECTRONIC VERSION" in b.text or "Etext" in b.text
        for b in blocks
        if isinstance(b, ParagraphBlock)
    )
    assert any(b.direction for b in blocks if isinstance(b, ParagraphBlock))  # "Thunder. Enter"


def test_a_name_cut_short_or_a_heading_is_not_a_speaker() -> None:
    cast = "MRS. UPJOHN, her mother\nCOLONEL THE HON. ARTHUR PELL\nACT II. The shore."
    speeches = "\n\n".join(
        f"{name}.\n\nSpeech {n}." for n, name in enumerate(["ROPER", "MRS. PELL", "GLADYS"] * 8)
    )
    blocks = read_plaintext(f"{cast}\n\n{speeches}\n").blocks
    assert {b.speaker for b in blocks if isinstance(b, ParagraphBlock)} == {
        None,
        "ROPER",
        "MRS. PELL",
        "GLADYS",
    }


def test_lines_opening_with_capitals_in_a_book_that_is_no_play_stay_one_paragraph() -> None:
    text = "Prose.\n\nNOTE. One thing.\nWARNING. Another thing.\nTIP. A third thing.\n"
    paragraphs = [b.text for b in read_plaintext(text).blocks if isinstance(b, ParagraphBlock)]
    assert paragraphs == [
        "Prose.",
        "NOTE. One thing.\nWARNING. Another thing.\nTIP. A third thing.",
    ]
