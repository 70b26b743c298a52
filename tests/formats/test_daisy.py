"""The DAISY 2.02 talking book, checked by a validator of its rules."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from mutagen.mp3 import MP3

from publisher import BuildConfig, BuildReport, publish

from ..conftest import DATA
from ..daisy_validator import validate_daisy

BOOK = """---
title: The Lighthouse Log
author: Cara Moss
publisher: Small Harbour Books
date: 2025-03-14
---

# Part One

## The Lamp

The lamp was lit at dusk. It turned all night, and the ships kept their distance.

### The Oil

Oil came by boat every second Tuesday.

## The Fog

Fog rolled in from the east. The horn sounded every thirty seconds until dawn.

# Part Two

## The Keeper

The keeper wrote in the log each morning: wind, weather, and any ship that passed.
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    folder = tmp_path_factory.mktemp("daisy")
    manuscript = folder / "log.md"
    manuscript.write_text(BOOK, encoding="utf-8")
    return publish(BuildConfig(manuscript, folder / "out", {"narration.engine": "espeak"}))


Breakage = Callable[[Path], None]


def _edit(name: str, old: str, new: str, count: int = 1) -> Breakage:
    def apply(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return apply


def _regex(name: str, pattern: str, new: str) -> Breakage:
    def apply(folder: Path) -> None:
        path = folder / name
        text, count = re.subn(pattern, new, path.read_text(encoding="utf-8"), count=1)
        assert count == 1, pattern
        path.write_text(text, encoding="utf-8")

    return apply


def _delete(name: str) -> Breakage:
    return lambda folder: (folder / name).unlink()


def _swap_first_clips(folder: Path) -> None:
    path = folder / "02.smil"
    text = path.read_text(encoding="utf-8")
    begins = re.findall(r'clip-begin="(npt=[\d.]+s)"', text)
    text = text.replace(f'clip-begin="{begins[1]}"', 'clip-begin="TMP"', 1)
    text = text.replace(f'clip-begin="{begins[2]}"', f'clip-begin="{begins[1]}"', 1)
    path.write_text(text.replace('clip-begin="TMP"', f'clip-begin="{begins[2]}"', 1))


DEFECTS: dict[str, tuple[Breakage, str]] = {
    "missing metadata": (
        _regex("ncc.html", r'\s*<meta name="dc:identifier"[^>]*/>', ""),
        "dc:identifier appears 0",
    ),
    "metadata twice": (
        _regex("ncc.html", r'(<meta name="ncc:narrator"[^>]*/>)', r"\1\1"),
        "ncc:narrator appears 2",
    ),
    "broken NCC link": (
        _regex("ncc.html", r'href="02\.smil#[^"]+"', 'href="02.smil#nowhere"'),
        "points at no element",
    ),
    "missing SMIL": (_delete("03.smil"), "points at no file"),
    "missing audio": (_delete("01.mp3"), "audio 01.mp3 does not exist"),
    "clips out of order": (_swap_first_clips, "out of order"),
    "total time wrong": (
        _regex("ncc.html", r'(name="ncc:totalTime" content=")[^"]+', r"\g<1>01:00:00"),
        "do not add up|add up to",
    ),
    "elapsed time wrong": (
        _regex("03.smil", r'(name="ncc:totalElapsedTime" content=")[^"]+', r"\g<1>00:00:00.000"),
        "totalElapsedTime",
    ),
    "tocItems wrong": (
        _regex("ncc.html", r'(name="ncc:tocItems" content=")\d+', r"\g<1>99"),
        "ncc:tocItems says 99",
    ),
    "clip past the audio": (
        _regex(
            "01.smil", r'clip-end="npt=([\d.]+)s"(?![\s\S]*clip-end)', 'clip-end="npt=999.000s"'
        ),
        "lasts",
    ),
    "title not first": (_edit("ncc.html", 'class="title"', 'class="other"'), "first element"),
}


@pytest.mark.slow
def test_a_build_makes_a_valid_daisy_book_with_its_zip(book: BuildReport) -> None:
    daisy = book.folder / "daisy"
    assert validate_daisy(daisy) == []
    names = sorted(p.name for p in daisy.iterdir())
    smils = [n for n in names if n.endswith(".smil") and n != "master.smil"]
    assert len(smils) == len(book.chapters) and "content.html" in names
    with zipfile.ZipFile(book.folder / "the-lighthouse-log-daisy.zip") as archive:
        assert "the-lighthouse-log/ncc.html" in archive.namelist()
        assert sorted(n.split("/", 1)[1] for n in archive.namelist()) == names


@pytest.mark.slow
def test_the_ncc_nests_chapters_under_parts_and_counts_them(book: BuildReport) -> None:
    ncc = (book.folder / "daisy" / "ncc.html").read_text()
    headings = re.findall(r"<h(\d)[^>]*>\s*<a[^>]*>([^<]+)</a>", ncc)
    assert headings[0] == ("1", "The Lighthouse Log")
    assert ("2", "The Lamp") in headings and ("3", "The Oil") in headings
    assert f'name="ncc:tocItems" content="{len(headings)}"' in ncc
    assert 'name="ncc:depth" content="3"' in ncc
    assert 'name="dc:date" content="2025-03-14"' in ncc
    assert 'name="ncc:multimediaType" content="audioFullText"' in ncc


@pytest.mark.slow
def test_every_sentence_has_a_clip_from_the_timeline(book: BuildReport) -> None:
    daisy = book.folder / "daisy"
    for number, chapter in enumerate(book.chapters, 1):
        smil = etree.parse(str(daisy / f"{number:02d}.smil"))
        texts = [t.get("src").split("#")[1] for t in smil.iter("text")]
        assert texts == [item.id for item in chapter.timeline.items]
        ends = [a.get("clip-end") for a in smil.iter("audio")]
        assert ends[-1] == f"npt={chapter.timeline.duration_ms / 1000:.3f}s"
        length = MP3(daisy / f"{number:02d}.mp3").info.length
        assert abs(length - chapter.timeline.duration_ms / 1000) < 0.03


@pytest.mark.slow
@pytest.mark.parametrize("defect", list(DEFECTS))
def test_the_validator_catches_a_planted_defect(
    book: BuildReport, tmp_path: Path, defect: str
) -> None:
    broken = tmp_path / "daisy"
    shutil.copytree(book.folder / "daisy", broken)
    breakage, expected = DEFECTS[defect]
    breakage(broken)
    problems = validate_daisy(broken)
    assert any(re.search(expected, p) for p in problems), problems


def test_no_daisy_leaves_it_out(tmp_path: Path) -> None:
    manuscript = tmp_path / "note.md"
    manuscript.write_text("# A Note\n\nThe bell rang twice.\n", encoding="utf-8")
    report = publish(
        BuildConfig(
            manuscript,
            tmp_path / "out",
            {"narration.engine": "espeak", "outputs.daisy": False, "outputs.m4b": False},
        )
    )
    assert not (report.folder / "daisy").exists()
    assert not list(report.folder.glob("*-daisy.zip"))


@pytest.mark.slow
def test_every_kind_of_content_makes_a_valid_daisy_book_with_skippable_notes(
    tmp_path: Path,
) -> None:
    rich = DATA / "rich-book" / "rich-book.md"
    daisy = (
        publish(BuildConfig(rich, tmp_path / "out", {"narration.engine": "espeak"})).folder
        / "daisy"
    )
    assert validate_daisy(daisy) == []
    ncc = (daisy / "ncc.html").read_text(encoding="utf-8")
    assert re.search(r'name="ncc:footnotes" content="2"', ncc)
    smil = (daisy / "01.smil").read_text(encoding="utf-8")
    assert smil.count('system-required="footnote-on"') == 3  # "Note 1." and its 2 sentences
    content = etree.parse(str(daisy / "content.html"))
    tags = {etree.QName(e).localname for e in content.iter() if isinstance(e.tag, str)}
    # XHTML 1.0: lists and tables as they are, HTML5's aside and figure as div.
    assert {"ol", "ul", "table", "blockquote", "pre", "em"} <= tags
    assert not tags & {"aside", "figure", "figcaption", "section", "img"}
