"""The ffmpeg binary that imageio-ffmpeg ships, handed to pydub: no system ffmpeg needed."""

from __future__ import annotations

import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import imageio_ffmpeg

from publisher.errors import EngineError

with warnings.catch_warnings():
    # pydub warns at import when no ffmpeg is on PATH; it is given ours just below.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

SAMPLE_RATE = 22050
SAMPLE_WIDTH = 2  # 16-bit


@cache
def ffmpeg_exe() -> str:
    exe: str = imageio_ffmpeg.get_ffmpeg_exe()
    AudioSegment.converter = exe
    AudioSegment.ffmpeg = exe
    return exe


@cache
def ffmpeg_version() -> str:
    version: str = imageio_ffmpeg.get_ffmpeg_version()
    return version


def decode_to_pcm(data: bytes, sample_rate: int = SAMPLE_RATE) -> bytes:
    """Decode audio bytes (gTTS's MP3) to 16-bit mono PCM at ``sample_rate``.

    ffmpeg is called directly: pydub's decoder would need ffprobe, which imageio-ffmpeg
    does not ship.
    """
    return _decode("pipe:0", data, sample_rate, "engine audio")


def decode_file(path: Path, sample_rate: int = SAMPLE_RATE) -> bytes:
    """Decode an audio file to 16-bit mono PCM; from a file, ffmpeg honours the MP3
    encoder delay and padding, so the samples are exactly those that were encoded."""
    return _decode(str(path), None, sample_rate, path.name)


def stream_samples(path: Path, sample_rate: int, piece: int = 1 << 17) -> Iterator[Any]:
    """A file's 16-bit mono samples at ``sample_rate`` as numpy arrays of up to ``piece``
    samples each, decoded as they are read, so a file of any length fits in memory."""
    import numpy as np

    command = [ffmpeg_exe(), "-hide_banner", *_to_pcm(str(path), sample_rate)]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors)
        assert process.stdout is not None
        try:
            while data := process.stdout.read(piece * SAMPLE_WIDTH):
                yield np.frombuffer(data[: len(data) // SAMPLE_WIDTH * SAMPLE_WIDTH], "<i2")
        finally:
            process.stdout.close()
            code = process.wait()
        if code != 0:
            errors.seek(0)
            report = errors.read().decode("utf-8", "replace")
            raise EngineError(f"could not decode {path.name}: {last_line(report)}")


def run_ffmpeg(arguments: list[str], data: bytes | None = None) -> tuple[bool, bytes, str]:
    """Run the bundled ffmpeg: whether it succeeded, its stdout, and its stderr (whose last
    line says what went wrong)."""
    command = [ffmpeg_exe(), "-hide_banner", *arguments]
    result = subprocess.run(command, input=data, capture_output=True, check=False)
    return result.returncode == 0, result.stdout, result.stderr.decode("utf-8", "replace")


def last_line(report: str) -> str:
    lines = report.strip().splitlines()
    return lines[-1] if lines else "ffmpeg failed"


def _decode(source: str, data: bytes | None, sample_rate: int, what: str) -> bytes:
    ok, pcm, report = run_ffmpeg(_to_pcm(source, sample_rate), data)
    if not ok:
        raise EngineError(f"could not decode {what}: {last_line(report)}")
    return pcm


def _to_pcm(source: str, sample_rate: int) -> list[str]:
    """ffmpeg arguments that decode ``source`` to 16-bit mono PCM on stdout."""
    return [
        *("-loglevel", "error", "-i", source, "-f", "s16le", "-acodec", "pcm_s16le"),
        *("-ac", "1", "-ar", str(sample_rate), "pipe:1"),
    ]


def segment(pcm: bytes, sample_rate: int = SAMPLE_RATE) -> AudioSegment:
    ffmpeg_exe()
    return AudioSegment(data=pcm, sample_width=SAMPLE_WIDTH, frame_rate=sample_rate, channels=1)
