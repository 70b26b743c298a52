"""An EPUB 3 narrated in place: its own pages kept, sentence spans and overlays added."""

from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from publisher import BuildConfig, publish
from publisher.inplace.book import read_in_place
from publisher.inplace.markup import Ids, Marker, is_silent

from .conftest import ace_violations, epubcheck_messages
from .test_cli import assert_one_line_error, run
from .test_corpus import CORPUS
from .test_epub_reader import make_epub

X = "{http://www.w3.org/1999/xhtml}"
RICH_BOOK = Path(__file__).parent / "data" / "rich-book" / "rich-book.md"
WASTELAND = CORPUS / "epub-idpf-wasteland.epub"
TIME_MACHINE = CORPUS / "epub-se-the-time-machine.epub"
THREE_BEARS = CORPUS / "epub2-pg23322-the-three-bears.epub"
DOCUMENT = (
    '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
    "<head><title>t</title></head><body><section>{body}</section></body></html>"
)

# --- the markup: spans inserted, nothing a reader sees changed ---

_words = st.sampled_from(
    ["The quay", "was quiet", "that night.", "It burned!", "Dr. Vale", "said so?", " ", "and"]
)
_atoms = st.sampled_from(
    [
        '<a epub:type="noteref" href="#n1">1</a>',
        '<span epub:type="pagebreak" title="7"/>',
        "<br/>",
        '<img src="a.png" alt="a lamp"/>',
    ]
)


def _inline(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    tags = st.sampled_from(["em", "strong", "i", "span", 'a href="#x"', 'span xml:lang="fr"'])
    return st.builds(
        lambda tag, inner: f"<{tag}>{''.join(inner)}</{tag.split()[0]}>",
        tags,
        st.lists(children, min_size=1, max_size=4),
    )


_content = st.recursive(st.one_of(_words, _atoms), _inline, max_leaves=12)


def _visible(element: etree._Element) -> str:
    """What is said: the text outside silent elements (note marks, page numbers)."""
    if is_silent(element):
        return " " if element.tag == f"{X}br" else ""
    return (element.text or "") + "".join(_visible(c) + (c.tail or "") for c in element)


def _atoms_of(root: etree._Element) -> list[str]:
    return sorted(etree.tostring(e, with_tail=False).decode() for e in root.iter() if is_silent(e))


@settings(max_examples=300, deadline=None)
@given(st.lists(_content, min_size=1, max_size=6))
def test_spans_change_no_text_and_each_sentence_is_one_span(pieces: list[str]) -> None:
    source = DOCUMENT.format(body=f"<p>{''.join(pieces)}</p>")
    root = etree.fromstring(source)
    before_text = "".join(root.itertext())
    before_atoms = _atoms_of(root)
    spoken = " ".join(_visible(root.find(f".//{X}p")).split())  # type: ignore[arg-type]
    units = Marker("en", Ids()).document(root)
    again = etree.fromstring(etree.tostring(root))  # still well-formed
    assert "".join(again.itertext()) == before_text
    assert _atoms_of(again) == before_atoms  # every note mark, page break, picture once
    ids = [e.get("id") for e in again.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    said: list[str] = []
    for unit in units:
        for sentence in unit.sentences:
            span = again.find(f".//{X}span[@id='{sentence.id}']")
            assert span is not None
            shown = " ".join(_visible(span).split())
            assert shown == " ".join(unit.text[sentence.start : sentence.end].split())
            said.append(shown)
    # The source's words, every one of them once and in order.
    assert " ".join(said).split() == spoken.split()


def test_a_heading_is_one_unit_and_a_roman_ordinal_is_said_as_a_number() -> None:
    root = etree.fromstring(
        DOCUMENT.format(
            body='<h2 epub:type="ordinal z3998:roman">IV</h2><p>Louis <span '
            'epub:type="z3998:roman">XIV</span> was king.</p>'
        )
    )
    heading, paragraph = Marker("en", Ids()).document(root)
    assert (heading.kind, heading.text) == ("heading", "4")
    assert root.find(f".//{X}h2").get("id") == heading.id  # type: ignore[union-attr]
    # In running text the normaliser reads a Roman numeral by its context.
    assert [s.text for s in paragraph.sentences] == ["Louis XIV was king."]


# --- whole books ---


def _narrated(source: Path, out: Path, **options: Any) -> Path:
    options.setdefault("m4b", False)
    options.setdefault("daisy", False)
    report = publish(BuildConfig(source, out, **options))
    assert report.in_place
    return report.epub


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def _body_text(data: bytes) -> str:
    """A document's text as read: a line break parts the words on either side."""
    root = etree.fromstring(data)
    for element in root.iter():
        if is_silent(element) and isinstance(element.tag, str):  # a line number, a note mark
            element.text = f" {element.text or ''} "
            element.tail = f" {element.tail or ''}"
    text = "".join(str(t) for t in root.find(f"{X}body").itertext())  # type: ignore[union-attr]
    return re.sub("[\u00ad\u200b\u2060\ufeff]", "", text)  # joiners are not said


@pytest.fixture(scope="module")
def typeset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid, accessible EPUB 3 with lists, notes, a figure and a table: the
    publisher's own, text only, as a library would hold it."""
    folder = tmp_path_factory.mktemp("typeset")
    shutil.copytree(RICH_BOOK.parent, folder / "in")
    report = publish(BuildConfig(folder / "in" / RICH_BOOK.name, folder / "out", audio=False))
    return report.epub


@pytest.fixture(scope="module")
def narrated(typeset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _narrated(typeset, tmp_path_factory.mktemp("narrated"))


def test_in_place_keeps_every_other_part_and_every_word_where_it_was(
    typeset: Path, narrated: Path
) -> None:
    before, after = _members(typeset), _members(narrated)
    for name, data in before.items():
        if name.endswith(".xhtml") and data != after[name]:
            assert _body_text(after[name]) == _body_text(data), name
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


corpus = pytest.mark.skipif(not WASTELAND.exists(), reason=f"no corpus at {CORPUS}")


@corpus
@pytest.mark.validators
def test_a_one_file_book_narrated_in_place_passes_epubcheck_and_adds_no_ace_finding(
    tmp_path: Path,
) -> None:
    source = tmp_path / "in" / WASTELAND.name
    source.parent.mkdir()
    shutil.copyfile(WASTELAND, source)
    epub = _narrated(source, tmp_path / "out", engine="espeak")
    assert epubcheck_messages(epub, tmp_path) == []
    found = set(ace_violations(epub, tmp_path / "after"))
    assert found <= set(ace_violations(WASTELAND, tmp_path / "before"))


@corpus
@pytest.mark.parametrize("item", [WASTELAND, TIME_MACHINE], ids=lambda p: p.stem)
def test_the_words_narrated_are_the_sources_own_each_once_in_order(item: Path) -> None:
    book = read_in_place(item)
    with zipfile.ZipFile(item) as archive:
        source_words = [
            w
            for name in book.package.documents()
            if name in book.documents
            for w in _body_text(archive.read(name)).split()
        ]
    said = [
        w
        for section in book.book.sections
        for paragraph in section.content
        for w in getattr(paragraph, "text", "").split()
    ]
    position = 0
    for word in said:  # a subsequence: nothing invented, repeated or out of order
        position = source_words.index(word, position) + 1 if word in source_words else -1
        assert position > 0, word
    assert len(said) > 0.9 * len(source_words)


@corpus
def test_an_epub_2_is_retypeset_and_cannot_be_narrated_in_place(tmp_path: Path) -> None:
    report = publish(BuildConfig(THREE_BEARS, tmp_path / "out", audio=False))
    assert not report.in_place
    result = run("build", THREE_BEARS, "-o", tmp_path / "again", "--no-audio", "--in-place")
    assert_one_line_error(result, "Media Overlays need EPUB 3")


def test_a_source_pronunciation_reaches_the_narrator(tmp_path: Path) -> None:
    ipa = "ŋwiən"
    chapter = (
        '<section epub:type="chapter"><h2>Names</h2><p>Ask <span xmlns:ssml='
        f'"http://www.w3.org/2001/10/synthesis" ssml:ph="{ipa}">Nguyen</span> now.</p></section>'
    )
    book = read_in_place(make_epub(tmp_path / "names.epub", first=chapter))
    assert book.lexicon.phonemes() == {"Nguyen": ipa}


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
    report = publish(BuildConfig(source, tmp_path / "out", audio=False))
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
        config = BuildConfig(source, tmp_path / name, in_place=in_place, m4b=False, daisy=False)
        report = publish(config)
        audio.append((report.folder / report.chapters[0].href).read_bytes())
    assert audio[0] != audio[1]  # Piper is deterministic: only the phonemes differ


def test_a_block_in_another_language_is_said_by_its_rules() -> None:
    root = etree.fromstring(
        DOCUMENT.format(body='<p>April.</p><div xml:lang="de">Bin gar keine Russin.</div>')
    )
    english, german = Marker("en-US", Ids()).document(root)
    assert english.marks == ()
    assert [(m.kind, m.value, german.text[m.start : m.end]) for m in german.marks] == [
        ("lang", "de", "Bin gar keine Russin.")
    ]


def test_a_missing_epub_is_named_as_missing(tmp_path: Path) -> None:
    result = run("build", tmp_path / "absent.epub", "-o", tmp_path / "out")
    assert_one_line_error(result, "no such file")


def test_gutenbergs_header_is_shown_and_not_narrated(tmp_path: Path) -> None:
    body = (
        '<section id="pg-header"><p>The Project Gutenberg eBook of Harbour Lights.</p></section>'
        '<section epub:type="chapter"><h2>The Quay</h2><p>The quay was quiet.</p></section>'
    )
    book = read_in_place(make_epub(tmp_path / "pg.epub", first=body))
    said = [s.text for section in book.book.sections for s in section.sentences]
    assert "The quay was quiet." in said
    assert not any("Gutenberg" in s for s in said)
    shown = etree.tostring(book.documents["OEBPS/text/one.xhtml"].root).decode()
    assert "The Project Gutenberg eBook of Harbour Lights." in shown
