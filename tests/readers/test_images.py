"""Pictures a manuscript names: packaged when safe, left out with their text otherwise."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from lxml import etree

from ..conftest import DATA, Builder, epub_text

X = "{http://www.w3.org/1999/xhtml}"


def chapter(epub: Path, number: int = 1) -> etree._Element:
    return etree.fromstring(epub_text(epub, f"EPUB/c{number:02d}.xhtml").encode("utf-8"))


@pytest.mark.parametrize(
    ("source", "warning"),
    [
        ("![A map](https://example.org/map.png)", "not fetched"),
        ("![A map](../outside.png)", "outside the manuscript's folder"),
        ("![A map](evil.svg)", "not a JPEG, PNG, GIF, WebP or plain SVG"),
        ("![A map](missing.png)", "cannot be read"),
    ],
)
def test_images_that_cannot_be_trusted_are_left_out_with_their_text_kept(
    tmp_path: Path, build: Builder, caplog: pytest.LogCaptureFixture, source: str, warning: str
) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    shutil.copy(DATA / "rich-book" / "lighthouse.png", tmp_path / "outside.png")
    (folder / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    (folder / "b.md").write_text(f"# One\n\nText here.\n\n{source}\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        epub = build(folder / "b.md").epub
    assert warning in caplog.text
    doc = chapter(epub)
    assert doc.find(f".//{X}img") is None
    assert "A map" in "".join(doc.itertext())  # the description stands in
