"""Pronunciation lexicons in the W3C Pronunciation Lexicon Specification (PLS) 1.0."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from publisher.errors import ConfigError
from publisher.files import read_side_file, write_whole

PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon"
LEXICON_FILE = "lexicon.pls"
MAX_LEXICON_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Entry:
    graphemes: tuple[str, ...]
    alias: str | None = None
    ipa: str | None = None


@dataclass(frozen=True)
class Lexicon:
    """Aliases (spoken substitutions) and IPA pronunciations, looked up by whole word."""

    entries: tuple[Entry, ...] = ()
    language: str | None = None
    source: bytes | None = field(default=None, repr=False)

    def apply_aliases(self, text: str) -> str:
        for entry in self.entries:
            if entry.alias is None:
                continue
            for grapheme in entry.graphemes:
                text = re.sub(rf"(?<![\w]){re.escape(grapheme)}(?![\w])", entry.alias, text)
        return text

    def with_entries(self, entries: tuple[Entry, ...]) -> Lexicon:
        """This lexicon with ``entries`` added after its own, which win where both speak."""
        known = {g for e in self.entries for g in e.graphemes}
        extra = tuple(e for e in entries if not known.intersection(e.graphemes))
        return Lexicon((*self.entries, *extra), self.language, self.source)

    def phonemes(self) -> dict[str, str]:
        """Grapheme to IPA, for engines that take phonemes."""
        return {g: e.ipa for e in self.entries if e.ipa for g in e.graphemes}


def find_lexicon(manuscript: Path, named: Path | None) -> Lexicon:
    """The lexicon named on the command line, else lexicon.pls beside the manuscript."""
    if named is not None:
        return load_lexicon(named)
    beside = manuscript.parent / LEXICON_FILE
    return load_lexicon(beside) if beside.is_file() else Lexicon()


def load_lexicon(path: Path) -> Lexicon:
    """Parse a PLS file; a malformed file or entry is an error that names its line."""
    return parse_lexicon(read_side_file(path, "lexicon", MAX_LEXICON_BYTES), str(path))


def parse_lexicon(data: bytes, where: str) -> Lexicon:
    """A PLS document's entries; ``where`` names it in errors."""
    root = _root(data, where)
    alphabet = root.get("alphabet", "ipa")
    entries = tuple(
        _entry(lexeme, alphabet, where) for lexeme in root.iterfind(f"{{{PLS_NAMESPACE}}}lexeme")
    )
    return Lexicon(entries, root.get("{http://www.w3.org/XML/1998/namespace}lang"), data)


def _root(data: bytes, where: str) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ConfigError(f"{where}, line {exc.lineno}: not well-formed XML ({exc.msg})") from None
    if root.tag != f"{{{PLS_NAMESPACE}}}lexicon":
        raise ConfigError(
            f"{where}, line {root.sourceline}: the root element must be a PLS "
            f"<lexicon> in the namespace {PLS_NAMESPACE}"
        )
    return root


def keep_entry(path: Path, entry: Entry, language: str) -> Lexicon:
    """``entry`` written into the PLS file at ``path`` (made if missing), in place of any
    lexeme for the same words; the rest of the file, comments included, is kept as the
    user wrote it. Written whole and renamed into place, so a reader never sees half."""
    where = str(path)
    if path.is_file():
        root = _root(read_side_file(path, "lexicon", MAX_LEXICON_BYTES), where)
    else:
        root = etree.Element(f"{{{PLS_NAMESPACE}}}lexicon", nsmap={None: PLS_NAMESPACE})  # type: ignore[dict-item]
        root.set("version", "1.0")
        root.set("alphabet", "ipa")
        root.set("{http://www.w3.org/XML/1998/namespace}lang", language)
        root.text = "\n  "
    words = set(entry.graphemes)
    for lexeme in list(root.iterfind(f"{{{PLS_NAMESPACE}}}lexeme")):
        said = {
            " ".join((g.text or "").split())
            for g in lexeme.iterfind(f"{{{PLS_NAMESPACE}}}grapheme")
        }
        if said & words:
            _remove(lexeme)
    lexeme = _lexeme(entry, root.get("alphabet", "ipa"))
    if len(root):
        root[-1].tail = "\n  "
    root.append(lexeme)
    lexeme.tail = "\n"
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    lexicon = parse_lexicon(data, where)  # what is written must read back
    write_whole(path, data if data.endswith(b"\n") else data + b"\n")
    return lexicon


def _lexeme(entry: Entry, alphabet: str) -> etree._Element:
    lexeme = etree.Element(f"{{{PLS_NAMESPACE}}}lexeme")
    lexeme.text = "\n    "
    parts: list[tuple[str, str]] = [("grapheme", g) for g in entry.graphemes]
    if entry.alias:
        parts.append(("alias", entry.alias))
    if entry.ipa:
        parts.append(("phoneme", entry.ipa))
    for number, (tag, text) in enumerate(parts):
        element = etree.SubElement(lexeme, f"{{{PLS_NAMESPACE}}}{tag}")
        element.text = text
        if tag == "phoneme" and alphabet != "ipa":
            element.set("alphabet", "ipa")
        element.tail = "\n  " if number == len(parts) - 1 else "\n    "
    return lexeme


def _remove(element: etree._Element) -> None:
    parent = element.getparent()
    assert parent is not None
    parent.remove(element)  # with its tail: the white space after it


def _entry(lexeme: etree._Element, alphabet: str, source: str) -> Entry:
    where = f"{source}, line {lexeme.sourceline}"
    graphemes = tuple(
        " ".join((g.text or "").split()) for g in lexeme.iterfind(f"{{{PLS_NAMESPACE}}}grapheme")
    )
    if not graphemes or not all(graphemes):
        raise ConfigError(f"{where}: a <lexeme> needs at least one non-empty <grapheme>")
    alias_node = lexeme.find(f"{{{PLS_NAMESPACE}}}alias")
    phoneme_node = lexeme.find(f"{{{PLS_NAMESPACE}}}phoneme")
    alias = " ".join((alias_node.text or "").split()) if alias_node is not None else None
    ipa = None
    if phoneme_node is not None:
        if phoneme_node.get("alphabet", alphabet) != "ipa":
            raise ConfigError(f'{where}: only alphabet="ipa" phonemes are supported')
        ipa = "".join((phoneme_node.text or "").split())
    if not alias and not ipa:
        raise ConfigError(f"{where}: a <lexeme> needs an <alias> or an IPA <phoneme>")
    return Entry(graphemes, alias or None, ipa or None)
