"""Shared helpers: build a book through the library, and run the real validators."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click.testing
import pytest
from click.testing import CliRunner

from publisher import BuildConfig, BuildReport, publish
from publisher.cli import main
from publisher.outputs import registry

from .epubcheck_runner import run_epubcheck

TESTS = Path(__file__).parent
DATA = TESTS / "data"
GOLDEN = TESTS / "golden"
ROOT = TESTS.parent
SOURCE = ROOT / "source"
# The shared corpus of real manuscripts, read-only.
CORPUS = Path(os.environ.get("PUBLISHER_CORPUS", ROOT.resolve().parent / "shared" / "corpus"))
REQUIRE_VALIDATORS = bool(os.environ.get("PUBLISHER_REQUIRE_VALIDATORS"))

Builder = Callable[..., BuildReport]
# The settings of a build whose EPUB alone is looked at: the narration is still made.
EPUB_ONLY: dict[str, object] = {f"outputs.{o.name}": o.name == "epub" for o in registry()}


def pytest_configure(config: pytest.Config) -> None:
    """Builds made outside a test's own fixtures (a module's shared book) use a cache of
    this test process, never the user's: each test then gets its own (_private_cache)."""
    del config
    os.environ["PUBLISHER_CACHE_DIR"] = tempfile.mkdtemp(prefix="publisher-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    del config
    shutil.rmtree(os.environ.pop("PUBLISHER_CACHE_DIR", ""), ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With `--dist loadgroup` (make test), a module's tests run on one worker, sharing the
    books its fixtures build once; but each case of a parametrised validator test is a run
    of EPUBCheck and Ace costing up to a minute, so those cases go to whichever worker is
    free. Otherwise the two modules that validate many books would hold one worker each."""
    del config
    for item in items:
        spread = item.get_closest_marker("validators") and hasattr(item, "callspec")
        if not spread and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))


@pytest.fixture(scope="session")
def _compiled_voices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("voices")


@pytest.fixture(scope="session")
def _unpacked_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    _compiled_voices: Path,
    _unpacked_models: Path,
) -> None:
    """The CLI's default cache is the user's; tests each get their own (outside tmp_path,
    which tests inspect), all sharing one folder of compiled voices (compiling Piper's
    takes a second or so per process) and one of unpacked models (68 MB each)."""
    cache = tmp_path_factory.mktemp("user-cache")
    (cache / "voices").symlink_to(_compiled_voices, target_is_directory=True)
    (cache / "models").symlink_to(_unpacked_models, target_is_directory=True)
    monkeypatch.setenv("PUBLISHER_CACHE_DIR", str(cache))


@pytest.fixture(autouse=True)
def _library_logging() -> Iterator[None]:
    """The CLI hands the library's log to its own stderr presenter (and stops it reaching
    the root logger); a test that runs the CLI gives it back, so caplog sees the next."""
    logger = logging.getLogger("publisher")
    saved = (logger.handlers[:], logger.propagate, logger.level)
    yield
    logger.handlers[:], logger.propagate = saved[0], saved[1]
    logger.setLevel(saved[2])


@pytest.fixture
def build(tmp_path: Path) -> Builder:
    """Build a manuscript (a path, or text with a file name) into tmp_path/output."""

    def run(
        manuscript: Path | str,
        settings: dict[str, object] | None = None,
        name: str = "manuscript.md",
    ) -> BuildReport:
        if isinstance(manuscript, str):
            path = tmp_path / "in" / name
            path.parent.mkdir(exist_ok=True)
            path.write_text(manuscript, encoding="utf-8")
            manuscript = path
        values = {"narration.enabled": False, **(settings or {})}
        config = BuildConfig(manuscript, tmp_path / "output", values)
        return publish(config)

    return run


def run(*args: str | Path) -> click.testing.Result:
    try:  # click 8.1 mixes stderr into output unless told not to; 8.2 always separates them
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        runner = CliRunner()
    return runner.invoke(main, [str(a) for a in args])


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def assert_one_line_error(result: click.testing.Result, *phrases: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for phrase in phrases:
        assert phrase in lines[0]


def epub_text(epub: Path, member: str) -> str:
    with zipfile.ZipFile(epub) as archive:
        return archive.read(member).decode("utf-8")


def _require(tool: str, found: bool) -> None:
    if found:
        return
    if REQUIRE_VALIDATORS:
        pytest.fail(f"{tool} is required here (PUBLISHER_REQUIRE_VALIDATORS is set) but missing")
    pytest.skip(f"{tool} is not installed; .ci/run installs it")


def epubcheck_messages(epub: Path, report_dir: Path) -> list[dict[str, Any]]:
    """Run the official EPUBCheck jar; return its messages of severity WARNING or worse."""
    _require("Java (for EPUBCheck)", shutil.which("java") is not None)
    report = report_dir / "epubcheck.json"
    run_epubcheck(epub, report)
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["checker"]["checkerVersion"].startswith("5.3"), data["checker"]
    return [m for m in data["messages"] if m["severity"] in {"FATAL", "ERROR", "WARNING"}]


def ace_violations(epub: Path, report_dir: Path) -> list[str]:
    """Run Ace by DAISY; return one line per violation it reports."""
    ace = shutil.which("ace-cli") or shutil.which("ace")
    chromium = os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
    _require("Ace by DAISY (ace-cli) with Chromium", ace is not None and Path(chromium).exists())
    assert ace is not None
    out = report_dir / "ace"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium}
    result = subprocess.run(
        [ace, "-f", "-o", str(out), str(epub)],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    report_path = out / "report.json"
    assert report_path.exists(), result.stdout + result.stderr
    report = json.loads(report_path.read_text(encoding="utf-8"))
    violations = []
    for document in report.get("assertions", []):
        for check in document.get("assertions", []):
            if check["earl:result"]["earl:outcome"] == "fail":
                violations.append(
                    f"{document['earl:testSubject']['url']}: {check['earl:test']['dct:title']}"
                    f" ({check['earl:test']['earl:impact']}): "
                    f"{check['earl:result']['dct:description']}"
                )
    return violations


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test of a test process."""
    from .browser import ARGS, CHROMIUM

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    _require("Playwright with Debian's Chromium", sync_playwright is not None and CHROMIUM.exists())
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page in a fresh context: nothing remembered from another test."""
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, errors
