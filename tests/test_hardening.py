"""Hardening (issue 10, in part): reproducible bytes, builds killed with SIGKILL, engines
that fail."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from mutagen.mp4 import MP4

from publisher import BuildConfig, publish
from publisher.audio.ffmpeg import decode_file
from publisher.errors import EngineError, PublisherError
from publisher.formats.xhtml import section_document
from publisher.model import Pauses, book_text
from publisher.output import _recover
from publisher.readers import read_manuscript
from publisher.speech.engines.base import Clip, Voice
from publisher.speech.engines.gtts import GttsEngine
from publisher.speech.normalize import Normalizer
from publisher.speech.script import section_script
from publisher.speech.synthesis import Job, engine_pieces, synthesize
from publisher.structure.chapters import build_book
from publisher.structure.topics import ChapterOptions

from .conftest import SOURCE, epub_text, epubcheck_messages
from .daisy_validator import validate_daisy
from .test_narration import GTTS_URL, _gtts_body, _mp3_payload

BOOK = SOURCE / "the-cartographer-of-small-rivers.md"


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "report.json"
    }


def test_the_same_manuscript_on_two_paths_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    folders = []
    for where in ("one", "two/deeper"):
        manuscript = tmp_path / where / "bell.md"
        manuscript.parent.mkdir(parents=True)
        manuscript.write_text(
            "---\ntitle: The Bell\nauthor: Ann Lee\n---\n\n## One\n\nThe bell rang.\n\n"
            "## Two\n\nNobody came, and the bell rang again at noon.\n",
            encoding="utf-8",
        )
        report = publish(BuildConfig(manuscript, tmp_path / where / "out", single_mp3=True))
        folders.append(report.folder)
    first, second = (_digests(f) for f in folders)
    assert first == second
    assert {"the-bell.epub", "the-bell.m4b", "the-bell.mp3", "the-bell-daisy.zip"} <= set(first)
    assert "daisy/ncc.html" in first and "manifest.json" in first


def test_a_build_killed_at_any_moment_keeps_the_earlier_book_and_the_cache(
    tmp_path: Path,
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    command = [sys.executable, "-m", "publisher", "build", str(BOOK), "-o", str(out)]
    command += ["--engine", "espeak", "--cache-dir", str(cache), "--no-m4b"]
    subprocess.run([*command, "--no-audio"], check=True, capture_output=True)
    book = out / "the-cartographer-of-small-rivers"
    earlier = _digests(book)
    moments = random.Random(7).sample([0.2, 0.5, 0.9, 1.4, 2.0, 2.7, 3.5], 4)
    marked = {**os.environ, "PUBLISHER_TEST_MARK": str(tmp_path)}
    for moment in sorted(moments):
        build = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=marked
        )
        time.sleep(moment)
        build.send_signal(signal.SIGKILL)
        build.wait()
        if build.returncode == 0:
            break  # it finished first: the book is the new one, which is fine too
        assert _digests(book) == earlier, f"killed at {moment} s"
    # The killed builds' narration workers end too, rather than live on holding a voice.
    deadline = time.monotonic() + 10
    while (left := _processes_marked(str(tmp_path))) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, "workers outlived their build"
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "error" not in finished.stderr
    assert [p.name for p in out.iterdir()] == ["the-cartographer-of-small-rivers"]
    assert (book / "audio").is_dir()


def _processes_marked(mark: str) -> list[int]:
    """Processes whose environment carries PUBLISHER_TEST_MARK=mark (Linux /proc)."""
    wanted = f"PUBLISHER_TEST_MARK={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except (OSError, ValueError):
            continue
    return found


def _workers_of(pid: int) -> list[int]:
    """The narration worker processes a build has started (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in status and b"multiprocessing.spawn" in command:
            found.append(int(entry.name))
    return found


def test_a_killed_narration_worker_stops_the_build_with_one_line(tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    command = [sys.executable, "-m", "publisher", "build", str(BOOK), "-o", str(out)]
    command += ["--cache-dir", str(cache), "--jobs", "2", "--no-m4b", "--no-daisy"]
    build = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(cache.rglob("*.pcm")) and time.monotonic() < deadline:
        time.sleep(0.05)  # until the first sentences are narrated and cached
    workers = _workers_of(build.pid)
    assert workers, "the build started no workers"
    subprocess.run(["kill", "-KILL", str(workers[0])], check=True)
    _, stderr = build.communicate(timeout=120)
    assert build.returncode == 1
    assert stderr.strip().splitlines() == [
        "error: a narration worker process stopped unexpectedly (killed, or out of memory?); "
        "run the build again, with fewer --jobs: what was narrated is cached, unless --no-cache"
    ]
    assert not out.exists() or not any(out.iterdir())
    assert list((cache / "sentences").rglob("*.pcm")), "nothing narrated was kept"


def test_a_book_moved_aside_by_a_killed_build_is_put_back(tmp_path: Path) -> None:
    aside = tmp_path / ".rivers.abc123.old"
    aside.mkdir()
    (aside / "book.epub").write_text("the earlier book")
    stale = tmp_path / ".rivers.999999999-x1.partial"
    stale.mkdir()
    _recover(tmp_path, "rivers")
    assert (tmp_path / "rivers" / "book.epub").read_text() == "the earlier book"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rivers"]


class FlakyEngine:
    """A third-party engine that fails the way real ones do, to test what we do about it."""

    name = "flaky"
    label = "a test engine"

    def __init__(self, fail_first: int = 0, silent: bool = False) -> None:
        self.calls = 0
        self.fail_first, self.silent = fail_first, silent

    def version(self) -> str:
        return "1"

    def problem(self) -> str | None:
        return None

    def voices(self) -> tuple[Voice, ...]:
        return (Voice("v", "en"),)

    def default_voice(self, language: str) -> str | None:
        del language
        return "v"

    def synthesize(
        self, text: str, voice: str, pronunciations: Mapping[str, str] | None = None
    ) -> Clip:
        del text, voice, pronunciations
        self.calls += 1
        if self.calls <= self.fail_first:
            raise RuntimeError("model crashed")
        return Clip(b"" if self.silent else b"\x01\x00" * 100, 22050)


def test_an_engine_that_crashes_once_is_retried() -> None:
    engine = FlakyEngine(fail_first=1)
    spoken = list(synthesize(engine, "v", {}, [Job("k", "The bell rang.", "c01-p001-s01")], 1))
    assert len(spoken) == 1 and spoken[0][1].samples == 100 and engine.calls == 2


def test_an_engine_that_keeps_failing_names_the_sentence() -> None:
    with pytest.raises(EngineError, match=r"c02-p003-s04 \('The bell rang\.'\): RuntimeError"):
        list(
            synthesize(
                FlakyEngine(fail_first=9), "v", {}, [Job("k", "The bell rang.", "c02-p003-s04")], 1
            )
        )


def test_an_engine_that_returns_no_audio_is_reported_but_silence_for_punctuation_is_fine() -> None:
    with pytest.raises(EngineError, match=r"c01-p001-s01.*returned no audio"):
        list(
            synthesize(
                FlakyEngine(silent=True), "v", {}, [Job("k", "Hello there.", "c01-p001-s01")], 1
            )
        )
    spoken = list(synthesize(FlakyEngine(silent=True), "v", {}, [Job("k", "…", "c01-p002-s01")], 1))
    assert spoken[0][1].pcm == b""


def test_a_10000_word_sentence_is_spoken_in_pieces_with_exact_timing(tmp_path: Path) -> None:
    words = "river stone bridge lantern harbour window meadow orchard signal ferry".split()
    pick = random.Random(3).choice
    said = [pick(words) + ("," if i % 17 == 16 else "") for i in range(10_000)]
    manuscript = tmp_path / "long.md"
    manuscript.write_text(f"# The Statement\n\nShe said {' '.join(said)}.\n", encoding="utf-8")
    report = publish(
        BuildConfig(manuscript, tmp_path / "out", engine="espeak", m4b=False, daisy=False)
    )
    assert report.narration is not None and report.narration.cache_misses > 40  # pieces
    (chapter,) = report.chapters
    _, sentence = chapter.timeline.items
    assert sentence.kind == "sentence" and sentence.end_ms - sentence.start_ms > 30 * 60_000
    # Decoded from the file, as a player hears it: the sample count matches the Timeline.
    samples = len(decode_file(report.folder / chapter.href)) // 2
    assert abs(samples / 22.05 - chapter.timeline.duration_ms) < 1


def test_long_text_is_cut_for_the_engine_at_clauses_then_words() -> None:
    text = "The clerk read the list, " * 40 + "and that was all."
    pieces = engine_pieces(text, 120)
    assert " ".join(pieces) == text and all(len(p) <= 120 for p in pieces)
    assert all(p.endswith(",") for p in pieces[:-1])  # every cut at a clause end
    assert engine_pieces("x" * 250 + " end", 100) == ["x" * 100, "x" * 100, "x" * 50 + " end"]


HEADING_SHAPES = st.sampled_from(
    ["# ", "## ", "### ", "CHAPTER ", "Chapter 1. ", "1.2 ", "PART II ", "* * *", "---", ""]
)
WHITESPACE = st.sampled_from(["\n", "\n\n", "\r\n", "\t", "  ", "\u00a0", "\u2028", ""])
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(HEADING_SHAPES, ANY_TEXT, WHITESPACE), max_size=12),
    st.sampled_from([".md", ".txt"]),
)
def test_random_manuscripts_raise_nothing_but_publisher_errors(
    pieces: list[tuple[str, str, str]], suffix: str
) -> None:
    text = "".join(shape + body + space for shape, body, space in pieces)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            book = build_book(read_manuscript(path), ChapterOptions(mode="auto"))
            say = Normalizer.for_text(book.metadata.language, book_text(book))
            for section in book.sections:
                section_script(section, Pauses(), say)
                etree.fromstring(section_document(section, book.metadata.language))
        except PublisherError:
            pass


def test_a_50000_word_paragraph_makes_a_valid_epub(tmp_path: Path) -> None:
    pick = random.Random(5).choice
    words = "the keeper wrote in his log each night while wind and rain came".split()
    sentences = " ".join(
        " ".join(pick(words) for _ in range(20)).capitalize() + "." for _ in range(2_500)
    )
    manuscript = tmp_path / "wall.md"
    manuscript.write_text(f"# A Wall of Text\n\n{sentences}\n", encoding="utf-8")
    report = publish(BuildConfig(manuscript, tmp_path / "out", audio=False))
    assert report.book.words >= 50_000
    assert epubcheck_messages(report.epub, tmp_path) == []


def test_a_manuscript_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as stream:
        stream.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on disk
    with pytest.raises(PublisherError, match="split it into volumes"):
        publish(BuildConfig(huge, tmp_path / "out", audio=False))
    assert not (tmp_path / "out").exists()


HOSTILE = '<script>alert("x")</script> & Sons; #1 = "best" \u202eevil\u202c'


def test_markup_and_script_in_every_metadata_field_stay_text_everywhere(tmp_path: Path) -> None:
    manuscript = tmp_path / "hostile.md"
    fields = ("title", "subtitle", "author", "publisher", "description")
    front = "\n".join(f"{name}: '{HOSTILE.replace(chr(39), '')} {name}'" for name in fields)
    manuscript.write_text(f"---\n{front}\n---\n\n## {HOSTILE}\n\nThe text.\n", encoding="utf-8")
    report = publish(BuildConfig(manuscript, tmp_path / "out", engine="espeak"))
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


def test_a_missing_voice_names_the_voices_there_are(tmp_path: Path) -> None:
    manuscript = tmp_path / "note.md"
    manuscript.write_text("# A Note\n\nThe bell rang twice.\n", encoding="utf-8")
    command = [sys.executable, "-m", "publisher", "build", str(manuscript), "-o", str(tmp_path)]
    for engine, named in (("piper", "en_US-joe-medium"), ("espeak", "en-gb")):
        result = subprocess.run(
            [*command, "--engine", engine, "--voice", "nope"], capture_output=True, text=True
        )
        assert result.returncode == 1 and result.stderr.count("\n") == 1
        assert (
            result.stderr.startswith(f"error: {engine} has no voice 'nope'")
            and named in result.stderr
        )


@responses.activate
def test_gtts_backs_off_further_each_time_it_is_rate_limited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(GttsEngine, "backoff_s", 0.5)
    monkeypatch.setattr("publisher.speech.engines.gtts.time.sleep", waits.append)
    for _ in range(2):
        responses.add(responses.POST, GTTS_URL, status=429)
    responses.add(responses.POST, GTTS_URL, body=_gtts_body(_mp3_payload(tmp_path)), status=200)
    clip = GttsEngine().synthesize("Hello.", "en")
    assert waits == [0.5, 1.0] and clip.samples > 0


def test_a_manuscript_with_a_full_date_builds_the_same_bytes_without_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    text = "---\ntitle: Dated\ndate: 2025-03-14\n---\n\n# One\n\nA line.\n\n# Two\n\nAnother.\n"
    digests = []
    for where in ("a", "b"):
        manuscript = tmp_path / where / "dated.md"
        manuscript.parent.mkdir()
        manuscript.write_text(text, encoding="utf-8")
        report = publish(BuildConfig(manuscript, tmp_path / where / "out", audio=False))
        digests.append(hashlib.sha256(report.epub.read_bytes()).hexdigest())
        time.sleep(1.1)  # a clock-based date would now differ
    assert digests[0] == digests[1]
    assert "2025-03-14T00:00:00Z" in epub_text(report.epub, "EPUB/content.opf")


def test_chapter_names_never_make_dangerous_or_overlong_file_names(tmp_path: Path) -> None:
    long_name = "A Very Long Chapter Name " * 20
    manuscript = tmp_path / "names.md"
    manuscript.write_text(
        f"# Names\n\n## ../../etc/passwd\n\nOne.\n\n## {long_name}\n\nTwo.\n\n## CON\n\nThree.\n",
        encoding="utf-8",
    )
    report = publish(
        BuildConfig(manuscript, tmp_path / "out", engine="espeak", m4b=False, daisy=False)
    )
    names = [Path(c.href).name for c in report.chapters]
    assert all(len(n) <= 48 and n.endswith(".mp3") and "/" not in n for n in names), names
    assert all((report.folder / "audio" / n).is_file() for n in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["names.md", "out"]


def test_espeak_says_a_sentence_the_same_whatever_it_said_before() -> None:
    from publisher.speech.engines.espeak import EspeakEngine

    engine = EspeakEngine()
    voice = engine.default_voice("en")
    assert voice is not None
    first = engine.synthesize("The bell rang twice.", voice).pcm
    engine.synthesize("Nobody came to the door, though the lamp was lit.", voice)
    again = engine.synthesize("The bell rang twice.", voice).pcm
    assert first and first == again


def test_a_failure_in_the_forked_speaker_comes_back_as_one_error() -> None:
    from publisher.speech.engines.espeak import _in_a_copy

    def fails() -> bytes:
        raise EngineError("eSpeak NG failed to synthesise (status 1)")

    def dies() -> bytes:
        os._exit(3)

    with pytest.raises(EngineError, match="status 1"):
        _in_a_copy(fails)
    with pytest.raises(EngineError, match="stopped while speaking"):
        _in_a_copy(dies)
    assert _in_a_copy(lambda: b"\x01\x02") == b"\x01\x02"


def test_an_espeak_engine_still_speaks_after_a_newer_one_is_gone() -> None:
    """The C library has one callback for the process; every engine shares it."""
    import gc

    from publisher.speech.engines.espeak import EspeakEngine

    older = EspeakEngine()
    voice = older.default_voice("en")
    assert voice is not None
    expected = older.synthesize("One, two, three.", voice).pcm
    newer = EspeakEngine()
    assert newer.synthesize("One, two, three.", voice).pcm == expected
    del newer
    gc.collect()
    assert older.synthesize("One, two, three.", voice).pcm == expected
    assert EspeakEngine().synthesize("Un, deux, trois.", "fr").pcm
    assert older.synthesize("One, two, three.", voice).pcm == expected
