"""The command line: parse, call the library, turn PublisherError into one line and exit 1."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from publisher.config import DEFAULT_OUTPUT, BuildConfig
from publisher.errors import PublisherError
from publisher.pipeline import publish
from publisher.version import __version__


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
            _fail("interrupted; the previous build, if any, is untouched")
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


def _fail(message: str) -> None:
    click.echo(f"error: {' '.join(message.split())}", err=True)
    sys.exit(1)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="publisher")
@click.option("-v", "--verbose", is_flag=True, help="Also show what each stage does.")
def main(verbose: bool) -> None:
    """Turn a manuscript into an accessible EPUB 3 and a narrated audiobook.

    \b
    Example:
      publisher build source/the-lamplighters-almanac.md --no-audio
    """
    logger = logging.getLogger("publisher")
    logger.handlers[:] = [_Presenter()]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Folder that receives OUTPUT_DIR/<slug>/.",
)
@click.option("--title", help="Title, overriding front matter, book.toml and the title block.")
@click.option("--author", help="Author, overriding the manuscript's metadata.")
@click.option("--language", help="BCP 47 language tag such as en, en-GB or fr.")
@click.option(
    "--no-audio",
    "no_audio",
    is_flag=True,
    help="Build the text-only EPUB and report; no narration.",
)
def build(
    input_path: Path,
    output_dir: Path,
    title: str | None,
    author: str | None,
    language: str | None,
    no_audio: bool,
) -> None:
    """Build INPUT (.txt or .md) into OUTPUT_DIR/<slug>/.

    The book replaces an earlier build only once it is complete.

    \b
    Example:
      publisher build manuscript.md -o output --author "Ada Lane" --no-audio
    """
    config = BuildConfig(
        input_path, output_dir, title=title, author=author, language=language, audio=not no_audio
    )
    report = publish(config)
    chapters = len(report.book.sections)
    click.echo(
        f"{report.folder}: {report.epub.name}, report.json "
        f"({chapters} {'section' if chapters == 1 else 'sections'}, "
        f"{report.book.words:,} words, {report.timings.get('total', 0):.1f} s)"
    )
