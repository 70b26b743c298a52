"""A cast: a play read by its characters' voices, a story's quotations by the dialogue
voice, each checked by measuring the audio, not by trusting the settings."""

from __future__ import annotations

import json
from array import array
from pathlib import Path

import numpy as np
import pytest

from publisher import BuildConfig, BuildReport, publish
from publisher.audio.ffmpeg import SAMPLE_RATE, decode_file
from publisher.audio.loudness import integrated_lufs
from publisher.errors import EngineError
from publisher.speech.cast import choose_cast
from tests.conftest import write
from tests.sound import silent_runs

pytestmark = pytest.mark.slow

SPEECHES = [
    ("MARTHA", "Where have you been all night? The soup is cold and the fire is out."),
    ("TOM", "I went to the market, as you told me to."),
    ("MARTHA", "The market closes at six. It is nearly midnight, Tom."),
    ("OLD JACOB", "Leave the boy alone. He was with me, down at the harbour."),
    ("TOM", "That is true. We watched the ships come in from the north."),
    ("MARTHA", "Ships! And who will mend the roof while you both watch ships?"),
    ("OLD JACOB", "I will mend it tomorrow, if the rain holds off until noon."),
    ("TOM", "The rain never holds off in March. Everyone knows that."),
    ("MARTHA", "Then you will both be wet, and I shall say nothing at all."),
    ("OLD JACOB", "You have never once said nothing, Martha, not in forty years."),
    ("TOM", "Grandfather, please, not tonight."),
    ("MARTHA", "Sit down, the pair of you. There is bread and cheese, at least."),
    ("OLD JACOB", "Bread and a warm kitchen. What more could an old man want?"),
    ("TOM", "A new boat, with a red sail and a dry cabin."),
    ("MARTHA", "A new boat! And with what money, may I ask?"),
    ("OLD JACOB", "With the money from the fish we have not caught yet."),
    ("TOM", "We will catch them. The captain promised us a good season."),
    ("MARTHA", "The captain promises a great many things every spring."),
    ("OLD JACOB", "He does. But this time, for once, I believe him."),
    ("TOM", "So do I. We sail on Friday, before first light."),
    ("MARTHA", "Friday! Then you will need clean shirts, and I have none ironed."),
    ("OLD JACOB", "We shall manage, Martha, as we always have."),
]
CAST = {
    "MARTHA": "kokoro:jf_alpha",
    "OLD JACOB": "espeak:en-gb",
}


def play(folder: Path) -> Path:
    lines = ["THE KITCHEN", "", "A Play in One Act", "", "ACT I", ""]
    lines += ["[A farmhouse kitchen at night. A clock ticks on the wall.]", ""]
    lines += [f"{who}. {what}\n" for who, what in SPEECHES]
    lines += ["[The clock strikes twelve.]", ""]
    write(folder / "book.toml", 'title = "The Kitchen"\nlanguage = "en-US"\n')
    return write(folder / "the-kitchen.txt", "\n".join(lines))


STORY = """# The Visitor

## The Door

Rain had fallen on the village since noon, and the lanes were rivers of mud.

"Is anyone there?" called a voice from the dark lane outside the cottage.

The old woman put down her knitting and listened to the wind in the chimney.

"Only the wind, my dear. Go back to sleep now, and dream of summer."

The knock came again, louder, and the candle on the table flickered and nearly went out.

"Open the door, for pity's sake. I have walked from the coast since morning."
"""


def built(manuscript: Path, values: dict[str, object]) -> BuildReport:
    config = BuildConfig(manuscript, manuscript.parent / "out", {"narration.jobs": 2, **values})
    return publish(config)


def voice_pcm(report: BuildReport) -> dict[str, list[array[int]]]:
    """Every item that one voice spoke alone, decoded, by voice."""
    found: dict[str, list[array[int]]] = {}
    for chapter in report.chapters:
        pcm = array("h", decode_file(report.folder / chapter.href))
        for item in chapter.timeline.items:
            if len(set(item.voices)) == 1:
                part = pcm[item.start_ms * SAMPLE_RATE // 1000 : item.end_ms * SAMPLE_RATE // 1000]
                found.setdefault(item.voices[0], []).append(part)
    return found


def pitch_hz(parts: list[array[int]]) -> float:
    """The median fundamental frequency of the voiced 40 ms frames, by autocorrelation."""
    frame = SAMPLE_RATE // 25
    low, high = SAMPLE_RATE // 400, SAMPLE_RATE // 70
    pitches = []
    for part in parts:
        samples = np.asarray(part, dtype=np.float64)
        for start in range(0, len(samples) - frame, frame):
            chunk = samples[start : start + frame] - samples[start : start + frame].mean()
            energy = float(np.dot(chunk, chunk))
            if energy < frame * 300**2:
                continue
            correlation = np.correlate(chunk, chunk, "full")[frame - 1 :]
            lag = low + int(np.argmax(correlation[low:high]))
            if correlation[lag] > 0.5 * energy:
                pitches.append(SAMPLE_RATE / lag)
    return float(np.median(pitches))


def centroid_hz(parts: list[array[int]]) -> float:
    samples = np.concatenate([np.asarray(p, dtype=np.float64) for p in parts])
    spectrum = np.abs(np.fft.rfft(samples))
    frequencies = np.fft.rfftfreq(len(samples), 1 / SAMPLE_RATE)
    return float((spectrum * frequencies).sum() / spectrum.sum())


def differ(a: list[array[int]], b: list[array[int]]) -> bool:
    """Two voices, told apart by pitch or by timbre (15 % apart in either)."""
    pitches, centroids = (pitch_hz(a), pitch_hz(b)), (centroid_hz(a), centroid_hz(b))
    return any(max(pair) / min(pair) > 1.15 for pair in (pitches, centroids))


def lufs(parts: list[array[int]]) -> float:
    return integrated_lufs(b"".join(p.tobytes() for p in parts), SAMPLE_RATE)


def test_a_play_is_read_by_its_cast_each_voice_at_one_level(tmp_path: Path) -> None:
    report = built(play(tmp_path), {f"cast.{name}": voice for name, voice in CAST.items()})
    narrator = "piper:en_US-joe-medium"
    items = [i for c in report.chapters for i in c.timeline.items]
    by_text = {s.id: s.text for section in report.book.sections for s in section.sentences}
    spoken_by = {by_text[i.id]: i.voices for i in items if i.id in by_text}
    assert spoken_by["Where have you been all night?"] == ("kokoro:jf_alpha",)
    assert spoken_by["Leave the boy alone."] == ("espeak:en-gb",)
    assert spoken_by["I went to the market, as you told me to."] == (narrator,)  # not cast
    assert spoken_by["MARTHA."] == (narrator,)  # the label is the narrator's
    pcm = voice_pcm(report)
    assert set(pcm) == {narrator, "kokoro:jf_alpha", "espeak:en-gb"}
    voices = sorted(pcm)
    for number, first in enumerate(voices):
        for second in voices[number + 1 :]:
            assert differ(pcm[first], pcm[second]), (first, second)
    levels = [lufs(parts) for parts in pcm.values()]
    assert max(levels) - min(levels) <= 1.0, levels
    cast = {c["voice"]: c for c in json.loads((report.folder / "report.json").read_text())["cast"]}
    assert cast["kokoro:jf_alpha"]["roles"] == ["MARTHA"]
    assert all(c["minutes"] > 0.1 for c in cast.values())


def test_a_storys_quotations_are_read_by_the_dialogue_voice(tmp_path: Path) -> None:
    manuscript = write(tmp_path / "visitor.md", STORY)
    report = built(manuscript, {"cast.dialogue": "espeak:en-gb"})
    pcm = voice_pcm(report)
    narrator, dialogue = pcm["piper:en_US-joe-medium"], pcm["espeak:en-gb"]
    assert len(dialogue) >= 2 and len(narrator) >= 3
    assert differ(narrator, dialogue)
    levels = lufs(narrator), lufs(dialogue)
    assert abs(levels[0] - levels[1]) <= 1.0, levels
    (mixed,) = [
        i for c in report.chapters for i in c.timeline.items if len(set(i.voices)) == 2
    ]  # '"Is anyone there?" called a voice ...': quotation, then narration
    assert mixed.voices == ("espeak:en-gb", "piper:en_US-joe-medium")
    chapter = next(c for c in report.chapters if mixed in c.timeline.items)
    audio = array("h", decode_file(report.folder / chapter.href))
    inside = audio[mixed.start_ms * SAMPLE_RATE // 1000 : mixed.end_ms * SAMPLE_RATE // 1000]
    assert any(200 <= length <= 600 for _, length in silent_runs(inside)), "no breath at the change"


def test_a_cast_voice_that_does_not_exist_fails_before_any_work() -> None:
    with pytest.raises(EngineError, match="no voice 'nobody'"):
        choose_cast(None, None, "en", {"HOLMES": "espeak:nobody"})
