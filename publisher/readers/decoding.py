"""Bytes to clean text: encoding detection, line ends, NFC, control characters."""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import CharsetMatch, from_bytes

from publisher.errors import InputError

log = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Formats people hand us by mistake; naming them beats "cannot decode".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (EPUB, DOCX and ODT are ZIP files)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "a Word 97-2003 document"),
    (b"ID3", "an MP3 file"),
    (b"\x7fELF", "a program"),
)

# Bidi embeddings/overrides/isolates can reorder what a reader sees against what the
# narrator says (the "Trojan Source" trick); zero-width spaces and stray BOMs split
# words invisibly. ZWJ and ZWNJ stay: scripts and emoji need them.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_PREFERRED = ("utf_8", "cp1252", "latin_1", "iso8859_15")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes, name: str) -> Decoded:
    """Decode a manuscript's bytes and clean the text; raise InputError when it is not text."""
    encoding, text = _decode(data, name)
    return Decoded(clean_text(text), encoding)


def clean_text(text: str) -> str:
    """Normalise line ends to LF, compose to NFC, drop control and invisible characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x85", "\n")
    text = text.replace("\t", "    ").replace("\f", "\n\n").replace("\v", "\n")
    text = _INVISIBLE.sub("", _CONTROL.sub("", text))
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return codec.replace("-sig", ""), data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name} starts with a {codec} byte-order mark but is not valid {codec} "
                    f"(byte {exc.start}); save it again as UTF-8"
                ) from None
    _refuse_known_binary(data, name)
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(data, name)


def _refuse_known_binary(data: bytes, name: str) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(
                f"{name} is {what}, not a manuscript; "
                "export it as plain text (.txt) or Markdown (.md)"
            )
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{name} looks like a binary file (it contains NUL bytes); "
            "publisher reads plain text (.txt) and Markdown (.md)"
        )


def _detect(data: bytes, name: str) -> tuple[str, str]:
    best = _best_match(data)
    if best is None:
        raise InputError(
            f"{name} is neither UTF-8 nor a text encoding publisher can recognise; save it as UTF-8"
        )
    text = str(best)
    if _looks_binary(text):
        raise InputError(
            f"{name} looks like a binary file, not text; "
            "publisher reads plain text (.txt) and Markdown (.md)"
        )
    log.warning("%s is not UTF-8; read it as %s and converted it to UTF-8", name, best.encoding)
    return best.encoding, text


def _best_match(data: bytes) -> CharsetMatch | None:
    """charset-normalizer's best guess, but among equally good guesses prefer the Western ones.

    Short Latin-script texts decode cleanly in several code pages; Windows-1252 and
    Latin-1 are by far the most common origin of such manuscripts (word processors), and
    picking Central-European cp1250 instead turns "crème" into "crčme".
    """
    matches = list(from_bytes(data))
    if not matches:
        return None
    top = matches[0]
    tied = [m for m in matches if m.chaos == top.chaos and m.coherence == top.coherence]
    for preferred in _PREFERRED:
        for match in tied:
            if preferred in match.could_be_from_charset:
                return match
    return top


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    odd = sum(
        1
        for ch in sample
        if unicodedata.category(ch) in {"Cc", "Co", "Cn", "Cs"} and ch not in "\n\r\t"
    )
    return odd / len(sample) > 0.02


def read_text(path: Path) -> Decoded:
    """A text manuscript's characters, whatever its encoding: what text readers start from."""
    try:
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    decoded = decode(data, path.name)
    if not decoded.text.strip():
        raise InputError(f"{path.name} is empty: there is no text to publish")
    return decoded
