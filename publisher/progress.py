"""A one-line progress bar for narration, for a person watching a terminal."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from publisher.narration import Progress

REFRESH_S = 0.25


class ProgressBar:
    """Sentences done, minutes of audio made and the time left, redrawn in place.

    The estimate counts only sentences narrated in this run: cached ones arrive at once
    and would make the rest look faster than it is.
    """

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.first: Progress | None = None
        self.drawn_at = 0.0
        self.shown = False
        self.width = 0

    def update(self, progress: Progress) -> None:
        now = time.monotonic()
        if self.first is None:
            self.first, self.started = progress, now
        if now - self.drawn_at < REFRESH_S and progress.done < progress.total:
            return
        self.drawn_at = now
        # Padded to the width drawn before, so a shorter line leaves no tail behind.
        line = self.line(progress, now - self.started)
        self.stream.write("\r" + line.ljust(self.width))
        self.width = len(line)
        self.stream.flush()
        self.shown = True

    verb = "narrating"

    def describe(self, progress: Progress) -> str:
        minutes = progress.audio_s / 60
        return f"{progress.done:,}/{progress.total:,} sentences, {minutes:.1f} min of audio"

    def line(self, progress: Progress, elapsed: float) -> str:
        columns = shutil.get_terminal_size((80, 24)).columns
        share = progress.done / progress.total if progress.total else 1.0
        text = f" {self.describe(progress)}, {self._left(progress, elapsed)}"
        width = max(10, min(30, columns - len(text) - 13))
        filled = round(width * share)
        return f"{self.verb} [{'#' * filled}{'.' * (width - filled)}]{text}"[: columns - 1]

    def _left(self, progress: Progress, elapsed: float) -> str:
        assert self.first is not None
        made = progress.done - self.first.done
        if progress.done >= progress.total:
            return "done"
        if made <= 0 or elapsed < 1:
            return "estimating"
        seconds = round((progress.total - progress.done) * elapsed / made)
        return f"about {seconds // 60}:{seconds % 60:02d} left"

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


class ListeningBar(ProgressBar):
    """Minutes of a book's audio heard by the proof-listener (``done`` and ``total`` are
    seconds), and the time left."""

    verb = "listening"

    def describe(self, progress: Progress) -> str:
        return f"{progress.done / 60:.1f}/{progress.total / 60:.1f} min of audio heard"
