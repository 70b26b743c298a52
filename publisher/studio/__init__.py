"""The book in a browser: ``preview`` serves a built book's web player on 127.0.0.1, and
the studio adds correcting how words are said."""

from __future__ import annotations

from pathlib import Path

from publisher.errors import ConfigError
from publisher.formats.web import FOLDER, INDEX
from publisher.studio.server import Server, Site
from publisher.studio.session import Correction, Studio

__all__ = ["Correction", "Server", "Site", "Studio", "preview_site"]


def preview_site(book_dir: Path) -> Site:
    """A built book's folder, served read-only, starting at its player's contents."""
    if not (book_dir / FOLDER / INDEX).is_file():
        raise ConfigError(
            f"{book_dir} has no web player ({FOLDER}/{INDEX}): build it narrated, with "
            "outputs.web on"
        )
    return Site(book_dir, f"/{FOLDER}/{INDEX}")
