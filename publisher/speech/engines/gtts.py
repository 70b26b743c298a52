"""gTTS: Google Translate's text-to-speech. Online only; everything else here is offline."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version

from publisher.audio.ffmpeg import SAMPLE_RATE, decode_to_pcm
from publisher.errors import EngineError
from publisher.speech.engines.base import Clip, EngineBase, Voice

log = logging.getLogger(__name__)

OFFLINE_HINT = "gTTS needs the internet and could not reach Google; --engine piper narrates offline"
# Regional accents are chosen through the Google domain, not the language code.
_ACCENTS = {
    "en-gb": "co.uk",
    "en-au": "com.au",
    "en-in": "co.in",
    "en-ca": "ca",
    "en-ie": "ie",
    "en-za": "co.za",
    "fr-ca": "ca",
    "pt-br": "com.br",
    "es-mx": "com.mx",
    "es-es": "es",
}
_TRANSIENT = {408, 425, 429, 500, 502, 503, 504}


class GttsEngine(EngineBase):
    name = "gtts"
    # One request at a time: Google's endpoint answers bursts with "429 Too Many Requests".
    max_processes = 1
    online = True
    label = "gTTS, Google Translate voices (online)"
    attempts = 4
    backoff_s = 0.5

    def version(self) -> str:
        try:
            return f"gTTS {version('gTTS')}"
        except PackageNotFoundError:
            return "gTTS missing"

    def problem(self) -> str | None:
        try:
            import gtts  # noqa: F401
        except ImportError:
            return "gTTS is not installed; pip install gTTS"
        return None

    def voices(self) -> tuple[Voice, ...]:
        found = [Voice(code, code, name) for code, name in sorted(self._languages.items())]
        found += [
            Voice(accent, accent, f"accent through translate.google.{tld}")
            for accent, tld in sorted(_ACCENTS.items())
        ]
        return tuple(found)

    def default_voice(self, language: str) -> str | None:
        wanted = language.lower()
        if wanted in _ACCENTS:
            return wanted
        for code in (language, wanted, wanted.split("-")[0]):
            if code in self._languages:
                return code
        return None

    def synthesize(
        self, text: str, voice: str, pronunciations: Mapping[str, str] | None = None
    ) -> Clip:
        del pronunciations  # Google takes text only
        from gtts import gTTS, gTTSError

        language, tld = voice, "com"
        if voice.lower() in _ACCENTS:
            language, tld = voice.split("-")[0], _ACCENTS[voice.lower()]
        for attempt in range(1, self.attempts + 1):
            try:
                parts = list(gTTS(text, lang=language, tld=tld, timeout=30).stream())
                return Clip(decode_to_pcm(b"".join(parts), SAMPLE_RATE), SAMPLE_RATE)
            except gTTSError as exc:
                status = exc.rsp.status_code if exc.rsp is not None else None
                if exc.rsp is not None and status not in _TRANSIENT:
                    raise EngineError(f"gTTS refused the request: {exc}") from None
                if attempt == self.attempts:
                    if status is None:
                        raise EngineError(OFFLINE_HINT) from None
                    raise EngineError(f"gTTS kept failing ({exc}); try again later") from None
                delay = self.backoff_s * 2 ** (attempt - 1)
                log.info("gTTS attempt %d failed (%s); retrying in %.1f s", attempt, exc, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")

    @cached_property
    def _languages(self) -> dict[str, str]:
        from gtts.lang import tts_langs

        return dict(tts_langs())
