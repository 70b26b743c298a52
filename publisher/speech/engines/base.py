"""The Engine protocol every speech engine meets, built-in or third-party."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from publisher.model import Clip

__all__ = ["Clip", "Engine", "EngineBase", "Voice"]  # Clip is here for engines' authors


@dataclass(frozen=True)
class Voice:
    id: str
    language: str
    description: str = ""


@runtime_checkable
class Engine(Protocol):
    """A text-to-speech engine.

    Third-party engines register a factory under the ``publisher.engines`` entry-point
    group, exactly as the built-in ones do in pyproject.toml; the factory must work in a
    fresh process, as each narration worker calls it. Subclassing ``EngineBase`` gives
    the optional parts their defaults.
    """

    name: str
    #: Shown by ``publisher voices`` and recorded as the narrator in the book.
    label: str
    #: At most this many worker processes narrate with it at once (1 for an online
    #: service); None: as many as the build runs.
    max_processes: int | None
    #: It sends the text over the network to be spoken.
    online: bool

    def prepare(self) -> None:
        """Called once before a build's worker processes start, for set-up each of them
        would otherwise repeat (compiling a voice, unpacking a model)."""
        ...

    def version(self) -> str:
        """Engine and voice versions: anything that changes the sound."""
        ...

    def problem(self) -> str | None:
        """Why the engine cannot narrate on this machine, or None when it can."""
        ...

    def voices(self) -> tuple[Voice, ...]: ...

    def default_voice(self, language: str) -> str | None:
        """The voice for a BCP 47 language, or None when the engine has none."""
        ...

    def synthesize(
        self, text: str, voice: str, pronunciations: Mapping[str, str] | None = None
    ) -> Clip:
        """Speak ``text``. ``pronunciations`` maps words to IPA from the book's lexicon;
        engines that cannot take phonemes say those words as written."""
        ...


class EngineBase:
    """The defaults of an engine's optional parts."""

    max_processes: int | None = None
    online: bool = False

    def prepare(self) -> None:
        return None


def language_matches(voice_language: str, wanted: str) -> bool:
    """True when the primary language subtags agree: "en-US" speaks "en-GB" text."""
    return voice_language.split("-")[0].lower() == wanted.split("-")[0].lower()
