"""Media Overlays of the typeset EPUB: every par points at a real fragment and clip."""

from __future__ import annotations

import zipfile
from array import array
from math import log10
from pathlib import Path

import pytest
from lxml import etree
from mutagen.mp3 import MP3

from publisher import BuildConfig, BuildReport, publish
from publisher.audio.ffmpeg import SAMPLE_RATE, decode_file

from ..conftest import DATA, SOURCE, ace_violations, epubcheck_messages

pytestmark = pytest.mark.slow

NS = {
    "s": "http://www.w3.org/ns/SMIL",
    "opf": "http://www.idpf.org/2007/opf",
    "epub": "http://www.idpf.org/2007/ops",
}

FRAME_MS = 576 * 1000 / SAMPLE_RATE


@pytest.fixture(scope="module")
def piper_epub(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    """The Gutenberg-style sample, narrated by the default engine."""
    out = tmp_path_factory.mktemp("piper-overlays")
    return publish(BuildConfig(SOURCE / "the-keeper-of-the-tide-clock.txt", out))


def clock_ms(value: str) -> int:
    hours, minutes, seconds = value.split(":")
    return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)


def peak_dbfs(pcm: array[int], start_ms: int, end_ms: int) -> float:
    chunk = pcm[start_ms * SAMPLE_RATE // 1000 : end_ms * SAMPLE_RATE // 1000]
    return 20 * log10(max(max((abs(s) for s in chunk), default=0), 1) / 32768)


def pars(epub: Path) -> dict[str, list[etree._Element]]:
    with zipfile.ZipFile(epub) as archive:
        return {
            name: etree.fromstring(archive.read(name)).findall(".//s:par", NS)
            for name in archive.namelist()
            if name.endswith(".smil")
        }


def test_every_par_points_at_a_real_fragment_and_a_real_clip(
    piper_epub: BuildReport, tmp_path: Path
) -> None:
    epub = piper_epub.epub
    with zipfile.ZipFile(epub) as archive:
        ids = {
            name: {e.get("id") for e in etree.fromstring(archive.read(name)).iter() if e.get("id")}
            for name in archive.namelist()
            if name.endswith(".xhtml")
        }
        audio = {}
        for name in archive.namelist():
            if name.endswith(".mp3"):
                (tmp_path / Path(name).name).write_bytes(archive.read(name))
                audio[name] = array("h", decode_file(tmp_path / Path(name).name))
    overlays = pars(epub)
    assert len(overlays) == len(piper_epub.book.sections)
    checked = 0
    for smil, elements in overlays.items():
        previous_end = -1
        for par in elements:
            text = par.find("s:text", NS)
            clip = par.find("s:audio", NS)
            assert text is not None and clip is not None
            document, fragment = text.get("src", "").replace("../", "EPUB/").split("#")
            assert fragment in ids[document], (smil, fragment)
            begin, end = clock_ms(clip.get("clipBegin", "")), clock_ms(clip.get("clipEnd", ""))
            assert previous_end <= begin < end, (smil, fragment)
            previous_end = end
            pcm = audio[clip.get("src", "").replace("../", "EPUB/")]
            assert peak_dbfs(pcm, begin, begin + 50) > -50, (fragment, "starts in silence")
            assert peak_dbfs(pcm, end - 50, end) > -50, (fragment, "ends in silence")
            checked += 1
    sentences = sum(len(s.sentences) for s in piper_epub.book.sections)
    assert checked == sentences + len(piper_epub.book.sections)


def test_overlay_durations_match_the_mp3s_and_add_up(
    piper_epub: BuildReport, tmp_path: Path
) -> None:
    with zipfile.ZipFile(piper_epub.epub) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        items = {i.get("id"): i for i in opf.iterfind(".//opf:item", NS)}
        durations = {
            m.get("refines"): clock_ms(m.text or "")
            for m in opf.iterfind(".//opf:meta[@property='media:duration']", NS)
        }
        total = durations.pop(None)
        assert total == sum(durations.values())
        for refines, overlay_ms in durations.items():
            smil = items[refines.lstrip("#")]
            document = next(i for i in items.values() if i.get("media-overlay") == smil.get("id"))
            audio_src = (
                etree.fromstring(archive.read(f"EPUB/{smil.get('href')}"))
                .find(".//s:audio", NS)
                .get("src", "")
            )
            mp3 = tmp_path / "chapter.mp3"
            mp3.write_bytes(archive.read(f"EPUB/{audio_src.replace('../', '')}"))
            assert abs(MP3(mp3).info.length * 1000 - overlay_ms) <= FRAME_MS, document.get("href")


def test_package_metadata_for_a_read_along_book(piper_epub: BuildReport) -> None:
    with zipfile.ZipFile(piper_epub.epub) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        css = archive.read("EPUB/style/book.css").decode()

    def values(prop: str) -> list[str]:
        return [m.text or "" for m in opf.iterfind(f".//opf:meta[@property='{prop}']", NS)]

    assert values("media:active-class") == ["-epub-media-overlay-active"]
    assert ".-epub-media-overlay-active" in css and "Highlight" in css
    assert values("media:narrator") == [
        "synthetic voice: Piper neural TTS (offline), voice en_US-joe-medium"
    ]
    assert values("schema:accessMode") == ["textual", "auditory"]
    assert values("schema:accessModeSufficient") == ["textual", "auditory"]
    assert "synchronizedAudioText" in values("schema:accessibilityFeature")
    assert "synthetic voice" in values("schema:accessibilitySummary")[0]


@pytest.mark.validators
def test_the_narrated_epub_passes_epubcheck_and_ace(
    piper_epub: BuildReport, tmp_path: Path
) -> None:
    assert epubcheck_messages(piper_epub.epub, tmp_path) == []
    assert ace_violations(piper_epub.epub, tmp_path) == []


def test_paragraph_granularity_gives_one_par_per_paragraph(tmp_path: Path) -> None:
    report = publish(
        BuildConfig(
            DATA / "two-chapters-markdown.md",
            tmp_path,
            {"narration.engine": "espeak", "epub.overlay_granularity": "paragraph"},
        )
    )
    first = pars(report.epub)["EPUB/smil/c01.smil"]
    assert [p.find("s:text", NS).get("src") for p in first] == [
        "../c01.xhtml#c01-h",
        "../c01.xhtml#c01-p001",
    ]
    timeline = report.chapters[0].timeline.items
    clip = first[1].find("s:audio", NS)
    assert clock_ms(clip.get("clipBegin")) == timeline[1].start_ms
    assert clock_ms(clip.get("clipEnd")) == timeline[2].end_ms


def test_no_epub_audio_keeps_a_text_only_epub_with_text_only_metadata(tmp_path: Path) -> None:
    report = publish(
        BuildConfig(
            DATA / "two-chapters-markdown.md",
            tmp_path,
            {"narration.engine": "espeak", "epub.audio": False},
        )
    )
    with zipfile.ZipFile(report.epub) as archive:
        names = archive.namelist()
        opf = archive.read("EPUB/content.opf").decode()
    assert not [n for n in names if n.endswith((".mp3", ".smil"))]
    assert "auditory" not in opf and "media:duration" not in opf
    assert (report.folder / report.chapters[0].href).is_file()
