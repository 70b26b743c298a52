"""publisher: a manuscript in, an accessible EPUB 3 and audiobook out."""

from publisher.config import BuildConfig
from publisher.errors import ConfigError, EngineError, InputError, OutputError, PublisherError
from publisher.pipeline import BuildReport, publish
from publisher.version import __version__

__all__ = [
    "BuildConfig",
    "BuildReport",
    "ConfigError",
    "EngineError",
    "InputError",
    "OutputError",
    "PublisherError",
    "__version__",
    "publish",
]
