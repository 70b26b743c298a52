"""The Piper engine: memory given back after long sentences."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_a_piper_worker_gives_back_the_memory_a_long_sentence_took() -> None:
    from publisher.speech.engines.piper import VOICE_ID, PiperEngine

    def resident_mb() -> float:
        return (
            int(Path("/proc/self/statm").read_text().split()[1])
            * os.sysconf("SC_PAGE_SIZE")
            / 2**20
        )

    engine = PiperEngine()
    engine.synthesize("A short sentence to load the voice.", VOICE_ID)
    before = resident_mb()
    clause = "the long grey water between the harbour and the island, which they called the sound"
    long_text = ", and ".join([clause] * 5) + "."
    clip = engine.synthesize(long_text, VOICE_ID)
    assert clip.samples / clip.sample_rate > 20  # a run that needs some 400 MB while it lasts
    assert resident_mb() - before < 100
