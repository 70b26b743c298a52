"""eSpeak NG through ctypes, with the library and data that espeakng-loader ships (offline).

eSpeak NG keeps global state, so one process holds one initialised instance. Some of that
state runs on from one utterance to the next (the pitch flutter's position, a static
counter in its wave generator), so the same sentence never came out the same twice in one
process. Where the system can fork, each utterance is therefore spoken by a copy of a
process that never speaks itself: every utterance starts from the same state, and a
sentence sounds the same whatever was said before it, in any worker, cached or not.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import threading
import warnings
from collections.abc import Callable, Mapping
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from publisher.errors import EngineError
from publisher.speech.engines.base import Clip, EngineBase, Voice, language_matches

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PHONEMES = 0x100  # read [[...]] as eSpeak phoneme mnemonics
_EE_OK = 0
# eSpeak NG has no plain "en" voice; a book tagged just "en" gets the US one, like Piper.
_MAIN_VOICE = {"en": "en-us"}
_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _VoiceStruct(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


class EspeakEngine(EngineBase):
    name = "espeak"
    label = "eSpeak NG (offline, many languages)"

    def version(self) -> str:
        try:
            return f"espeakng-loader {version('espeakng-loader')}"
        except PackageNotFoundError:
            return "espeakng-loader missing"

    def problem(self) -> str | None:
        try:
            _shared()
        except EngineError as exc:
            return str(exc)
        return None

    def voices(self) -> tuple[Voice, ...]:
        listed = _shared().library.espeak_ListVoices(None)
        found: list[Voice] = []
        index = 0
        while listed[index]:
            voice = listed[index].contents
            language = _first_language(voice.languages)
            name = (voice.name or b"").decode("utf-8", "replace")
            identifier = (voice.identifier or b"").decode("utf-8", "replace")
            if language and not identifier.startswith("mb/"):
                found.append(Voice(language, _bcp47(language), name))
            index += 1
        return tuple(sorted(set(found), key=lambda v: v.id))

    def default_voice(self, language: str) -> str | None:
        """The exact voice ("en-gb"), else the language's main one ("fr", then "fr-fr")."""
        wanted = language.lower()
        primary = wanted.split("-")[0]
        preference = (wanted, primary, _MAIN_VOICE.get(primary, ""), f"{primary}-{primary}")
        candidates = [v.id for v in self.voices() if language_matches(v.language, language)]
        for choice in preference:
            if choice in (c.lower() for c in candidates):
                return next(c for c in candidates if c.lower() == choice)
        return candidates[0] if candidates else None

    def synthesize(
        self, text: str, voice: str, pronunciations: Mapping[str, str] | None = None
    ) -> Clip:
        espeak = _shared()
        flags = _CHARS_UTF8
        if pronunciations:
            text, used = _with_phonemes(text, pronunciations)
            flags |= _PHONEMES if used else 0
        data = text.encode("utf-8") + b"\0"
        with espeak.lock:
            espeak.use_voice(voice)
            if hasattr(os, "fork"):
                pcm = _in_a_copy(lambda: espeak.speak(data, flags))
            else:  # Windows: no fork, so repeatable only from a fresh process
                pcm = espeak.speak(data, flags)
        return Clip(pcm, espeak.rate)


class _Espeak:
    """The process's one eSpeak NG. Its C library holds one voice, one callback and one
    state, so every EspeakEngine in a process shares this. (Each engine used to initialise
    the library again and point its callback at itself; once that engine was collected, an
    older one spoke through a freed callback and crashed.)"""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[bytes] = []
        self.voice: str | None = None
        self.callback = _CALLBACK(self._collect)  # kept alive as long as the library
        self.library, self.rate = _initialised(self.callback)

    def use_voice(self, voice: str) -> None:
        if voice == self.voice:
            return
        language = ctypes.c_char_p(voice.encode("utf-8"))  # alive for the call
        wanted = _VoiceStruct(languages=ctypes.cast(language, ctypes.c_void_p))
        if self.library.espeak_SetVoiceByProperties(ctypes.byref(wanted)) != _EE_OK:
            raise EngineError(f"eSpeak NG has no voice {voice!r}; see publisher voices")
        self.voice = voice

    def speak(self, data: bytes, flags: int) -> bytes:
        self.samples = []
        synth = self.library.espeak_Synth
        status = synth(data, len(data), 0, _POS_CHARACTER, 0, flags, None, None)
        if status != _EE_OK or self.library.espeak_Synchronize() != _EE_OK:
            raise EngineError(f"eSpeak NG failed to synthesise (status {status})")
        return b"".join(self.samples)

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: int) -> int:
        del events
        if wav and count > 0:
            self.samples.append(ctypes.string_at(wav, count * 2))
        return 0


@cache
def _shared() -> _Espeak:
    return _Espeak()


def _initialised(callback: Any) -> tuple[ctypes.CDLL, int]:
    try:
        import espeakng_loader
    except ImportError:
        raise EngineError("espeakng-loader is not installed; pip install espeakng-loader") from None
    library = ctypes.CDLL(str(espeakng_loader.get_library_path()))
    library.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    library.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_VoiceStruct))
    library.espeak_SetVoiceByProperties.argtypes = [ctypes.POINTER(_VoiceStruct)]
    library.espeak_Synth.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    library.espeak_SetSynthCallback.argtypes = [_CALLBACK]
    data_path = str(espeakng_loader.get_data_path()).encode("utf-8")
    rate = library.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, 0)
    if rate <= 0:
        raise EngineError("eSpeak NG could not start (its data folder is missing)")
    library.espeak_SetSynthCallback(callback)
    return library, int(rate)


def _in_a_copy(work: Callable[[], bytes]) -> bytes:
    """What ``work`` returns, run in a forked copy of this process, which then ends.

    The copy shares nothing back but the bytes it writes to a pipe: a status byte, then the
    audio or the error's message. It ends with ``os._exit`` so that none of this process's
    clean-up (atexit handlers, buffered output) runs twice.
    """
    read, write = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12 warns about forking a process with threads: the copy only runs
        # eSpeak NG's C code and writes to a pipe, taking no lock another thread may hold.
        warnings.simplefilter("ignore", DeprecationWarning)
        child = os.fork()
    if child == 0:
        os.close(read)
        # Ctrl-C reaches the whole process group: the build handles it, the copy finishes.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            payload = b"\0" + work()
        except BaseException as exc:  # every failure goes back as a message
            payload = b"\1" + str(exc).encode("utf-8", "replace")
        try:
            with os.fdopen(write, "wb") as stream:
                stream.write(payload)
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        payload = stream.read()
    _, status = os.waitpid(child, 0)
    if not payload:
        ended = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else "no audio"
        raise EngineError(f"eSpeak NG stopped while speaking (its process ended: {ended})")
    if payload[0] != 0:
        raise EngineError(payload[1:].decode("utf-8", "replace"))
    return payload[1:]


# IPA to eSpeak NG's phoneme mnemonics, longest symbols first, so that a lexicon's IPA can
# be spoken by eSpeak NG as well as by Piper. Symbols without a counterpart are dropped.
_IPA_TO_ESPEAK = {
    "tʃ": "tS",
    "dʒ": "dZ",
    "eɪ": "eI",
    "aɪ": "aI",
    "ɔɪ": "OI",
    "aʊ": "aU",
    "oʊ": "oU",
    "əʊ": "@U",
    "ɪə": "i@",
    "eə": "e@",
    "ʊə": "U@",
    "iː": "i:",
    "uː": "u:",
    "ɑː": "A:",
    "ɔː": "O:",
    "ɜː": "3:",
    "ɝ": "3:",
    "θ": "T",
    "ð": "D",
    "ʃ": "S",
    "ʒ": "Z",
    "ŋ": "N",
    "ɹ": "r",
    "ɾ": "t",
    "ɡ": "g",
    "ʔ": "?",
    "ɪ": "I",
    "ɛ": "E",
    "æ": "a",
    "ɑ": "A",
    "ɒ": "0",
    "ɔ": "O",
    "ʊ": "U",
    "ʌ": "V",
    "ə": "@",
    "ɚ": "3",
    "ɐ": "@",
    "ˈ": "'",
    "ˌ": ",",
    "ː": ":",
    **{c: c for c in "pbtdkfvszhmnlrjwxiueoa"},
}


def _with_phonemes(text: str, pronunciations: Mapping[str, str]) -> tuple[str, bool]:
    used = False
    for word, ipa in sorted(pronunciations.items(), key=lambda kv: -len(kv[0])):
        pattern = rf"(?<!\w){re.escape(word)}(?!\w)"
        if re.search(pattern, text):
            text = re.sub(pattern, f"[[{ipa_to_espeak(ipa)}]]", text)
            used = True
    return text, used


def ipa_to_espeak(ipa: str) -> str:
    symbols = sorted(_IPA_TO_ESPEAK, key=len, reverse=True)
    out: list[str] = []
    position = 0
    while position < len(ipa):
        symbol = next((s for s in symbols if ipa.startswith(s, position)), None)
        if symbol is None:
            position += 1
            continue
        out.append(_IPA_TO_ESPEAK[symbol])
        position += len(symbol)
    return "".join(out)


def _first_language(pointer: int | None) -> str:
    """eSpeak lists languages as [priority byte, name, NUL]...; the first is the main one."""
    if not pointer:
        return ""
    return ctypes.string_at(pointer + 1).decode("ascii", "replace")


def _bcp47(code: str) -> str:
    primary, _, region = code.partition("-")
    return f"{primary}-{region.upper()}" if len(region) == 2 else code
