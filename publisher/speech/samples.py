"""Every usable voice, and a short sample of each to choose by ear before a build."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from publisher.audio.assemble import at_rate, trim
from publisher.audio.encode import encode_mp3
from publisher.audio.ffmpeg import SAMPLE_RATE
from publisher.audio.loudness import PROFILES, normalise
from publisher.errors import ConfigError, EngineError
from publisher.speech.cast import choose_narrator, split_spec
from publisher.speech.engines import engine_names, load_engine
from publisher.speech.engines.base import Voice, language_matches
from publisher.speech.normalize import Normalizer
from publisher.speech.synthesis import Job, speak

# What a sample says when the user gives no text: long enough to hear the voice's pace,
# its numbers and a question (about ten seconds).
DEFAULT_SAMPLES = {
    "en": "It was the third of May, 1924, when the letter arrived. Who could have sent it, "
    "and why now? She read it twice, then laughed out loud.",
    "fr": "C'était le trois mai 1924 quand la lettre arriva. Qui avait pu l'envoyer, et "
    "pourquoi maintenant ? Elle la relut deux fois, puis éclata de rire.",
    "de": "Es war der dritte Mai 1924, als der Brief kam. Wer konnte ihn geschickt haben, "
    "und warum gerade jetzt? Sie las ihn zweimal und lachte dann laut.",
    "es": "Era el tres de mayo de 1924 cuando llegó la carta. ¿Quién podía haberla "
    "enviado, y por qué ahora? La leyó dos veces y luego se echó a reír.",
    "it": "Era il tre maggio 1924 quando arrivò la lettera. Chi poteva averla mandata, e "
    "perché proprio adesso? La lesse due volte, poi scoppiò a ridere.",
}


@dataclass(frozen=True)
class Listed:
    engine: str
    voice: Voice


@dataclass(frozen=True)
class Sample:
    engine: str
    voice: str
    path: Path
    seconds: float


def usable_voices(engine: str | None = None, language: str | None = None) -> Iterator[Listed]:
    """Every voice of every engine that can narrate here (online ones included), in
    ``publisher voices`` order; only ``language``'s when given."""
    for name in [engine] if engine else engine_names():
        loaded = load_engine(name)
        if loaded.problem() is not None:
            continue
        for voice in loaded.voices():
            if language is None or _reads(voice, language):
                yield Listed(name, voice)


def write_samples(
    folder: Path,
    text: str | None,
    language: str,
    voice: str | None = None,
    engine: str | None = None,
) -> Iterator[Sample]:
    """A short MP3 of each chosen voice saying ``text`` (or the language's sentence),
    in ``folder``: one voice (``voice``, ENGINE:VOICE), an engine's voices, or every
    offline voice for the language."""
    words = text or DEFAULT_SAMPLES.get(language.split("-")[0].lower())
    if not words:
        known = ", ".join(DEFAULT_SAMPLES)
        raise ConfigError(f"no sample sentence for {language} (there are for {known}); give one")
    say = Normalizer.for_text(language, words)(words)
    folder.mkdir(parents=True, exist_ok=True)
    for engine_name, voice_id in _chosen(voice, engine, language):
        yield _sample(folder, engine_name, voice_id, say)


def _chosen(voice: str | None, engine: str | None, language: str) -> list[tuple[str, str]]:
    if voice is not None:
        engine_name, voice_id = split_spec(voice, engine)
        narrator = choose_narrator(engine_name, voice_id, language)
        return [(narrator.engine.name, narrator.voice)]
    chosen = [
        (listed.engine, listed.voice.id)
        for listed in usable_voices(engine, language)
        if engine is not None or not load_engine(listed.engine).online
    ]
    if not chosen:
        raise EngineError(f"no usable voice for {language} here; `publisher voices` lists them")
    return chosen


def _sample(folder: Path, engine_name: str, voice: str, text: str) -> Sample:
    engine = load_engine(engine_name)
    clip = speak(engine, Job("sample", text, engine_name, voice, "sample"), {})
    pcm = trim(at_rate(clip, SAMPLE_RATE), SAMPLE_RATE)
    profile = PROFILES["speech"]
    path = folder / f"{engine_name}-{_file_name(voice)}.mp3"
    encode_mp3(normalise(pcm, SAMPLE_RATE, profile), SAMPLE_RATE, path, 64)
    return Sample(engine_name, voice, path, len(pcm) / 2 / SAMPLE_RATE)


def _reads(voice: Voice, language: str) -> bool:
    return language_matches(voice.language, language) or any(
        language_matches(other, language) for other in voice.reads
    )


def _file_name(voice: str) -> str:
    """A voice's id as a file name: a model's path by its name, nothing but safe letters."""
    name = Path(voice.split(":")[0]).name if "/" in voice or "\\" in voice else voice
    name = name.removesuffix(".onnx")
    return re.sub(r"[^A-Za-z0-9_.@-]+", "-", name).strip("-.") or "voice"
