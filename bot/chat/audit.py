"""Audit log: one line per question and per admin action (when, which front end, who, what, outcome).

Never document text. One ``AuditLog`` per data dir is shared by every front end of a process (and the web
console); ``for_frontend`` gives each its own view that stamps ``frontend=`` on its lines. Every line is chained
to the one before by a hash (``bot.chat.audit_chain``), so ``reportbot audit verify`` finds an edited or deleted
line; the file lock there lets the CLI's ``reportbot user`` write the same log while a server runs.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.chat.audit_chain import ChainFiles

if TYPE_CHECKING:
    from pathlib import Path

AUDIT_LOG_NAME = "audit.log"
QUESTION_MAX_CHARS = 200
_BARE = re.compile(r"[A-Za-z0-9_.:+-]+")
ANSWERED_OUTCOMES = frozenset({"answered", "not_found"})


class _Shared:
    """The lock and the answered-questions count shared by the views of one log file."""

    def __init__(self, path: Path, chain: ChainFiles | None = None) -> None:
        self.lock = threading.Lock()
        self.chain = chain or ChainFiles(path)
        self.questions_answered = sum(_count_answered(p) for p in self.chain.files())


class AuditLog:
    """Appends ``key=value`` lines to ``<data_dir>/audit.log``; free text (the question, file names) is JSON-quoted."""

    def __init__(
        self,
        path: Path,
        frontend: str = "-",
        *,
        chain: ChainFiles | None = None,
        _shared: _Shared | None = None,
    ) -> None:
        """``chain`` sets rotation and retention (default: 20 MB files kept at least 180 days)."""
        self.path = path
        self.frontend = frontend
        self._shared = _shared or _Shared(path, chain)

    @property
    def chain(self) -> ChainFiles:
        """The log's files (current, rotated, head) and its lock."""
        return self._shared.chain

    def for_frontend(self, frontend: str) -> AuditLog:
        """A view of the same log whose lines say ``frontend=<frontend>``."""
        return AuditLog(self.path, frontend, _shared=self._shared)

    @property
    def questions_answered(self) -> int:
        """Questions answered (found or not) over the log's whole life, every front end together."""
        return self._shared.questions_answered

    def record(
        self,
        *,
        user_id: int | str,
        chat_id: int | str | None,
        action: str,
        outcome: str,
        what: Any = "",
        **extra: object,
    ) -> None:
        """Write one line; ``what`` is the question or the admin action's argument, shortened to one line."""
        what = " ".join(str(what).split())[:QUESTION_MAX_CHARS]
        fields: dict[str, object] = {
            "ts": datetime.now(UTC).isoformat(timespec="seconds"),
            "frontend": self.frontend,
            "user": user_id,
            "chat": chat_id,
            "action": action,
            "outcome": outcome,
            "what": what,
            **extra,
        }
        line = " ".join(f"{k}={_value(v)}" for k, v in fields.items())
        with self._shared.lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._shared.chain.append(line)
            if action == "ask" and outcome in ANSWERED_OUTCOMES:
                self._shared.questions_answered += 1


def data_dir_log(data_dir: Path, frontend: str = "-") -> AuditLog:
    """The audit log of ``data_dir`` for a process that writes it without a ChatCore (the CLI)."""
    return AuditLog(data_dir / AUDIT_LOG_NAME, frontend)


def _count_answered(path: Path) -> int:
    if not path.exists():
        return 0
    count = 0
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if " action=ask " in line and any(f" outcome={o} " in line for o in ANSWERED_OUTCOMES):
                count += 1
    return count


def _value(value: object) -> str:
    if isinstance(value, str):
        return value if _BARE.fullmatch(value) else json.dumps(value, ensure_ascii=False)
    if value is None:
        return "-"
    return str(value)
