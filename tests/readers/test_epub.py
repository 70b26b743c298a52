"""EPUBs read and re-typeset: metadata, chapters from the contents, hostile archives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from publisher.readers import read_manuscript

from ..conftest import Builder, assert_one_line_error, epub_text, run
from ..epubs import ONE_FILE, ONE_FILE_NAV, OPF, make_epub


def test_an_epub_gives_its_metadata_chapters_from_its_contents_and_its_notes(
    tmp_path: Path, build: Builder
) -> None:
    report = build(make_epub(tmp_path / "lights.epub"), {"input.in_place": False})
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
        report = build(epub, {"input.in_place": in_place})
    except Exception as exc:  # refusing it is as good as not expanding it
        assert "TOP SECRET" not in str(exc)
        return
    assert "TOP SECRET" not in report.book.metadata.title
    with zipfile.ZipFile(report.epub) as archive:
        assert not any(b"TOP SECRET" in archive.read(n) for n in archive.namelist())


@pytest.mark.slow
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


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "retypeset"])
def test_a_book_in_one_file_gives_the_chapters_its_contents_names(
    tmp_path: Path, build: Builder, in_place: bool
) -> None:
    epub = make_epub(tmp_path / "tales.epub", first=ONE_FILE, second=None, nav=ONE_FILE_NAV)
    report = build(epub, {"input.in_place": in_place})
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
        assert (
            build(epub, {"input.in_place": in_place}).book.metadata.author
            == "Nora Vale and Ira Holt"
        )
