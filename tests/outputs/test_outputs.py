"""The registry of outputs: what a build writes, report.json lists and check measures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publisher import BuildConfig, publish
from publisher.check import check_book
from publisher.outputs import registry
from publisher.settings import Settings, schema

from ..conftest import DATA


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_every_output_has_a_name_a_switch_and_a_summary() -> None:
    names = [o.name for o in registry()]
    assert len(names) == len(set(names))
    for output in registry():
        assert f"outputs.{output.name}" in schema()
        assert output.summary.endswith("."), output.name
        assert all(r in names for r in output.requires)
        if output.options is not None:
            assert any(k.startswith(f"{output.name}.") for k in schema())
    assert names[-1] == "mp3"  # moved into the book after the others read it


def test_a_text_only_build_writes_only_the_epub_and_the_report(tmp_path: Path) -> None:
    report = publish(
        BuildConfig(DATA / "two-chapters-markdown.md", tmp_path, {"narration.enabled": False})
    )
    listed = json.loads((report.folder / "report.json").read_text())["outputs"]
    assert listed == {"epub": [f"{report.slug}.epub"]}
    assert _files(report.folder) == {f"{report.slug}.epub", "report.json"}


@pytest.mark.slow
def test_the_outputs_switched_off_are_not_made_and_what_needs_them_goes_too(
    tmp_path: Path,
) -> None:
    values = {"narration.engine": "espeak", "outputs.mp3": False, "outputs.daisy": False}
    report = publish(BuildConfig(DATA / "two-chapters-markdown.md", tmp_path, values))
    folder, slug = report.folder, report.slug
    listed = json.loads((folder / "report.json").read_text())
    # The playlist and the manifest list the chapter MP3s: without them they are not made.
    assert set(listed["outputs"]) == {"epub", "m4b", "chapters_json"}
    on_disk = _files(folder)
    assert on_disk == {f"{slug}.epub", f"{slug}.m4b", "chapters.json", "report.json"}
    assert all(chapter["audio"] is None for chapter in listed["chapters"])
    assert all(chapter["duration_s"] > 0 for chapter in listed["chapters"])
    # The EPUB still carries its read-along narration.
    findings = check_book(folder)
    assert {f.subject for f in findings} == {f"{slug}.epub", f"{slug}.m4b", "chapters.json"}
    assert all(f.ok is not False for f in findings), [f for f in findings if f.ok is False]


def test_an_outputs_own_settings_come_back_as_its_section() -> None:
    from publisher.outputs.epub import EpubOptions
    from publisher.outputs.m4b import M4bOptions

    settings = Settings.from_values({"m4b.split_hours": "2.5"})
    assert settings.options_of("m4b", M4bOptions).split_hours == 2.5
    assert settings.options_of("epub", EpubOptions) == EpubOptions()
