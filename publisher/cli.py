"""The command line: parse, call the library, turn PublisherError into one line and exit 1."""

from __future__ import annotations

import logging
import os
import signal
import sys
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from click.decorators import FC

from publisher.batch import REPORT, Outcome, read_catalogue, run_batch
from publisher.cache import SentenceCache, cache_at, default_cache_dir
from publisher.check import check_book
from publisher.config import DEFAULT_OUTPUT, BuildConfig
from publisher.errors import ConfigError, PublisherError
from publisher.listen.book import NarratedBook
from publisher.metadata import BUILD_TABLE, normalise_language
from publisher.narration import Progress, ProgressHook
from publisher.pipeline import BuildReport, publish
from publisher.progress import ListeningBar, ProgressBar
from publisher.readers import reader_suffixes
from publisher.settings import (
    DEFAULT,
    Layer,
    Resolved,
    environment_layer,
    parse_assignment,
    schema,
    sections,
    toml_value,
)
from publisher.speech.engines import engine_names, load_engine
from publisher.speech.lexicon import load_lexicon
from publisher.speech.normalize import Normalizer
from publisher.speech.samples import usable_voices, write_samples
from publisher.version import __version__

if TYPE_CHECKING:
    from publisher.studio import Site

T = TypeVar("T")


class _Presenter(logging.Handler):
    """Library warnings reach the user as "warning: ..." lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"{record.levelname.lower()}: {record.getMessage()}", err=True)


class _Group(click.Group):
    """Every command's failures end as one ``error:`` line and exit code 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except PublisherError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            click.echo(
                "\nerror: interrupted; the previous build, if any, is untouched, and the "
                "narration done so far is cached: run the same command again to resume",
                err=True,
            )
            sys.exit(130)
        except BrokenPipeError:
            # The reader went away (`publisher voices | head`): stop quietly, as Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:
            if os.environ.get("PUBLISHER_DEBUG"):
                raise
            _fail(
                f"unexpected {type(exc).__name__}: {exc} (this is a bug; rerun with "
                "PUBLISHER_DEBUG=1 and report the traceback)"
            )
        return None


class _Interrupt:
    """Ctrl-C, remembered. Python raises KeyboardInterrupt wherever the main thread is when
    SIGINT arrives; when that is a finaliser (``__del__``) or a weakref callback, the
    exception is printed and dropped and the build would run on to the end. So the signal
    is noted here too, and the progress hook, called for every sentence, raises it again."""

    def __init__(self) -> None:
        self.pressed = False

    def __call__(self, signum: int, frame: object) -> None:
        del signum, frame  # a signal handler's signature
        self.pressed = True
        raise KeyboardInterrupt

    def check(self) -> None:
        if self.pressed:
            raise KeyboardInterrupt


def _fail(message: str) -> None:
    click.echo(f"error: {' '.join(message.split())}", err=True)
    sys.exit(1)


def _output_dir_option(receives: str) -> Callable[[FC], FC]:
    """-o/--output-dir, the folder that ``receives`` what a command writes."""
    return click.option(
        "-o",
        "--output-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_OUTPUT,
        show_default=True,
        help=f"Folder that receives {receives}.",
    )


_CACHE_DIR = click.option(
    "--cache-dir",
    metavar="DIR|URL",
    help="Sentence cache: a folder, or a URL (s3://...) that every worker of a cluster "
    "reaches. [default: $PUBLISHER_CACHE_DIR, else ~/.cache/publisher]",
)
_NO_CACHE = click.option(
    "--no-cache", is_flag=True, help="Neither read nor fill the sentence cache."
)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="publisher")
@click.option("-v", "--verbose", is_flag=True, help="Also show what each stage does.")
def main(verbose: bool) -> None:
    """Turn a manuscript into an accessible EPUB 3 and a narrated audiobook.

    \b
    Example:
      publisher build source/the-cartographer-of-small-rivers.md
    """
    logger = logging.getLogger("publisher")
    logger.handlers[:] = [_Presenter()]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


# The common options of `build` (and `settings`): option name -> the setting it sets.
_COMMON_KEYS = {
    "title": "input.title",
    "author": "input.author",
    "language": "input.language",
    "cover": "input.cover",
    "lexicon": "input.lexicon",
    "in_place": "input.in_place",
    "engine": "narration.engine",
    "voice": "narration.voice",
    "chapter_mode": "structure.chapters",
    "audio_profile": "audio.profile",
    "jobs": "narration.jobs",
    "cache_dir": "narration.cache",
}

# Options from before settings had sections: each still works, says once what replaced it.
# (option, its parameter name, the setting, the value a flag sets or None for the option's)
_DEPRECATED: tuple[tuple[str, str, str, object], ...] = (
    ("--bitrate", "old_bitrate", "audio.bitrate", None),
    ("--sentence-pause", "old_sentence_pause", "narration.sentence_pause", None),
    ("--paragraph-pause", "old_paragraph_pause", "narration.paragraph_pause", None),
    ("--scene-pause", "old_scene_pause", "narration.scene_pause", None),
    ("--heading-pause", "old_heading_pause", "narration.heading_pause", None),
    ("--min-chapter-words", "old_min_chapter_words", "structure.min_chapter_words", None),
    ("--max-chapter-words", "old_max_chapter_words", "structure.max_chapter_words", None),
    ("--notes", "old_notes", "structure.notes", None),
    ("--code", "old_code", "narration.code", None),
    ("--overlay-granularity", "old_overlay_granularity", "epub.overlay_granularity", None),
    ("--split-hours", "old_split_hours", "m4b.split_hours", None),
    ("--figures", "old_figures", "narration.figures", True),
    ("--no-figures", "old_no_figures", "narration.figures", False),
    ("--no-epub-audio", "old_no_epub_audio", "epub.audio", False),
    ("--daisy", "old_daisy", "outputs.daisy", True),
    ("--no-daisy", "old_no_daisy", "outputs.daisy", False),
    ("--no-m4b", "old_no_m4b", "outputs.m4b", False),
    ("--single-mp3", "old_single_mp3", "outputs.single_mp3", True),
)
_warned: set[str] = set()


def _deprecated_options(command: FC) -> FC:
    for option, name, _key, value in reversed(_DEPRECATED):
        flag = value is not None
        command = click.option(option, name, hidden=True, is_flag=flag, default=None)(command)
    return command


def _deprecated_values(given: dict[str, object]) -> dict[str, object]:
    values: dict[str, object] = {}
    for option, name, key, value in _DEPRECATED:
        if given.get(name) in (None, False):
            continue
        chosen = value if value is not None else given[name]
        shown = (
            {True: "yes", False: "no"}.get(chosen, chosen) if isinstance(chosen, bool) else chosen
        )
        if option not in _warned:
            _warned.add(option)
            click.echo(f"warning: {option} is deprecated; use --set {key}={shown}", err=True)
        values[key] = chosen
    return values


def _build_options(command: FC) -> FC:
    """The options `build` and `settings` share: the dozen most used, and --set."""
    decorators = [
        _output_dir_option("OUTPUT_DIR/<slug>/"),
        click.option("--title", help="Title, overriding the manuscript's metadata."),
        click.option("--author", help="Author, overriding the manuscript's metadata."),
        click.option("--language", help="BCP 47 language tag such as en, en-GB or fr."),
        click.option("--cover", metavar="FILE", help="JPEG or PNG cover."),
        click.option(
            "--lexicon",
            metavar="FILE",
            help="PLS pronunciation lexicon. [default: lexicon.pls beside INPUT]",
        ),
        click.option(
            "--in-place/--retypeset",
            "in_place",
            default=None,
            help="An EPUB's own pages narrated, or its text published anew. "
            "[default: in place for EPUB 3]",
        ),
        click.option("--engine", help=f"Speech engine: {', '.join(engine_names())}."),
        click.option("--voice", help="Voice of the engine; `publisher voices` lists them."),
        click.option(
            "--chapters", "chapter_mode", metavar="MODE", help="auto, headings or topics."
        ),
        click.option("--audio-profile", metavar="NAME", help="speech, podcast or acx."),
        click.option("--no-audio", is_flag=True, help="The text-only EPUB; no narration."),
        click.option("-j", "--jobs", help="Narration processes. [default: every core]"),
        _CACHE_DIR,
        _NO_CACHE,
        _SET,
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return _deprecated_options(command)


_SET = click.option(
    "--set",
    "assignments",
    metavar="KEY=VALUE",
    multiple=True,
    help="Any setting, e.g. --set outputs.single_mp3=yes; `publisher settings` lists them.",
)


def _command_line(options: dict[str, object]) -> dict[str, object]:
    """The command line's layer of settings, in the order its parts win: deprecated
    options, then the common ones, then --set."""
    values = _deprecated_values(options)
    for name, key in _COMMON_KEYS.items():
        if options.get(name) is not None:
            values[key] = options[name]
    if options.get("no_audio"):
        values["narration.enabled"] = False
    if options.get("no_cache"):
        values["narration.cache"] = "off"
    assignments = options.get("assignments") or ()
    assert isinstance(assignments, tuple)
    for text in assignments:
        key, value = parse_assignment(str(text))
        values[key] = value
    return values


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@_build_options
@click.option(
    "--show-settings", is_flag=True, help="Print every setting and where it came from; no build."
)
def build(input_path: Path, output_dir: Path, show_settings: bool, **options: object) -> None:
    """Build INPUT (.txt, .md, .html, .docx or .epub) into OUTPUT_DIR/<slug>/: a read-along
    EPUB, one narrated MP3 per chapter, a playlist, an audiobook manifest, an M4B, a DAISY
    talking book and report.json. Every setting is listed by `publisher settings`.

    The book replaces an earlier build only once it is complete.

    \b
    Examples:
      publisher build manuscript.md
      publisher build roman.txt --language fr --engine espeak -o books
      publisher build manuscript.md --set outputs.daisy=no --set narration.scene_pause=3000
      publisher build library/book.epub --retypeset
    """
    config = BuildConfig(
        input_path, output_dir, _command_line(options), layers=(environment_layer(),)
    )
    if show_settings:
        _print_settings(config.resolved)
        return
    report = _with_progress(lambda progress: publish(config, progress))
    click.echo(_built(report))


def _with_progress(run: Callable[[ProgressHook], T]) -> T:
    """``run`` with a progress bar on a terminal, and Ctrl-C honoured mid-narration."""
    bar = ProgressBar() if sys.stderr.isatty() else None
    interrupt = _Interrupt()

    def progress(state: Progress) -> None:
        interrupt.check()
        if bar:
            bar.update(state)

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        return run(progress)
    finally:
        signal.signal(signal.SIGINT, previous)
        if bar:
            bar.close()


def _built(report: BuildReport) -> str:
    sections = len(report.book.sections)
    listening = f", {_clock(report.duration_s)} of audio" if report.duration_s else ""
    narration = report.narration
    cached = ""
    if narration is not None and report.cache_enabled:
        spoken = narration.cache_hits + narration.cache_misses
        cached = f", {narration.cache_hits:,} of {spoken:,} sentences from the cache"
    return (
        f"{report.folder}: {sections} {'section' if sections == 1 else 'sections'}, "
        f"{report.book.words:,} words{listening}, built in {report.timings['total']:.1f} s"
        f"{cached}"
    )


_PORT = click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1. [default: a free one]",
)
_NO_BROWSER = click.option(
    "--no-browser", is_flag=True, help="Only print the address; open no browser."
)


@main.command()
@click.argument(
    "book_dir", metavar="BOOK_DIR", type=click.Path(file_okay=False, exists=True, path_type=Path)
)
@_PORT
@_NO_BROWSER
def preview(book_dir: Path, port: int, no_browser: bool) -> None:
    """Serve a built book's web read-along player on 127.0.0.1 (with the byte ranges
    browsers need to seek in its MP3s) and open it in the browser. Ctrl-C stops.

    \b
    Example:
      publisher preview output/the-cartographer-of-small-rivers
    """
    from publisher.studio import preview_site

    _serve(preview_site(book_dir), port, no_browser)


@main.command()
@click.argument("input_path", metavar="MANUSCRIPT", type=click.Path(path_type=Path))
@_build_options
@_PORT
@_NO_BROWSER
def studio(
    input_path: Path, output_dir: Path, port: int, no_browser: bool, **options: object
) -> None:
    """Build MANUSCRIPT as `publisher build` does, then open its web player with editing,
    on 127.0.0.1 only: select a word, give it an alias or IPA, hear the sentence again,
    and keep the correction in the lexicon.pls beside the manuscript. Sentences flagged by
    `publisher check --listen` are listed first. Ctrl-C stops.

    \b
    Example:
      publisher studio source/the-last-ferry-to-inishcarrow.txt
    """
    from publisher.studio import Studio

    config = BuildConfig(
        input_path, output_dir, _command_line(options), layers=(environment_layer(),)
    )
    session = _with_progress(lambda progress: Studio(config, progress))
    click.echo(_built(session.report))
    click.echo(f"corrections go to {session.lexicon_path}")
    _serve(session.site(), port, no_browser)


def _serve(site: Site, port: int, no_browser: bool) -> None:
    from publisher.studio import Server

    try:
        server = Server(site, port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    click.echo(f"serving {site.root} at {server.address} (Ctrl-C stops)")
    if not no_browser:
        webbrowser.open(server.address)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        server.server_close()


@main.command()
@click.argument("input_path", metavar="[INPUT]", required=False, type=click.Path(path_type=Path))
@click.option(
    "--catalogue",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Also the row of this batch catalogue that lists INPUT.",
)
@_build_options
def settings(
    input_path: Path | None, catalogue: Path | None, output_dir: Path, **options: object
) -> None:
    """Print every setting: its value for INPUT (with its book.toml, a catalogue row, the
    environment and these options), where that value came from, its default and its help.

    Values are merged in this order, each winning over the ones before: the default,
    the book's book.toml ([build] table), its catalogue row, environment variables, the
    command line. The output is valid TOML: a [build] table for a book.toml.

    \b
    Examples:
      publisher settings
      publisher settings book/manuscript.md --catalogue books.csv --set narration.jobs=2
    """
    del output_dir
    layers = []
    if catalogue is not None:
        if input_path is None:
            raise ConfigError("--catalogue needs the INPUT whose row to show")
        layers.append(_catalogue_row(catalogue, input_path))
    layers.append(environment_layer())
    manuscript = input_path or Path.cwd() / "-"
    config = BuildConfig(manuscript, DEFAULT_OUTPUT, _command_line(options), layers=tuple(layers))
    _print_settings(config.resolved)


def _catalogue_row(catalogue: Path, manuscript: Path) -> Layer:
    wanted = manuscript.resolve()
    for entry in read_catalogue(catalogue):
        if entry.manuscript == wanted:
            return entry.row or Layer("catalogue", str(catalogue), {}, catalogue.parent)
    raise ConfigError(f"{catalogue} does not list {manuscript}")


def _print_settings(resolved: Resolved) -> None:
    for section, _kind, summary in sections():
        click.echo(f"[{BUILD_TABLE}.{section}]  # {summary}")
        for key in (k for k in schema().values() if k.section == section):
            value = resolved.values[key.key]
            origin = resolved.origin(key.key)
            default = toml_value(key.default, key.spec)
            said = f"from {origin}" if origin != DEFAULT else "default"
            if origin != DEFAULT:
                said += f"; default {default}"
            click.echo(f"# {key.spec.help} [{key.spec.kind}]")
            click.echo(f"{key.name} = {toml_value(value, key.spec)}  # {said}")
        click.echo()


@main.command()
@click.argument("catalogue", type=click.Path(exists=True, path_type=Path))
@_output_dir_option("OUTPUT_DIR/<slug>/ for every book, and batch-report.json")
@click.option(
    "--scheduler",
    help="A Dask scheduler's address (tcp://host:8786). [default: worker processes here]",
)
@click.option(
    "--workers", type=click.IntRange(1), help="Local worker processes. [default: every core]"
)
@_CACHE_DIR
@_NO_CACHE
@_SET
def batch(
    catalogue: Path,
    output_dir: Path,
    scheduler: str | None,
    workers: int | None,
    **options: object,
) -> None:
    """Build every book of CATALOGUE: a folder of manuscripts, or a .csv or .jsonl file
    with a `manuscript` column (a path relative to the file) and any setting as a column
    (`narration.voice`, `outputs.daisy`...; `publisher settings` lists them). A row's
    settings win over the book's book.toml; the environment and --set win over both.

    Each book builds exactly as `publisher build` builds it alone. A book that fails is
    reported and the rest go on; books unchanged since the last batch are skipped. Prints
    one line per book and a summary, writes OUTPUT_DIR/batch-report.json, and exits 1 if
    any book failed.

    \b
    Examples:
      publisher batch manuscripts/ -o books
      publisher batch catalogue.csv --scheduler tcp://10.0.0.5:8786 --cache-dir /srv/cache
    """
    entries = read_catalogue(catalogue)
    if not entries:
        suffixes = ", ".join(sorted(reader_suffixes()))
        raise ConfigError(f"{catalogue} lists no manuscripts ({suffixes})")
    values = _command_line(options)
    report = run_batch(entries, output_dir, values, scheduler, workers, _print_outcome)
    rows = [
        ("built", f"{report.count('built')}"),
        ("up to date", f"{report.count('skipped')}"),
        ("failed", f"{report.count('failed')}"),
        ("hours of audio", f"{report.audio_hours:.2f}"),
        ("wall time", f"{report.seconds:.1f} s on {report.workers} workers"),
        ("report", str(output_dir / REPORT)),
    ]
    click.echo()
    for name, value in rows:
        click.echo(f"{name:<15} {value}")
    if report.count("failed"):
        sys.exit(1)


def _print_outcome(outcome: Outcome) -> None:
    where = outcome.folder or outcome.manuscript
    detail = f": {outcome.error}" if outcome.error else f" ({outcome.seconds:.1f} s)"
    if outcome.status == "skipped":
        detail = " (up to date)"
    click.echo(f"{outcome.status:<8} {where}{detail}")


@main.command()
@click.argument(
    "book_dir", metavar="BOOK_DIR", type=click.Path(file_okay=False, exists=True, path_type=Path)
)
@click.option(
    "--listen",
    is_flag=True,
    help="Proof-listen instead: hear the audio with a speech recogniser and compare it with "
    "the text (needs publisher[listen]).",
)
@click.option(
    "--asr-model",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="A CTranslate2 Whisper model folder to listen with [default: the one "
    "publisher[listen] installs].",
)
@click.option(
    "-j", "--jobs", type=click.IntRange(1), help="Listening processes [default: one per CPU]."
)
@click.option(
    "--top",
    type=click.IntRange(0),
    default=20,
    show_default=True,
    help="Flagged sentences to print.",
)
@click.option(
    "--max-wer",
    type=click.FloatRange(0, 100),
    metavar="PERCENT",
    help="With --listen, exit 1 when the book's word error rate is above this.",
)
def check(
    book_dir: Path,
    listen: bool,
    asr_model: Path | None,
    jobs: int | None,
    top: int,
    max_wer: float | None,
) -> None:
    """Measure a built book against the audio profile it was built for: every audio file's
    loudness, peaks, RMS, noise floor, room tone, format and length; the playlist,
    manifest, chapters.json, M4B and single-MP3 chapter marks against each other; and the
    EPUB through EPUBCheck. Prints a table; exits 1 if anything fails.

    With --listen, proof-listen the book instead: its chapter audio is heard offline by
    Whisper and compared, sentence by sentence, with what the narrator was asked to say.
    Prints the word error rate per chapter and for the book, the sentences most likely
    wrong and the words heard wrongly more than once; writes listen-report.json and a
    lexicon-suggestions.pls to edit into the book folder.

    \b
    Examples:
      publisher check output/the-cartographer-of-small-rivers
      publisher check --listen output/the-cartographer-of-small-rivers
    """
    if listen:
        _listen(book_dir, asr_model, jobs, top, max_wer)
        return
    if asr_model or max_wer is not None:
        raise ConfigError("--asr-model and --max-wer go with --listen")
    findings = check_book(book_dir)
    rows = [(f.subject, f.check, f.measured, f.expected, _verdict(f.ok)) for f in findings]
    header = ("file", "check", "measured", "expected", "result")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[4]]).rstrip())
    failed = sum(1 for f in findings if f.ok is False)
    skipped = sum(1 for f in findings if f.ok is None)
    click.echo(f"{len(findings) - failed - skipped} passed, {failed} failed, {skipped} not checked")
    if failed:
        sys.exit(1)


def _listen(
    book_dir: Path, asr_model: Path | None, jobs: int | None, top: int, max_wer: float | None
) -> None:
    from publisher.listen import listen, render, write_report

    bar = ListeningBar() if sys.stderr.isatty() else None

    def progress(book: NarratedBook, seconds: float) -> None:
        if bar:
            total = round(book.duration_s)
            bar.update(Progress(min(round(seconds), total), total, seconds, 0))

    try:
        report = listen(book_dir, asr_model, jobs, progress)
    finally:
        if bar:
            bar.close()
    click.echo(render(report, top))
    for path in write_report(report, book_dir):
        click.echo(f"wrote {path}")
    if max_wer is not None and 100 * report.wer > max_wer:
        click.echo(f"word error rate {100 * report.wer:.1f} % is above {max_wer:g} %", err=True)
        sys.exit(1)


def _verdict(ok: bool | None) -> str:
    return {True: "pass", False: "FAIL", None: "skip"}[ok]


@main.group()
def cache() -> None:
    """The sentence cache: every sentence's narration and every encoded chapter, kept so
    that a rebuild only narrates what changed.

    \b
    Examples:
      publisher cache info
      publisher cache clear --cache-dir /srv/publisher-cache
    """


@cache.command()
@_CACHE_DIR
def info(cache_dir: str | None) -> None:
    """Show where the cache is and how much it holds."""
    store = _store(cache_dir)
    click.echo(f"cache: {store.root}")
    for kind, usage in store.usage().items():
        click.echo(f"{kind}: {usage.entries:,} ({_size(usage.bytes)})")


@cache.command()
@_CACHE_DIR
def clear(cache_dir: str | None) -> None:
    """Delete everything in the cache."""
    store = _store(cache_dir)
    freed = store.clear()
    click.echo(f"cleared {store.root}: {freed.entries:,} entries, {_size(freed.bytes)}")


def _store(location: str | None) -> SentenceCache:
    return SentenceCache(cache_at(location) if location else default_cache_dir())


def _size(count: int) -> str:
    if count < 1024:
        return f"{count:,} bytes"
    value = count / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


@main.command()
@click.option("--engine", type=click.Choice(engine_names()), help="Only this engine.")
@click.option("--language", help="Only voices that read this language (BCP 47: en, en-GB, fr).")
@click.option(
    "--sample",
    "sample",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[TEXT]",
    help="Write a short MP3 of each voice saying TEXT (or a sentence in --language).",
)
@click.option("--voice", help="Only this voice (ENGINE:VOICE, or a Piper model's path).")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("voice-samples"),
    show_default=True,
    help="Where --sample writes.",
)
def voices(
    engine: str | None, language: str | None, sample: str | None, voice: str | None, output: Path
) -> None:
    """List the speech engines, whether each can narrate here, and their voices; with
    --sample, write a sample of each voice (offline engines', unless --engine says).

    \b
    Voices from outside a package are found in the voice folders: PUBLISHER_VOICES (a
    path list), then ~/.local/share/publisher/voices (Piper's NAME.onnx with its
    NAME.onnx.json; Kokoro's voices-v1.0.bin or NAME.bin files).

    \b
    Examples:
      publisher voices --language en-GB
      publisher voices --sample --language en
      publisher voices --sample "Call me Ishmael." --voice kokoro:jm_kumo
    """
    if language is not None:
        language = normalise_language(language, "--language")
    if sample is not None:
        for made in write_samples(output, sample or None, language or "en", voice, engine):
            click.echo(f"{made.engine}:{made.voice}  {made.seconds:.1f} s  {made.path}")
        return
    for name in [engine] if engine else engine_names():
        _list_engine(name, language)


def _list_engine(name: str, language: str | None) -> None:
    loaded = load_engine(name)
    problem = loaded.problem()
    state = "usable" if problem is None else f"not usable: {problem}"
    if loaded.online and problem is None:
        state = "usable when online; sends the text to its service"
    click.echo(f"{name}: {loaded.label} [{state}]")
    if problem is None:
        for listed in usable_voices(name, language):
            found = listed.voice
            traits = ", ".join(t for t in (found.gender, found.quality) if t)
            detail = "  ".join(p for p in (found.description, traits, found.source) if p)
            click.echo(f"  {found.id:<24} {found.language:<14} {detail}".rstrip())


@main.command()
@click.argument("text", required=False)
@click.option(
    "--language",
    default="en",
    show_default=True,
    help="BCP 47 tag: en-GB and en-US choose the English rules; plain en goes by spelling.",
)
@click.option(
    "--lexicon",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A PLS pronunciation lexicon whose aliases apply first.",
)
def normalize(text: str | None, language: str, lexicon: Path | None) -> None:
    """Print exactly the words the narrator will say for TEXT, or for standard input,
    one output line per input line.

    \b
    Example:
      publisher normalize "Dr. Shah paid £20m for No. 10 on 7 May 1991."
    """
    source = text if text is not None else click.get_text_stream("stdin").read()
    say = Normalizer.for_text(
        normalise_language(language, "--language"),
        source,
        load_lexicon(lexicon) if lexicon else None,
    )
    for line in source.splitlines() or [""]:
        click.echo(say(line))


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
