"""The only module that writes under the output folder.

A book is built in a hidden staging folder beside its final place and moved there only
when complete, so a failed or interrupted build never leaves half a book and never
destroys the previous good one.
"""

from __future__ import annotations

import contextlib
import glob
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from slugify import slugify

from publisher.errors import OutputError

log = logging.getLogger(__name__)

MAX_SLUG = 60
# Names Windows refuses for files and folders, whatever the extension.
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def make_slug(title: str) -> str:
    """ASCII, lowercase, hyphens: safe as a folder and file name on every system."""
    slug = slugify(
        title,
        max_length=MAX_SLUG,
        word_boundary=True,
        replacements=[["'", ""], ["\u2019", ""], ["&", " and "]],
    )
    slug = slug.strip("-.") or "book"
    return f"{slug}-book" if slug in _RESERVED else slug


class Staging:
    """A staging folder; every path handed out is checked to stay inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, relative: str) -> Path:
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root.resolve()):
            raise OutputError(f"refusing to write {relative!r} outside the output folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_json(self, relative: str, data: Any) -> Path:
        target = self.path(relative)
        target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return target


@contextmanager
def staged_book(output_dir: Path, slug: str) -> Iterator[Staging]:
    """Yield a staging folder; on success it replaces ``output_dir/slug`` in one move."""
    final = _final_path(output_dir, slug)
    created = not output_dir.exists()
    if not created:
        _recover(output_dir, slug)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        prefix = f".{slug}.{os.getpid()}-"
        staging = Path(tempfile.mkdtemp(prefix=prefix, suffix=".partial", dir=output_dir))
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {output_dir}: {exc.strerror}") from None
    try:
        yield Staging(staging)
        _replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            # A failed first build leaves no trace, not even an empty output folder.
            with contextlib.suppress(OSError):
                output_dir.rmdir()
        raise


def _recover(output_dir: Path, slug: str) -> None:
    """Tidy up after a build that was killed (SIGKILL, power loss) and could not clean up.

    Its staging folder is removed once the process that made it is gone; and if it died
    between moving the earlier book aside and moving the new one in, the earlier book is
    put back, so a killed build never loses it.
    """
    for partial in output_dir.glob(f".{glob.escape(slug)}.*.partial"):
        pid = partial.name[len(slug) + 2 :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(partial, ignore_errors=True)
    final = output_dir / slug
    aside = sorted(output_dir.glob(f".{glob.escape(slug)}.*.old"), key=lambda p: p.stat().st_mtime)
    if aside and not final.exists():
        aside.pop().rename(final)
        log.warning(
            "restored the previous build of %s, which an interrupted build had moved aside", slug
        )
    for old in aside:
        shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: leave its folder alone
    return pid != 0


def _final_path(output_dir: Path, slug: str) -> Path:
    if not slug or slug in {".", ".."} or "/" in slug or "\\" in slug or os.sep in slug:
        raise OutputError(f"unsafe book folder name {slug!r}")
    final = (output_dir / slug).resolve()
    if not final.is_relative_to(output_dir.resolve()) or final == output_dir.resolve():
        raise OutputError(f"unsafe book folder name {slug!r}")
    if final.exists() and not final.is_dir():
        raise OutputError(f"{final} exists and is not a folder; move it away or choose another -o")
    return final


def _replace(staging: Path, final: Path) -> None:
    old: Path | None = None
    try:
        staging.chmod(0o755)
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".old", dir=final.parent))
            old.rmdir()
            final.rename(old)
        staging.rename(final)
    except OSError as exc:
        if old is not None and not final.exists():
            old.rename(final)
        raise OutputError(f"cannot move the finished book into {final}: {exc.strerror}") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    log.info("book written to %s", final)
