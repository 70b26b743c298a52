"""eSpeak NG's IPA for a text, as Piper's own phonemizer gives it: what a neural voice is
actually asked to say, for the proof-listener and the studio."""

from __future__ import annotations

from collections.abc import Callable


def espeak_ipa(language: str) -> Callable[[str], str] | None:
    """A function from text to its IPA (sentences joined by a space) in ``language``'s
    eSpeak voice; None where eSpeak NG has no voice for it."""
    primary = language.split("-")[0].lower()
    voice = "en-us" if language.lower() == "en-us" else primary
    try:
        from piper.phonemize_espeak import EspeakPhonemizer

        phonemizer = EspeakPhonemizer()
        phonemizer.phonemize(voice, "test")
    except Exception:  # no eSpeak voice for this language
        return None

    def ipa(text: str) -> str:
        return " ".join("".join(s) for s in phonemizer.phonemize(voice, text)).strip()

    return ipa
