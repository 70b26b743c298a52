"""The web player's pages, read as files: what a browser and a web server would be given."""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import html

from publisher import BuildConfig, BuildReport, publish
from publisher.check import check_book
from publisher.formats.web import DATA_ID, POLICY

from ..conftest import write

pytestmark = pytest.mark.slow

HOSTILE = "The Gate </script><script>alert(1)</script> & <!-- Co"
MANUSCRIPT = f"""---
title: "{HOSTILE}"
author: Ann Example
language: en
---

# Part One

## The Quay

The boat came in at dawn. *Nobody* waited on the quay.[^1]

- rope
- salt

[^1]: The quay was new.

## The Hill

Up the hill stood a house. Its door was blue, and <b>its</b> windows were dark.

# Part Two

## The Road

The road ran west. See [the map](https://example.org/map).

#### A detail of the road

It was paved once.
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    folder = tmp_path_factory.mktemp("web")
    manuscript = write(folder / "in" / "quay.md", MANUSCRIPT)
    return publish(BuildConfig(manuscript, folder / "out", {}))


def pages(report: BuildReport) -> list[Path]:
    return [report.folder / name for name in report.outputs["web"] if name.endswith(".html")]


def data_of(path: Path) -> dict[str, object]:
    tree = html.parse(str(path))
    (script,) = tree.xpath(f"//script[@id='{DATA_ID}']")
    parsed = json.loads(script.text)
    assert isinstance(parsed, dict)
    return parsed


def test_each_chapter_has_a_page_naming_its_mp3_with_every_clip_inline(book: BuildReport) -> None:
    chapters = {c.section.id: c for c in book.chapters}
    found = {}
    for path in pages(book):
        if path.name == "index.html":
            continue
        data = data_of(path)
        tree = html.parse(str(path))
        (audio,) = tree.xpath("//audio")
        assert (path.parent / audio.get("src")).resolve().is_file()
        chapter = chapters[str(data["chapter"])]
        assert audio.get("src") == f"../{chapter.href}"
        items = [i for i in chapter.timeline.items if i.end_ms > i.start_ms]
        assert data["clips"] == [
            [i.id, i.start_ms / 1000, i.end_ms / 1000, i.paragraph_id] for i in items
        ]
        for clip_id, *_ in data["clips"]:  # type: ignore[misc]
            assert tree.xpath(f"//*[@id='{clip_id}']"), clip_id
        found[chapter.section.id] = path.name
    assert len(found) == len(chapters) > 3


def test_manuscript_text_is_shown_never_run(book: BuildReport) -> None:
    for path in pages(book):
        text = path.read_text(encoding="utf-8")
        tree = html.parse(str(path))
        scripts = tree.xpath("//script")
        assert [s.get("src") for s in scripts] == [None, "player.js"], path.name
        assert scripts[0].get("type") == "application/json"
        assert "alert(1)</script>" not in text
        assert "<!-- Co" not in text
        assert not tree.xpath("//b | //*[@onclick] | //*[@onerror]")
        title = tree.findtext(".//title")
        assert title is not None and HOSTILE in title, title
    index = book.folder / "web" / "index.html"
    assert html.parse(str(index)).findtext(".//h1") == HOSTILE


def test_pages_load_nothing_from_anywhere_else(book: BuildReport) -> None:
    for path in pages(book):
        tree = html.parse(str(path))
        (policy,) = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
        assert policy == POLICY and "default-src 'none'" in policy
        loaded = tree.xpath("//@src | //link/@href")
        assert loaded and all(not re.match(r"^[a-z]+:|^//", str(u)) for u in loaded), loaded
        # Links a reader may follow are the manuscript's own, or the book's pages.
        for href in tree.xpath("//a/@href"):
            target = str(href)
            assert (
                target.startswith(("#", "https://example.org/"))
                or (path.parent / target.split("#", 1)[0]).is_file()
            ), target


def test_contents_nest_chapters_in_their_parts_and_notes_link_within_the_page(
    book: BuildReport,
) -> None:
    index = html.parse(str(book.folder / "web" / "index.html"))
    top = index.xpath("//nav[@id='toc']/ol/li")
    assert [li.xpath("string(a)") for li in top] == ["Part One", "Part Two"]
    assert [a.text for a in top[0].xpath("ol/li/a")] == ["The Quay", "The Hill"]
    assert [a.text for a in top[1].xpath("ol/li/a")] == ["The Road"]
    quay = next(p for p in pages(book) if "the-quay" in p.name)
    tree = html.parse(str(quay))
    (ref,) = tree.xpath("//a[contains(@class, 'noteref')]")
    assert tree.xpath(f"//*[@id='{ref.get('href')[1:]}']")
    assert tree.xpath("//ul/li") and tree.xpath("//em[text()='Nobody']")


def test_the_player_is_named_in_english_inside_a_book_in_another_language(
    tmp_path: Path,
) -> None:
    manuscript = write(
        tmp_path / "conte.md",
        "---\ntitle: Le Quai\nlanguage: fr\n---\n\n# Le matin\n\nLe bateau arriva. Personne.\n",
    )
    report = publish(BuildConfig(manuscript, tmp_path / "out", {"narration.engine": "espeak"}))
    page = next(p for p in pages(report) if p.name != "index.html")
    tree = html.parse(str(page))
    assert tree.getroot().get("lang") == "fr"
    for group in tree.xpath("//div[@role='group']"):
        assert group.xpath("ancestor-or-self::*[@lang][1]/@lang") == ["en"]
    assert tree.xpath("//a[@href='index.html']/text()") == ["Table des matières"] * 2
    assert not tree.xpath("//a[@href='index.html']/ancestor-or-self::*[@lang='en']")


def test_publisher_check_measures_the_player_and_it_is_off_by_a_setting(
    book: BuildReport, tmp_path: Path
) -> None:
    findings = [f for f in check_book(book.folder) if f.subject.startswith("web/")]
    assert findings and all(f.ok for f in findings), findings
    manuscript = write(tmp_path / "s.md", "# One\n\nA line.\n")
    report = publish(BuildConfig(manuscript, tmp_path / "out", {"outputs.web": False}))
    assert "web" not in report.outputs and not (report.folder / "web").exists()
    silent = publish(BuildConfig(manuscript, tmp_path / "quiet", {"narration.enabled": False}))
    assert "web" not in silent.outputs


def test_no_page_skips_a_heading_level(book: BuildReport) -> None:
    """Each page's heading is its h1; a subheading two levels down in the manuscript is
    still the page's h2, as a screen reader's list of headings expects."""
    for path in pages(book):
        levels = [int(h.tag[1]) for h in html.parse(str(path)).iter("h1", "h2", "h3", "h4")]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels)), path.name
    road = next(p for p in pages(book) if "the-road" in p.name)
    assert html.parse(str(road)).xpath("//h2/text()") == ["A detail of the road"]
