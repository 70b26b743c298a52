"""Small EPUBs written by hand, for the readers and narrate-in-place tests."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from publisher.inplace.markup import is_silent

X = "{http://www.w3.org/1999/xhtml}"

CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:'
    'xmlns:container"><rootfiles><rootfile full-path="{opf}" media-type="application/'
    'oebps-package+xml"/></rootfiles></container>'
)

OPF = (
    '<?xml version="1.0"?>{doctype}<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
    'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
    '<dc:identifier id="id">urn:isbn:9780000000002</dc:identifier><dc:title>{title}</dc:title>'
    "<dc:creator>Nora Vale</dc:creator><dc:language>en</dc:language></metadata><manifest>"
    '<item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/>'
    '<item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/>'
    '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>'
    '</manifest><spine><itemref idref="c1"/>{second}</spine></package>'
)

XHTML = (
    '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.'
    'idpf.org/2007/ops"><head><title>x</title></head><body>{body}</body></html>'
)

NAV = XHTML.format(
    body='<nav epub:type="toc"><ol><li><a href="text/one.xhtml">The Quay</a></li>'
    '<li><a href="text/two.xhtml">The Lamp</a></li></ol></nav>'
)


def make_epub(
    path: Path,
    *,
    opf_path: str = "OEBPS/book.opf",
    title: str = "Harbour Lights",
    doctype: str = "",
    second: str | None = "c2",
    nav: str = NAV,
    extra: dict[str, bytes | str] | None = None,
    opf: str | None = None,
    first: str = '<section epub:type="chapter"><p>The quay was <em>quiet</em>'
    ' that night.<a epub:type="noteref" href="two.xhtml#n1">1</a></p></section>',
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER.format(opf=opf_path))
        package = (
            opf
            if opf is not None
            else OPF.format(
                doctype=doctype,
                title=title,
                second=f'<itemref idref="{second}"/>' if second else "",
            )
        )
        archive.writestr(opf_path, package)
        archive.writestr("OEBPS/nav.xhtml", nav)
        whole = first.startswith(("<?xml", "<html"))
        archive.writestr("OEBPS/text/one.xhtml", first if whole else XHTML.format(body=first))
        archive.writestr(
            "OEBPS/text/two.xhtml",
            XHTML.format(
                body='<section epub:type="chapter"><h2>The Lamp</h2><p>It burned.</p>'
                '<aside epub:type="footnote" id="n1"><p>Colza oil.</p></aside>'
                "</section>"
            ),
        )
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


ONE_FILE_NAV = XHTML.format(
    body='<nav epub:type="toc"><ol><li><a href="text/one.xhtml#s4">SECTION IV FAIRY STORIES</a>'
    '<ol><li><a href="text/one.xhtml#t190">190 A FOUR-LEAVED CLOVER</a></li>'
    '<li><a href="text/one.xhtml#t191">191 THE REAL PRINCESS</a></li></ol></li></ol></nav>'
)

ONE_FILE = (
    '<section id="s4"><h2>SECTION IV <span>FAIRY STORIES</span></h2>'
    '<section id="t190"><h3>190</h3><p>The rabbis of old were good story-tellers.</p>'
    "<h4>A FOUR-LEAVED CLOVER</h4><p>Once there was a clover.</p></section>"
    '<section id="t191"><h3>191</h3><p>There was once a prince.</p></section></section>'
)


def body_text(data: bytes) -> str:
    """A document's text as read: a line break parts the words on either side."""
    root = etree.fromstring(data)
    for element in root.iter():
        if is_silent(element) and isinstance(element.tag, str):  # a line number, a note mark
            element.text = f" {element.text or ''} "
            element.tail = f" {element.tail or ''}"
    text = "".join(str(t) for t in root.find(f"{X}body").itertext())  # type: ignore[union-attr]
    return re.sub("[\u00ad\u200b\u2060\ufeff]", "", text)  # joiners are not said
