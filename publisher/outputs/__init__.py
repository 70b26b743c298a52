"""The registry of outputs: every kind of file a build can make, in the order it is made.

Adding an output is one module with an ``Output`` subclass and one line in ``BUILT_IN``
(a separate package registers under the ``publisher.outputs`` entry-point group instead).
The chapter MP3s come last: the outputs before them read the narration where it was made,
and they are then moved into the book.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from publisher.errors import ConfigError
from publisher.outputs import (
    chapters_json,
    daisy,
    epub,
    m4b,
    manifest,
    mp3,
    playlist,
    single_mp3,
    web,
)
from publisher.outputs.base import Built, Output, Written

ENTRY_POINT_GROUP = "publisher.outputs"

BUILT_IN: tuple[Output, ...] = (
    epub.OUTPUT,
    m4b.OUTPUT,
    single_mp3.OUTPUT,
    chapters_json.OUTPUT,
    daisy.OUTPUT,
    playlist.OUTPUT,
    manifest.OUTPUT,
    web.OUTPUT,
    mp3.OUTPUT,
)

__all__ = ["BUILT_IN", "Built", "Output", "Written", "find_output", "registry"]


@cache
def registry() -> tuple[Output, ...]:
    """Every output: the built-in ones, then any that other packages register, before the
    chapter MP3s are moved into place."""
    extra = []
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        found = point.load()
        output = found() if isinstance(found, type) else found
        if not isinstance(output, Output):
            raise ConfigError(f"the output {point.name!r} is not a publisher Output")
        extra.append(output)
    return (*BUILT_IN[:-1], *extra, BUILT_IN[-1])


def find_output(name: str) -> Output:
    for output in registry():
        if output.name == name:
            return output
    known = ", ".join(o.name for o in registry())
    raise ConfigError(f"no output called {name!r}; known outputs: {known}")
