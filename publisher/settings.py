"""Every setting of a build: one schema in sections, read from every place a value can come.

The schema is frozen dataclasses, one per section, each field carrying its help and how a
value is read (``Spec``). Dataclasses rather than pydantic: the settings are a few dozen
scalars, every reader of them is typed by mypy already, and the package stays free of a
dependency with a compiled core whose major versions have broken models before.

Values arrive in layers, and a later layer wins: the defaults, the ``[build]`` table of the
book's ``book.toml``, a catalogue row of ``publisher batch``, environment variables, the
command line. ``resolve`` merges them and remembers where each value came from, which is
what ``publisher settings`` prints. Keys are ``section.name``; a key nobody knows is an
error that names the nearest known one.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from publisher.audio.encode import ALL_BITRATES
from publisher.audio.loudness import PROFILE_NAMES, ProfileName
from publisher.errors import ConfigError
from publisher.metadata import BUILD_TABLE, normalise_language, read_book_toml
from publisher.model import NOTE_PLACEMENTS, NotePlacement, Pauses
from publisher.speech.dialogue import QUOTE_STYLES, QuoteStyle
from publisher.speech.script import CODE_READINGS, CodeReading
from publisher.structure.topics import CHAPTER_MODES, DEFAULT_MIN_WORDS, ChapterMode

T = TypeVar("T")
DEFAULT = "default"
_PAUSES = Pauses()
_YES = {"yes", "true", "1", "on"}
_NO = {"no", "false", "0", "off"}

# Where a value came from, highest precedence last: the order layers are merged in.
SOURCES = ("default", "book.toml", "catalogue", "environment", "command line")
# Settings that name a file whose content shapes the book.
PATH_KEYS = ("input.cover", "input.lexicon")


@dataclass(frozen=True)
class Spec:
    """How one setting is read and described."""

    help: str
    kind: str  # what a value looks like, for `publisher settings` and the README
    read: Callable[[object, Path, str], object]  # (raw value, base folder, where) -> value
    env: str | None = None
    shapes: bool = True  # False: changes how a build runs, never what it makes
    none: str = ""  # how None is written: "auto", "default" or nothing


def setting(
    default: object, help: str, kind: str, read: Callable[..., object], **extra: Any
) -> Any:
    return field(default=default, metadata={"spec": Spec(help, kind, read, **extra)})


# --- how values are read -----------------------------------------------------------------


def read_text(raw: object, _base: Path, where: str) -> str | None:
    if isinstance(raw, os.PathLike):
        raw = os.fspath(raw)
    if not isinstance(raw, str):
        raise ConfigError(f"{where} must be text, not {_shown(raw)}")
    text = " ".join(raw.split())
    return text or None


def read_language(raw: object, base: Path, where: str) -> str | None:
    text = read_text(raw, base, where)
    return normalise_language(text, where) if text else None


def read_flag(raw: object, _base: Path, where: str) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ConfigError(f"{where} must be yes or no, not {_shown(raw)}")


def read_auto_flag(raw: object, base: Path, where: str) -> bool | None:
    if isinstance(raw, str) and raw.strip().lower() in {"auto", ""}:
        return None
    return read_flag(raw, base, where)


def read_path(raw: object, base: Path, where: str) -> Path | None:
    text = read_text(raw, base, where)
    return (base / Path(text).expanduser()).resolve() if text else None


def read_cache(raw: object, base: Path, where: str) -> str | None:
    """A folder (made absolute), a URL, "off", or nothing for the default folder."""
    text = read_text(raw, base, where)
    if text is None or text.lower() == DEFAULT:
        return None
    if text.lower() in _NO:
        return "off"
    return text if "://" in text else str((base / Path(text).expanduser()).resolve())


def read_whole(low: int, high: int | None = None, *, auto: bool = False) -> Callable[..., object]:
    def read(raw: object, _base: Path, where: str) -> int | None:
        if auto and (raw is None or (isinstance(raw, str) and raw.strip().lower() == "auto")):
            return None
        try:
            value = raw if isinstance(raw, int) and not isinstance(raw, bool) else int(str(raw))
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            bound = f"{low} to {high}" if high is not None else f"{low} or more"
            raise ConfigError(f"{where} must be a whole number {bound}, not {_shown(raw)}")
        return value

    return read


def read_hours(raw: object, _base: Path, where: str) -> float | None:
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in {"", "none", "off"}):
        return None
    try:
        value = float(str(raw)) if not isinstance(raw, bool) else None
    except ValueError:
        value = None
    if value is None or not value > 0:
        raise ConfigError(f"{where} must be a positive number of hours, not {_shown(raw)}")
    return value


def read_choice(choices: Sequence[str], *, auto: bool = False) -> Callable[..., object]:
    def read(raw: object, _base: Path, where: str) -> str | None:
        text = str(raw).strip().lower() if isinstance(raw, str) else None
        if auto and text in {"auto", ""}:
            return None
        if text is None or text not in choices:
            _not_one_of(raw, choices, where)
        return text

    return read


def read_engine(raw: object, base: Path, where: str) -> str | None:
    from publisher.speech.engines import engine_names

    chosen = read_choice(engine_names(), auto=True)(raw, base, where)
    return chosen if isinstance(chosen, str) else None


def read_bitrate(raw: object, base: Path, where: str) -> int | None:
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in {"auto", ""}):
        return None
    value = read_whole(1, auto=False)(raw, base, where)
    if not isinstance(value, int) or value not in ALL_BITRATES:
        _not_one_of(raw, [str(b) for b in ALL_BITRATES], where)
    return value


def _not_one_of(raw: object, choices: Sequence[str], where: str) -> NoReturn:
    close = difflib.get_close_matches(str(raw).lower(), choices, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ConfigError(f"{where} must be one of {', '.join(choices)}, not {_shown(raw)}{hint}")


def _shown(raw: object) -> str:
    return repr(raw) if isinstance(raw, str) else f"{type(raw).__name__} {raw!r}"


def _ms(what: str, default: int) -> Any:
    return setting(default, f"Silence {what}, in ms.", "ms, 0 to 60000", read_whole(0, 60_000))


# --- the sections ------------------------------------------------------------------------


@dataclass(frozen=True)
class InputSettings:
    """What is read, and what overrides the manuscript's own metadata."""

    title: str | None = setting(
        None, "Title, overriding front matter, book.toml's metadata and the title block.",
        "text", read_text,
    )  # fmt: skip
    author: str | None = setting(None, "Author, overriding the manuscript's.", "text", read_text)
    language: str | None = setting(
        None, "BCP 47 language tag such as en, en-GB or fr, overriding the manuscript's.",
        "language tag", read_language,
    )  # fmt: skip
    cover: Path | None = setting(
        None, "JPEG or PNG cover for the EPUB, the MP3 tags and the manifest.", "file", read_path
    )
    lexicon: Path | None = setting(
        None, "PLS pronunciation lexicon. [default: lexicon.pls beside the manuscript]",
        "file", read_path,
    )  # fmt: skip
    in_place: bool | None = setting(
        None, "For an EPUB: keep its own pages and add the narration to them (yes), or "
        "publish its text anew (no). auto: in place for EPUB 3, anew for EPUB 2.",
        "auto, yes or no", read_auto_flag, none="auto",
    )  # fmt: skip


@dataclass(frozen=True)
class StructureSettings:
    """How the text becomes chapters."""

    chapters: ChapterMode = setting(
        "auto", "Chapters from headings, from topic shifts, or auto: headings when there "
        "are two or more.", " | ".join(CHAPTER_MODES), read_choice(CHAPTER_MODES),
    )  # fmt: skip
    min_chapter_words: int | None = setting(
        None, f"Shortest chapter topic segmentation makes. auto: {DEFAULT_MIN_WORDS}, less "
        "for a short text.", "auto or 50 or more", read_whole(50, auto=True), none="auto",
    )  # fmt: skip
    max_chapter_words: int = setting(
        1500, "Longest chapter topic segmentation leaves whole.", "100 or more", read_whole(100)
    )
    notes: NotePlacement = setting(
        "paragraph", "Where notes are shown and read: after their paragraph, or at the "
        "chapter's end.", " | ".join(NOTE_PLACEMENTS), read_choice(NOTE_PLACEMENTS),
    )  # fmt: skip


@dataclass(frozen=True)
class NarrationSettings:
    """Who reads, what is read aloud, the silences, and how the work is run."""

    enabled: bool = setting(
        True, "Narrate the book; no: the text-only EPUB and the report.", "yes or no", read_flag
    )
    engine: str | None = setting(
        None, "Speech engine. auto: piper, or espeak for languages Piper has no voice for.",
        "auto or an engine", read_engine, env="PUBLISHER_ENGINE", none="auto",
    )  # fmt: skip
    voice: str | None = setting(
        None, "Voice of the engine (`publisher voices` lists them). [default: the engine's "
        "for the book's language]", "text", read_text, env="PUBLISHER_VOICE",
    )  # fmt: skip
    figures: bool = setting(
        True, 'Read figures\' descriptions aloud ("Figure: ...").', "yes or no", read_flag
    )
    code: CodeReading = setting(
        "auto", "Code listings aloud: auto reads short ones and announces long ones.",
        " | ".join(CODE_READINGS), read_choice(CODE_READINGS),
    )  # fmt: skip
    quotes: QuoteStyle = setting(
        "auto", "The marks of a quotation, for the cast's dialogue voice: auto takes the "
        "book language's usual style it uses most.", " | ".join(QUOTE_STYLES),
        read_choice(QUOTE_STYLES),
    )  # fmt: skip
    sentence_pause: int = _ms("between sentences", _PAUSES.sentence)
    paragraph_pause: int = _ms("between paragraphs", _PAUSES.paragraph)
    scene_pause: int = _ms("at a scene break", _PAUSES.scene)
    heading_pause: int = _ms("after a chapter or section heading", _PAUSES.heading)
    item_pause: int = _ms("between the items of a list and the rows of a table", _PAUSES.item)
    jobs: int | None = setting(
        None, "Narration processes, each with the voice loaded. auto: every usable core.",
        "auto or 1 or more", read_whole(1, auto=True), env="PUBLISHER_JOBS",
        shapes=False, none="auto",
    )  # fmt: skip
    cache: str | None = setting(
        None, "Sentence cache: a folder, a URL (s3://...) every worker of a cluster "
        "reaches, or off. [default: ~/.cache/publisher]", "folder, URL or off", read_cache,
        env="PUBLISHER_CACHE_DIR", shapes=False, none="default",
    )  # fmt: skip

    def pauses(self) -> Pauses:
        return dataclasses.replace(
            _PAUSES,
            sentence=self.sentence_pause,
            paragraph=self.paragraph_pause,
            scene=self.scene_pause,
            heading=self.heading_pause,
            item=self.item_pause,
        )


@dataclass(frozen=True)
class AudioSettings:
    """How the narration sounds and is encoded."""

    profile: ProfileName = setting(
        "speech", "Loudness and format: speech (-18 LUFS), podcast (-16 LUFS, 44.1 kHz) or "
        "acx (Audible's submission rules).", " | ".join(PROFILE_NAMES),
        read_choice(PROFILE_NAMES), env="PUBLISHER_AUDIO_PROFILE",
    )  # fmt: skip
    bitrate: int | None = setting(
        None, "MP3 bitrate in kbps, constant, mono. auto: the profile's.", "auto or kbps",
        read_bitrate, none="auto",
    )  # fmt: skip


CORE_SECTIONS: dict[str, type[Any]] = {
    "input": InputSettings,
    "structure": StructureSettings,
    "narration": NarrationSettings,
    "audio": AudioSettings,
}


@dataclass(frozen=True)
class Settings:
    """One build's settings. ``outputs`` holds the outputs switched on or off explicitly
    (the rest take their own default); ``options`` each output's own section by name."""

    input: InputSettings = field(default_factory=InputSettings)
    structure: StructureSettings = field(default_factory=StructureSettings)
    narration: NarrationSettings = field(default_factory=NarrationSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    outputs: Mapping[str, bool] = field(default_factory=dict)
    options: Mapping[str, object] = field(default_factory=dict)
    # The cast: a voice for "narrator", "dialogue" and characters by name (`cast.NAME`).
    cast: Mapping[str, str] = field(default_factory=dict)

    def enabled(self, output: str) -> bool:
        from publisher.outputs import find_output

        return self.outputs.get(output, find_output(output).default)

    def options_of(self, output: str, kind: type[T]) -> T:
        """The section of ``output``'s own settings (its defaults when none were given)."""
        found = self.options.get(output)
        return found if isinstance(found, kind) else kind()

    @classmethod
    def from_values(cls, values: Mapping[str, object], base: Path | None = None) -> Settings:
        """Settings from ``{"section.key": value}``, as the library's callers give them."""
        return resolve([Layer("command line", "settings", values, base or Path.cwd())]).settings


# --- the schema as rows ------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One setting of the schema, as `publisher settings` and the README list it."""

    key: str  # section.name
    section: str
    name: str
    default: object
    spec: Spec


@cache
def sections() -> tuple[tuple[str, type[Any] | None, str], ...]:
    """(name, dataclass or None for the outputs' switches, one line of help) in order."""
    from publisher.outputs import registry

    found: list[tuple[str, type[Any] | None, str]] = [
        (name, kind, (kind.__doc__ or "").strip()) for name, kind in CORE_SECTIONS.items()
    ]
    found.append(("outputs", None, "Which outputs are made (yes or no for each)."))
    found += [(o.name, o.options, f"Settings of the {o.title}.") for o in registry() if o.options]
    return tuple(found)


@cache
def schema() -> dict[str, Key]:
    from publisher.outputs import registry

    keys: dict[str, Key] = {}
    for section, kind, _ in sections():
        if kind is None:
            for output in registry():
                spec = Spec(output.summary, "yes or no", read_flag)
                keys[f"outputs.{output.name}"] = Key(
                    f"outputs.{output.name}", "outputs", output.name, output.default, spec
                )
            continue
        for item in dataclasses.fields(kind):
            key = f"{section}.{item.name}"
            keys[key] = Key(key, section, item.name, item.default, item.metadata["spec"])
    return keys


def find_key(key: str, where: str) -> Key:
    """The schema's row for ``key``, else an error naming the nearest known key."""
    known = schema()
    found = known.get(key.strip().lower().replace("-", "_"))
    if found is not None:
        return found
    close = difflib.get_close_matches(key.lower(), list(known), n=1, cutoff=0.5)
    if not close and "." not in key:
        close = [k for k in known if k.endswith(f".{key.lower()}")][:1]
    hint = f"; did you mean {close[0]!r}?" if close else "; `publisher settings` lists them"
    raise ConfigError(f"{where}: unknown setting {key!r}{hint}")


# --- layers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """Values from one place: ``source`` is one of SOURCES, ``where`` names it for errors
    (a file and line, an option); relative paths are read from ``base``."""

    source: str
    where: str
    values: Mapping[str, object]
    base: Path


@dataclass(frozen=True)
class Resolved:
    settings: Settings
    origins: Mapping[str, str]  # key -> the source its value came from (absent: default)
    values: Mapping[str, object]  # key -> the value, for every key of the schema

    def origin(self, key: str) -> str:
        return self.origins.get(key, DEFAULT)


def resolve(layers: Sequence[Layer]) -> Resolved:
    """Merge ``layers`` (lowest precedence first) into validated Settings."""
    chosen: dict[str, object] = {}
    origins: dict[str, str] = {}
    cast: dict[str, str] = {}
    for layer in layers:
        for raw_key, raw in layer.values.items():
            if raw_key.lower().startswith(CAST + "."):
                name, voice = _cast_entry(raw_key, raw, layer.where)
                cast[name] = voice
                origins[f"{CAST}.{name}"] = layer.source
                continue
            key = find_key(raw_key, layer.where)
            where = f"{layer.where}: {key.key}"
            chosen[key.key] = key.spec.read(raw, layer.base, where)
            origins[key.key] = layer.source
    values = {k: chosen.get(k, row.default) for k, row in schema().items()}
    values |= {f"{CAST}.{name}": voice for name, voice in cast.items() if voice}
    settings = dataclasses.replace(_settings(chosen), cast={n: v for n, v in cast.items() if v})
    return Resolved(settings, origins, values)


CAST = "cast"


def _cast_entry(key: str, raw: object, where: str) -> tuple[str, str]:
    """``cast.NAME`` = a voice; NAME as written (a play's "LADY MACBETH"), but for the
    roles "narrator" and "dialogue"; an empty voice takes a lower layer's away."""
    name = " ".join(key.split(".", 1)[1].split())
    if not name:
        raise ConfigError(f'{where}: write cast.NAME = "ENGINE:VOICE"')
    if name.lower() in ("narrator", "dialogue"):
        name = name.lower()
    voice = read_text(raw, Path.cwd(), f"{where}: cast.{name}")
    return name, voice or ""


def _settings(chosen: Mapping[str, object]) -> Settings:
    by_section: dict[str, dict[str, object]] = {}
    for key, value in chosen.items():
        section, name = key.split(".", 1)
        by_section.setdefault(section, {})[name] = value
    core = {name: kind(**by_section.get(name, {})) for name, kind in CORE_SECTIONS.items()}
    options = {
        name: kind(**by_section[name])
        for name, kind, _ in sections()
        if kind is not None and name not in CORE_SECTIONS and name in by_section
    }
    outputs = {k: bool(v) for k, v in by_section.get("outputs", {}).items()}
    return Settings(**core, outputs=outputs, options=options)


def book_layer(manuscript: Path) -> Layer | None:
    """The ``[build]`` table of the book.toml beside ``manuscript``, if it has one."""
    path, data, _ = read_book_toml(manuscript)
    table = data.get(BUILD_TABLE)
    if table is None:
        return None
    where = f"{path}, [{BUILD_TABLE}]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table of settings")
    return Layer("book.toml", where, dict(flatten(table, where)), path.parent)


def flatten(table: Mapping[str, Any], where: str) -> Iterator[tuple[str, object]]:
    """``{"narration": {"voice": "x"}}`` as ``("narration.voice", "x")``."""
    for section, inner in table.items():
        if not isinstance(inner, dict):
            if "." in section:
                yield section, inner
                continue
            find_key(section, where)  # a key without its section: name the nearest
            raise ConfigError(f"{where}: {section!r} must be a table of settings")
        for name, value in inner.items():
            if isinstance(value, dict):
                raise ConfigError(f"{where}: {section}.{name} must be a value, not a table")
            yield f"{section}.{name}", value


def environment_layer(environ: Mapping[str, str] | None = None) -> Layer:
    """The settings that have an environment variable, from those that are set."""
    environ = os.environ if environ is None else environ
    values = {
        key: environ[row.spec.env]
        for key, row in schema().items()
        if row.spec.env and environ.get(row.spec.env, "").strip()
    }
    return Layer("environment", "environment", values, Path.cwd())


def parse_assignment(text: str, where: str = "--set") -> tuple[str, str]:
    """``section.key=value`` as (key, value)."""
    key, equals, value = text.partition("=")
    if not equals or not key.strip():
        raise ConfigError(f"{where} {text!r}: write section.key=value, e.g. narration.voice=joe")
    return key.strip(), value.strip()


def default_layers(manuscript: Path) -> list[Layer]:
    """What a book brings itself: its book.toml's [build] table."""
    layer = book_layer(manuscript)
    return [layer] if layer else []


def toml_value(value: object, spec: Spec) -> str:
    """A value as TOML writes it, so that `publisher settings` pastes into a book.toml."""
    if value is None:
        value = spec.none
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def markdown_table() -> str:
    """Every setting as a Markdown table: what the README shows, made from the schema."""
    rows = ["| setting | default | values | what it does |", "|---|---|---|---|"]
    for key in schema().values():
        default = toml_value(key.default, key.spec)
        env = f" Environment: `{key.spec.env}`." if key.spec.env else ""
        help = key.spec.help.replace("|", "\\|").replace("<", "&lt;")
        kind = key.spec.kind.replace("|", "\\|")
        rows.append(f"| `{key.key}` | `{default}` | {kind} | {help}{env} |")
    return "\n".join(rows) + "\n"
