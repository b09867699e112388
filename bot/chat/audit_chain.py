"""The audit log's hash chain, rotation and verification (``reportbot audit verify``).

Each record carries ``h=`` right after its timestamp: SHA-256 of the previous record's ``h`` and this record's
line without the ``h=`` field. Editing a line breaks its own hash; deleting one breaks the next line's; deleting
the last lines is caught by ``audit/head.json``, which holds the newest hash (rewritten with each record).
Lines written before the chain existed (no ``h=``) are hashed as one block the first chained line starts from.

Full files are moved to ``audit/audit-<UTC time>.log`` and the chain runs on across files; a moved file is
removed only when its newest record is older than the retention (at least 180 days, 网络安全法 §21), and
``head.json``'s ``start`` then remembers where the kept chain begins.

A chain without a secret detects edits by anyone who does not recompute it: ship the log off the machine
(syslog) where a stronger guarantee is needed (docs/web.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

GENESIS = "0" * 64
ROTATED_DIR = "audit"
HEAD_NAME = "head.json"
LOCK_NAME = "audit.lock"
MIN_RETENTION_DAYS = 180
_CHAINED = re.compile(r"^(ts=\S+) h=([0-9a-f]{64}) (.*)$")
TAIL_BYTES = 64 * 1024


def chain_hash(previous: str, body: str) -> str:
    """The hash of one record: SHA-256 over the previous hash, a newline and the line without ``h=``."""
    return hashlib.sha256(f"{previous}\n{body}".encode()).hexdigest()


def legacy_hash(previous: str, text: str) -> str:
    """The hash a chain starts from after lines written before the chain existed."""
    return chain_hash(previous, "legacy:" + hashlib.sha256(text.encode()).hexdigest())


def split_chained(line: str) -> tuple[str, str] | None:
    """``(hash, body)`` of a chained line (body: the line without ``h=``), or None for an unchained one."""
    match = _CHAINED.match(line)
    if match is None:
        return None
    return match.group(2), f"{match.group(1)} {match.group(3)}"


def chained_line(previous: str, body: str) -> tuple[str, str]:
    """``(line, hash)``: ``body`` (which starts with ``ts=…``) with its ``h=`` inserted after the timestamp."""
    digest = chain_hash(previous, body)
    ts, _, rest = body.partition(" ")
    return f"{ts} h={digest} {rest}", digest


class ChainFiles:
    """The files of one audit log: the current file, the rotated ones, the head and the lock (all processes)."""

    def __init__(
        self, path: Path, *, rotate_bytes: int = 20 * 1024 * 1024, retention_days: int = 180
    ) -> None:
        self.path = path
        self.dir = path.parent / ROTATED_DIR
        self.rotate_bytes = rotate_bytes
        self.retention_days = max(retention_days, MIN_RETENTION_DAYS)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the log's file lock (every process that writes the log: serve, web, the CLI)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with (self.dir / LOCK_NAME).open("a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def files(self) -> list[Path]:
        """Every file of the log, oldest first (rotated files by name, then the current file)."""
        rotated = sorted(self.dir.glob("audit-*.log")) if self.dir.exists() else []
        return [*rotated, *([self.path] if self.path.exists() else [])]

    def head(self) -> dict[str, object]:
        """``{"start", "hash", "records"}``: where the kept chain starts and its newest hash."""
        try:
            data = json.loads((self.dir / HEAD_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_head(self, **values: object) -> None:
        """Replace the head file atomically with the current values updated by ``values``."""
        head = {**self.head(), **values}
        tmp = self.dir / f".{HEAD_NAME}.tmp"
        tmp.write_text(json.dumps(head), encoding="utf-8")
        os.replace(tmp, self.dir / HEAD_NAME)

    def last_hash(self) -> str:
        """The newest record's hash (call under the lock): from the current file's tail, else the head."""
        if self.path.exists() and self.path.stat().st_size:
            with self.path.open("rb") as fh:
                size = fh.seek(0, os.SEEK_END)
                fh.seek(max(0, size - TAIL_BYTES))
                tail = fh.read().decode("utf-8", errors="replace").splitlines()
            if tail:
                parsed = split_chained(tail[-1])
                if parsed is not None:
                    return parsed[0]
                # lines from before the chain: it starts from a hash of all of them
                text = self.path.read_text(encoding="utf-8", errors="replace")
                return legacy_hash(str(self.head().get("start", GENESIS)), text)
        return str(self.head().get("hash") or self.head().get("start") or GENESIS)

    def append(self, body: str) -> None:
        """Chain ``body`` (a ``ts=…`` line) to the newest record and append it (under the lock)."""
        with self.locked():
            self._rotate_if_full()
            line, digest = chained_line(self.last_hash(), body)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
                fh.flush()
            head = self.head()
            self.write_head(hash=digest, records=int(str(head.get("records", 0))) + 1)

    def _rotate_if_full(self) -> None:
        if not self.path.exists() or self.path.stat().st_size < self.rotate_bytes:
            return
        last = self.last_hash()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        os.replace(self.path, self.dir / f"audit-{stamp}.log")
        self.write_head(hash=last)
        self._prune()

    def _prune(self) -> None:
        """Remove rotated files whose newest record is older than the retention; the kept chain starts after."""
        cutoff = time.time() - self.retention_days * 86400
        for rotated in sorted(self.dir.glob("audit-*.log")):
            if rotated.stat().st_mtime >= cutoff:
                return  # files are in time order: every later one is younger
            last = _last_hash_of(rotated)
            rotated.unlink()
            if last is not None:
                self.write_head(start=last)


def _last_hash_of(path: Path) -> str | None:
    for line in reversed(path.read_text(encoding="utf-8", errors="replace").splitlines()):
        parsed = split_chained(line)
        if parsed is not None:
            return parsed[0]
    return None


@dataclass(frozen=True)
class ChainVerdict:
    """The result of ``verify``: ``ok``, the records checked, and where the first break is."""

    ok: bool
    records: int
    files: int
    file: str = ""
    line: int = 0
    problem: str = ""


def verify(chain: ChainFiles) -> ChainVerdict:
    """Walk every file of the log and recompute the chain; the first record that does not match is reported."""
    head = chain.head()
    previous = str(head.get("start") or GENESIS)
    records = 0
    files = chain.files()
    for path in files:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        legacy: list[str] = []
        for number, line in enumerate(lines, start=1):
            parsed = split_chained(line)
            if parsed is None:
                if records:
                    return ChainVerdict(
                        False, records, len(files), path.name, number, "记录缺少校验值（被改动）"
                    )
                legacy.append(line)
                continue
            if legacy:
                previous = legacy_hash(previous, "".join(x + "\n" for x in legacy))
                legacy = []
            digest, body = parsed
            if chain_hash(previous, body) != digest:
                return ChainVerdict(
                    False,
                    records,
                    len(files),
                    path.name,
                    number,
                    "与前一条记录的校验链不符（此行被改动，或其前有记录被删除）",
                )
            previous = digest
            records += 1
    expected = head.get("hash")
    if expected and expected != previous and records:
        last = files[-1] if files else chain.path
        count = len(last.read_text(encoding="utf-8", errors="replace").splitlines()) if last.exists() else 0
        return ChainVerdict(False, records, len(files), last.name, count + 1, "末尾的记录被删除")
    return ChainVerdict(True, records, len(files))
