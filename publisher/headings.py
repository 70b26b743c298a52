"""Recognise heading lines in plain text and describe any heading's kind, label and title."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from publisher.model import SectionKind

HeadingKind = SectionKind | Literal["contents"]

_WORD_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINALS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
).split()

_ROMAN = r"(?=[MDCLXVI])M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})"
_WORD_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last)"
)
_NUMBER = rf"(?:\d{{1,4}}|{_ROMAN}|{_WORD_NUMBER})"
_SEP = r"\s*(?:[.:\-\u2013\u2014]+\s*|\s+)"

# Chapter words in the languages whose books libraries hold most, by what they divide.
_KEYWORDS: dict[str, HeadingKind] = {
    **dict.fromkeys(
        "chapter chapitre kapitel capítulo capitulo capitolo hoofdstuk".split(), "chapter"
    ),
    **dict.fromkeys("part book volume livre partie teil buch libro parte".split(), "part"),
    **dict.fromkeys("act acte akt acto atto".split(), "act"),
    **dict.fromkeys("scene scène szene escena scena".split(), "scene"),
}
_LEVELS: dict[HeadingKind, int] = {"part": 1, "act": 1}
_KEYWORD = "|".join(sorted(_KEYWORDS, key=len, reverse=True))
_NUMBERED = re.compile(
    rf"^(?P<label>(?P<kw>{_KEYWORD})\s+(?:the\s+)?(?P<num>{_NUMBER}))"
    rf"(?:{_SEP}(?P<title>\S.*?))?\s*[.:]?$",
    re.IGNORECASE,
)
# "FIRST ACT", "Second Part": the ordinal before the word.
_ORDINAL_FIRST = re.compile(
    rf"^(?P<label>(?:the\s+)?(?P<num>{'|'.join(_ORDINALS[1:])}|last)\s+(?P<kw>{_KEYWORD}))"
    r"\s*[.:]?$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(
    rf"^(?P<label>(?P<num>{_ROMAN}|\d{{1,3}}))(?:\.(?:\s+(?P<title>\S.*?))?)?\s*$"
)

_NAMED: dict[str, HeadingKind] = {
    "prologue": "prologue",
    "induction": "prologue",
    "epilogue": "epilogue",
    "dramatis personae": "dramatis-personae",
    "dramatis person\u00e6": "dramatis-personae",
    "persons of the play": "dramatis-personae",
    "the persons of the play": "dramatis-personae",
    "persons represented": "dramatis-personae",
    "the persons represented": "dramatis-personae",
    "cast of characters": "dramatis-personae",
    "personnages": "dramatis-personae",
    "interlude": "interlude",
    "preface": "preface",
    "préface": "preface",
    "avant-propos": "foreword",
    "vorwort": "foreword",
    "einleitung": "introduction",
    "prólogo": "prologue",
    "épilogue": "epilogue",
    "nachwort": "afterword",
    "foreword": "foreword",
    "forward": "foreword",
    "introduction": "introduction",
    "dedication": "dedication",
    "epigraph": "epigraph",
    "afterword": "afterword",
    "postscript": "afterword",
    "conclusion": "conclusion",
    "acknowledgments": "acknowledgments",
    "acknowledgements": "acknowledgments",
    "notes": "notes",
    "endnotes": "notes",
    "author's note": "notes",
    "authors note": "notes",
    "a note on the text": "notes",
    "note on the text": "notes",
    "translator's note": "notes",
    "glossary": "glossary",
    "bibliography": "bibliography",
    "references": "bibliography",
    "further reading": "bibliography",
    "about the author": "about-the-author",
    "colophon": "colophon",
    "publication note": "colophon",
    "appendix": "appendix",
    "contents": "contents",
    "table of contents": "contents",
    # A journal article's own front and back matter.
    "authors": "contributors",
    "author information": "contributors",
    "affiliations": "contributors",
    "contributors": "contributors",
    "competing interests": "declarations",
    "conflicts of interest": "declarations",
    "conflict of interest": "declarations",
    "declaration of interests": "declarations",
    "funding": "declarations",
    "data availability": "declarations",
    "author contributions": "declarations",
}
_NAMED_RE = re.compile(
    r"^(?P<label>"
    + "|".join(
        sorted((re.escape(k).replace("'", "['\u2019]?") for k in _NAMED), key=len, reverse=True)
    )
    + r")(?:\s+(?P<suffix>[A-Z0-9]{1,4}|"
    + _ROMAN
    + r"))?"
    # "Preface to the Second Edition", "Préface de l'Éditeur": whose or which one.
    + r"(?P<whose>\s+(?:to|of|by|for|de|du|des|von|zur|zum|del|della)\s\S.{0,60}?"
    + r"|\s+d['\u2019]\S.{0,60}?)?"
    + r"(?:\s*[.:\-\u2013\u2014]\s*(?P<title>\S.*?))?\s*[.:]?$",
    re.IGNORECASE,
)

MAX_HEADING_WORDS = 14
_WHOSE_KINDS = frozenset({"preface", "foreword", "introduction", "afterword", "prologue"})
MAX_BARE_NUMBER = 200
_SMALL_WORDS = frozenset(
    "a an and as at but by for from in into nor of on or the to with upon de la le von van".split()
)


@dataclass(frozen=True)
class HeadingMatch:
    kind: HeadingKind
    label: str | None
    title: str | None
    number: int | None
    level: int  # 1 for parts and books, 2 for everything inside them


def match_heading(line: str) -> HeadingMatch | None:
    """Return what a plain-text line is as a heading, or None when it reads as prose."""
    # A note marker on a heading ("CHAPITRE XXII[1].") is no part of its name.
    line = " ".join(_NOTE_MARK.sub("", line).split())
    if not line or len(line.split()) > MAX_HEADING_WORDS or len(line) > 120:
        return None
    return (
        _match_numbered(line)
        or _match_ordinal_first(line)
        or _match_named(line)
        or _match_bare_number(line)
        or _match_decimal_section(line)
    )


_NOTE_MARK = re.compile(r"\[(?:\d{1,3}|[a-z])\]")


def describe_heading(text: str) -> HeadingMatch:
    """Describe a line already known to be a heading (Markdown ``#``): never None."""
    found = match_heading(text)
    if found is not None:
        return found
    return HeadingMatch("chapter", None, _clean(text), None, 2)


def is_title_line(line: str) -> bool:
    """A short line that can name a chapter: no sentence end, not itself a heading label."""
    line = " ".join(line.split())
    if not line or len(line.split()) > MAX_HEADING_WORDS or len(line) > 100:
        return False
    if line.rstrip(".:").lower() in _KEYWORDS:
        return False  # "SCENE" alone under "FIRST ACT" introduces the setting
    if line[-1] in ",;" or (line[-1] in ".!?" and not line.isupper()):
        return False
    first = line[0]
    caseless = first.isalpha() and first.lower() == first.upper()  # Hebrew, Arabic, CJK
    return first.isupper() or first.isdigit() or caseless or first in "\"'\u201c\u2018("


def soften_caps(line: str) -> str:
    """Title-case a line written all in capitals ("THE ROAD HOME" becomes "The Road Home").

    For catalogues and for speech engines, some of which spell capitals out letter by letter.
    """
    if not line.isupper():
        return line
    words = line.lower().split()
    return " ".join(
        w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def heading_number(text: str) -> int | None:
    """Value of an arabic, Roman or English-word number such as "12", "XIV", "twenty-one"."""
    token = text.strip().lower().replace(" ", "-")
    if token.isdigit():
        return int(token)
    if re.fullmatch(_ROMAN, token.upper()):
        return _roman_value(token.upper())
    if token in _WORD_NUMBERS:
        return _WORD_NUMBERS.index(token)
    if token in _ORDINALS:
        return _ORDINALS.index(token)
    tens, _, unit = token.partition("-")
    if tens in _TENS:
        return _TENS[tens] + (_WORD_NUMBERS.index(unit) if unit in _WORD_NUMBERS[1:10] else 0)
    return None


def heading_key(found: HeadingMatch) -> tuple[str, int | None, str]:
    """A loose identity for matching a contents entry with the heading it lists."""
    return (found.kind, found.number, _key_words(found.title or ""))


def title_key(text: str) -> str:
    return _key_words(text)


def _match_numbered(line: str) -> HeadingMatch | None:
    m = _NUMBERED.match(line)
    if m is None:
        return None
    title = m.group("title")
    if title is not None and not _is_heading_title(title, needs_separator=_bare_gap(m)):
        return None
    kind = _KEYWORDS[m.group("kw").lower()]
    return HeadingMatch(
        kind,
        _clean(m.group("label")),
        _clean(title),
        heading_number(m.group("num")),
        _LEVELS.get(kind, 2),
    )


def _match_ordinal_first(line: str) -> HeadingMatch | None:
    m = _ORDINAL_FIRST.match(line)
    if m is None:
        return None
    kind = _KEYWORDS[m.group("kw").lower()]
    number = heading_number(m.group("num"))
    return HeadingMatch(kind, _clean(m.group("label")), None, number, _LEVELS.get(kind, 2))


def _match_named(line: str) -> HeadingMatch | None:
    m = _NAMED_RE.match(line)
    if m is None:
        return None
    title = m.group("title")
    if title is not None and not _is_heading_title(title, needs_separator=False):
        return None
    key = m.group("label").lower().replace("\u2019", "'")
    kind = _NAMED.get(key) or _NAMED[key.replace("'", "")]
    whose = m.group("whose")
    if whose and (kind not in _WHOSE_KINDS or not _names_whose(whose)):
        return None  # "Notes of a traveller", "Introduction to the method is simple." are prose
    label = _clean(
        m.group("label")
        + (f" {m.group('suffix')}" if m.group("suffix") else "")
        + (m.group("whose") or "")
    )
    if label is not None and label.isupper() and len(line) > len(label) + 3 and title is None:
        return None
    return HeadingMatch(kind, label, _clean(title), None, 2)


# Report-style numbering: "1.2 Methods", "3.1.4. Results"; each level of numbering is one
# level deeper, so "1.2" sits inside "1. Introduction".
_DECIMAL_SECTION = re.compile(r"^(?P<label>\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?P<title>\S.*?)\s*$")


def _match_decimal_section(line: str) -> HeadingMatch | None:
    m = _DECIMAL_SECTION.match(line)
    if m is None or not _is_heading_title(m.group("title"), needs_separator=True):
        return None
    depth = m.group("label").count(".")
    return HeadingMatch(
        "chapter",
        m.group("label"),
        _clean(m.group("title")),
        heading_number(m.group("label").split(".")[0]),
        2 + depth,
    )


def _match_bare_number(line: str) -> HeadingMatch | None:
    m = _BARE_NUMBER.match(line)
    if m is None or (heading_number(m.group("num")) or 0) > MAX_BARE_NUMBER:
        return None  # "MDCCCXXIX" on a title page is a year
    title = m.group("title")
    if title is not None and not _is_heading_title(title, needs_separator=True):
        return None
    return HeadingMatch(
        "chapter", m.group("label"), _clean(title), heading_number(m.group("num")), 2
    )


def _names_whose(text: str) -> bool:
    """ "to the Second Edition", "de l'Éditeur": capitalised, as a title is."""
    words = re.findall(r"[^\W\d_][\w'\u2019-]*", re.sub(r"\b[dl]['\u2019]", "", text.strip()))
    major = [w for w in words[1:] if w.lower() not in _SMALL_WORDS]
    return bool(major) and all(w[0].isupper() for w in major)


def _bare_gap(m: re.Match[str]) -> bool:
    """True when the title follows the number with only a space ("Chapter 5 The Storm")."""
    between = m.string[m.end("num") : m.start("title")]
    return between.strip() == ""


def _is_heading_title(title: str, *, needs_separator: bool) -> bool:
    """Prose after "Chapter 12" ("was the hardest") is a sentence; a title is capitalised."""
    title = title.rstrip(".")
    if not needs_separator:
        # After an explicit separator ("Chapter 3 - the end") any short phrase is a title.
        return bool(title) and len(title.split()) <= MAX_HEADING_WORDS and title[-1] not in ",;!?"
    if not is_title_line(title):
        return False
    words: list[str] = re.findall(r"[^\W\d_][\w'\u2019-]*", title)
    major = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(major) and all(w[0].isupper() for w in major)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip().rstrip(".:-\u2013\u2014 ").strip()
    return text or None


def _roman_value(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for here, after in zip(numeral, [*numeral[1:], " "], strict=True):
        value = values[here]
        total += -value if after != " " and values[after] > value else value
    return total


def _key_words(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    words = re.findall(r"\w+", text.replace("'", "").replace("\u2019", ""))
    return " ".join(w for w in words if w not in {"the", "a", "an"})
