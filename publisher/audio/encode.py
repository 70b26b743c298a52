"""PCM to constant-bitrate MP3 through the bundled ffmpeg's libmp3lame."""

from __future__ import annotations

from pathlib import Path

from publisher.audio.ffmpeg import ffmpeg_version, last_line, run_ffmpeg
from publisher.errors import OutputError

# Bitrates MPEG-2 Layer III allows at 22.05 kHz, and MPEG-1 Layer III at 44.1 kHz.
BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
BITRATES_44K = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
ALL_BITRATES = tuple(sorted(set(BITRATES) | set(BITRATES_44K)))
DEFAULT_BITRATE = 64


def bitrates_at(sample_rate: int) -> tuple[int, ...]:
    return BITRATES_44K if sample_rate >= 32000 else BITRATES


def encode_mp3(
    pcm: bytes, sample_rate: int, path: Path, bitrate_kbps: int, out_rate: int | None = None
) -> None:
    """Constant-bitrate mono MP3 of ``pcm``, resampled to ``out_rate`` when given."""
    arguments = [*pcm_input(sample_rate), *mp3_output(sample_rate, bitrate_kbps, out_rate)]
    ok, _, report = run_ffmpeg([*arguments, str(path)], pcm)
    if not ok:
        raise OutputError(f"could not write {path.name}: {last_line(report)}")
    mark_lame_header(path)


def pcm_input(sample_rate: int) -> list[str]:
    """ffmpeg arguments that read 16-bit mono PCM from stdin."""
    rate = str(sample_rate)
    return ["-loglevel", "error", "-y", "-f", "s16le", "-ar", rate, "-ac", "1", "-i", "pipe:0"]


def mp3_output(sample_rate: int, bitrate_kbps: int, out_rate: int | None = None) -> list[str]:
    """ffmpeg arguments for a constant-bitrate mono MP3 output, less its path (call
    ``mark_lame_header`` on the file when written)."""
    rate = out_rate or sample_rate
    if bitrate_kbps not in bitrates_at(rate):
        raise OutputError(f"{bitrate_kbps} kbps is not an MP3 bitrate at {rate} Hz")
    resample = ["-ar", str(rate)] if rate != sample_rate else []
    return [
        *("-map", "0:a", "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k", "-ac", "1"),
        *resample,
        *("-id3v2_version", "0", "-map_metadata", "-1", "-f", "mp3"),
    ]


def encoder_version() -> str:
    """What makes the MP3 bytes: the encoder settings here and the ffmpeg that runs them."""
    return f"libmp3lame CBR mono, ffmpeg {ffmpeg_version()}"


def mark_lame_header(path: Path) -> None:
    """Name the encoder "LAME" in the MP3's Info header, as the LAME tag format expects.

    ffmpeg's libmp3lame writes a complete LAME tag (encoder delay and padding included)
    but labels it "Lavc". Readers such as mutagen only trust the delay and padding under
    a "LAME" label, and without them report every file about 50 ms too long, which
    would put each chapter's length off its Timeline.
    """
    with path.open("r+b") as mp3:
        head = mp3.read(8192)
        for marker in (b"Info", b"Xing"):
            at = head.find(marker)
            if at < 0:
                continue
            flags = int.from_bytes(head[at + 4 : at + 8], "big")
            offset = at + 8 + 4 * (flags & 1) + 4 * (flags >> 1 & 1) + 100 * (flags >> 2 & 1)
            offset += 4 * (flags >> 3 & 1)
            if head[offset : offset + 3] == b"Lav":
                mp3.seek(offset)
                mp3.write(b"LAME3.100")
            return
