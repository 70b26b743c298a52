"""Metadata from front matter, a book.toml beside the manuscript, and the command line.

Precedence, most specific first: command-line options, the manuscript's own front
matter or title block, book.toml, then fallbacks (the file name for the title).
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from publisher.errors import ConfigError
from publisher.model import Metadata

log = logging.getLogger(__name__)

FIELDS = (
    "title",
    "subtitle",
    "author",
    "language",
    "publisher",
    "date",
    "description",
    "identifier",
    "rights",
    "cover",
)
ALIASES = {
    "authors": "author",
    "creator": "author",
    "lang": "language",
    "locale": "language",
    "isbn": "identifier",
}
BOOK_TOML = "book.toml"
BUILD_TABLE = "build"
CHAPTER_TITLES = "chapter_titles"

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
MAX_FIELD_LENGTH = 2000


def metadata_fields(
    data: Mapping[str, Any], source: str, lines: Mapping[str, int], *, strict: bool = True
) -> dict[str, str]:
    """Validate a mapping of metadata; errors name the source and, where known, the line.

    ``strict`` is for our own files (book.toml): an unknown key is an error there. Front
    matter is written for other tools too (Jekyll's ``layout``, Hugo's ``tags``, pandoc's
    ``toc``), so there unknown keys are left for those tools, with one warning.
    """
    fields: dict[str, str] = {}
    ignored: list[str] = []
    for raw_key, value in data.items():
        key = ALIASES.get(str(raw_key).lower(), str(raw_key).lower())
        where = f"{source}, line {lines[raw_key]}" if raw_key in lines else source
        if key not in FIELDS:
            if not strict:
                ignored.append(str(raw_key))
                continue
            known = ", ".join(FIELDS)
            raise ConfigError(
                f"{where}: unknown metadata key {raw_key!r}{_did_you_mean(key)}; "
                f"known keys: {known}"
            )
        fields[key] = _as_text(key, value, where)
    if ignored:
        log.warning(
            "%s: ignored front-matter keys that are not metadata: %s",
            source,
            ", ".join(k + _did_you_mean(k.lower()) for k in ignored),
        )
    if "language" in fields:
        fields["language"] = normalise_language(fields["language"], source)
    return fields


def _did_you_mean(key: str) -> str:
    close = difflib.get_close_matches(key, [*FIELDS, *ALIASES], n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def load_book_toml(manuscript: Path) -> dict[str, str]:
    """Read the metadata in book.toml beside the manuscript, if there is one."""
    path, table, source = _book_table(manuscript)
    fields = {k: v for k, v in table.items() if k != CHAPTER_TITLES}
    return metadata_fields(fields, str(path), _toml_key_lines(source)) if table else {}


def load_chapter_titles(manuscript: Path) -> tuple[str, ...]:
    """An editor's titles for generated chapters, in order: ``chapter_titles = [...]``."""
    path, table, source = _book_table(manuscript)
    titles = table.get(CHAPTER_TITLES, [])
    line = _toml_key_lines(source).get(CHAPTER_TITLES)
    where = f"{path}, line {line}" if line else str(path)
    if not isinstance(titles, list) or not all(isinstance(t, str) and t.strip() for t in titles):
        raise ConfigError(f"{where}: {CHAPTER_TITLES} must be a list of non-empty titles")
    return tuple(" ".join(t.split()) for t in titles)


def _book_table(manuscript: Path) -> tuple[Path, dict[str, Any], str]:
    path, data, source = read_book_toml(manuscript)
    # [build] holds the book's settings (publisher.settings), not its metadata.
    data.pop(BUILD_TABLE, None)
    table = data["book"] if isinstance(data.get("book"), dict) else data
    return path, table, source


def read_book_toml(manuscript: Path) -> tuple[Path, dict[str, Any], str]:
    """The book.toml beside ``manuscript``: its path, its tables and its text (for line
    numbers); nothing when there is none."""
    path = manuscript.parent / BOOK_TOML
    if not path.is_file():
        return path, {}, ""
    try:
        source = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read as UTF-8 text ({exc})") from None
    try:
        return path, tomllib.loads(source), source
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def resolve_metadata(layers: Sequence[Mapping[str, str]], fallback_title: str) -> Metadata:
    """Merge metadata layers, most specific first, into a validated Metadata."""
    merged: dict[str, str] = {}
    for layer in reversed(layers):
        merged.update({k: v for k, v in layer.items() if v})
    merged.setdefault("title", fallback_title)
    merged.setdefault("language", "en")
    return Metadata(**merged)


def normalise_language(code: str, source: str) -> str:
    """Check a BCP 47 tag and give it its usual case: "en-gb" becomes "en-GB"."""
    code = code.strip().replace("_", "-")
    if not _LANGUAGE.match(code):
        raise ConfigError(
            f"{source}: {code!r} is not a language tag; use a BCP 47 code such as en, en-GB or fr"
        )
    primary, *rest = code.split("-")
    subtags = [s.upper() if len(s) == 2 else s.title() if len(s) == 4 else s.lower() for s in rest]
    return "-".join([primary.lower(), *subtags])


def title_from_filename(path: Path) -> str:
    words = re.sub(r"[_\-.]+", " ", path.stem).split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "Untitled"


def _as_text(key: str, value: Any, where: str) -> str:
    if isinstance(value, list) and key == "author" and all(isinstance(v, str) for v in value):
        value = join_names([v.strip() for v in value if v.strip()])
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()[:10]
    if isinstance(value, int) and key == "date":
        value = str(value)
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {key} must be text, not {type(value).__name__}")
    text = " ".join(value.split())
    if len(text) > MAX_FIELD_LENGTH:
        raise ConfigError(f"{where}: {key} is longer than {MAX_FIELD_LENGTH} characters")
    if key == "date" and text and not _DATE.match(text):
        raise ConfigError(f"{where}: date {text!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
    return text


def join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _toml_key_lines(source: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(source.split("\n"), 1):
        m = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line)
        if m:
            lines.setdefault(m.group(1), number)
    return lines
