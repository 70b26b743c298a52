"""BuildConfig: the build's date and what follows from the settings."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from publisher import BuildConfig, publish

from .conftest import epub_text

pytestmark = pytest.mark.slow


def test_a_manuscript_with_a_full_date_builds_the_same_bytes_without_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    text = "---\ntitle: Dated\ndate: 2025-03-14\n---\n\n# One\n\nA line.\n\n# Two\n\nAnother.\n"
    digests = []
    for where in ("a", "b"):
        manuscript = tmp_path / where / "dated.md"
        manuscript.parent.mkdir()
        manuscript.write_text(text, encoding="utf-8")
        report = publish(
            BuildConfig(manuscript, tmp_path / where / "out", {"narration.enabled": False})
        )
        digests.append(hashlib.sha256(report.epub.read_bytes()).hexdigest())
        time.sleep(1.1)  # a clock-based date would now differ
    assert digests[0] == digests[1]
    assert "2025-03-14T00:00:00Z" in epub_text(report.epub, "EPUB/content.opf")
