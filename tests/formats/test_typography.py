"""Smart punctuation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.formats.typography import smart, smarten


@pytest.mark.parametrize(
    ("language", "written", "shown"),
    [
        ("en", '"Come in," she said.', "\u201cCome in,\u201d she said."),
        (
            "en-GB",
            "It's the dogs' bowl, 'tis true.",
            "It\u2019s the dogs\u2019 bowl, \u2019tis true.",
        ),
        ("en", "He said 'no' in the '90s.", "He said \u2018no\u2019 in the \u201990s."),
        ("de", 'Er sagte: "Gut."', "Er sagte: \u201eGut.\u201c"),
        ("fr", 'Il dit "bonjour" ici.', "Il dit \u00ab\u202fbonjour\u202f\u00bb ici."),
        (
            "en",
            "Wait... no---never -- or 1914--18, a word--cut.",
            "Wait\u2026 no\u2014never \u2013 or 1914\u201318, a word\u2014cut.",
        ),
    ],
)
def test_quotes_dashes_and_ellipses_follow_the_language(
    language: str, written: str, shown: str
) -> None:
    assert smart(written, language) == shown


def test_code_keeps_its_characters() -> None:
    text = 'Run print("hi") -- now'
    shown, _ = smarten(text, "en", [(4, 15)])
    assert shown == 'Run print("hi") \u2013 now'


@given(st.text(alphabet="ab .'\"-", max_size=40))
def test_the_offset_map_is_monotonic_and_ends_at_the_new_length(text: str) -> None:
    shown, where = smarten(text, "en")
    assert len(where) == len(text) + 1
    assert where == sorted(where) and where[-1] == len(shown)
