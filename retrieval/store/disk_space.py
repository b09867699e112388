"""Free disk space as a precondition of every embedded-store write.

chromadb cannot be trusted once the disk fills inside its own SQLite write: the failed write leaves its
records in Chroma's log, and the next write on the still-full disk can block forever while holding the GIL
(measured with chromadb 1.5.9: a delete after a failed upsert hung the process, so no in-process deadline
can end it). So a write never starts without room for itself plus a reserve, and a failed write is rolled
back only when there is room for the rollback; otherwise the store is left alone until space is freed.
"""

from __future__ import annotations

import errno
import os
import shutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

MB = 1024 * 1024
ROLLBACK_ROOM = 8 * MB  # what removing a batch and restoring the previous version may need (journal pages)
_PER_CHUNK = 16 * 1024  # vector, log entry, metadata and full-text rows of one chunk, rounded up
_TEXT_FACTOR = 4  # a chunk's text is stored in the log, the record and the full-text index


def disk_full() -> OSError:
    """The error a refused write reports (the same sentence as a real ENOSPC)."""
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def batch_bytes(texts: list[str]) -> int:
    """Disk a batch of chunks may take in Chroma, generously estimated."""
    return sum(len(t.encode("utf-8")) * _TEXT_FACTOR + _PER_CHUNK for t in texts)


class DiskSpace:
    """The free space of the filesystem holding a directory, against a reserve kept for rollbacks and reads.

    ``directory=None`` (a Chroma server) checks nothing: the server owns its disk. A reserve of 0 lets writes
    run until the disk itself refuses them (a rollback still needs ``ROLLBACK_ROOM``).
    """

    def __init__(self, directory: Path | None, reserve_bytes: int) -> None:
        self.directory = directory
        self.reserve_bytes = reserve_bytes

    def free(self) -> int | None:
        """Bytes available to this process, or None when unknown (no directory, or it cannot be measured)."""
        if self.directory is None:
            return None
        probe = self.directory
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        try:
            return shutil.disk_usage(probe).free
        except OSError:
            return None

    def ensure_room(self, needed: int = 0) -> None:
        """Raise the disk-full ``OSError`` unless ``needed`` bytes fit above the reserve (0: no check)."""
        if self.reserve_bytes == 0:
            return
        free = self.free()
        if free is not None and free < needed + self.reserve_bytes:
            raise disk_full()

    def room_for_rollback(self) -> bool:
        """Whether undoing a failed write can run without filling the disk itself."""
        free = self.free()
        return free is None or free >= ROLLBACK_ROOM

    def is_low(self) -> bool:
        """Whether free space is under the reserve (so a failed write is reported as a full disk)."""
        free = self.free()
        return free is not None and free < max(self.reserve_bytes, ROLLBACK_ROOM)
