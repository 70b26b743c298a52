"""What was to be said against what was heard: the words both sides are made of."""

from __future__ import annotations

import pytest

from publisher.listen.compare import compare, words
from publisher.speech.normalize import Normalizer

GB = Normalizer("en-GB", "en-GB")
US = Normalizer("en-US", "en-US")


@pytest.mark.parametrize(
    ("said", "heard", "normalize"),
    [
        ("It cost £20 in 1990.", "It cost twenty pounds in nineteen ninety", GB),
        ("Dr. Shah met the BBC.", "Doctor Shah met the B.B.C.", US),
        ("The colour of the harbour", "the color of the harbor", GB),
        ("a well-known man", "a well known man", US),
        ("“Yes,” she said — twice.", "Yes, she said twice.", US),
    ],
)
def test_both_sides_become_the_same_words_when_the_same_was_said(
    said: str, heard: str, normalize: Normalizer
) -> None:
    assert words(said, normalize) == words(heard, normalize)


def test_each_unit_gets_its_own_share_of_the_differences() -> None:
    said = [words("The clock struck one.", US), words("Ruth wound it again.", US)]
    heard = words("the clock struck one ruth won it again", US)
    first, second = compare(said, heard)
    assert first.errors == 0 and first.heard == ("the", "clock", "struck", "one")
    assert second.errors == 1 and second.misses[0].said == ("wound",)
    assert second.misses[0].heard == ("won",)


def test_a_difference_only_in_spacing_is_none() -> None:
    (hearing,) = compare(
        [words("They sailed from Saltfleet.", US)], ["they", "sailed", "from", "salt", "fleet"]
    )
    assert hearing.errors == 0


def test_dropped_and_added_words_count_as_errors() -> None:
    (hearing,) = compare([["a", "small", "grey", "boat"]], ["a", "boat", "boat", "today"])
    assert hearing.errors == 3
    assert hearing.rate == pytest.approx(0.75)


def test_nothing_heard_is_every_word_dropped() -> None:
    first, second = compare([["one", "two"], ["three"]], [])
    assert (first.errors, second.errors) == (2, 1)


def test_a_contraction_is_not_taken_for_a_british_spelling() -> None:
    assert words("they're here", US) == ["they're", "here"]


def test_signs_the_recogniser_writes_or_drops_are_no_difference() -> None:
    (hearing,) = compare(
        [words("See example.com/a-b-c now.", US)], words("see example.com/abc now", US)
    )
    assert hearing.errors == 0
