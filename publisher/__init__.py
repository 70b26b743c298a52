"""publisher: a manuscript in, an accessible EPUB 3 and audiobook out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from publisher.errors import (
    CacheError,
    ConfigError,
    EngineError,
    InputError,
    OutputError,
    PublisherError,
)
from publisher.version import __version__

if TYPE_CHECKING:
    from publisher.config import BuildConfig
    from publisher.pipeline import BuildReport, publish
    from publisher.settings import Settings

__all__ = [
    "BuildConfig",
    "BuildReport",
    "CacheError",
    "ConfigError",
    "EngineError",
    "InputError",
    "OutputError",
    "PublisherError",
    "Settings",
    "__version__",
    "publish",
]

# Imported when first asked for, not with the package: a narration worker process imports
# publisher.speech only, and need not load the EPUB, Markdown and audio-tagging libraries
# the build uses (about a quarter of a second of its start-up).
_LAZY = {
    "BuildConfig": "publisher.config",
    "BuildReport": "publisher.pipeline",
    "publish": "publisher.pipeline",
    "Settings": "publisher.settings",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'publisher' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
