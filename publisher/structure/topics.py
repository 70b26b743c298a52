"""Chapters for manuscripts without headings: where they begin (segmenter.py chooses them
over the whole text, by lexical cohesion and the names each part mentions), and short
titles made from each part's own phrases, names and subjects. Everything runs on the
text alone: no model, no download.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from publisher.errors import ConfigError
from publisher.model import NotePlacement
from publisher.structure.segmenter import NAME_WEIGHT, Bounds, choose_boundaries

ChapterMode = Literal["auto", "headings", "topics"]
CHAPTER_MODES: tuple[ChapterMode, ...] = get_args(ChapterMode)


@dataclass(frozen=True)
class ChapterOptions:
    mode: ChapterMode = "auto"
    # None: DEFAULT_MIN_WORDS, less for a short text (see shortest_chapter).
    min_words: int | None = None
    max_words: int = 1500
    # An editor's titles for the generated chapters, in order (book.toml chapter_titles).
    titles: tuple[str, ...] = ()
    # Where notes are read and shown: after their paragraph, or at their chapter's end.
    notes: NotePlacement = "paragraph"

    def __post_init__(self) -> None:
        if not 50 <= (self.min_words or DEFAULT_MIN_WORDS) < self.max_words:
            raise ConfigError(
                "structure.min_chapter_words must be 50 or more and less than "
                f"structure.max_chapter_words ({self.min_words} and {self.max_words})"
            )

    def shortest_chapter(self, total_words: int) -> int:
        """The minimum chapter length for a text of ``total_words``.

        Unless the user set one, a short essay still deserves landmarks: the default
        shrinks with the text, to no less than about a minute of listening.
        """
        if self.min_words is not None:
            return self.min_words
        return min(DEFAULT_MIN_WORDS, max(120, total_words // 6))


DEFAULT_MIN_WORDS = 250


STOPWORDS = frozenset(
    """
a about above after again against all almost also although always am among an and another
any anyone anything are around as at away back be because been before being below between
both but by came can cannot could did do does doing done down during each either else enough
even ever every few first for from further get gets getting give given go goes going gone got
had has have having he her here hers herself him himself his how however i if in into is it
its itself just last least less let like made make makes many may me might mine more most
much must my myself never new next no nor not nothing now of off often on once one only or
other others our ours ourselves out over own perhaps quite rather really right said same say
says see seem seemed seems several shall she should since so some something sometimes still
such take taken than that the their theirs them themselves then there these they thing things
think this those though three through thus to too took two under until up upon us very was
way we well went were what whatever when where whether which while who whom whose why will
with within without would yet you your yours yourself yourselves year years day days time
times people man men woman women mr mrs ms dr asked told says saying put came come comes
know knew known want wanted looked look looks told tell began begin
half hundred hundreds thousand thousands million millions billion four five six seven eight
nine eleven twelve twenty thirty forty fifty morning evening afternoon night week month life
living question answer part kind sort lot side end open gain gained change changed raised
""".split()
)


def find_boundaries(
    paragraphs: Sequence[str], options: ChapterOptions, breaks_before: frozenset[int] = frozenset()
) -> list[int]:
    """Indices of the paragraphs that open a new chapter (never 0)."""
    total = sum(len(p.split()) for p in paragraphs)
    shortest = options.shortest_chapter(total)
    if total < 2 * shortest or len(paragraphs) < 3:
        return []
    bounds = Bounds(shortest, max(options.max_words, shortest * 2))
    return choose_boundaries(paragraphs, bounds, breaks_before, _features)


def _features(paragraph: str) -> Counter[str]:
    """Content-word stems, and the names the paragraph mentions, counted double."""
    bag = Counter(_stems(paragraph))
    for name, count in _names([paragraph]).items():
        bag[f"name:{name}"] += round(count * NAME_WEIGHT)
    return bag


def _stems(text: str) -> list[str]:
    tokens = re.findall(r"[^\W\d_][\w'’-]*", text.lower())
    return [_stem(t) for t in tokens if len(t) > 2 and t not in STOPWORDS]


def _stem(word: str) -> str:
    """A light suffix stripper: enough to make "ferry" and "ferries" one term."""
    word = word.replace("’", "'").removesuffix("'s")
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


# --- titles ---------------------------------------------------------------------------

_NAME = re.compile(
    r"(?<![\w'’])((?:[A-Z][\w'’-]+)(?:\s+(?:of|de|van|von|the|la|le)?\s*[A-Z][\w'’-]+){0,3})"
)
_NOT_NAMES = frozenset(
    """
The A An And But In On At It He She They We I His Her Their This That These Those There Then
When While If So Not No Yes Nobody Everyone Some Many Most Several Over Under After Before
One Two Three Four Five Six Seven Eight Nine Ten Monday Tuesday Wednesday Thursday Friday
Saturday Sunday January February March April May June July August September October November
December Mr Mrs Ms Dr Prof Rev Gen Col Capt Sir Lady Lord St
Why What Who How Where Even Only Both Each Every Between Across Around
By For From With Without To Of As Yet Still Nor Or Its Our My Your European English Irish
""".split()
)


def make_titles(parts: Sequence[Sequence[str]], avoid: Sequence[str] = ()) -> list[str]:
    """A short title for each part, from what distinguishes it from the other parts."""
    name_counts = [_names(part) for part in parts]
    term_counts = [_stem_counts(_content_terms(" ".join(part))) for part in parts]
    titles: list[str] = []
    used = {a.casefold() for a in avoid}
    for index, part in enumerate(parts):
        candidates = _candidates(index, " ".join(part), name_counts, term_counts)
        title = next((c for c in candidates if c.casefold() not in used), f"Part {index + 1}")
        used.add(title.casefold())
        titles.append(title)
    return titles


def _names(paragraphs: Sequence[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for paragraph in paragraphs:
        for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
            for found in _NAME.finditer(sentence):
                name = re.sub(r"['’]s$", "", found.group(1).strip())
                first = name.split()[0]
                if found.start() == 0 and len(name.split()) == 1:
                    continue  # a capital at the start of a sentence says nothing
                if first in _NOT_NAMES:
                    name = " ".join(name.split()[1:])
                if name and name.split()[0] not in _NOT_NAMES:
                    counts[name] += 1
    return counts


def _content_terms(text: str) -> list[str]:
    """Words that stand after a determiner somewhere in the text and end a phrase somewhere
    (before punctuation or a function word): nouns, near enough. An adjective ("the full
    hive", "a constant argument") is followed by its noun."""
    phrase_ends = {
        word
        for word, after in _WORD_AND_NEXT.findall(text)
        if not after.strip().isalpha() or after.strip() in STOPWORDS
    }
    nouns = set(_AFTER_DETERMINER.findall(text)) & phrase_ends
    return [
        w
        for w in re.findall(r"\b[a-z][a-z'-]{3,}\b", text)
        if w in nouns
        and w not in STOPWORDS
        and not w.endswith(("ly", "'s"))
        and not (w.endswith("ed") and len(w) > 5)  # "the carved panels": an adjective
    ]


_WORD_AND_NEXT = re.compile(r"\b([a-z][a-z'-]{3,})(?=(\s*[^\w\s]|\s+[a-z]+|\s*$))")
_AFTER_DETERMINER = re.compile(
    r"\b(?:the|a|an|his|her|their|its|this|that|our|my|your|every|each)\s+([a-z][a-z'-]{3,})\b"
)


def _stem_counts(words: list[str]) -> Counter[str]:
    """Counts by stem, each under its most frequent spelling ("ferries" counts for "ferry")."""
    by_stem: dict[str, Counter[str]] = {}
    for word in words:
        by_stem.setdefault(_stem(word), Counter())[word] += 1
    return Counter({forms.most_common(1)[0][0]: sum(forms.values()) for forms in by_stem.values()})


def _distinctive(index: int, counts: list[Counter[str]]) -> list[tuple[float, str]]:
    """Terms by frequency here times how rare they are in the other parts."""
    scored = []
    for term, count in counts[index].items():
        elsewhere = sum(1 for i, other in enumerate(counts) if i != index and term in other)
        scored.append((count * math.log((1 + len(counts)) / (1 + elsewhere)), term))
    return sorted(scored, key=lambda s: (-s[0], s[1]))


def _candidates(
    index: int, text: str, names: list[Counter[str]], terms: list[Counter[str]]
) -> list[str]:
    """Titles as an editor picks them: a phrase of the part's own that joins its most
    distinctive subject to its most distinctive name ("The Road to Diyala", "Refugees in
    Baghdad"); else that name when it is a person's full name; else the part's most
    distinctive noun phrase ("The Delicate Art of the Forest"); else its subject."""
    top_names = [n for score, n in _distinctive(index, names) if score > 0 and names[index][n] > 1]
    top_terms = [t for score, t in _distinctive(index, terms) if score > 0 and terms[index][t] > 1]
    candidates = [
        phrase
        for term in top_terms[:3]
        for name in [*top_names[:3], None]
        if (phrase := _phrase(text, term, name)) is not None
    ]
    candidates += [n for n in top_names[:1] if " " in n]  # a profile: "Margaret Devlin"
    weights = {_stem(t): score for score, t in _distinctive(index, terms) if score > 0}
    candidates += _noun_phrases(text, weights, set(terms[index]))[:3]
    candidates += [n for n in top_names[1:2] if " " in n]
    # A part that repeats no distinctive word still has its most distinctive ones.
    once = [t for score, t in _distinctive(index, terms) if score > 0][:2]
    candidates += [f"The {term.capitalize()}" for term in [*top_terms[:2], *once]]
    candidates += top_names[:2]  # a bare "Bridget" says least
    return [c for c in candidates if 1 <= len(c.split()) <= 6]


_LINKS = r"(?:of|in|at|to|from|on|for|near|across|over|under|beyond)"


_PROPER = r"[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){0,2}"


def _phrase(text: str, term: str, name: str | None) -> str | None:
    """ "the road to Diyala" or "Diyala's road", as the text itself puts them; with no
    name given, the term joined to whatever proper name the text joins it to."""
    stem = re.escape(term.rstrip("s"))
    proper = re.escape(name) if name else _PROPER
    found = re.search(
        rf"\b(?:the\s+)?(?i:{stem})\w*\s+{_LINKS}\s+(?:the\s+)?{proper}\b", text
    ) or re.search(rf"\b{proper}['\u2019]s\s+(?i:{stem})\w*\b", text)
    return _title_case(found.group()) if found else None


_NOUN_PHRASE = re.compile(
    r"\b(?:the|a|an|his|her|their|its|our)\s+(?P<phrase>(?:[a-z][\w'-]+\s+)?[a-z][\w'-]+"
    r"(?:\s+(?:of|in|at|on|from|for)\s+(?:the\s+)?(?:[A-Za-z][\w'\u2019-]+\s+)?"
    r"[A-Za-z][\w'\u2019-]+)?)"
)


def _noun_phrases(text: str, weights: dict[str, float], nouns: set[str]) -> list[str]:
    """The part's own noun phrases ("the delicate art of the forest"), best first: by how
    distinctive of the part their words are, each phrase ending in a noun of the part."""
    scored: dict[str, float] = {}
    for found in _NOUN_PHRASE.finditer(text):
        words = found.group("phrase").split()
        content = [w for w in words if w.lower() not in _SMALL]
        last = content[-1] if content else ""
        if not (last in nouns or last[:1].isupper()) or any(
            w.lower() in STOPWORDS for w in content
        ):
            continue
        score = sum(weights.get(_stem(w.lower()), 0.0) for w in content)
        if score > 0 and len(content) >= 2:
            phrase = _title_case(f"the {' '.join(words)}")
            scored[phrase] = max(scored.get(phrase, 0.0), score / math.sqrt(len(content)))
    return sorted(scored, key=lambda p: (-scored[p], p))


_SMALL = frozenset("a an and the of in at to from on for near across over under beyond".split())


def _title_case(phrase: str) -> str:
    words = phrase.split()
    return " ".join(
        w if (i and w.lower() in _SMALL) or w[:1].isupper() else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )


# --- closing notes ----------------------------------------------------------------------

_CLOSING = re.compile(
    r"\b(?:is|was) (?:a|an|the) (?:[\w-]+ ){0,4}(?:author|writer|journalist|broadcaster|"
    r"novelist|poet|editor|correspondent|reporter|professor|lecturer|historian|critic)\b"
    r"|\bis the author of\b|\bpublished by\b|\bfirst (?:appeared|published) in\b"
    r"|\bthis (?:article|essay|story) (?:was|is|first)\b|^©|\bcopyright\b",
    re.IGNORECASE,
)
MAX_CLOSING_WORDS = 90


def is_closing_note(paragraph: str) -> bool:
    """ "X is a writer based in Mayo. Her book ... is published by Y." and similar credits."""
    return len(paragraph.split()) <= MAX_CLOSING_WORDS and bool(_CLOSING.search(paragraph))
