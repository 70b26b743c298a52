"""Engines are plug-ins found through entry points."""

from __future__ import annotations

from publisher.speech.engines import engine_names

from ...conftest import run


def test_engines_are_found_through_entry_points() -> None:
    assert engine_names() == ("piper", "espeak", "gtts", "kokoro")
    result = run("voices")
    assert result.exit_code == 0
    assert "piper: Piper neural TTS (offline) [usable]" in result.stdout
    assert "en_US-joe-medium" in result.stdout and "fr-fr" in result.stdout
    assert "gtts:" in result.stdout
