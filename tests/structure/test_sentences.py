"""Sentence splitting: ends, abbreviations, every character kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.structure.sentences import split_sentences

WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'\"-",
    min_size=1,
    max_size=12,
)

TEXT = st.lists(WORD, min_size=1, max_size=30).map(" ".join)


def test_sentences_split_on_ends_but_not_on_abbreviations() -> None:
    assert split_sentences(
        'Mr. Smith met Dr. Jones at 3.30 p.m. on St. Giles. "Late," he said. Fine!', "en"
    ) == ["Mr. Smith met Dr. Jones at 3.30 p.m. on St. Giles.", '"Late," he said.', "Fine!"]


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_sentence_splitting_keeps_every_character(text: str) -> None:
    sentences = split_sentences(text, "en")
    assert " ".join(sentences) == " ".join(text.split())


@pytest.mark.slow
def test_a_paragraph_of_fifty_thousand_words_keeps_every_word_in_order() -> None:
    words = ["Harbour", "lights.", "Dr.", "Grey", "waited,", "then", "left!", "Quietly", "rain?"]
    text = " ".join(words[i % len(words)] for i in range(50_000))
    sentences = split_sentences(text, "en")
    assert " ".join(sentences) == text
    assert 10_000 < len(sentences) < 20_000
    assert not any(s.endswith("Dr.") for s in sentences)
