"""Word documents: headings, figures, properties, tracked changes, hostile files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from publisher.model import ParagraphBlock, block_text
from publisher.readers import read_manuscript
from publisher.readers.docx import DocxReader

from ..conftest import CORPUS, Builder, assert_one_line_error, epub_text, run

X = "{http://www.w3.org/1999/xhtml}"


CARMEN = CORPUS / "html-pg2465-carmen.htm"

DOCX = CORPUS / "docx-manubot-ten-quick-tips-deep-learning.docx"

TRACKED = CORPUS / "docx-manubot-ten-quick-tips-deep-learning-tracked-changes.docx"

needs_corpus = pytest.mark.skipif(not CARMEN.exists(), reason=f"no corpus at {CORPUS}")


def chapter(epub: Path, number: int) -> etree._Element:
    return etree.fromstring(epub_text(epub, f"EPUB/c{number:02d}.xhtml").encode("utf-8"))


def _docx(path: Path, body: str, extra: dict[str, bytes] | None = None) -> Path:
    """A minimal Word document: the parts Word itself needs to open one."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" Content'
            'Type="application/xml"/><Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
            '+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        for name, blob in (extra or {}).items():
            archive.writestr(name, blob)
    return path


def _paragraph(text: str, style: str | None = None, italic: bool = False) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    run = "<w:rPr><w:i/></w:rPr>" if italic else ""
    return f'<w:p>{props}<w:r>{run}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


@pytest.mark.slow
@needs_corpus
def test_a_word_manuscript_gives_its_headings_figures_and_properties(build: Builder) -> None:
    report = build(DOCX)
    book = report.book
    assert book.metadata.title == "Ten Quick Tips for Deep Learning in Biology"
    assert book.metadata.language == "en-US"
    titles = [s.display_title for s in book.sections]
    assert titles[2:4] == [
        "Introduction",
        "Tip 1: Decide whether deep learning is appropriate for your problem",
    ]
    assert titles[-1] == "References"
    opf = epub_text(report.epub, "EPUB/content.opf")
    assert opf.count('media-type="image/png"') == 2
    alts = [
        img.get("alt") or ""
        for number in range(1, len(book.sections) + 1)
        for img in chapter(report.epub, number).iter(f"{X}img")
    ]
    assert len(alts) == 2 and all(alt.startswith("Figure") for alt in alts)
    text = "".join(chapter(report.epub, 4).itertext())
    assert "[1" not in text  # citation links into the reference list are not read


@pytest.mark.slow
@needs_corpus
def test_tracked_changes_read_as_accepted_give_the_clean_copy() -> None:
    clean = DocxReader().read(DOCX)
    tracked = DocxReader().read(TRACKED)
    assert [block_text(b) for b in tracked.blocks] == [block_text(b) for b in clean.blocks]


def test_a_small_word_document_keeps_its_italics_and_insertions_not_its_deletions(
    tmp_path: Path,
) -> None:
    body = (
        _paragraph("The Harbour", "Heading1")
        + '<w:p><w:r><w:t xml:space="preserve">The tide came </w:t></w:r>'
        + '<w:ins w:id="1" w:author="Ed"><w:r><w:t>early</w:t></w:r></w:ins>'
        + '<w:del w:id="2" w:author="Ed"><w:r><w:delText>late</w:delText></w:r></w:del>'
        + '<w:r><w:t xml:space="preserve"> that </w:t></w:r><w:r><w:rPr><w:i/></w:rPr>'
        + "<w:t>morning</w:t></w:r><w:r><w:t>.</w:t></w:r></w:p>"
    )
    found = read_manuscript(_docx(tmp_path / "tide.docx", body))
    paragraphs = [b for b in found.blocks if isinstance(b, ParagraphBlock)]
    assert [p.text for p in paragraphs] == ["The tide came early that morning."]
    assert "emphasis" in repr(paragraphs[0].inline)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        (lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), "not a Word document"),
        (lambda p: p.write_text("plain text, renamed"), "not a Word document"),
        (
            lambda p: zipfile.ZipFile(p, "w").writestr("other.xml", "<x/>"),
            "has no document body",
        ),
        (
            lambda p: _docx(p, _paragraph("Hi"), {"word/media/bomb.bin": bytes(300 * 2**20)}),
            "unpacks to more than a book can hold",
        ),
    ],
    ids=["truncated", "renamed", "no-body", "zip-bomb"],
)
def test_hostile_word_files_end_in_one_error_line(
    tmp_path: Path, make: object, phrase: str
) -> None:
    path = tmp_path / "in" / "evil.docx"
    path.parent.mkdir()
    make(path)  # type: ignore[operator]
    result = run("build", path, "-o", tmp_path / "out", "--no-audio")
    assert_one_line_error(result, phrase)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_entities_in_a_word_document_are_never_expanded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET DOCX")
    path = _docx(tmp_path / "xxe.docx", _paragraph("Hello &x; world"))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b'<?xml version="1.0"?>', f'<?xml version="1.0"?>{doctype}'.encode()
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    found = DocxReader().read(path)
    assert "TOP SECRET" not in " ".join(block_text(b) for b in found.blocks)
