"""Settings: one schema, layers merged in order, every value's origin, and clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import click.testing
import pytest

from publisher import BuildConfig, ConfigError, Settings
from publisher.batch import read_catalogue
from publisher.cli import main
from publisher.settings import Layer, environment_layer, markdown_table, resolve, schema

from .conftest import ROOT

README = ROOT / "README.md"
TABLE = re.compile(r"<!-- settings:begin -->\n(.*?)<!-- settings:end -->", re.S)


def _book(folder: Path, toml: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    manuscript = folder / "book.md"
    manuscript.write_text("# A Book\n\nOne sentence here.\n", encoding="utf-8")
    (folder / "book.toml").write_text(toml, encoding="utf-8")
    return manuscript


def _settings_output(*args: str | Path, env: dict[str, str] | None = None) -> str:
    result = click.testing.CliRunner().invoke(main, ["settings", *map(str, args)], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _line(output: str, section: str, name: str) -> str:
    """The line of `publisher settings` that sets ``name`` in ``[build.section]``."""
    body = output.split(f"[build.{section}]", 1)[1].split("\n[", 1)[0]
    return next(line for line in body.splitlines() if line.startswith(f"{name} = "))


def test_each_layer_wins_over_the_ones_before_and_says_so(tmp_path: Path) -> None:
    manuscript = _book(
        tmp_path / "b",
        '[build.narration]\nvoice = "from-toml"\nscene_pause = 3000\nsentence_pause = 350\n'
        "jobs = 4\n[build.outputs]\ndaisy = false\n",
    )
    catalogue = tmp_path / "books.csv"
    catalogue.write_text(
        "manuscript,narration.voice,narration.scene_pause,narration.heading_pause\n"
        "b/book.md,from-row,2800,1200\n",
        encoding="utf-8",
    )
    output = _settings_output(
        manuscript,
        "--catalogue",
        catalogue,
        "--set",
        "narration.scene_pause=2500",
        env={"PUBLISHER_JOBS": "3", "PUBLISHER_VOICE": "from-env"},
    )
    assert _line(output, "narration", "voice") == (
        'voice = "from-env"  # from environment; default ""'
    )
    assert "from command line" in _line(output, "narration", "scene_pause")
    assert _line(output, "narration", "scene_pause").startswith("scene_pause = 2500")
    assert _line(output, "narration", "heading_pause").startswith("heading_pause = 1200")
    assert "from catalogue" in _line(output, "narration", "heading_pause")
    assert _line(output, "narration", "sentence_pause").startswith("sentence_pause = 350")
    assert "from book.toml" in _line(output, "narration", "sentence_pause")
    assert _line(output, "narration", "jobs").startswith("jobs = 3  # from environment")
    assert _line(output, "outputs", "daisy") == "daisy = false  # from book.toml; default true"
    assert _line(output, "narration", "paragraph_pause") == "paragraph_pause = 900  # default"


def test_the_library_merges_the_same_layers_in_the_same_order(tmp_path: Path) -> None:
    manuscript = _book(tmp_path, '[build]\nnarration.voice = "toml"\naudio.bitrate = 96\n')
    row = Layer(
        "catalogue", "row", {"narration.voice": "row", "audio.profile": "podcast"}, tmp_path
    )
    environment = environment_layer({"PUBLISHER_AUDIO_PROFILE": "acx"})
    config = BuildConfig(manuscript, tmp_path, {"audio.bitrate": "128"}, layers=(row, environment))
    settings = config.settings
    assert settings.narration.voice == "row"
    assert settings.audio.profile == "acx"
    assert settings.audio.bitrate == 128
    assert config.resolved.origin("audio.bitrate") == "command line"
    assert config.resolved.origin("narration.voice") == "catalogue"
    assert config.resolved.origin("structure.chapters") == "default"


def test_a_misspelt_key_names_the_nearest_known_one(tmp_path: Path) -> None:
    with pytest.raises(
        ConfigError, match=r"unknown setting 'narration\.vioce'.*'narration\.voice'"
    ):
        Settings.from_values({"narration.vioce": "joe"})
    manuscript = _book(tmp_path, "[build.narration]\nsentense_pause = 300\n")
    with pytest.raises(ConfigError, match=r"book\.toml.*'narration\.sentence_pause'"):
        _ = BuildConfig(manuscript).settings
    clean = _book(tmp_path / "clean", "")
    result = click.testing.CliRunner().invoke(
        main, ["build", str(clean), "--set", "outputs.daisyy=no"]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("error: command line")
    assert "did you mean 'outputs.daisy'?" in result.output


def test_a_key_without_its_section_is_pointed_to_its_section(tmp_path: Path) -> None:
    manuscript = _book(tmp_path, '[build]\nvoice = "joe"\n')
    with pytest.raises(ConfigError, match=r"did you mean 'narration\.voice'"):
        _ = BuildConfig(manuscript).settings


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("narration.jobs", "many", "whole number 1 or more"),
        ("narration.scene_pause", "70000", "0 to 60000"),
        ("audio.profile", "podcst", "did you mean 'podcast'"),
        ("audio.bitrate", "65", "one of"),
        ("outputs.m4b", "perhaps", "yes or no"),
        ("m4b.split_hours", "-1", "positive number of hours"),
        ("input.language", "english!", "not a language tag"),
        ("narration.engine", "festival", "one of"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_setting(key: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(key)) as error:
        Settings.from_values({key: value})
    assert message in str(error.value)


def test_values_are_read_as_their_type_wherever_they_come_from(tmp_path: Path) -> None:
    given = {"outputs.single_mp3": "yes", "narration.jobs": "2", "input.cover": "c.png"}
    settings = Settings.from_values(given, tmp_path)
    assert settings.enabled("single_mp3") is True and settings.narration.jobs == 2
    assert settings.input.cover == tmp_path / "c.png"
    typed = Settings.from_values({"outputs.single_mp3": True, "narration.jobs": 2})
    assert typed.enabled("single_mp3") and typed.narration.jobs == 2
    assert Settings.from_values({"narration.jobs": "auto"}).narration.jobs is None


def test_a_catalogue_row_takes_any_setting_and_its_old_column_names(tmp_path: Path) -> None:
    _book(tmp_path / "a", "")
    catalogue = tmp_path / "books.csv"
    catalogue.write_text(
        "manuscript,voice,m4b,narration.scene_pause,structure.notes\n"
        "a/book.md,en_US-joe-medium,no,3100,chapter\n",
        encoding="utf-8",
    )
    (entry,) = read_catalogue(catalogue)
    settings = entry.config(tmp_path / "out").settings
    assert settings.narration.voice == "en_US-joe-medium"
    assert settings.enabled("m4b") is False
    assert settings.narration.scene_pause == 3100 and settings.structure.notes == "chapter"
    assert settings.narration.jobs == 1  # batch's own default: one process a book
    catalogue.write_text("manuscript,narraton.voice\na/book.md,x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"books\.csv, line 2.*'narration\.voice'"):
        read_catalogue(catalogue)


def test_old_options_still_work_and_warn_once(tmp_path: Path) -> None:
    manuscript = _book(tmp_path, "")
    result = click.testing.CliRunner().invoke(
        main,
        ["build", str(manuscript), "--no-m4b", "--sentence-pause", "250", "--show-settings"],
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("--no-m4b is deprecated; use --set outputs.m4b=no") == 1
    assert "--sentence-pause is deprecated" in result.output
    assert _line(result.output, "outputs", "m4b").startswith("m4b = false  # from command line")
    assert _line(result.output, "narration", "sentence_pause").startswith("sentence_pause = 250")


def test_every_setting_has_help_and_a_default_it_accepts() -> None:
    for key in schema().values():
        assert key.spec.help.endswith((".", "]")), key.key
        written = "" if key.default is None else key.default
        default = key.spec.none if key.default is None and key.spec.none else written
        assert (
            resolve([Layer("default", "test", {key.key: default}, Path())]).values[key.key]
            == key.default
        ), key.key


def test_the_readme_lists_every_setting_as_the_schema_does() -> None:
    found = TABLE.search(README.read_text(encoding="utf-8"))
    assert found, "README.md has no settings table between its markers"
    assert found.group(1) == markdown_table(), "README's settings table is stale: run `make readme`"
