"""What was to be said against what was heard, word by word.

Both sides go through the same steps, so that only a real difference counts: the book's
own normaliser (the recogniser writes "1990" and "Dr."; the narrator said the words),
lower case, punctuation and hyphens to spaces, British spellings to American ones (the
recogniser spells the American way), runs of single letters joined ("B-B-C" and "BBC").
A difference that is only in the spacing ("every one" heard as "everyone") is none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from publisher.speech.normalize import Normalizer

_PUNCTUATION = re.compile(r"[^\w\s']|_|(?<!\w)'|'(?!\w)")
# Endings the recogniser spells the American way; applied to both sides.
_SPELLING = (
    (re.compile(r"our(s|ed|ing|ite|ites|able)?$"), r"or\1"),
    (re.compile(r"(?<=[^aeiou'])re(s|d)?$"), r"er\1"),  # not "they're"
    (re.compile(r"is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"yse(s|d)?$"), r"yze\1"),
    (re.compile(r"(?<=[aeiou])ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"ogue(s)?$"), r"og\1"),
)
# What the normaliser says for the signs of an address or code; a recogniser writes the
# signs themselves ("example.com/a-b"), or leaves them out.
SIGN_WORDS = frozenset(
    "dot slash dash underscore colon hash tilde plus ampersand apostrophe".split()
)
_WORDS_ALIKE = {"grey": "gray", "whilst": "while", "amongst": "among", "towards": "toward"}


def words(text: str, normalize: Normalizer) -> list[str]:
    """``text`` as a list of comparable words."""
    spoken = normalize(text).lower().replace("\u2019", "'")
    tokens = [_american(t) for t in _PUNCTUATION.sub(" ", spoken).split()]
    return _join_letters(tokens)


def _american(word: str) -> str:
    word = _WORDS_ALIKE.get(word, word)
    if len(word) < 5:
        return word
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


def _join_letters(tokens: list[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token.isalpha() and token not in {"a", "i"}:
            run.append(token)
            continue
        if run:
            out += ["".join(run)] if len(run) > 1 else run
            run = []
        if token:
            out.append(token)
    return out


@dataclass(frozen=True)
class Miss:
    """Said words heard as other words (none when dropped; none said when added)."""

    said: tuple[str, ...]
    heard: tuple[str, ...]


@dataclass(frozen=True)
class Hearing:
    """One unit: what was to be said, what was heard, and the words that differ."""

    said: tuple[str, ...]
    heard: tuple[str, ...]
    misses: tuple[Miss, ...]

    @property
    def errors(self) -> int:
        """Word errors as a word error rate counts them: substituted, dropped and added."""
        return sum(max(len(m.said), len(m.heard)) for m in self.misses)

    @property
    def rate(self) -> float:
        return self.errors / max(len(self.said), 1)


def compare(said: Sequence[Sequence[str]], heard: Sequence[str]) -> list[Hearing]:
    """Align the words heard over a stretch of audio with the units said in it, and give
    each unit its share of the heard words and of the differences."""
    owner = [i for i, unit in enumerate(said) for _ in unit]
    flat = [w for unit in said for w in unit]
    shares: list[list[str]] = [[] for _ in said]
    misses: list[list[Miss]] = [[] for _ in said]
    if not flat:
        if said and heard:
            shares[0].extend(heard)
            misses[0].append(Miss((), tuple(heard)))
        return [Hearing(tuple(u), tuple(shares[i]), tuple(misses[i])) for i, u in enumerate(said)]
    for op, i1, i2, j1, j2 in align(flat, list(heard)):
        unit = owner[i1 - 1] if op == "insert" and i1 > 0 else owner[min(i1, len(owner) - 1)]
        if op == "equal":
            for k in range(i2 - i1):
                shares[owner[i1 + k]].append(heard[j1 + k])
            continue
        _share(owner, shares, misses, flat[i1:i2], list(heard[j1:j2]), i1, unit)
    return [Hearing(tuple(unit), tuple(shares[i]), tuple(misses[i])) for i, unit in enumerate(said)]


def _share(
    owner: list[int],
    shares: list[list[str]],
    misses: list[list[Miss]],
    said: list[str],
    heard: list[str],
    start: int,
    unit: int,
) -> None:
    """A differing stretch: split at unit boundaries, the heard words going with the
    first unit they could belong to."""
    if _unsigned(said) == _unsigned(heard):  # "every one" heard as "everyone"
        for k, word in enumerate(said):
            shares[owner[start + k]].append(word)
        return
    if not said:
        shares[unit].extend(heard)
        misses[unit].append(Miss((), tuple(heard)))
        return
    spans: dict[int, list[str]] = {}
    for k, word in enumerate(said):
        spans.setdefault(owner[start + k], []).append(word)
    units = list(spans)
    for n, u in enumerate(units):
        part = heard if len(units) == 1 else _portion(heard, spans, units, n)
        shares[u].extend(part)
        misses[u].append(Miss(tuple(spans[u]), tuple(part)))


def _unsigned(words: list[str]) -> str:
    return "".join(w for w in words if w not in SIGN_WORDS)


def _portion(heard: list[str], spans: dict[int, list[str]], units: list[int], n: int) -> list[str]:
    """The heard words for the n-th unit of a stretch, in proportion to its said words."""
    total = sum(len(spans[u]) for u in units)
    before = sum(len(spans[u]) for u in units[:n])
    first = round(len(heard) * before / total)
    last = round(len(heard) * (before + len(spans[units[n]])) / total)
    return heard[first:last]


Opcode = tuple[str, int, int, int, int]
_MOVES = {"equal": (1, 1), "replace": (1, 1), "delete": (1, 0), "insert": (0, 1)}


def align(said: list[str], heard: list[str]) -> list[Opcode]:
    """The fewest substitutions, deletions and insertions that make ``said`` into
    ``heard`` (Levenshtein's, as a word error rate counts them), as difflib-style opcodes:
    runs of equal words, and the differing stretches between them."""
    rows, cols = len(said), len(heard)
    cost = [list(range(cols + 1))] + [[i] + [0] * cols for i in range(1, rows + 1)]
    for i in range(1, rows + 1):
        row, above = cost[i], cost[i - 1]
        for j in range(1, cols + 1):
            same = said[i - 1] == heard[j - 1]
            row[j] = min(above[j - 1] + (0 if same else 1), above[j] + 1, row[j - 1] + 1)
    steps: list[str] = []
    i, j = rows, cols
    while i or j:
        if i and j and said[i - 1] == heard[j - 1] and cost[i][j] == cost[i - 1][j - 1]:
            steps.append("equal")
        elif i and j and cost[i][j] == cost[i - 1][j - 1] + 1:
            steps.append("replace")
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            steps.append("delete")
        else:
            steps.append("insert")
        di, dj = _MOVES[steps[-1]]
        i, j = i - di, j - dj
    return _merge(steps[::-1])


def _merge(steps: list[str]) -> list[Opcode]:
    """Runs of equal steps, and runs of differing ones, each as one opcode."""
    runs: list[Opcode] = []
    i = j = 0
    for step in steps:
        di, dj = _MOVES[step]
        kind = "equal" if step == "equal" else "differ"
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1], i + di, runs[-1][3], j + dj)
        else:
            runs.append((kind, i, i + di, j, j + dj))
        i, j = i + di, j + dj
    return [(_kind(*run), *run[1:]) for run in runs]


def _kind(kind: str, i1: int, i2: int, j1: int, j2: int) -> str:
    if kind == "equal":
        return kind
    return "replace" if i2 > i1 and j2 > j1 else "delete" if i2 > i1 else "insert"
