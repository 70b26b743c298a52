"""Real manuscripts nobody here wrote (../shared/corpus), read as an editor expects.

Each item has a NAME.expected.json taken from the work itself: title, author, language,
its chapters in order (and parts), what must not be narrated. The chapters compared are
the manuscript's own: topic chapters the publisher adds to a text without headings are
not the work's structure, so such a text must show none of its own (its expected list is
its title alone). Files are copied to tmp_path; the corpus is read-only.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest

from publisher import BuildConfig, BuildReport, publish
from publisher.model import Section

from .conftest import CORPUS, ace_violations, epubcheck_messages

ITEMS = sorted(
    p
    for p in CORPUS.glob("*")
    if p.suffix in {".txt", ".md", ".htm", ".epub", ".docx"} and p.name != "README.md"
)
# Words that only the licence, the header and producers' credits say, as they say them
# ("produced by America" is Twain's).
LICENCE = re.compile(
    r"Project Gutenberg|PROJECT GUTENBERG|Small Print|SMALL PRINT|Gutenberg-tm|"
    r"^\W*Produced by|Scanned and proofed|\*\*\* ?START|\*END\*",
    re.MULTILINE,
)

pytestmark = pytest.mark.skipif(not ITEMS, reason=f"no corpus at {CORPUS}")


def key(text: str) -> str:
    """Titles compared as an editor reads them: case, punctuation and note marks aside."""
    text = re.sub(r"\[\w{1,3}\]", "", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(re.findall(r"\w+", text.replace("'", "").replace("\u2019", "")))


def expected(item: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        item.with_name(f"{item.stem}.expected.json").read_text(encoding="utf-8")
    )
    return data


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuildReport]:
    reports = {}
    for item in ITEMS:
        folder = tmp_path_factory.mktemp(item.stem[:40])
        copy = folder / "in" / item.name
        copy.parent.mkdir()
        shutil.copyfile(item, copy)
        reports[item.name] = publish(
            BuildConfig(copy, folder / "out", {"narration.enabled": False})
        )
    return reports


def own_chapters(report: BuildReport) -> list[Section]:
    return [s for s in report.book.sections if s.from_manuscript and s.matter == "body"]


def matches(section: Section, title: str) -> bool:
    wanted = key(title)
    return wanted in {
        key(section.display_title),
        key(section.label or ""),
        key(section.title or ""),
    }


@pytest.mark.slow
@pytest.mark.parametrize("item", ITEMS, ids=lambda p: p.stem[:40])
def test_title_is_the_works_own(item: Path, built: dict[str, BuildReport]) -> None:
    assert key(built[item.name].book.metadata.title) == key(expected(item)["title"])


@pytest.mark.slow
@pytest.mark.parametrize("item", ITEMS, ids=lambda p: p.stem[:40])
def test_author_and_language_are_the_works_own(item: Path, built: dict[str, BuildReport]) -> None:
    meta, want = built[item.name].book.metadata, expected(item)
    assert meta.language.split("-")[0] == want["language"].split("-")[0]
    text = item.read_bytes().decode("utf-8", errors="replace")
    if want["author"].split()[-1] in text:  # an author the file never names can't be found
        assert meta.author == want["author"]


@pytest.mark.slow
@pytest.mark.parametrize("item", ITEMS, ids=lambda p: p.stem[:40])
def test_chapters_are_the_works_own_in_order(item: Path, built: dict[str, BuildReport]) -> None:
    report, want = built[item.name], expected(item)
    chapters = [s for s in own_chapters(report) if s.kind != "part"]
    if not chapters:  # no structure of its own: the whole text is one work
        assert [key(t) for t in want["chapters"]] == [key(report.book.metadata.title)]
        return
    assert len(chapters) == len(want["chapters"]), [s.display_title for s in chapters]
    for section, title in zip(chapters, want["chapters"], strict=True):
        assert matches(section, title), (section.display_title, title)
    parts = [s for s in own_chapters(report) if s.kind == "part"]
    assert [key(s.display_title) for s in parts] == [key(p["title"]) for p in want.get("parts", [])]


@pytest.mark.slow
@pytest.mark.parametrize("item", ITEMS, ids=lambda p: p.stem[:40])
def test_nothing_of_the_licence_or_credits_is_shown_or_narrated(
    item: Path, built: dict[str, BuildReport]
) -> None:
    report = built[item.name]
    for sentence in (s for section in report.book.sections for s in section.sentences):
        assert not LICENCE.search(sentence.text), sentence
    if report.in_place:
        return  # the source's own pages are shown as they were; only narration is ours
    with zipfile.ZipFile(report.epub) as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                text = archive.read(name).decode("utf-8")
                assert not LICENCE.search(text), (name, LICENCE.search(text))


# The header-less Candide makes the same book as Candide with its header, and the tracked
# manuscript the same as its clean copy (tested above and in test_html_and_docx.py), so
# their validation is spared.
TWINS = {
    "pg4650-candide-fr-no-pg-header.txt",
    "docx-manubot-ten-quick-tips-deep-learning-tracked-changes.docx",
}
VALIDATED = [item for item in ITEMS if item.name not in TWINS]


@pytest.mark.slow
@pytest.mark.validators
@pytest.mark.parametrize("item", VALIDATED, ids=lambda p: p.stem[:40])
def test_epubcheck_and_ace_pass_every_corpus_book(
    item: Path, built: dict[str, BuildReport], tmp_path: Path
) -> None:
    report = built[item.name]
    assert epubcheck_messages(report.epub, tmp_path) == []
    found = ace_violations(report.epub, tmp_path / "built")
    if report.in_place and found:  # the source's own pages: nothing the source lacks
        assert set(found) <= set(ace_violations(item, tmp_path / "source"))
    else:
        assert found == []
