"""A fast self-check of a written EPUB before it is moved into place.

Not a substitute for EPUBCheck (the test suite runs that): it catches a broken writer
in milliseconds, so a bug can never publish an unreadable book.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from publisher.errors import OutputError


def verify_epub(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            first = archive.infolist()[0]
            if first.filename != "mimetype" or first.compress_type != zipfile.ZIP_STORED:
                raise OutputError(f"{path.name}: mimetype is not the first, stored entry")
            for name in archive.namelist():
                if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                    etree.fromstring(archive.read(name))
    except (zipfile.BadZipFile, etree.XMLSyntaxError, IndexError) as exc:
        raise OutputError(
            f"{path.name} was written incorrectly ({exc}); please report this"
        ) from None
