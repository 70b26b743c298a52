"""Reading a long EPUB: a 200,000-word book read and structured, both ways, time and memory.

    make bench                          # part of it, on the corpus's largest EPUB 3
    .venv/bin/python scripts/bench_epub.py [EPUB] [--words N]

The book is the EPUB's own spine repeated (every copy its own documents, manifest items
and contents entries) until it holds N words. Each way of publishing runs in a fresh
process, as a build would: narrate in place (the documents marked with sentence spans,
chapters from the navigation) and re-typeset (the document model, then chapters).
Target (issue 20, 2 cores): under 10 s and 500 MB each.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("PUBLISHER_CORPUS", ROOT.parent / "shared" / "corpus"))
OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"

_MEASURE = """
import json, resource, sys, time
from pathlib import Path
started = time.perf_counter()
path = Path(sys.argv[2])
if sys.argv[1] == "in place":
    from publisher.inplace.book import read_in_place
    book = read_in_place(path).book
else:
    from publisher.readers import read_manuscript
    from publisher.structure.chapters import build_book
    from publisher.structure.topics import ChapterOptions
    book = build_book(read_manuscript(path), ChapterOptions())
seconds = time.perf_counter() - started
print(json.dumps({
    "seconds": seconds,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "words": book.words,
    "chapters": len(book.sections),
    "sentences": sum(len(s.sentences) for s in book.sections),
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "epub", nargs="?", type=Path, default=CORPUS / "epub-se-the-time-machine.epub"
    )
    parser.add_argument("--words", type=int, default=200_000)
    args = parser.parse_args()
    if not args.epub.is_file():
        print(f"EPUB reading: skipped, no {args.epub} (set PUBLISHER_CORPUS)")
        return
    with tempfile.TemporaryDirectory() as scratch:
        book = Path(scratch) / "long.epub"
        copies = long_epub(args.epub, book, args.words)
        print(f"EPUB reading: {args.epub.name} x {copies} ({book.stat().st_size / 2**20:.1f} MB)")
        for way in ("in place", "retypeset"):
            result = subprocess.run(
                [sys.executable, "-c", _MEASURE, way, str(book)],
                check=True,
                capture_output=True,
                text=True,
            )
            found = json.loads(result.stdout)
            print(
                f"  {way:<10} {found['seconds']:5.2f} s  {found['peak_mb']:5.0f} MB peak  "
                f"({found['words']:,} words, {found['chapters']} chapters, "
                f"{found['sentences']:,} sentences; target < 10 s, < 500 MB)"
            )


def long_epub(source: Path, target: Path, words: int) -> int:
    """``source`` with its spine repeated until it holds ``words`` words; the copies made."""
    with zipfile.ZipFile(source) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    container = etree.fromstring(members["META-INF/container.xml"])
    opf_path = str(container.find(".//{*}rootfile").get("full-path"))  # type: ignore[union-attr]
    opf = etree.fromstring(members[opf_path])
    base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
    manifest, spine = opf.find(f"{OPF}manifest"), opf.find(f"{OPF}spine")
    assert manifest is not None and spine is not None
    items = {i.get("id"): i for i in manifest}
    refs = [r for r in spine if "html" in (items[r.get("idref")].get("media-type") or "")]
    per_copy = sum(_words(members[base + str(items[r.get("idref")].get("href"))]) for r in refs)
    copies = max(1, -(-words // per_copy))
    nav_item = next(i for i in manifest if "nav" in (i.get("properties") or ""))
    nav_path = base + str(nav_item.get("href"))
    nav = etree.fromstring(members[nav_path])
    toc = next(n for n in nav.iter(f"{XHTML}nav") if "toc" in str(n.attrib.values()))
    entries = toc.find(f"{XHTML}ol")
    assert entries is not None
    originals = list(entries)
    for copy in range(2, copies + 1):
        for ref in refs:
            item = items[ref.get("idref")]
            href = str(item.get("href"))
            folder, _, name = href.rpartition("/")
            new_href = f"{folder}/{copy}-{name}" if folder else f"{copy}-{name}"
            members[base + new_href] = members[base + href]
            etree.SubElement(
                manifest,
                f"{OPF}item",
                {
                    "id": f"c{copy}-{item.get('id')}",
                    "href": new_href,
                    "media-type": str(item.get("media-type")),
                },
            )
            etree.SubElement(spine, f"{OPF}itemref", {"idref": f"c{copy}-{item.get('id')}"})
        for entry in originals:
            clone = etree.fromstring(etree.tostring(entry))
            for link in clone.iter(f"{XHTML}a"):
                folder, _, name = str(link.get("href")).rpartition("/")
                link.set("href", f"{folder}/{copy}-{name}" if folder else f"{copy}-{name}")
            entries.append(clone)
    members[opf_path] = etree.tostring(opf, xml_declaration=True, encoding="utf-8")
    members[nav_path] = etree.tostring(nav, xml_declaration=True, encoding="utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("mimetype", members.pop("mimetype"), zipfile.ZIP_STORED)
        for name, data in members.items():
            out.writestr(name, data)
    return copies


def _words(data: bytes) -> int:
    text = " ".join(etree.fromstring(data).itertext())
    return len(re.findall(r"\S+", text))


if __name__ == "__main__":
    main()
