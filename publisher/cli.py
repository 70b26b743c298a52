"""The command line: parse, call the library, turn PublisherError into one line and exit 1."""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click
from click.decorators import FC

from publisher.audio.encode import ALL_BITRATES
from publisher.audio.loudness import PROFILE_NAMES, PROFILES, ProfileName
from publisher.batch import REPORT, Outcome, read_catalogue, run_batch
from publisher.cache import SentenceCache, default_cache_dir
from publisher.check import check_book
from publisher.config import DEFAULT_OUTPUT, BuildConfig
from publisher.errors import ConfigError, PublisherError
from publisher.formats.overlays import GRANULARITIES, Granularity
from publisher.metadata import normalise_language
from publisher.model import NOTE_PLACEMENTS, NotePlacement, Pauses
from publisher.narration import Progress
from publisher.pipeline import publish
from publisher.progress import ProgressBar
from publisher.speech.engines import engine_names, load_engine
from publisher.speech.lexicon import load_lexicon
from publisher.speech.normalize import Normalizer
from publisher.speech.script import CODE_READINGS, CodeReading, Reading
from publisher.structure.topics import (
    CHAPTER_MODES,
    DEFAULT_MIN_WORDS,
    ChapterMode,
    ChapterOptions,
)
from publisher.version import __version__

_PAUSES = Pauses()
_MS = click.IntRange(0, 60_000)


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


def _cache_location(value: str | None) -> Path | str | None:
    """A folder, or an fsspec URL such as s3://bucket/cache that a cluster's workers share."""
    if value is None:
        return None
    return value if "://" in value else Path(value)


def _pause_option(kind: str, where: str) -> Callable[[FC], FC]:
    """--KIND-pause, in ms, defaulting to the Pauses the library uses."""
    return click.option(
        f"--{kind}-pause",
        type=_MS,
        default=getattr(_PAUSES, kind),
        show_default=True,
        help=f"Silence {where}, in ms.",
    )


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
    callback=lambda _ctx, _param, value: _cache_location(value),
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


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@_output_dir_option("OUTPUT_DIR/<slug>/")
@click.option("--title", help="Title, overriding front matter, book.toml and the title block.")
@click.option("--author", help="Author, overriding the manuscript's metadata.")
@click.option("--language", help="BCP 47 language tag such as en, en-GB or fr.")
@click.option(
    "--cover",
    type=click.Path(dir_okay=False, path_type=Path),
    help="JPEG or PNG cover for the EPUB, the MP3 tags and the audiobook manifest.",
)
@click.option(
    "--in-place/--retypeset",
    "in_place",
    default=None,
    help="For an EPUB: keep its own pages, styles and pictures and add the narration to "
    "them (in place), or publish its text anew like a manuscript (retypeset). "
    "[default: in place for EPUB 3, retypeset for EPUB 2]",
)
@click.option(
    "--engine",
    type=click.Choice(engine_names()),
    help="Speech engine [default: piper; espeak for languages Piper has no voice for].",
)
@click.option("--voice", help="Voice of the engine; `publisher voices` lists them.")
@click.option(
    "--lexicon",
    type=click.Path(dir_okay=False, path_type=Path),
    help="PLS pronunciation lexicon [default: lexicon.pls beside INPUT, if any].",
)
@click.option(
    "--bitrate",
    type=click.Choice([str(b) for b in ALL_BITRATES]),
    help="MP3 bitrate in kbps (constant bitrate, mono). [default: the audio profile's]",
)
@click.option(
    "--audio-profile",
    type=click.Choice(PROFILE_NAMES),
    default="speech",
    show_default=True,
    help="Loudness and format: speech ("
    + PROFILES["speech"].summary
    + "), podcast ("
    + PROFILES["podcast"].summary
    + "), acx ("
    + PROFILES["acx"].summary
    + ").",
)
@_pause_option("sentence", "between sentences")
@_pause_option("paragraph", "between paragraphs")
@_pause_option("scene", "at a scene break")
@_pause_option("heading", "after a chapter or section heading")
@click.option(
    "--chapters",
    "chapter_mode",
    type=click.Choice(CHAPTER_MODES),
    default="auto",
    show_default=True,
    help="Chapters from headings, from topic shifts, or auto: headings when there are two or more.",
)
@click.option(
    "--min-chapter-words",
    type=click.IntRange(50),
    help=f"Shortest chapter that topic segmentation makes. [default: {DEFAULT_MIN_WORDS}, "
    "less for a short text]",
)
@click.option(
    "--max-chapter-words",
    type=click.IntRange(100),
    default=ChapterOptions().max_words,
    show_default=True,
    help="Longest chapter that topic segmentation leaves whole.",
)
@click.option(
    "--notes",
    "note_placement",
    type=click.Choice(NOTE_PLACEMENTS),
    default="paragraph",
    show_default=True,
    help="Where notes are shown and read: after their paragraph, or at the chapter's end.",
)
@click.option(
    "--figures/--no-figures",
    default=True,
    show_default=True,
    help='Read figures\' descriptions aloud ("Figure: ...").',
)
@click.option(
    "--code",
    "code_reading",
    type=click.Choice(CODE_READINGS),
    default="auto",
    show_default=True,
    help="Code listings aloud: auto reads short ones and announces long ones.",
)
@click.option(
    "--no-epub-audio",
    "no_epub_audio",
    is_flag=True,
    help="Keep the narration out of the EPUB: a text-only EPUB, with the audio beside it.",
)
@click.option(
    "--overlay-granularity",
    type=click.Choice(GRANULARITIES),
    default="sentence",
    show_default=True,
    help="What the EPUB's read-along highlight follows.",
)
@click.option(
    "--no-audio",
    "no_audio",
    is_flag=True,
    help="Build the text-only EPUB and report; no narration.",
)
@click.option(
    "--daisy/--no-daisy",
    default=True,
    show_default=True,
    help="A DAISY 2.02 talking book (daisy/ and <slug>-daisy.zip) for library players.",
)
@click.option("--no-m4b", is_flag=True, help="No one-file M4B audiobook.")
@click.option(
    "--single-mp3", is_flag=True, help="Also the whole book as one MP3 with ID3 chapter marks."
)
@click.option(
    "--split-hours",
    type=click.FloatRange(0.5, min_open=False),
    help="Split the M4B into parts of at most this many hours, between chapters.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1),
    help="Narration processes, each with the voice loaded. [default: every usable core]",
)
@_CACHE_DIR
@_NO_CACHE
def build(
    input_path: Path,
    output_dir: Path,
    title: str | None,
    author: str | None,
    language: str | None,
    cover: Path | None,
    in_place: bool | None,
    engine: str | None,
    voice: str | None,
    lexicon: Path | None,
    bitrate: str | None,
    audio_profile: ProfileName,
    sentence_pause: int,
    paragraph_pause: int,
    scene_pause: int,
    heading_pause: int,
    chapter_mode: ChapterMode,
    min_chapter_words: int,
    max_chapter_words: int,
    note_placement: NotePlacement,
    figures: bool,
    code_reading: CodeReading,
    no_epub_audio: bool,
    overlay_granularity: Granularity,
    no_audio: bool,
    daisy: bool,
    no_m4b: bool,
    single_mp3: bool,
    split_hours: float | None,
    jobs: int | None,
    cache_dir: Path | str | None,
    no_cache: bool,
) -> None:
    """Build INPUT (.txt, .md, .html, .docx or .epub) into OUTPUT_DIR/<slug>/: a read-along
    EPUB (text, narration and Media Overlays), one narrated MP3 per chapter, a playlist, an
    audiobook manifest and report.json.

    The book replaces an earlier build only once it is complete.

    \b
    Examples:
      publisher build manuscript.md
      publisher build roman.txt --language fr --engine espeak -o books
      publisher build manuscript.md --author "Ada Lane" --no-audio
      publisher build library/book.epub --retypeset
    """
    pauses = replace(
        _PAUSES,
        sentence=sentence_pause,
        paragraph=paragraph_pause,
        scene=scene_pause,
        heading=heading_pause,
    )
    config = BuildConfig(
        input_path,
        output_dir,
        title=title,
        author=author,
        language=language,
        cover=cover,
        in_place=in_place,
        audio=not no_audio,
        epub_audio=not no_epub_audio,
        chapters=replace(
            _chapter_options(chapter_mode, min_chapter_words, max_chapter_words),
            notes=note_placement,
        ),
        reading=Reading(figures, code_reading),
        overlay_granularity=overlay_granularity,
        engine=engine,
        voice=voice,
        lexicon=lexicon,
        bitrate=int(bitrate) if bitrate else None,
        audio_profile=audio_profile,
        daisy=daisy,
        m4b=not no_m4b,
        single_mp3=single_mp3,
        split_hours=split_hours,
        pauses=pauses,
        jobs=jobs,
        cache_dir=None if no_cache else cache_dir or default_cache_dir(),
    )
    bar = ProgressBar() if sys.stderr.isatty() else None
    interrupt = _Interrupt()

    def progress(state: Progress) -> None:
        interrupt.check()
        if bar:
            bar.update(state)

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        report = publish(config, progress)
    finally:
        signal.signal(signal.SIGINT, previous)
        if bar:
            bar.close()
    sections = len(report.book.sections)
    listening = f", {_clock(report.duration_s)} of audio" if report.duration_s else ""
    narration = report.narration
    cached = ""
    if narration is not None and config.cache_dir is not None:
        spoken = narration.cache_hits + narration.cache_misses
        cached = f", {narration.cache_hits:,} of {spoken:,} sentences from the cache"
    click.echo(
        f"{report.folder}: {sections} {'section' if sections == 1 else 'sections'}, "
        f"{report.book.words:,} words{listening}, built in {report.timings['total']:.1f} s"
        f"{cached}"
    )


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
def batch(
    catalogue: Path,
    output_dir: Path,
    scheduler: str | None,
    workers: int | None,
    cache_dir: Path | str | None,
    no_cache: bool,
) -> None:
    """Build every book of CATALOGUE: a folder of manuscripts, or a .csv or .jsonl file
    with a `manuscript` column (a path relative to the file) and any of the build options
    title, author, language, cover, lexicon, engine, voice, audio_profile, bitrate,
    chapters, audio, daisy, m4b, single_mp3, epub_audio.

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
        raise ConfigError(f"{catalogue} lists no manuscripts (.md, .markdown or .txt)")
    cache = None if no_cache else cache_dir or default_cache_dir()
    report = run_batch(entries, output_dir, cache, scheduler, workers, _print_outcome)
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
def check(book_dir: Path) -> None:
    """Measure a built book against the audio profile it was built for: every audio file's
    loudness, peaks, RMS, noise floor, room tone, format and length; the playlist,
    manifest, chapters.json, M4B and single-MP3 chapter marks against each other; and the
    EPUB through EPUBCheck. Prints a table; exits 1 if anything fails.

    \b
    Example:
      publisher check output/the-cartographer-of-small-rivers
    """
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
def info(cache_dir: Path | str | None) -> None:
    """Show where the cache is and how much it holds."""
    store = SentenceCache(cache_dir or default_cache_dir())
    click.echo(f"cache: {store.root}")
    for kind, usage in store.usage().items():
        click.echo(f"{kind}: {usage.entries:,} ({_size(usage.bytes)})")


@cache.command()
@_CACHE_DIR
def clear(cache_dir: Path | str | None) -> None:
    """Delete everything in the cache."""
    store = SentenceCache(cache_dir or default_cache_dir())
    freed = store.clear()
    click.echo(f"cleared {store.root}: {freed.entries:,} entries, {_size(freed.bytes)}")


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
def voices(engine: str | None) -> None:
    """List the speech engines, whether each can narrate here, and their voices.

    \b
    Example:
      publisher voices --engine espeak
    """
    for name in [engine] if engine else engine_names():
        loaded = load_engine(name)
        problem = loaded.problem()
        state = "usable" if problem is None else f"not usable: {problem}"
        if name == "gtts" and problem is None:
            state = "usable when online; sends the text to Google"
        click.echo(f"{name}: {loaded.label} [{state}]")
        if problem is None:
            for found in loaded.voices():
                detail = f"  {found.description}" if found.description else ""
                click.echo(f"  {found.id:<24} {found.language:<12}{detail}".rstrip())


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


def _chapter_options(mode: ChapterMode, min_words: int | None, max_words: int) -> ChapterOptions:
    if (min_words or DEFAULT_MIN_WORDS) >= max_words:
        raise click.BadParameter(
            "must be larger than --min-chapter-words", param_hint="--max-chapter-words"
        )
    return ChapterOptions(mode, min_words, max_words)


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
