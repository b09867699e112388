"""The knowledge base's gazetteer of units, kept in step with the store and persisted beside the BM25 index.

Built from every stored article's unit field and titles (metadata only: no chunk text is read), saved with
the store fingerprint it was built from, and rebuilt when the store changes (checked at most every few
seconds), like the lexical index.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
import uuid
from typing import TYPE_CHECKING

from retrieval.search.units import Gazetteer

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from retrieval.store.reader import ChunkReader

log = logging.getLogger(__name__)

# Bump when how units are read changes: a saved gazetteer of another version is rebuilt.
GAZETTEER_VERSION = "1"
FILE_NAME = "units.json"


class UnitGazetteer:
    """The current :class:`Gazetteer` of a store."""

    def __init__(
        self,
        store: ChunkReader,
        directory: Path,
        *,
        check_every: float = 2.0,
        mentioned: Callable[[str], bool] | None = None,
    ) -> None:
        """``mentioned``: does the knowledge base's text name a word (``LexicalIndex.mentions``)."""
        self.store = store
        self.mentioned = mentioned
        self.path = directory / FILE_NAME
        self.check_every = check_every
        self._gazetteer: Gazetteer | None = None
        self._fingerprint = ""
        self._checked_at = float("-inf")
        self._lock = threading.Lock()
        self.builds = 0

    def current(self) -> Gazetteer:
        """The gazetteer, loaded or rebuilt when missing or stale."""
        with self._lock:
            now = time.monotonic()
            if self._gazetteer is not None and now - self._checked_at < self.check_every:
                return self._gazetteer
            fingerprint = f"v{GAZETTEER_VERSION}:{self.store.fingerprint()}:{self.store.count()}"
            if self._gazetteer is None or self._fingerprint != fingerprint:
                labels = self._load(fingerprint)
                if labels is None:
                    labels = sorted(self.store.unit_labels())
                    self._save(fingerprint, labels)
                    self.builds += 1
                self._gazetteer = Gazetteer.from_labels(labels, self.mentioned)
                self._fingerprint = fingerprint
                log.info("gazetteer loaded units=%s", len(self._gazetteer.units))
            self._checked_at = now
            return self._gazetteer

    def invalidate(self) -> None:
        """Force a freshness check on next use."""
        with self._lock:
            self._checked_at = float("-inf")

    def _load(self, fingerprint: str) -> list[tuple[str, str, str]] | None:
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            if saved["fingerprint"] != fingerprint:
                return None
            return [(str(u), str(d), str(a)) for u, d, a in saved["labels"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            if not isinstance(exc, FileNotFoundError):
                log.warning(
                    "gazetteer unreadable, will rebuild path=%s error=%s", self.path, type(exc).__name__
                )
            return None

    def _save(self, fingerprint: str, labels: list[tuple[str, str, str]]) -> None:
        """Write atomically (temp file, then rename); a read-only data dir keeps it in memory only."""
        tmp = self.path.with_name(f"units.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(
                json.dumps({"fingerprint": fingerprint, "labels": labels}, ensure_ascii=False),
                encoding="utf-8",
            )
            tmp.replace(self.path)
        except OSError as exc:
            log.warning("gazetteer not saved path=%s error=%s", self.path, exc.strerror or exc)
        finally:
            with contextlib.suppress(OSError):  # nothing to remove, or a read-only dir that holds none
                tmp.unlink(missing_ok=True)
