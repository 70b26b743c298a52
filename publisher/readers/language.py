"""The language of a manuscript that does not declare one, told from its text.

py3langid (a maintained port of langid.py, Lui and Baldwin 2012) is used: its model of 97
languages ships inside the wheel (4.6 MB, BSD licence, numpy only), so it works offline
and gives the same answer every run; over a few thousand characters of a book it is
all but certain. lingua-language-detector is more accurate on a sentence or two, which
a book never is, and weighs 96 MB.

The wheel's model is xz-compressed, and unpacking it takes 0.7 s, longer than the rest of
reading a novel. It is unpacked once per machine into the local cache ("models") as a
plain .npz, which loads in about 0.15 s; its zip CRCs find damage, and a damaged or
foreign copy is unpacked again.
"""

from __future__ import annotations

import logging
import lzma
from array import array
from collections.abc import Iterable
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from publisher.files import write_whole
from publisher.model import DetectedLanguage

log = logging.getLogger(__name__)

# A book's language shows in its first pages; more text only costs time.
SAMPLE_CHARS = 20_000
MIN_WORDS = 5
# Three sentences of Spanish score 0.9 (Galician and Extremaduran share its words); a
# book's first pages score 1.0. Below this the text is too mixed to name one language.
MIN_CONFIDENCE = 0.8


def detect_language(paragraphs: Iterable[str]) -> DetectedLanguage | None:
    """The language of the text, or None when there is too little to tell or it is unsure."""
    sample = _sample(paragraphs)
    if len(sample.split()) < MIN_WORDS:
        return None
    language, confidence = _identifier().classify(sample)
    found = DetectedLanguage(str(language), round(float(confidence), 3))
    return found if found.confidence >= MIN_CONFIDENCE else None


def _sample(paragraphs: Iterable[str]) -> str:
    taken: list[str] = []
    size = 0
    for text in paragraphs:
        taken.append(text)
        size += len(text)
        if size >= SAMPLE_CHARS:
            break
    return "\n".join(taken)[:SAMPLE_CHARS]


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    packed = Path(MODEL_DIR) / MODEL_FILE
    kept = _kept_path(packed)
    if kept.is_file():
        try:
            return _from_unpacked(LanguageIdentifier, kept)
        except Exception as exc:  # damaged, cut short, or from another py3langid
            log.info("the unpacked language model %s is unusable (%s); unpacking again", kept, exc)
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    try:
        write_whole(kept, lzma.decompress(packed.read_bytes()))
    except OSError as exc:  # no room or no write access: unpack again next time
        log.info("cannot keep the unpacked language model in %s (%s)", kept.parent, exc)
    return identifier


def _kept_path(packed: Path) -> Path:
    from publisher.cache import machine_cache_dir

    stamp = f"{version('py3langid')}-{packed.stat().st_size}"
    return machine_cache_dir("models") / f"py3langid-{stamp}.npz"


def _from_unpacked(identifier: Any, path: Path) -> Any:
    """The identifier from the unpacked arrays, as py3langid's own loader builds it."""
    with np.load(path, allow_pickle=False) as data:
        return identifier(
            np.asarray(data["ptc"]),
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            _stdlib_array(data["nextmove"]),
            data["out_feat"].tolist(),
            norm_probs=True,
            tk_row=_stdlib_array(data["nextmove_row"]),
        )


def _stdlib_array(values: Any) -> array[Any]:
    typecodes = {2: "H", 4: "I", 8: "L"}
    out: array[Any] = array(typecodes[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out
