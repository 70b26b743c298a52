"""The proofing studio: the web player of a built book, with a way to correct how a word
is said, hear the sentence again at once, and keep the correction in the book's lexicon.

A sentence is said again exactly as the next build will say it (the same normaliser, the
same voice, the same cache keys), so hearing it costs one sentence's narration, and the
rebuild afterwards finds it already made: only the other sentences with that word are
narrated anew.
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
import unicodedata
import wave
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path
from typing import Any

from publisher.cache import SentenceCache
from publisher.config import BuildConfig
from publisher.errors import ConfigError, PublisherError
from publisher.files import write_whole
from publisher.formats.web import FOLDER, INDEX, WebChapter
from publisher.model import Book, Clip, Section, Subheading, content_items
from publisher.narration import AudioSettings, ProgressHook, say_utterance
from publisher.pipeline import BuildReport, book_folder, enabled_outputs, publish
from publisher.speech.cast import Cast
from publisher.speech.lexicon import LEXICON_FILE, Entry, Lexicon, keep_entry
from publisher.speech.phonemes import espeak_ipa
from publisher.studio.server import Reply, Site

log = logging.getLogger(__name__)

LISTEN_REPORT = "listen-report.json"
MAX_WORD = 100
MAX_SAY = 200
KEPT_CLIPS = 32  # auditions held for the page to play, newest kept
# Besides letters (any script, the IPA's among them), digits, combining marks and spaces:
# apostrophes, the hyphen, and the IPA's syllable, tie and group marks. Nothing like markup.
_PUNCTUATION = frozenset("'\u2019.-\u203f|\u2016")


def _sayable(text: str) -> bool:
    return all(
        c.isalnum() or c.isspace() or unicodedata.category(c)[0] in "LM" or c in _PUNCTUATION
        for c in text
    )


@dataclass(frozen=True)
class Correction:
    """A word and how to say it: an alias (words to say instead) or IPA."""

    word: str
    alias: str | None = None
    ipa: str | None = None

    @classmethod
    def of(cls, body: Mapping[str, Any]) -> Correction | None:
        """From the page's request; None when it names no word. Bad input is a ConfigError."""
        word = " ".join(str(body.get("word") or "").split())
        if not word:
            return None
        kind = str(body.get("kind") or "alias")
        said = " ".join(str(body.get("say") or "").split())
        if len(word) > MAX_WORD or len(said) > MAX_SAY:
            raise ConfigError("that word or pronunciation is too long")
        if not any(c.isalnum() for c in word):
            raise ConfigError("choose a word: letters or digits")
        if kind not in {"alias", "ipa"}:
            raise ConfigError("a pronunciation is an alias or IPA")
        if not said:
            return cls(word)
        if not _sayable(unicodedata.normalize("NFC", said)):
            raise ConfigError(f"{said!r} has characters a pronunciation cannot have")
        return cls(word, said, None) if kind == "alias" else cls(word, None, said.replace(" ", ""))

    @property
    def entry(self) -> Entry | None:
        if self.alias is None and self.ipa is None:
            return None
        return Entry((self.word,), self.alias, self.ipa)


class Studio:
    """One manuscript's studio: builds it, then answers its page. Thread-safe: narration
    and builds take turns, reading does not wait."""

    def __init__(self, config: BuildConfig, progress: ProgressHook | None = None) -> None:
        self.config = config
        _can_proof(config)
        self.lexicon_path = _lexicon_path(config)
        self._work = threading.Lock()
        self._clips: OrderedDict[str, bytes] = OrderedDict()
        self._count = 0
        self.token = ""
        self._lexicon: Lexicon | None = None  # the lexicon since a correction was kept
        # A build replaces the book folder, and with it the proof-listener's report on the
        # audio it replaces: read it first.
        self._heard: dict[str, Any] = _listen_report(book_folder(config))
        self.report = self._build(progress)
        self.flagged = _flagged(self.report, self._heard)

    # --- what the page asks ---

    def site(self) -> Site:
        """What the server serves: the book folder, this studio's answers, its token."""
        site = Site(self.report.folder, f"/{FOLDER}/{INDEX}", self.answer, self.rewrite)
        self.token = site.token
        return site

    def answer(self, method: str, path: str, body: Mapping[str, Any]) -> Reply:
        try:
            return self._route(method, path, body)
        except PublisherError as exc:
            return Reply.error(400, " ".join(str(exc).split()))
        except Exception as exc:  # an engine may fail in any way: say so, keep serving
            log.exception("the studio failed on %s %s", method, path)
            return Reply.error(500, f"unexpected {type(exc).__name__}: {exc} (a bug)")

    def _route(self, method: str, path: str, body: Mapping[str, Any]) -> Reply:
        routes = {
            ("GET", "/api/studio.js"): lambda: _asset(
                "studio.js", "text/javascript; charset=utf-8"
            ),
            ("GET", "/api/studio.css"): lambda: _asset("studio.css", "text/css; charset=utf-8"),
            ("GET", "/api/book"): self.describe,
            ("POST", "/api/hear"): lambda: self.hear(body),
            ("POST", "/api/word"): lambda: self.hear_word(body),
            ("POST", "/api/keep"): lambda: self.keep(body),
            ("POST", "/api/rebuild"): self.rebuild,
        }
        if (method, path) in routes:
            return routes[(method, path)]()
        clip = re.fullmatch(r"/api/clip/(\d+)\.wav", path)
        said = self._clips.get(clip.group(1)) if clip and method == "GET" else None
        if said is not None:
            return Reply(200, said, "audio/wav")
        return Reply.error(404, "no such thing here")

    def rewrite(self, url_path: str, page: bytes) -> bytes:
        """The player's page with the studio's editing added (its own script and style)."""
        if not url_path.startswith(f"/{FOLDER}/"):
            return page
        head = b'<link rel="stylesheet" href="/api/studio.css">\n</head>'
        tail = b'<script src="/api/studio.js"></script>\n</body>'
        meta = f'<meta name="publisher-studio" content="{self.token}">'.encode()
        # The studio's page talks to the studio: the player's own pages never fetch.
        page = page.replace(b"default-src 'none';", b"default-src 'none'; connect-src 'self';", 1)
        page = page.replace(b"</head>", meta + b"\n" + head, 1)
        return page.replace(b"</body>", tail, 1)

    def describe(self) -> Reply:
        return Reply.json(
            {
                "title": self.report.book.metadata.title,
                "lexicon": self.lexicon_path.name,
                "flagged": self.flagged,
                "entries": [
                    {"word": e.graphemes[0], "alias": e.alias, "ipa": e.ipa}
                    for e in self._with(None).say.lexicon.entries
                ],
            }
        )

    def hear(self, body: Mapping[str, Any]) -> Reply:
        """The sentence said with the correction (or as it stands, without one)."""
        sentence = str(body.get("sentence") or "")
        correction = Correction.of(body)
        settings = self._with(correction)
        cast = self._cast()
        with self._work:
            said = say_utterance(self.report.book, cast, settings, sentence, self._cache())
            clip = self._keep_clip(said.clip)
        return Reply.json(
            {
                "clip": clip,
                "said": said.text,
                "spoken": said.spoken,
                "seconds": round(said.clip.samples / said.clip.sample_rate, 2),
            }
        )

    def hear_word(self, body: Mapping[str, Any]) -> Reply:
        """The word alone, with the correction: a short preview, and its phonemes."""
        correction = Correction.of(body)
        if correction is None:
            raise ConfigError("choose a word first")
        settings = self._with(correction)
        cast = self._cast()
        text = settings.say(correction.word)
        pronunciations = settings.say.lexicon.phonemes()
        with self._work:
            spoken = cast.narrator.engine.synthesize(text, cast.narrator.voice, pronunciations)
            clip = self._keep_clip(spoken)
        ipa = espeak_ipa(self.report.book.metadata.language)
        phonemes = correction.ipa or ((ipa(text) or None) if ipa else None)
        return Reply.json({"clip": clip, "said": text, "phonemes": phonemes})

    def keep(self, body: Mapping[str, Any]) -> Reply:
        correction = Correction.of(body)
        entry = correction.entry if correction else None
        if entry is None:
            raise ConfigError("give the word a pronunciation before keeping it")
        language = self.report.book.metadata.language
        with self._work:
            written = keep_entry(self.lexicon_path, entry, language)
            # Heard from now on as the next build will say it: the file's entries first.
            self._lexicon = written.with_entries(self._audio().say.lexicon.entries)
        assert correction is not None
        count = _sentences_with(self.report.book, correction.word)
        return Reply.json({"lexicon": self.lexicon_path.name, "sentences": count})

    def rebuild(self) -> Reply:
        started = time.perf_counter()
        with self._work:
            self.report = self._build()
            self._lexicon = None
        narration = self.report.narration
        return Reply.json(
            {
                "hits": narration.cache_hits if narration else 0,
                "misses": narration.cache_misses if narration else 0,
                "seconds": round(time.perf_counter() - started, 1),
            }
        )

    # --- inside ---

    def _build(self, progress: ProgressHook | None = None) -> BuildReport:
        report = publish(self.config, progress)
        if self._heard:
            # Kept across the studio's builds, so the list of what to proof survives
            # until the next `publisher check --listen`.
            text = json.dumps(self._heard, indent=2, ensure_ascii=False) + "\n"
            write_whole(report.folder / LISTEN_REPORT, text.encode())
        if report.narrator is None or "web" not in report.outputs:
            raise ConfigError(
                "the studio needs a narrated build with its web player "
                "(narration on, outputs.mp3 and outputs.web not off)"
            )
        return report

    def _audio(self) -> AudioSettings:
        assert self.report.audio is not None
        return self.report.audio

    def _cast(self) -> Cast:
        assert self.report.narrator is not None
        return self.report.narrator

    def _cache(self) -> SentenceCache | None:
        location = self.config.cache_location()
        return SentenceCache(location) if location else None

    def _with(self, correction: Correction | None) -> AudioSettings:
        """The build's narration settings with the correction in its lexicon, first, as
        the lexicon file's own entries come before the manuscript's."""
        audio = self._audio()
        if self._lexicon is not None:
            audio = replace(audio, say=replace(audio.say, lexicon=self._lexicon))
        entry = correction.entry if correction else None
        if entry is None:
            return audio
        current = audio.say.lexicon
        lexicon = Lexicon((entry,), current.language, current.source).with_entries(current.entries)
        return replace(audio, say=replace(audio.say, lexicon=lexicon))

    def _keep_clip(self, clip: Clip) -> str:
        self._count += 1
        name = str(self._count)
        self._clips[name] = _wav(clip)
        while len(self._clips) > KEPT_CLIPS:
            self._clips.popitem(last=False)
        return f"/api/clip/{name}.wav"


def _can_proof(config: BuildConfig) -> None:
    """Refuse at once, before a build, what would make a book the studio cannot show."""
    settings = config.settings
    if not settings.narration.enabled or "web" not in {o.name for o in enabled_outputs(settings)}:
        raise ConfigError(
            "the studio needs a narrated build with its web player: narration on, and "
            "outputs.mp3 and outputs.web not off"
        )


def _lexicon_path(config: BuildConfig) -> Path:
    """The lexicon the studio writes: the one named in the settings, else lexicon.pls
    beside the manuscript; either way inside the manuscript's folder."""
    folder = config.input.parent.resolve()
    named = config.settings.input.lexicon
    path = (named or folder / LEXICON_FILE).resolve()
    if not path.is_relative_to(folder):
        raise ConfigError(
            f"the studio writes only beside the manuscript, and {path} is not in {folder}"
        )
    return path


def _listen_report(folder: Path) -> dict[str, Any]:
    """What `publisher check --listen` wrote in the book folder, if it was run on it."""
    path = folder / LISTEN_REPORT
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _flagged(report: BuildReport, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The sentences the proof-listener flagged that this build still has, each with the
    page it is on."""
    # A flagged sentence's word to fill in: a lexicon candidate (a word misheard again and
    # again), as the text writes it; else its longest misheard word.
    candidates = {
        str(c.get("word", "")).lower(): str(c.get("written") or c.get("word", ""))
        for c in data.get("candidates", [])
        if isinstance(c, dict)
    }
    pages = {}
    for chapter in report.chapters:
        page = WebChapter(chapter.section, chapter.href, chapter.timeline).page
        for item in chapter.timeline.items:
            pages[item.id] = page
    flagged = []
    for item in data.get("flagged", []):
        if isinstance(item, dict) and str(item.get("id")) in pages:
            flagged.append(
                {
                    "id": str(item["id"]),
                    "page": pages[str(item["id"])],
                    "said": str(item.get("said", "")),
                    "heard": str(item.get("heard", "")),
                    "words": _suggested(item.get("wrong_words", []), candidates),
                }
            )
    return flagged


def _suggested(wrong: object, candidates: Mapping[str, str]) -> list[str]:
    words = [str(w) for w in wrong] if isinstance(wrong, list) else []
    known = [candidates[w.lower()] for w in words if w.lower() in candidates]
    return known + sorted((w for w in words if w.lower() not in candidates), key=len, reverse=True)


def _sentences_with(book: Book, word: str) -> int:
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    return sum(1 for section in book.sections for s in _texts(section) if pattern.search(s))


def _texts(section: Section) -> list[str]:
    texts = [section.display_title, *(s.text for s in section.sentences)]
    texts += [i.text for i in content_items(section.content) if isinstance(i, Subheading)]
    return texts


def _wav(clip: Clip) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(clip.sample_rate)
        out.writeframes(clip.pcm)
    return buffer.getvalue()


def _asset(name: str, kind: str) -> Reply:
    return Reply(200, files("publisher.studio").joinpath(name).read_bytes(), kind)
