"""The command line as scripts see it: exact messages, exit codes, and what is left on disk."""

from __future__ import annotations

import http.client
import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from publisher import BuildConfig, publish
from publisher.cli import _Interrupt, main

from .conftest import DATA, assert_one_line_error, run, write


def test_build_writes_epub_and_report_and_says_where(tmp_path: Path) -> None:
    result = run("build", DATA / "two-chapters-markdown.md", "-o", tmp_path, "--no-audio")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "two-small-chapters"
    assert sorted(p.name for p in folder.iterdir()) == ["report.json", "two-small-chapters.epub"]
    assert str(folder) in result.stdout and "2 sections" in result.stdout
    report = json.loads((folder / "report.json").read_text())
    assert report["title"] == "Two Small Chapters" and len(report["chapters"]) == 2
    assert set(report["timings"]) >= {"read_s", "structure_s", "epub_s", "total_s"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize(
    ("name", "content", "phrases"),
    [
        ("empty.txt", "", ("empty.txt is empty",)),
        ("blank.md", "  \n\n\t \r\n", ("blank.md is empty",)),
        ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(300), ("PNG image",)),
        ("data.txt", bytes(range(256)) * 4, ("binary",)),
        ("notes.docx", "text", ("notes.docx is not a Word document",)),
        ("slides.pptx", "text", ("unsupported file type '.pptx'",)),
        ("only-title.md", "# Just a Title\n", ("no text to publish",)),
    ],
)
def test_bad_manuscripts_get_one_line_and_exit_1(
    tmp_path: Path, name: str, content: str | bytes, phrases: tuple[str, ...]
) -> None:
    path = write(tmp_path / "in" / name, content)
    result = run("build", path, "-o", tmp_path / "out", "--no-audio")
    assert_one_line_error(result, *phrases)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_missing_file_is_named(tmp_path: Path) -> None:
    assert_one_line_error(
        run("build", tmp_path / "nope.md", "--no-audio"), "nope.md", "no such file"
    )


def test_a_folder_is_not_a_manuscript(tmp_path: Path) -> None:
    assert_one_line_error(run("build", tmp_path, "--no-audio"), "is a folder")


@pytest.mark.parametrize("title", ["../../etc/passwd", "..", "/", "a/../../b", "CON", "\\..\\x"])
def test_a_title_never_escapes_the_output_folder(tmp_path: Path, title: str) -> None:
    out = tmp_path / "out"
    result = run(
        "build", DATA / "two-chapters-markdown.md", "-o", out, "--title", title, "--no-audio"
    )
    assert result.exit_code == 0, result.output
    books = list(out.iterdir())
    assert len(books) == 1 and books[0].parent == out
    assert not books[0].name.startswith(".") and books[0].name not in {"", ".", ".."}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_failed_build_leaves_the_earlier_good_build_untouched(tmp_path: Path) -> None:
    manuscript = write(tmp_path / "in" / "book.md", "---\ntitle: Kept\n---\n\nGood text.\n")
    out = tmp_path / "out"
    assert run("build", manuscript, "-o", out, "--no-audio").exit_code == 0
    epub = out / "kept" / "kept.epub"
    before = epub.read_bytes()
    write(manuscript, "---\ntitle: Kept\nlanguage: not a language\n---\n\nNew text.\n")
    assert_one_line_error(run("build", manuscript, "-o", out, "--no-audio"), "language tag")
    assert epub.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["kept"]


def test_book_toml_errors_name_the_file_and_line(tmp_path: Path) -> None:
    manuscript = write(tmp_path / "in" / "book.md", "Some text.\n")
    write(tmp_path / "in" / "book.toml", 'title = "Fine"\nauthr = "Typo"\n')
    assert_one_line_error(
        run("build", manuscript, "-o", tmp_path / "out", "--no-audio"),
        "book.toml, line 2",
        "unknown metadata key 'authr'",
    )
    write(tmp_path / "in" / "book.toml", 'title = "Fine"\nauthor = \n')
    assert_one_line_error(
        run("build", manuscript, "-o", tmp_path / "out", "--no-audio"), "book.toml", "line 2"
    )


def test_front_matter_yaml_errors_name_the_line(tmp_path: Path) -> None:
    manuscript = write(
        tmp_path / "in" / "book.md", "---\ntitle: A\nauthor: [unclosed\n---\n\nText.\n"
    )
    assert_one_line_error(
        run("build", manuscript, "-o", tmp_path / "out", "--no-audio"),
        "book.md, line",
        "front matter",
    )


def test_command_line_metadata_overrides_front_matter_and_book_toml(tmp_path: Path) -> None:
    manuscript = write(
        tmp_path / "in" / "story.md", "---\ntitle: Front\nauthor: Ann\n---\n\nText.\n"
    )
    write(tmp_path / "in" / "book.toml", 'title = "Toml"\nauthor = "Bea"\npublisher = "Press"\n')
    result = run(
        "build",
        manuscript,
        "-o",
        tmp_path / "out",
        "--author",
        "Cy",
        "--language",
        "EN-gb",
        "--no-audio",
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "out" / "front" / "report.json").read_text())
    assert (report["title"], report["author"], report["language"]) == ("Front", "Cy", "en-GB")


def test_legacy_encoding_build_warns_naming_the_encoding(tmp_path: Path) -> None:
    result = run("build", DATA / "latin1-no-bom.txt", "-o", tmp_path, "--no-audio")
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: latin1-no-bom.txt is not UTF-8; read it as cp1252")


def test_every_command_has_help_with_an_example() -> None:
    for name, command in main.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0 and command.help, name
        assert "Example" in result.output, name
    assert "Example" in run("--help").output


def test_usage_errors_exit_2() -> None:
    assert run("build").exit_code == 2
    assert run("build", "x.md", "--frobnicate").exit_code == 2


# pytest reports the dropped exception as an "unraisable" one: that drop is the point here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_ctrl_c_that_python_dropped_still_stops_the_build() -> None:
    """Raised inside a finaliser, KeyboardInterrupt is printed and dropped by Python; the
    build's progress hook raises it again at the next sentence."""
    interrupt = _Interrupt()
    interrupt.check()  # nothing pressed: nothing happens

    class Finaliser:
        def __del__(self) -> None:
            interrupt(signal.SIGINT, None)

    Finaliser()  # the handler runs inside __del__, where Python drops what it raises
    with pytest.raises(KeyboardInterrupt):
        interrupt.check()


def test_preview_refuses_a_folder_without_a_web_player(tmp_path: Path) -> None:
    result = run("preview", tmp_path, "--no-browser")
    assert_one_line_error(result, "no web player")


@pytest.mark.slow
def test_preview_serves_a_built_book_until_ctrl_c(tmp_path: Path) -> None:
    manuscript = write(tmp_path / "a.md", "# One\n\nThe first line. The second line.\n")
    report = publish(BuildConfig(manuscript, tmp_path / "out", {"narration.engine": "espeak"}))
    command = [sys.executable, "-m", "publisher", "preview", str(report.folder), "--no-browser"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        address = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert address, line
        connection = http.client.HTTPConnection("127.0.0.1", int(address.group(1)), timeout=10)
        connection.request("GET", f"/{report.chapters[0].href}", headers={"Range": "bytes=0-99"})
        response = connection.getresponse()
        assert response.status == 206 and len(response.read()) == 100
        connection.close()
    finally:
        server.send_signal(signal.SIGINT)
        _, errors = server.communicate(timeout=10)
    assert server.returncode == 0, errors
    assert errors.strip() == "stopped"
