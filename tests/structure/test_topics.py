"""Chapters by topic for manuscripts without headings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher import BuildConfig, ConfigError, publish
from publisher.readers import read_manuscript
from publisher.structure.chapters import build_book
from publisher.structure.evaluation import Labelled, labelled_texts, score
from publisher.structure.segmentation_score import pk, window_diff
from publisher.structure.topics import ChapterOptions, is_closing_note

from ..conftest import CORPUS, DATA, SOURCE

ARTICLE = SOURCE / "the-last-ferry-to-inishcarrow.txt"

TOPICS = DATA / "topics"

LABELLED = labelled_texts(TOPICS, SOURCE)

# Real texts nobody here wrote, labelled by hand or by their own headings (in the corpus).
REAL = labelled_texts(DATA / "topics-real", CORPUS)


def test_a_3000_word_article_gets_a_handful_of_titled_chapters_and_back_matter(
    tmp_path: Path,
) -> None:
    report = publish(BuildConfig(ARTICLE, tmp_path, {"narration.enabled": False}))
    chapters = json.loads((report.folder / "report.json").read_text())["chapters"]
    body = [c for c in chapters if c["matter"] == "body"]
    # 3,084 words, about 20 minutes of listening: landmarks every two to five minutes.
    assert 4 <= len(body) <= 10
    assert chapters[-1]["kind"] == "about-the-author" and chapters[-1]["matter"] == "back"
    titles = [c["title"] for c in chapters]
    assert len(set(titles)) == len(titles)
    # Titles an editor would pick, not one template filled in ("X and the Y").
    assert sum(" and the " in t for t in titles) <= 1, titles
    assert all(c["title_generated"] for c in chapters)
    for section, chapter in zip(report.book.sections, body, strict=False):
        words = chapter["title"].split()
        assert 2 <= len(words) <= 6, chapter["title"]
        first_sentence = section.sentences[0].text
        assert not first_sentence.startswith(chapter["title"]), "a truncated first sentence"
    assert all(c["words"] >= 250 for c in body)


def test_headings_mode_keeps_a_heading_less_article_whole() -> None:
    book = build_book(read_manuscript(ARTICLE), ChapterOptions(mode="headings"))
    assert [s.kind for s in book.sections] == ["preamble", "about-the-author"]


def test_auto_mode_keeps_the_headings_a_manuscript_has() -> None:
    book = build_book(read_manuscript(SOURCE / "the-cartographer-of-small-rivers.md"))
    assert all(s.from_manuscript for s in book.sections)


def test_length_bounds_limit_the_number_of_chapters() -> None:
    few = build_book(read_manuscript(ARTICLE), ChapterOptions(min_words=900, max_words=3000))
    assert len([s for s in few.sections if s.matter == "body"]) <= 3


@pytest.mark.parametrize(
    ("paragraph", "closing"),
    [
        ("Niamh Redfern is a writer and broadcaster based in Mayo.", True),
        ("Jo Bloggs is the author of Small Hours (Harbour Press, 2021).", True),
        ("This article first appeared in The Coastal Review.", True),
        ("Her latest novel is published by Fenwick & Hale.", True),
        ("He was a writer once, before the war, and he never forgot it, though he tried.", True),
        ("The ferry left at six, as it always did, and nobody watched it go.", False),
        ("The author of the report, a civil servant, refused to comment. " * 8, False),
    ],
)
def test_closing_notes_are_recognised(paragraph: str, closing: bool) -> None:
    assert is_closing_note(paragraph) is closing


def test_pk_and_windowdiff_score_known_segmentations() -> None:
    reference = [4, 8]
    assert pk(reference, reference, 12) == 0.0 and window_diff(reference, reference, 12) == 0.0
    assert pk(reference, [], 12) > pk(reference, [4], 12) > 0.0
    assert window_diff(reference, [3, 4, 5, 8], 12) > window_diff(reference, [4, 8], 12)


@pytest.mark.parametrize("text", LABELLED + REAL, ids=lambda t: t.name[:40])
def test_segmentation_beats_leaving_the_text_whole(text: Labelled) -> None:
    found = score(text)
    assert found.found, "no boundary found"
    assert found.pk < found.pk_one_chapter


def test_there_are_at_least_five_labelled_texts_of_several_lengths() -> None:
    words = [sum(len(p.split()) for p in text.paragraphs) for text in LABELLED]
    assert len(words) >= 5 and min(words) < 1000 < 2500 < max(words)


@pytest.mark.skipif(len(REAL) < 3, reason=f"the real labelled texts are in {CORPUS}")
def test_mean_pk_meets_the_target_of_a_quarter_on_written_and_real_texts() -> None:
    # Measured: mean Pk 0.224 and WindowDiff 0.227 over the eight texts (written here
    # 0.267, real 0.152; TextTiling depth scores gave 0.300). The bound is the target itself.
    scores = [score(text) for text in LABELLED + REAL]
    assert sum(s.pk for s in scores) / len(scores) <= 0.25
    assert sum(s.window_diff for s in scores) / len(scores) <= 0.25


def test_chapter_counts_follow_the_texts_own_shifts() -> None:
    # As many chapters as an editor made, give or take under half: not as many as the
    # minimum length allows (Twain's 4,855 words got 13 for 7 from TextTiling's cut-off).
    for text in [*LABELLED, *REAL]:
        found, labelled = len(score(text).found) + 1, len(text.reference) + 1
        assert abs(found - labelled) <= 0.45 * labelled, (text.name, found, labelled)


def test_an_editor_overrides_generated_titles_in_book_toml(tmp_path: Path) -> None:
    manuscript = tmp_path / "article.txt"
    manuscript.write_bytes(ARTICLE.read_bytes())
    (tmp_path / "book.toml").write_text('chapter_titles = ["The Crossing", "Who Pays"]\n')
    report = publish(BuildConfig(manuscript, tmp_path / "out", {"narration.enabled": False}))
    chapters = json.loads((report.folder / "report.json").read_text())["chapters"]
    assert [c["title"] for c in chapters[:2]] == ["The Crossing", "Who Pays"]
    assert [c["title_generated"] for c in chapters[:3]] == [False, False, True]


def test_a_bad_chapter_titles_entry_names_the_file_and_line(tmp_path: Path) -> None:
    manuscript = tmp_path / "article.txt"
    manuscript.write_text("Some text.\n")
    (tmp_path / "book.toml").write_text('title = "X"\nchapter_titles = "not a list"\n')
    with pytest.raises(ConfigError, match=r"book.toml, line 2: chapter_titles must be a list"):
        publish(BuildConfig(manuscript, tmp_path / "out", {"narration.enabled": False}))


def test_a_minimum_the_user_sets_is_kept_even_for_a_short_text() -> None:
    assert ChapterOptions(min_words=900).shortest_chapter(1200) == 900
    assert ChapterOptions().shortest_chapter(1200) < ChapterOptions().shortest_chapter(9000)


@pytest.mark.parametrize("text", LABELLED, ids=lambda t: t.name[:40])
def test_generated_titles_are_phrases_of_their_own_chapter(text: Labelled) -> None:
    # An editor's title names the chapter in its own words, not in a template's.
    manuscript = next(m for m in [*TOPICS.glob("*.txt"), ARTICLE] if m.stem == text.name)
    book = build_book(read_manuscript(manuscript))
    for section in book.sections:
        if section.from_manuscript or section.kind == "about-the-author":
            continue
        words = section.display_title.removeprefix("The ").casefold()
        body = " ".join(s.text for s in section.sentences).casefold()
        assert words in body.replace("\u2019", "'") or words in body, section.display_title
