"""A DAISY 2.02 talking book (daisy/) and its zip, for library players."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from publisher.check import Finding
from publisher.formats.daisy import DaisyChapter, DaisyInfo, write_daisy, zip_daisy
from publisher.formats.epub import book_identifier
from publisher.outputs.base import Built, Output, Written
from publisher.readers.epub_package import SAFE_XML
from publisher.version import __version__

NCC = "daisy/ncc.html"


class Daisy(Output):
    name = "daisy"
    title = "DAISY 2.02 talking book"
    summary = "A DAISY 2.02 talking book for library players (daisy/ and <slug>-daisy.zip)."

    def write(self, built: Built) -> tuple[str, ...]:
        assert built.narrator is not None
        book = built.book
        date = book.metadata.date or ""
        info = DaisyInfo(
            book_identifier(book.metadata),
            built.narrator.description,
            f"publisher {__version__}",
            date if len(date) == 10 else built.modified.date().isoformat(),
        )
        chapters = [DaisyChapter(c.section, c.path, c.timeline) for c in built.chapters]
        folder = built.staging.path("daisy")
        write_daisy(book, chapters, folder, info)
        archive = f"{built.slug}-daisy.zip"
        zip_daisy(folder, built.staging.path(archive), built.slug)
        return (NCC, archive)

    def check(self, written: Written) -> Iterator[Finding]:
        """Every file the NCC's SMIL files name is there; one SMIL per chapter."""
        if NCC not in written.files:
            return
        ncc = written.folder / NCC
        if not ncc.is_file():
            yield Finding(NCC, "exists", "missing", "present", False)
            return
        root = etree.parse(str(ncc), SAFE_XML).getroot()
        links = root.xpath("//*[local-name()='a']/@href")
        hrefs = {str(h).split("#", 1)[0] for h in links} if isinstance(links, list) else set()
        missing = sorted(h for h in hrefs if not (ncc.parent / h).is_file())
        yield Finding(
            NCC,
            "SMIL files",
            f"{len(hrefs)} named, {len(missing)} missing" + (f" ({missing[0]})" if missing else ""),
            "every one present",
            not missing,
        )
        chapters = len(written.starts)
        yield Finding(
            NCC,
            "chapters",
            f"{len(hrefs)} SMIL files",
            f"at least {chapters}",
            len(hrefs) >= chapters,
        )
        for name in written.files:
            if not (written.folder / name).is_file():
                yield Finding(name, "exists", "missing", "present", False)


OUTPUT = Daisy()
