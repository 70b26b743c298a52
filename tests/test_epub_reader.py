"""EPUB in, re-typeset: a book built from the spine, and every hostile container refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from publisher.readers import read_manuscript

from .conftest import Builder, epub_text
from .test_cli import assert_one_line_error, run

CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:'
    'xmlns:container"><rootfiles><rootfile full-path="{opf}" media-type="application/'
    'oebps-package+xml"/></rootfiles></container>'
)
OPF = (
    '<?xml version="1.0"?>{doctype}<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
    'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
    '<dc:identifier id="id">urn:isbn:9780000000002</dc:identifier><dc:title>{title}</dc:title>'
    "<dc:creator>Nora Vale</dc:creator><dc:language>en</dc:language></metadata><manifest>"
    '<item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/>'
    '<item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/>'
    '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
    '</manifest><spine><itemref idref="c1"/>{second}</spine></package>'
)
XHTML = (
    '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.'
    'idpf.org/2007/ops"><head><title>x</title></head><body>{body}</body></html>'
)
NAV = XHTML.format(
    body='<nav epub:type="toc"><ol><li><a href="text/one.xhtml">The Quay</a></li>'
    '<li><a href="text/two.xhtml">The Lamp</a></li></ol></nav>'
)


def make_epub(
    path: Path,
    *,
    opf_path: str = "OEBPS/book.opf",
    title: str = "Harbour Lights",
    doctype: str = "",
    second: str | None = "c2",
    nav: str = NAV,
    extra: dict[str, bytes | str] | None = None,
    opf: str | None = None,
    first: str = '<section epub:type="chapter"><p>The quay was <em>quiet</em>'
    ' that night.<a epub:type="noteref" href="two.xhtml#n1">1</a></p></section>',
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER.format(opf=opf_path))
        package = (
            opf
            if opf is not None
            else OPF.format(
                doctype=doctype,
                title=title,
                second=f'<itemref idref="{second}"/>' if second else "",
            )
        )
        archive.writestr(opf_path, package)
        archive.writestr("OEBPS/nav.xhtml", nav)
        whole = first.startswith(("<?xml", "<html"))
        archive.writestr("OEBPS/text/one.xhtml", first if whole else XHTML.format(body=first))
        archive.writestr(
            "OEBPS/text/two.xhtml",
            XHTML.format(
                body='<section epub:type="chapter"><h2>The Lamp</h2><p>It burned.</p>'
                '<aside epub:type="footnote" id="n1"><p>Colza oil.</p></aside>'
                "</section>"
            ),
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def test_an_epub_gives_its_metadata_chapters_from_its_contents_and_its_notes(
    tmp_path: Path, build: Builder
) -> None:
    report = build(make_epub(tmp_path / "lights.epub"), in_place=False)
    meta = report.book.metadata
    assert (meta.title, meta.author, meta.language) == ("Harbour Lights", "Nora Vale", "en")
    assert meta.identifier == "urn:isbn:9780000000002"  # kept: it is the same publication
    # One file without a heading takes its title from the contents; the other has its own.
    assert [s.display_title for s in report.book.sections] == ["The Quay", "The Lamp"]
    first = epub_text(report.epub, "EPUB/c01.xhtml")
    assert "<em>quiet</em>" in first and 'role="doc-noteref"' in first
    assert "Colza oil." in first  # the note is read where it is referenced


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "retypeset"])
def test_entities_in_the_package_are_never_expanded(
    tmp_path: Path, build: Builder, in_place: bool
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT")
    doctype = f'<!DOCTYPE package [<!ENTITY x SYSTEM "file://{secret}">]>'
    try:
        epub = make_epub(tmp_path / "xxe.epub", doctype=doctype, title="A &x; B")
        report = build(epub, in_place=in_place)
    except Exception as exc:  # refusing it is as good as not expanding it
        assert "TOP SECRET" not in str(exc)
        return
    assert "TOP SECRET" not in report.book.metadata.title
    with zipfile.ZipFile(report.epub) as archive:
        assert not any(b"TOP SECRET" in archive.read(n) for n in archive.namelist())


@pytest.mark.parametrize(
    ("options", "phrase"),
    [
        ({"opf_path": "../../escape.opf"}, "points outside itself"),
        ({"second": "missing"}, ""),
        ({"opf": "<package><not-closed>"}, "is not well-formed XML"),
        (
            {
                "extra": {
                    "META-INF/encryption.xml": "<encryption><EncryptedData><EncryptionMethod "
                    'Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/></EncryptedData>'
                    "</encryption>"
                }
            },
            "encrypted (DRM)",
        ),
        ({"extra": {"OEBPS/big.bin": bytes(300 * 2**20)}}, "unpacks to more than a book can hold"),
    ],
    ids=["climbs-out", "spine-to-nothing", "opf-not-xml", "drm", "zip-bomb"],
)
@pytest.mark.parametrize("mode", ["--in-place", "--retypeset"])
def test_hostile_epubs_end_in_one_error_line_or_a_clean_book(
    tmp_path: Path, options: dict[str, object], phrase: str, mode: str
) -> None:
    path = make_epub(tmp_path / "in.epub", **options)  # type: ignore[arg-type]
    result = run("build", path, "-o", tmp_path / "out", "--no-audio", mode)
    if not phrase:  # a spine entry the manifest lacks is skipped: the rest is the book
        assert result.exit_code == 0, result.output
        return
    assert_one_line_error(result, phrase)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_renamed_file_is_not_an_epub(tmp_path: Path) -> None:
    path = tmp_path / "notes.epub"
    path.write_text("just text")
    with pytest.raises(Exception, match="not an EPUB"):
        read_manuscript(path)


ONE_FILE_NAV = XHTML.format(
    body='<nav epub:type="toc"><ol><li><a href="text/one.xhtml#s4">SECTION IV FAIRY STORIES</a>'
    '<ol><li><a href="text/one.xhtml#t190">190 A FOUR-LEAVED CLOVER</a></li>'
    '<li><a href="text/one.xhtml#t191">191 THE REAL PRINCESS</a></li></ol></li></ol></nav>'
)
ONE_FILE = (
    '<section id="s4"><h2>SECTION IV <span>FAIRY STORIES</span></h2>'
    '<section id="t190"><h3>190</h3><p>The rabbis of old were good story-tellers.</p>'
    "<h4>A FOUR-LEAVED CLOVER</h4><p>Once there was a clover.</p></section>"
    '<section id="t191"><h3>191</h3><p>There was once a prince.</p></section></section>'
)


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "retypeset"])
def test_a_book_in_one_file_gives_the_chapters_its_contents_names(
    tmp_path: Path, build: Builder, in_place: bool
) -> None:
    epub = make_epub(tmp_path / "tales.epub", first=ONE_FILE, second=None, nav=ONE_FILE_NAV)
    report = build(epub, in_place=in_place)
    chapters = [s for s in report.book.sections if s.kind != "part"]
    assert [s.display_title for s in chapters] == [
        "190 A FOUR-LEAVED CLOVER",
        "191 THE REAL PRINCESS",
    ]
    assert "FOUR-LEAVED" in " ".join(str(chapters[-2].title).split())


def test_every_author_of_an_epub_is_named_and_other_roles_are_not(
    tmp_path: Path, build: Builder
) -> None:
    creators = (
        "<dc:creator>Nora Vale</dc:creator>"
        '<dc:creator id="b">Ira Holt</dc:creator><meta refines="#b" property="role">aut</meta>'
        '<dc:creator id="t">Sam Reed</dc:creator><meta refines="#t" property="role">trl</meta>'
    )
    opf = OPF.format(doctype="", title="Harbour Lights", second='<itemref idref="c2"/>')
    epub = make_epub(
        tmp_path / "two.epub", opf=opf.replace("<dc:creator>Nora Vale</dc:creator>", creators)
    )
    for in_place in (True, False):
        assert build(epub, in_place=in_place).book.metadata.author == "Nora Vale and Ira Holt"
