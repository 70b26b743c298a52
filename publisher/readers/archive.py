"""Zip containers (EPUB, DOCX), opened only after they are shown to be what they claim.

A zip names its own entries and sizes: a bomb claims little and unpacks to gigabytes,
an entry may be called "../../etc/passwd". Nothing here ever writes an entry out; the
checks bound what reading one can cost.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from publisher.errors import InputError

MAX_ENTRIES = 10_000
MAX_UNPACKED = 512 * 1024 * 1024  # all entries together, uncompressed
MAX_MEMBER = 64 * 1024 * 1024  # one document of the book
MAX_RATIO = 200  # uncompressed / compressed, for any entry over a megabyte


def open_zip(path: Path, what: str) -> zipfile.ZipFile:
    """The archive at ``path``, or one ``InputError`` saying why it is refused."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{path.name} is not {what} (not a readable zip)") from None
    entries = archive.infolist()
    unpacked = sum(e.file_size for e in entries)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED or any(_bomb(e) for e in entries):
        archive.close()
        raise InputError(f"{path.name} unpacks to more than a book can hold; refusing it")
    return archive


def read_member(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise InputError(f"{name} names {member}, which it does not contain") from None
    if info.file_size > MAX_MEMBER:
        raise InputError(f"{name}: {member} is over {MAX_MEMBER // 2**20} MB; refusing it")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise InputError(f"{name}: {member} cannot be read ({exc})") from None


def _bomb(entry: zipfile.ZipInfo) -> bool:
    return entry.file_size > 2**20 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1)
