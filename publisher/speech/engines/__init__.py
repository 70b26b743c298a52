"""Engines are found through the ``publisher.engines`` entry-point group.

The built-in engines are registered in pyproject.toml exactly as a third-party package
would register its own, so there is one way in for every engine.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from publisher.errors import EngineError
from publisher.speech.engines.base import Clip, Engine, EngineBase, Voice

ENTRY_POINT_GROUP = "publisher.engines"
DEFAULT_ENGINE = "piper"

__all__ = [
    "DEFAULT_ENGINE",
    "Clip",
    "Engine",
    "EngineBase",
    "Voice",
    "engine_names",
    "load_engine",
]


def engine_names() -> tuple[str, ...]:
    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    # The default first, then the rest alphabetically: the order `publisher voices` uses.
    return tuple(sorted(names, key=lambda n: (n != DEFAULT_ENGINE, n)))


@cache
def load_engine(name: str) -> Engine:
    """The engine called ``name``; one instance per process, so a voice loads once."""
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        known = ", ".join(engine_names()) or "none (is publisher installed?)"
        raise EngineError(f"no speech engine called {name!r}; installed engines: {known}")
    engine = found[0].load()()
    if not isinstance(engine, Engine):
        raise EngineError(
            f"the engine {name!r} does not implement the publisher Engine protocol "
            "(subclassing publisher.speech.engines.EngineBase gives its optional parts)"
        )
    return engine
