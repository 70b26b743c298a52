"""PLS lexicons: read, applied before the rules, through both engines and a build."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from publisher import BuildConfig, publish
from publisher.audio.assemble import trim
from publisher.errors import ConfigError
from publisher.speech.engines import load_engine
from publisher.speech.lexicon import Entry, keep_entry, load_lexicon
from publisher.speech.normalize import Normalizer

from ..conftest import DATA, assert_one_line_error, run

BOOK = DATA / "lexicon-book"

PLS = '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en">'


def write_pls(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "lexicon.pls"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{PLS}\n{body}\n</lexicon>\n')
    return path


def test_aliases_and_ipa_are_read() -> None:
    lexicon = load_lexicon(BOOK / "lexicon.pls")
    assert lexicon.language == "en"
    assert lexicon.phonemes() == {"Xyzzak": "ˈʃiːvɔːn"}
    assert lexicon.apply_aliases("NYC, not NYCE.") == "New York City, not NYCE."


def test_aliases_apply_before_the_rules_and_in_publisher_normalize() -> None:
    say = Normalizer.for_text("en", "", load_lexicon(BOOK / "lexicon.pls"))
    assert say("He flew to NYC at 5 pm.") == "He flew to New York City at five P-M."
    result = run("normalize", "--lexicon", BOOK / "lexicon.pls", "NYC in 1999")
    assert result.exit_code == 0 and result.stdout == "New York City in nineteen ninety-nine\n"


@pytest.mark.parametrize(
    ("body", "line", "phrase"),
    [
        ("<lexeme><grapheme>A</grapheme><alias>ay</alias>\n</lexem>", 4, "not well-formed"),
        ("<lexeme>\n<alias>nothing</alias></lexeme>", 3, "non-empty <grapheme>"),
        ("\n\n<lexeme><grapheme>B</grapheme></lexeme>", 5, "an <alias> or an IPA <phoneme>"),
        (
            '<lexeme><grapheme>C</grapheme><phoneme alphabet="x-sampa">k</phoneme></lexeme>',
            3,
            "only alphabet",
        ),
    ],
)
def test_a_malformed_lexicon_is_an_error_naming_the_line(
    tmp_path: Path, body: str, line: int, phrase: str
) -> None:
    path = write_pls(tmp_path, body)
    with pytest.raises(ConfigError) as raised:
        load_lexicon(path)
    assert f"lexicon.pls, line {line}" in str(raised.value) and phrase in str(raised.value)


def test_a_lexicon_error_stops_the_build_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "book.md").write_text("Text about NYC.\n")
    write_pls(tmp_path, "<lexeme><grapheme>NYC</grapheme></lexeme>")
    assert_one_line_error(
        run("build", tmp_path / "book.md", "-o", tmp_path / "out"), "lexicon.pls, line 3"
    )


@pytest.mark.slow
def test_piper_says_the_lexicon_ipa_instead_of_guessing() -> None:
    piper = load_engine("piper")
    guessed = piper.synthesize("Xyzzak waved.", "en_US-joe-medium")
    told = piper.synthesize("Xyzzak waved.", "en_US-joe-medium", {"Xyzzak": "ˈʃiːvɔːn"})
    same = piper.synthesize("Shivawn waved.", "en_US-joe-medium")
    assert told.pcm != guessed.pcm
    assert abs(told.samples - same.samples) < abs(guessed.samples - same.samples)


def test_espeak_says_the_lexicon_ipa_through_its_own_phoneme_notation() -> None:
    espeak = load_engine("espeak")
    guessed = espeak.synthesize("Xyzzak waved.", "en-us")
    told = espeak.synthesize("Xyzzak waved.", "en-us", {"Xyzzak": "ʃɪˈvɔːn"})
    real = espeak.synthesize("Siobhan waved.", "en-us")
    assert told.pcm != guessed.pcm
    assert abs(told.samples - real.samples) < abs(guessed.samples - real.samples)


@pytest.mark.slow
def test_lexicon_round_trip_through_a_real_build(tmp_path: Path) -> None:
    with_lexicon = publish(BuildConfig(BOOK / "names.md", tmp_path / "with"))
    plain_copy = tmp_path / "plain" / "names.md"
    plain_copy.parent.mkdir()
    plain_copy.write_bytes((BOOK / "names.md").read_bytes())
    without = publish(BuildConfig(plain_copy, tmp_path / "without"))

    with zipfile.ZipFile(with_lexicon.epub) as archive:
        assert archive.read("EPUB/lexicon.pls") == (BOOK / "lexicon.pls").read_bytes()
        opf = archive.read("EPUB/content.opf").decode()
        assert 'href="lexicon.pls"' in opf and 'media-type="application/pls+xml"' in opf
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                assert (
                    '<link rel="pronunciation" type="application/pls+xml" '
                    'href="lexicon.pls" hreflang="en"/>'
                ) in archive.read(name).decode()
    with zipfile.ZipFile(without.epub) as archive:
        assert "EPUB/lexicon.pls" not in archive.namelist()

    report = json.loads((with_lexicon.folder / "report.json").read_text())
    assert report["engine"] == "piper"
    spoken_with = with_lexicon.chapters[0].timeline.items[1]
    spoken_without = without.chapters[0].timeline.items[1]
    assert spoken_with.id == spoken_without.id == "c01-p001-s01"
    # The same sentence, said with the lexicon, takes a different time: the alias and the
    # IPA name replaced the letters N Y C and Piper's guess at "Xyzzak".
    say = Normalizer.for_text("en", "", load_lexicon(BOOK / "lexicon.pls"))
    piper = load_engine("piper")
    expected = piper.synthesize(
        say("Xyzzak flew to NYC in the spring."), "en_US-joe-medium", {"Xyzzak": "ˈʃiːvɔːn"}
    )
    measured = spoken_with.end_ms - spoken_with.start_ms
    assert measured != spoken_without.end_ms - spoken_without.start_ms
    trimmed = len(trim(expected.pcm, expected.sample_rate)) // 2
    assert abs(measured - trimmed * 1000 / expected.sample_rate) <= 1


def test_a_kept_entry_replaces_the_word_s_old_one_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write_pls(
        tmp_path,
        "<!-- the editor's note -->\n"
        "<lexeme><grapheme>Aoife</grapheme><alias>ee fa</alias></lexeme>\n"
        "<lexeme><grapheme>Tomás</grapheme><alias>toe mass</alias></lexeme>",
    )
    kept = keep_entry(path, Entry(("Aoife",), None, "\u02c8i\u02d0f\u0259"), "en")
    assert load_lexicon(path).entries == kept.entries
    assert {e.graphemes[0]: (e.alias, e.ipa) for e in kept.entries} == {
        "Tomás": ("toe mass", None),
        "Aoife": (None, "\u02c8i\u02d0f\u0259"),
    }
    assert "the editor's note" in path.read_text(encoding="utf-8")


def test_a_kept_entry_makes_the_lexicon_when_there_is_none(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.pls"
    keep_entry(path, Entry(("Siobhan",), "Shiv awn"), "en-GB")
    lexicon = load_lexicon(path)
    assert lexicon.language == "en-GB"
    assert lexicon.entries == (Entry(("Siobhan",), "Shiv awn"),)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp")]
