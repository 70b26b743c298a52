"""The typeset EPUB 3: languages, spans, navigation, metadata, bytes, and the validators."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from mutagen.mp4 import MP4

from publisher import BuildConfig, publish

from ..conftest import (
    DATA,
    EPUB_ONLY,
    SOURCE,
    Builder,
    ace_violations,
    epub_text,
    epubcheck_messages,
)
from ..daisy_validator import validate_daisy

OPF = "EPUB/content.opf"

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "epub": "http://www.idpf.org/2007/ops",
}


def xml(epub: Path, member: str) -> etree._Element:
    return etree.fromstring(epub_text(epub, member).encode("utf-8"))


def meta_values(opf: etree._Element, prop: str) -> list[str]:
    return [m.text or "" for m in opf.iterfind(f".//opf:meta[@property='{prop}']", NS)]


HOSTILE = '<script>alert("x")</script> & Sons; #1 = "best" \u202eevil\u202c'

MANUSCRIPTS = [
    SOURCE / "the-cartographer-of-small-rivers.md",
    SOURCE / "the-keeper-of-the-tide-clock.txt",
    DATA / "script-and-ampersands.md",
    DATA / "parts-and-chapters.txt",
    DATA / "front-and-back-matter.md",
    DATA / "article-without-headings.txt",
    DATA / "latin1-no-bom.txt",
    DATA / "french-novella.md",
    DATA / "hebrew-right-to-left.txt",
    DATA / "book-with-cover.md",
    DATA / "lexicon-book" / "names.md",
    DATA / "plain-italics-notes-illustrations.txt",
    DATA / "rich-book" / "rich-book.md",
]


def _tamper(epub: Path, member: str, old: str, new: str) -> Path:
    """Copy the EPUB with one text replacement in one member: a known-bad book."""
    broken = epub.with_name("broken.epub")
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new).encode("utf-8")
            target.writestr(info, data)
    return broken


SAMPLES = sorted(SOURCE.glob("*.*"))


@pytest.mark.slow
def test_markup_and_script_in_every_metadata_field_stay_text_everywhere(tmp_path: Path) -> None:
    manuscript = tmp_path / "hostile.md"
    fields = ("title", "subtitle", "author", "publisher", "description")
    front = "\n".join(f"{name}: '{HOSTILE.replace(chr(39), '')} {name}'" for name in fields)
    manuscript.write_text(f"---\n{front}\n---\n\n## {HOSTILE}\n\nThe text.\n", encoding="utf-8")
    report = publish(BuildConfig(manuscript, tmp_path / "out", {"narration.engine": "espeak"}))
    title = report.book.metadata.title
    assert "<script>" in title and "\u202e" not in title  # kept as text; bidi control gone
    assert epubcheck_messages(report.epub, tmp_path) == []
    assert validate_daisy(report.folder / "daisy") == []
    ncc = etree.parse(str(report.folder / "daisy" / "ncc.html"))
    assert ncc.findtext(".//{http://www.w3.org/1999/xhtml}title") == title
    m4b = MP4(next(report.folder.glob("*.m4b")))
    assert m4b.tags is not None and m4b.tags["\xa9nam"] == [title]
    # In the text, raw HTML is held to a book's markup: the script is gone, the rest stays.
    assert m4b.chapters is not None
    assert next(c.title for c in m4b.chapters).startswith('& Sons; #1 = "best"')
    assert not report.folder.name.startswith(".") and "/" not in report.folder.name


def test_language_is_declared_on_the_package_and_every_document(build: Builder) -> None:
    epub = build(SOURCE / "the-cartographer-of-small-rivers.md").epub
    assert xml(epub, OPF).get(XML_LANG) == "en-GB"
    with zipfile.ZipFile(epub) as archive:
        documents = [n for n in archive.namelist() if n.endswith(".xhtml")]
    assert len(documents) == 7  # title page, nav, five sections
    for name in documents:
        root = xml(epub, name)
        assert root.get(XML_LANG) == "en-GB" and root.get("lang") == "en-GB", name


def test_every_sentence_is_a_span_with_its_stable_id(build: Builder) -> None:
    report = build(DATA / "two-chapters-markdown.md")
    chapter = xml(report.epub, "EPUB/c01.xhtml")
    spans = chapter.findall(".//x:p/x:span", NS)
    assert [(s.get("id"), s.text) for s in spans] == [
        ("c01-p001-s01", "The first chapter has two sentences."),
        ("c01-p001-s02", "It ends here."),
    ]
    section = chapter.find(".//x:section", NS)
    assert section is not None
    assert (
        section.get(f"{{{NS['epub']}}}type") == "chapter" and section.get("role") == "doc-chapter"
    )


def test_manuscript_markup_is_never_run_and_only_a_books_own_is_kept(build: Builder) -> None:
    epub = build(DATA / "script-and-ampersands.md").epub
    with zipfile.ZipFile(epub) as archive:
        for name in archive.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                root = etree.fromstring(archive.read(name))
                tags = {etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str)}
                assert not tags & {"script", "b", "div"}, name
                assert not any("onclick" in e.attrib for e in root.iter()), name
    chapter = xml(epub, "EPUB/c01.xhtml")
    text = "".join(chapter.itertext())
    # A script is dropped whole; <em> is the book's own markup; no tag is shown as text.
    assert "alert" not in text and "<" not in text.replace("3 < 4", "")
    assert [e.text for e in chapter.iter(f"{{{NS['x']}}}em")] == ["please"]
    assert "Salt & vinegar, please." in text and "Raw HTML block" in text
    assert "Five is > 4 & 3 < 4." in text
    title = xml(epub, OPF).find(".//dc:title", NS)
    assert title is not None and title.text == "Fish & Chips <b>Bold</b>"


def test_navigation_has_toc_and_landmarks_and_the_ncx_agrees(build: Builder) -> None:
    epub = build(SOURCE / "the-keeper-of-the-tide-clock.txt").epub
    nav = xml(epub, "EPUB/nav.xhtml")
    toc = nav.find(".//x:nav[@role='doc-toc']", NS)
    assert toc is not None
    toc_titles = ["".join(a.itertext()) for a in toc.iterfind(".//x:a", NS)]
    assert toc_titles[0] == "PREFACE" and toc_titles[-1] == "AFTERWORD" and len(toc_titles) == 5
    landmarks = nav.find(f".//x:nav[@{{{NS['epub']}}}type='landmarks']", NS)
    assert landmarks is not None
    types = [a.get(f"{{{NS['epub']}}}type") for a in landmarks.iterfind(".//x:a", NS)]
    assert types == ["toc", "bodymatter"]
    ncx = xml(epub, "EPUB/toc.ncx")
    ncx_titles = [t.text for t in ncx.iterfind(".//ncx:navLabel/ncx:text", NS)]
    assert ncx_titles == toc_titles


def test_parts_nest_their_chapters_in_the_navigation(build: Builder) -> None:
    nav = xml(build(DATA / "parts-and-chapters.txt").epub, "EPUB/nav.xhtml")
    top = nav.findall(".//x:nav[@role='doc-toc']/x:ol/x:li", NS)
    assert ["".join(li.find("x:a", NS).itertext()) for li in top] == ["PART ONE", "PART TWO"]
    assert [a.text for a in top[0].iterfind("x:ol/x:li/x:a", NS)] == ["CHAPTER 1", "CHAPTER 2"]


def test_accessibility_metadata_is_complete(build: Builder) -> None:
    opf = xml(build(DATA / "two-chapters-markdown.md").epub, OPF)
    assert meta_values(opf, "schema:accessMode") == ["textual"]
    assert meta_values(opf, "schema:accessModeSufficient") == ["textual"]
    assert set(meta_values(opf, "schema:accessibilityFeature")) == {
        "tableOfContents",
        "readingOrder",
        "structuralNavigation",
        "displayTransformability",
    }
    assert meta_values(opf, "schema:accessibilityHazard") == ["none"]
    assert len(meta_values(opf, "schema:accessibilitySummary")[0]) > 100
    assert meta_values(opf, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert meta_values(opf, "a11y:certifiedBy")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta_values(opf, "dcterms:modified")[0])


def test_identifier_survives_a_rebuild_and_differs_between_books(build: Builder) -> None:
    def identifier(path: Path) -> str:
        node = xml(build(path).epub, OPF).find(".//dc:identifier", NS)
        assert node is not None and node.text is not None
        return node.text

    first = identifier(DATA / "two-chapters-markdown.md")
    assert first.startswith("urn:uuid:")
    assert identifier(DATA / "two-chapters-markdown.md") == first
    assert identifier(DATA / "front-and-back-matter.md") != first


def test_same_manuscript_and_source_date_give_identical_bytes(
    build: Builder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = hashlib.sha256(build(SOURCE / "the-cartographer-of-small-rivers.md").epub.read_bytes())
    second = hashlib.sha256(build(SOURCE / "the-cartographer-of-small-rivers.md").epub.read_bytes())
    assert first.hexdigest() == second.hexdigest()
    opf = epub_text(build(DATA / "two-chapters-markdown.md").epub, OPF)
    assert "2026-01-01T00:00:00Z" in opf


def test_mimetype_comes_first_and_uncompressed(build: Builder) -> None:
    with zipfile.ZipFile(build(DATA / "two-chapters-markdown.md").epub) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"


def test_scene_breaks_are_labelled_rules(build: Builder) -> None:
    chapter = xml(build(DATA / "scene-breaks.md").epub, "EPUB/c01.xhtml")
    rules = chapter.findall(".//x:hr", NS)
    assert len(rules) == 3
    assert all(
        r.get("aria-label") == "Scene break" and r.get("class") == "scene-break" for r in rules
    )


@pytest.mark.slow
@pytest.mark.validators
@pytest.mark.parametrize("manuscript", MANUSCRIPTS, ids=lambda p: p.name)
def test_epubcheck_finds_no_errors_or_warnings(
    manuscript: Path, build: Builder, tmp_path: Path
) -> None:
    messages = epubcheck_messages(build(manuscript).epub, tmp_path)
    assert messages == []


@pytest.mark.slow
@pytest.mark.validators
@pytest.mark.parametrize("manuscript", MANUSCRIPTS, ids=lambda p: p.name)
def test_ace_finds_no_accessibility_violations(
    manuscript: Path, build: Builder, tmp_path: Path
) -> None:
    assert ace_violations(build(manuscript).epub, tmp_path) == []


@pytest.mark.slow
@pytest.mark.validators
@pytest.mark.parametrize("manuscript", SAMPLES, ids=lambda p: p.name)
def test_narrated_read_along_samples_pass_epubcheck_and_ace(
    manuscript: Path, build: Builder, tmp_path: Path
) -> None:
    # eSpeak NG narrates in a second; the Piper read-along build is validated in test_overlays.
    values = {**EPUB_ONLY, "narration.enabled": True, "narration.engine": "espeak"}
    epub = build(manuscript, values).epub
    assert epubcheck_messages(epub, tmp_path) == []
    assert ace_violations(epub, tmp_path) == []


@pytest.mark.slow
@pytest.mark.validators
def test_every_kind_of_content_read_along_with_endnotes_passes_epubcheck_and_ace(
    build: Builder, tmp_path: Path
) -> None:
    # Lists, quotes, a table, a figure, code, definitions, notes, a foreign phrase: with
    # Media Overlays nested by container (footnotes: the text-only builds above).
    book = build(
        DATA / "rich-book" / "rich-book.md",
        {
            **EPUB_ONLY,
            "narration.enabled": True,
            "narration.engine": "espeak",
            "structure.notes": "chapter",
        },
    )
    assert epubcheck_messages(book.epub, tmp_path) == []
    assert ace_violations(book.epub, tmp_path) == []


@pytest.mark.slow
@pytest.mark.validators
def test_the_validators_do_catch_a_broken_book(build: Builder, tmp_path: Path) -> None:
    epub = build(DATA / "two-chapters-markdown.md").epub
    dangling = _tamper(epub, "EPUB/c01.xhtml", "<h1 ", '<p><a href="missing.xhtml">x</a></p><h1 ')
    assert any(m["ID"] == "RSC-007" for m in epubcheck_messages(dangling, tmp_path))
    no_language = _tamper(epub, "EPUB/c01.xhtml", ' lang="en" xml:lang="en"', "")
    assert any("lang" in v for v in ace_violations(no_language, tmp_path))
