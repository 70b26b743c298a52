"""The voices that read a book: the narrator, a dialogue voice, characters by name.

A voice is written ``ENGINE:VOICE`` (``kokoro:jm_kumo``, ``piper:en_GB-alba-medium``),
``VOICE`` of the narrator's engine, or ``ENGINE`` alone for that engine's voice for the
book's language. Settings give them as ``cast.narrator``, ``cast.dialogue`` and
``cast.NAME`` (``[build.cast]`` in book.toml: ``"LADY MACBETH" = "kokoro:jf_alpha"``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from publisher.errors import EngineError
from publisher.model import DIALOGUE, NARRATOR
from publisher.speech.dialogue import QuoteStyle, Roles, quote_marks
from publisher.speech.engines import DEFAULT_ENGINE, Engine, engine_names, load_engine
from publisher.speech.engines.base import Voice, language_matches

log = logging.getLogger(__name__)

FALLBACK_ENGINE = "espeak"


@dataclass(frozen=True)
class Narrator:
    """One voice of one engine."""

    engine: Engine
    voice: str

    @property
    def id(self) -> str:
        return f"{self.engine.name}:{self.voice}"

    @property
    def description(self) -> str:
        return f"synthetic voice: {self.engine.label}, voice {self.voice}"


@dataclass(frozen=True)
class Cast:
    """Who reads what. With only a narrator, a book is read exactly as without a cast."""

    narrator: Narrator
    dialogue: Narrator | None = None
    characters: tuple[tuple[str, Narrator], ...] = ()
    quotes: QuoteStyle = "auto"

    @property
    def engine(self) -> Engine:
        return self.narrator.engine

    @property
    def voice(self) -> str:
        return self.narrator.voice

    @property
    def members(self) -> tuple[Narrator, ...]:
        """Every distinct voice, the narrator's first."""
        voices = [self.narrator, *([self.dialogue] if self.dialogue else [])]
        voices += [n for _, n in self.characters]
        return tuple({n.id: n for n in voices}.values())

    @property
    def description(self) -> str:
        """For the book's metadata: the narrator, and the other voices when there are."""
        others = [n.voice for n in self.members[1:]]
        more = f"; with {', '.join(others)}" if others else ""
        return f"{self.narrator.description}{more}"

    def voice_of(self, role: str) -> Narrator:
        """A character's voice, else the dialogue voice for any speech, else the narrator."""
        if role == NARRATOR:
            return self.narrator
        for name, narrator in self.characters:
            if name == role:
                return narrator
        return self.dialogue or self.narrator

    def roles(self, language: str, text: str) -> Roles | None:
        """What the script needs to give speech to its voices; None when the narrator
        reads everything."""
        if len(self.members) == 1:
            return None
        names = tuple(name for name, _ in self.characters)
        return Roles(names, quote_marks(self.quotes, language, text))

    def roles_of(self) -> dict[str, list[str]]:
        """Each voice's id and the roles it reads, for the report."""
        found: dict[str, list[str]] = {self.narrator.id: [NARRATOR]}
        if self.dialogue:
            found.setdefault(self.dialogue.id, []).append(DIALOGUE)
        for name, narrator in self.characters:
            found.setdefault(narrator.id, []).append(name)
        return found


def choose_cast(
    engine_name: str | None,
    voice: str | None,
    language: str,
    cast: Mapping[str, str] | None = None,
    quotes: QuoteStyle = "auto",
) -> Cast:
    """The narrator (``cast.narrator``, else the engine and voice settings) and every
    other voice the cast names, each checked now, so a wrong name fails before work."""
    cast = dict(cast or {})
    narrator_spec = cast.pop(NARRATOR, None)
    if narrator_spec:
        engine_name, voice = split_spec(narrator_spec, engine_name)
    narrator = choose_narrator(engine_name, voice, language)
    dialogue_spec = cast.pop(DIALOGUE, None)
    dialogue = cast_voice(dialogue_spec, narrator, language) if dialogue_spec else None
    characters = tuple(
        (name, cast_voice(spec, narrator, language)) for name, spec in cast.items() if spec
    )
    return Cast(narrator, dialogue, characters, quotes)


def cast_voice(spec: str, narrator: Narrator, language: str) -> Narrator:
    engine_name, voice = split_spec(spec, narrator.engine.name)
    return choose_narrator(engine_name, voice, language)


def split_spec(spec: str, engine_name: str | None) -> tuple[str | None, str | None]:
    """``ENGINE:VOICE``, ``ENGINE`` or ``VOICE`` (of ``engine_name``'s engine). A Piper
    voice of many speakers has a colon of its own (``NAME:SPEAKER``), so only a known
    engine's name before the first colon is taken as the engine."""
    spec = spec.strip()
    head, colon, rest = spec.partition(":")
    engines = engine_names()
    if colon and head in engines:
        return head, rest or None
    if spec in engines:
        return spec, None
    return engine_name, spec


def choose_narrator(engine_name: str | None, voice: str | None, language: str) -> Narrator:
    """The engine and voice for a book; the default engine gives way when it lacks the language."""
    engine = _usable(load_engine(engine_name or DEFAULT_ENGINE))
    if voice is not None:
        if not engine.has_voice(voice):
            raise EngineError(
                f"{engine.name} has no voice {voice!r}; "
                f"{_voice_hint(engine, engine.voices(), language)}"
            )
        return Narrator(engine, voice)
    chosen = engine.default_voice(language)
    if chosen is not None:
        return Narrator(engine, chosen)
    if engine_name is None:
        fallback = _usable(load_engine(FALLBACK_ENGINE))
        chosen = fallback.default_voice(language)
        if chosen is not None:
            log.warning(
                "%s has no %s voice here; narrating with %s voice %s",
                engine.name,
                language,
                fallback.name,
                chosen,
            )
            return Narrator(fallback, chosen)
    raise EngineError(
        f"{engine.name} has no voice for language {language}; try --engine {FALLBACK_ENGINE}"
        " or see `publisher voices`"
    )


def _voice_hint(engine: Engine, voices: tuple[Voice, ...], language: str) -> str:
    """The voices to choose from: all of them if few, else those for the book's language."""
    shown = (
        voices
        if len(voices) <= 8
        else [v for v in voices if language_matches(v.language, language)]
    )
    names = ", ".join(v.id for v in shown[:8])
    more = len(voices) - min(len(shown), 8)
    rest = f" ({more} more: `publisher voices --engine {engine.name}`)" if more else ""
    return (
        f"it has {names}{rest}"
        if names
        else f"`publisher voices --engine {engine.name}` lists them"
    )


def _usable(engine: Engine) -> Engine:
    problem = engine.problem()
    if problem:
        raise EngineError(f"the {engine.name} engine cannot narrate here: {problem}")
    return engine
