"""A real browser for the tests: Playwright from PyPI driving Debian's Chromium, never a
downloaded one; axe-core from npm for the accessibility audit."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from functools import cache
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("PUBLISHER_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--autoplay-policy=no-user-gesture-required", "--mute-audio"]
# Screenshots of the player at work, for a person to look at after a run.
ARTEFACTS = Path(
    os.environ.get(
        "PUBLISHER_ARTEFACTS", Path(__file__).parent.parent / "output" / "test-artefacts"
    )
)


def until(page: Any, script: str, timeout: float = 15.0) -> Any:
    """Poll ``script`` in the page until it is truthy. Playwright's wait_for_function
    evaluates strings with eval(), which the player's Content-Security-Policy forbids."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = page.evaluate(script)
        except Exception as exc:  # the page navigated between two polls
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"never true within {timeout} s: {script}")
        time.sleep(0.05)


@cache
def axe_script() -> str | None:
    """axe-core's browser build, from the global npm folder (.ci/run installs it)."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    root = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=False)
    path = Path(root.stdout.strip()) / "axe-core" / "axe.min.js"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.x A and AA rules (and its best practices) on the page as it is."""
    script = axe_script()
    assert script is not None
    # Evaluated through the debugger protocol, which the page's CSP does not govern.
    page.evaluate(f"(() => {{ {script}\n }})()")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(script + "\n;0")
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def shot(page: Any, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
