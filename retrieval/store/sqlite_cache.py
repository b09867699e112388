"""Opening the rebuildable SQLite caches (terms, embeddings): a corrupt one is rebuilt, an unwritable one is
replaced by an in-memory cache, and neither stops a command.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

log = logging.getLogger(__name__)


def open_cache(path: Path, schema: str) -> sqlite3.Connection:
    """A connection to the cache at ``path`` with ``schema`` (one CREATE TABLE IF NOT EXISTS) applied."""
    try:
        return _open(path, schema)
    except sqlite3.DatabaseError as first:
        exc: Exception = first
        if not _unwritable(exc):
            log.warning("cache corrupt, rebuilt path=%s error=%s", path, exc)
            try:
                path.unlink(missing_ok=True)
                return _open(path, schema)
            except (OSError, sqlite3.DatabaseError) as again:
                exc = again  # fall through to the in-memory cache
        log.warning("cache not writable, using memory path=%s error=%s", path, exc)
        return _open(None, schema)


def _open(path: Path | None, schema: str) -> sqlite3.Connection:
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise sqlite3.OperationalError(f"unable to open database file: {exc.strerror}") from exc
    # A cache may be shared by several processes (one cache for several knowledge bases): wait for a writer.
    db = sqlite3.connect(":memory:" if path is None else path, check_same_thread=False, timeout=30)
    try:
        db.execute(schema)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        table = schema.split("EXISTS", 1)[1].split("(", 1)[0].strip()
        db.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _unwritable(exc: Exception) -> bool:
    text = str(exc).lower()
    return "unable to open" in text or "readonly" in text or "read-only" in text or "disk is full" in text


def write_failed(path: Path, exc: sqlite3.Error) -> None:
    """Log a cache write that failed (read-only or full disk); the values are still returned to the caller."""
    log.warning("cache write failed path=%s error=%s", path, exc)
