"""Clips and pauses into one chapter of audio, and the Timeline that says where each clip is.

Positions are counted in samples and only converted to milliseconds at the end, so the
Timeline is exact to the sample; silences are joined as bytes, never re-encoded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydub.silence import detect_leading_silence

from publisher.audio.ffmpeg import SAMPLE_RATE, SAMPLE_WIDTH, segment
from publisher.audio.onefile import AAC_FRAME
from publisher.model import ChapterTimeline, Clip, Pauses, TimedItem, Utterance

# Engines pad their output with silence of their own; it is trimmed so that the pauses
# are exactly the configured ones, with a short margin so soft onsets ("h", "f") survive.
SILENCE_DBFS = -50.0
KEEP_MS = 20


@dataclass(frozen=True)
class ChapterAudio:
    pcm: bytes
    sample_rate: int
    timeline: ChapterTimeline

    @property
    def duration_ms(self) -> int:
        return self.timeline.duration_ms


# Each utterance's voices ("engine:voice") and how long each spoke in ms (-1: all of it).
VoiceShares = tuple[tuple[str, int], ...]


def assemble_chapter(
    section_id: str,
    spoken: Sequence[tuple[Utterance, Clip]],
    pauses: Pauses,
    sample_rate: int = SAMPLE_RATE,
    voices: Sequence[VoiceShares] | None = None,
) -> ChapterAudio:
    pieces: list[bytes] = [_silence(pauses.head, sample_rate)]
    position = len(pieces[0]) // SAMPLE_WIDTH
    items: list[TimedItem] = []
    for number, (utterance, clip) in enumerate(spoken):
        gap = _silence(utterance.pause_before, sample_rate) if items else b""
        pieces.append(gap)
        position += len(gap) // SAMPLE_WIDTH
        audio = trim(at_rate(clip, sample_rate), sample_rate)
        pieces.append(audio)
        start, position = position, position + len(audio) // SAMPLE_WIDTH
        start_ms, end_ms = _ms(start, sample_rate), _ms(position, sample_rate)
        shares = voices[number] if voices else ()
        items.append(
            TimedItem(
                utterance.id,
                utterance.kind,
                start_ms,
                end_ms,
                utterance.paragraph_id,
                utterance.groups,
                tuple(v for v, _ in shares),
                tuple(end_ms - start_ms if ms < 0 else ms for _, ms in shares),
            )
        )
    tail = _silence(pauses.tail, sample_rate)
    # The closing silence runs on to a whole AAC frame (at most 46 ms more), so that the
    # M4B can join chapters' AAC frames as they are (see onefile.write_aac_segment).
    tail += bytes(-(position + len(tail) // SAMPLE_WIDTH) % AAC_FRAME * SAMPLE_WIDTH)
    pieces.append(tail)
    position += len(tail) // SAMPLE_WIDTH
    timeline = ChapterTimeline(section_id, _ms(position, sample_rate), tuple(items))
    return ChapterAudio(b"".join(pieces), sample_rate, timeline)


def trim(pcm: bytes, sample_rate: int) -> bytes:
    """Cut the engine's own leading and trailing silence, keeping ``KEEP_MS`` of each."""
    sound = segment(pcm, sample_rate)
    lead = max(0, detect_leading_silence(sound, SILENCE_DBFS, chunk_size=5) - KEEP_MS)
    trail = max(0, detect_leading_silence(sound.reverse(), SILENCE_DBFS, chunk_size=5) - KEEP_MS)
    first = lead * sample_rate // 1000
    last = max(first, len(pcm) // SAMPLE_WIDTH - trail * sample_rate // 1000)
    return pcm[first * SAMPLE_WIDTH : last * SAMPLE_WIDTH]


def at_rate(clip: Clip, sample_rate: int) -> bytes:
    if clip.sample_rate == sample_rate:
        return clip.pcm
    converted = segment(clip.pcm, clip.sample_rate).set_frame_rate(sample_rate)
    return bytes(converted.raw_data)


def _silence(ms: int, sample_rate: int) -> bytes:
    return bytes(ms * sample_rate // 1000 * SAMPLE_WIDTH)


def _ms(samples: int, sample_rate: int) -> int:
    return round(samples * 1000 / sample_rate)
