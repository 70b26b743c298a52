"""An EPUB 3 narrated in place: everything else kept byte for byte, overlays added, validators."""

from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from publisher import BuildConfig, publish

from ..conftest import CORPUS, DATA, EPUB_ONLY, ace_violations, epubcheck_messages
from ..epubs import body_text, make_epub

pytestmark = pytest.mark.slow

X = "{http://www.w3.org/1999/xhtml}"

RICH_BOOK = DATA / "rich-book" / "rich-book.md"

WASTELAND = CORPUS / "epub-idpf-wasteland.epub"


def _narrated(source: Path, out: Path, settings: dict[str, object] | None = None) -> Path:
    values = {**EPUB_ONLY, **(settings or {})}
    report = publish(BuildConfig(source, out, values))
    assert report.in_place
    return report.epub


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


@pytest.fixture(scope="module")
def typeset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid, accessible EPUB 3 with lists, notes, a figure and a table: the
    publisher's own, text only, as a library would hold it."""
    folder = tmp_path_factory.mktemp("typeset")
    shutil.copytree(RICH_BOOK.parent, folder / "in")
    report = publish(
        BuildConfig(folder / "in" / RICH_BOOK.name, folder / "out", {"narration.enabled": False})
    )
    return report.epub


@pytest.fixture(scope="module")
def narrated(typeset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _narrated(typeset, tmp_path_factory.mktemp("narrated"))


corpus = pytest.mark.skipif(not WASTELAND.exists(), reason=f"no corpus at {CORPUS}")


def test_in_place_keeps_every_other_part_and_every_word_where_it_was(
    typeset: Path, narrated: Path
) -> None:
    before, after = _members(typeset), _members(narrated)
    for name, data in before.items():
        if name.endswith(".xhtml") and data != after[name]:
            assert body_text(after[name]) == body_text(data), name
        elif not name.endswith(".opf"):
            assert after[name] == data, name  # CSS, pictures, navigation: byte for byte
    assert next(iter(after)) == "mimetype"
    added = set(after) - set(before)
    assert any(n.endswith(".mp3") for n in added) and any(n.endswith(".smil") for n in added)


def test_in_place_keeps_the_identifier_and_adds_what_the_audio_gives(
    typeset: Path, narrated: Path
) -> None:
    old = _members(typeset)["EPUB/content.opf"].decode()
    new = _members(narrated)["EPUB/content.opf"].decode()
    identifier = re.search(r"<dc:identifier[^>]*>([^<]+)<", old)
    assert identifier is not None and identifier.group(1) in new
    assert re.search(r'media-overlay="[^"]+"', new)
    for wanted in (
        'property="schema:accessModeSufficient">auditory<',
        'property="schema:accessibilityFeature">synchronizedAudioText<',
        'property="media:active-class">-epub-media-overlay-active<',
    ):
        assert wanted in new
    assert new.count('property="dcterms:modified"') == 1


def test_every_overlay_clip_points_at_an_element_of_its_document(narrated: Path) -> None:
    members = _members(narrated)
    smil_names = [n for n in members if n.endswith(".smil")]
    assert smil_names
    for name in smil_names:
        smil = etree.fromstring(members[name])
        for text in smil.iter("{http://www.w3.org/ns/SMIL}text"):
            href, _, fragment = str(text.get("src")).partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), href))
            root = etree.fromstring(members[target])
            assert root.xpath("//*[@id=$id]", id=fragment), (name, fragment)


@pytest.mark.validators
def test_an_accessible_epub_narrated_in_place_passes_epubcheck_and_ace(
    narrated: Path, tmp_path: Path
) -> None:
    assert epubcheck_messages(narrated, tmp_path) == []
    assert ace_violations(narrated, tmp_path) == []


@pytest.mark.validators
def test_a_book_narrated_again_has_only_the_new_narration(narrated: Path, tmp_path: Path) -> None:
    source = tmp_path / "in" / "narrated.epub"
    source.parent.mkdir()
    shutil.copyfile(narrated, source)
    again = _narrated(source, tmp_path / "out")
    before, after = _members(narrated), _members(again)
    assert len([n for n in after if n.endswith(".smil")]) == len(
        [n for n in before if n.endswith(".smil")]
    )
    assert len([n for n in after if n.endswith(".mp3")]) == len(
        [n for n in before if n.endswith(".mp3")]
    )
    assert epubcheck_messages(again, tmp_path) == []


@corpus
@pytest.mark.validators
def test_a_one_file_book_narrated_in_place_passes_epubcheck_and_adds_no_ace_finding(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in" / WASTELAND.name
    source.parent.mkdir()
    shutil.copyfile(WASTELAND, source)
    epub = _narrated(source, tmp_path / "out", {"narration.engine": "espeak"})
    assert epubcheck_messages(epub, tmp_path) == []
    found = set(ace_violations(epub, tmp_path / "after"))
    if found:  # the source's own findings may stay; nothing more
        assert found <= set(ace_violations(WASTELAND, tmp_path / "before"))


@pytest.mark.validators
def test_an_html_document_in_an_epub_3_is_repaired_and_narrated(tmp_path: Path) -> None:
    broken = (
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
        '<head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        '<title>Lights</title></head><body><section epub:type="chapter"><h2>The Quay</h2>'
        "<p>The quay was quiet.<br>The lamp burned on&nbsp;the caf\u00e9 wall.</p>"
        "</section></body></html>"
    )
    source = make_epub(tmp_path / "broken.epub", first=broken)
    report = publish(BuildConfig(source, tmp_path / "out", {"narration.enabled": False}))
    assert report.in_place
    said = [s.text for section in report.book.sections for s in section.sentences]
    assert "The lamp burned on the caf\u00e9 wall." in said
    assert epubcheck_messages(report.epub, tmp_path) == []


@pytest.mark.parametrize("in_place", [True, False], ids=["in-place", "retypeset"])
def test_the_narrator_says_a_word_as_the_sources_ssml_ph_spells_it(
    tmp_path: Path, in_place: bool
) -> None:
    def chapter(attributes: str) -> str:
        return (
            '<section epub:type="chapter"><h2>Names</h2><p>Ask <span xmlns:ssml="http://www.w3.'
            f'org/2001/10/synthesis" {attributes}>Siobhan</span> now.</p></section>'
        )

    audio = []
    for name, attributes in (("plain", ""), ("spelt", 'ssml:ph="ʃɪˈvɔːn"')):  # noqa: RUF001
        source = make_epub(tmp_path / f"{name}.epub", first=chapter(attributes))
        config = BuildConfig(
            source,
            tmp_path / name,
            {"input.in_place": in_place, "outputs.m4b": False, "outputs.daisy": False},
        )
        report = publish(config)
        audio.append((report.folder / report.chapters[0].href).read_bytes())
    assert audio[0] != audio[1]  # Piper is deterministic: only the phonemes differ
