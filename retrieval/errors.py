"""Exception types of the core; front ends turn each into one clear message for the user."""

from __future__ import annotations


class ReportbotError(Exception):
    """Base of every error the core raises on purpose."""


class UnreadableFileError(ReportbotError):
    """A file could not be read or decoded; ``reason`` says why in plain words."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class StoreLockedError(ReportbotError):
    """Another process is writing to the embedded store."""


class StoreUnavailableError(ReportbotError):
    """The vector store (e.g. a Chroma server) cannot be reached."""


class StoreWriteError(ReportbotError):
    """A write to the store failed (disk full, read-only data dir); it was rolled back where possible."""


class StoreMissingError(StoreUnavailableError):
    """The store's database file is gone while its other index files remain; it is not recreated empty."""


class UnknownDocumentError(ReportbotError):
    """No document with that id or source is in the knowledge base."""


class ConfigurationError(ReportbotError):
    """A setting is missing or wrong; the message names the variable."""


class EndpointError(ReportbotError):
    """A model server (embeddings, rerank) could not be used; ``cause`` says why in a few Chinese words, the
    message is one sentence (``then`` tells what follows, e.g. that the file was not written).
    """

    def __init__(self, what: str, cause: str, then: str = "") -> None:
        self.what = what
        self.cause = cause
        super().__init__(f"{what}不可用（{cause}）{then}")


class EmbeddingMismatchError(ReportbotError):
    """Vectors that do not fit: fewer than the texts sent, or of another dimension than the knowledge base's."""
