"""The Engine protocol every speech engine meets, built-in or third-party."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from publisher.model import Clip

__all__ = ["Clip", "Engine", "EngineBase", "Voice"]  # Clip is here for engines' authors


@dataclass(frozen=True)
class Voice:
    id: str
    language: str  # BCP 47: the language the voice was made for
    description: str = ""
    gender: str | None = None  # "female" or "male" where the engine says
    quality: str | None = None  # the engine's own scale ("low", "medium", "high")
    source: str = ""  # where it came from: a package, a voice folder, the system
    reads: tuple[str, ...] = ()  # languages it reads besides its own


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

    def prepare(self, voices: Sequence[str] = ()) -> None:
        """Called once before a build's worker processes start, with the voices they
        will use, for set-up each of them would otherwise repeat (compiling a voice)."""
        ...

    def voice_version(self, voice: str) -> str:
        """What identifies a voice's sound beyond ``version()``: a user's model file
        can change under the same name, and clips cached for the old one must not be
        reused. Empty for voices ``version()`` covers."""
        ...

    def version(self) -> str:
        """Engine and voice versions: anything that changes the sound."""
        ...

    def problem(self) -> str | None:
        """Why the engine cannot narrate on this machine, or None when it can."""
        ...

    def voices(self) -> tuple[Voice, ...]: ...

    def has_voice(self, voice: str) -> bool:
        """Whether ``voice`` names a voice of the engine (one ``voices`` lists, or one it
        finds another way, as Piper takes a model's path); it may raise EngineError to
        say better why not."""
        ...

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

    def prepare(self, voices: Sequence[str] = ()) -> None:  # noqa: ARG002
        return None

    def voice_version(self, voice: str) -> str:  # noqa: ARG002
        return ""

    def voices(self) -> tuple[Voice, ...]:
        raise NotImplementedError  # every engine lists its own

    def has_voice(self, voice: str) -> bool:
        return voice in {v.id for v in self.voices()}


def language_matches(voice_language: str, wanted: str) -> bool:
    """True when the primary language subtags agree: "en-US" speaks "en-GB" text."""
    return voice_language.split("-")[0].lower() == wanted.split("-")[0].lower()
