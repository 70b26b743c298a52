"""The one exception family the library raises.

Every message is a single line that says what went wrong and what to do next;
only ``cli.py`` turns these into exit codes.
"""


class PublisherError(Exception):
    """Root of every error the publisher raises on purpose."""


class InputError(PublisherError):
    """The manuscript cannot be read: missing, empty, binary or undecodable."""


class ConfigError(PublisherError):
    """Metadata or options are invalid (book.toml, front matter, CLI values)."""


class EngineError(PublisherError):
    """A speech engine is missing, unusable here, or failed."""


class OutputError(PublisherError):
    """The publication could not be written or moved into place."""


class CacheError(PublisherError):
    """The sentence cache cannot be used: unreachable, unwritable, or damaged."""


class ListenError(PublisherError):
    """A built book cannot be proof-listened: no speech recogniser, model or overlays."""
