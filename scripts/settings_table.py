"""Rewrite README.md's settings table from the schema (`make readme`)."""

from __future__ import annotations

import re
from pathlib import Path

from publisher.settings import markdown_table

README = Path(__file__).parent.parent / "README.md"
TABLE = re.compile(r"(<!-- settings:begin -->\n).*?(<!-- settings:end -->)", re.S)


def main() -> None:
    text = README.read_text(encoding="utf-8")
    if not TABLE.search(text):
        raise SystemExit("README.md has no <!-- settings:begin --> ... end --> markers")
    README.write_text(TABLE.sub(lambda m: m[1] + markdown_table() + m[2], text), encoding="utf-8")


if __name__ == "__main__":
    main()
