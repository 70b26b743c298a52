"""Pictures a manuscript points at: local files only, checked by their bytes.

A manuscript is not trusted to name any file on the machine: an image must lie inside
the manuscript's folder. Remote images are never fetched (builds are offline and
reproducible); their alt text and caption still stand.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from publisher.model import Image
from publisher.readers.html_blocks import ImageLoader

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 10 * 1024 * 1024
_SVG = "{http://www.w3.org/2000/svg}svg"
# What an SVG in an EPUB may not hold without being declared scripted or remote.
_SVG_UNSAFE = frozenset({"script", "foreignObject", "iframe", "use"})


def image_type(data: bytes) -> str | None:
    """The media type of a JPEG, PNG, GIF, WebP or (safe) SVG, from its bytes."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if b"<svg" in data[:4096] and _safe_svg(data):
        return "image/svg+xml"
    return None


def _safe_svg(data: bytes) -> bool:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return False
    if root.tag != _SVG:
        return False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).localname in _SVG_UNSAFE:
            return False
        if any(str(name).lower().startswith("on") for name in element.attrib):
            return False
        href = element.get("href") or element.get("{http://www.w3.org/1999/xlink}href") or ""
        if href and not href.startswith("#"):
            return False
    return True


def local_images(base: Path, name: str) -> ImageLoader:
    """A loader for images beside the manuscript ``name`` in ``base``."""
    root = base.resolve()
    warned: set[str] = set()

    def warn(message: str, *args: object) -> None:
        text = message % args
        if text not in warned:
            warned.add(text)
            log.warning("%s: %s", name, text)

    def load(src: str) -> Image | None:
        if not src:
            return None
        parsed = urlparse(src)
        if parsed.scheme and len(parsed.scheme) > 1:
            warn(
                "images from the web are not fetched (builds use local files only); "
                "their descriptions are kept"
            )
            return None
        path = (root / unquote(parsed.path)).resolve()
        if not path.is_relative_to(root):
            warn("image %s is outside the manuscript's folder and is left out", src)
            return None
        try:
            size = path.stat().st_size
            if size > MAX_IMAGE_BYTES:
                warn("image %s is over %d MB and is left out", src, MAX_IMAGE_BYTES // 2**20)
                return None
            data = path.read_bytes()
        except OSError:
            warn("image %s cannot be read and is left out; its text is kept", src)
            return None
        media_type = image_type(data)
        if media_type is None:
            warn("image %s is not a JPEG, PNG, GIF, WebP or plain SVG and is left out", src)
            return None
        return Image(data, media_type)

    return load
