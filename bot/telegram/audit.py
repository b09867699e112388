"""Audit log: one line per question and per admin action (who, when, what, outcome); never document text."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

QUESTION_MAX_CHARS = 200
_BARE = re.compile(r"[A-Za-z0-9_.:+-]+")
ANSWERED_OUTCOMES = frozenset({"answered", "not_found"})


class AuditLog:
    """Appends ``key=value`` lines to ``<data_dir>/audit.log``; free text (the question, file names) is JSON-quoted."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.questions_answered = self._count_answered()

    def record(
        self, *, user_id: int, chat_id: int | None, action: str, outcome: str, what: str = "", **extra: object
    ) -> None:
        """Write one line; ``what`` is the question or the admin action's argument, shortened to one line."""
        what = " ".join(what.split())[:QUESTION_MAX_CHARS]
        fields: dict[str, object] = {
            "ts": datetime.now(UTC).isoformat(timespec="seconds"),
            "user": user_id,
            "chat": chat_id,
            "action": action,
            "outcome": outcome,
            "what": what,
            **extra,
        }
        line = " ".join(f"{k}={_value(v)}" for k, v in fields.items())
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")
            if action == "ask" and outcome in ANSWERED_OUTCOMES:
                self.questions_answered += 1

    def _count_answered(self) -> int:
        if not self.path.exists():
            return 0
        count = 0
        with self.path.open(encoding="utf-8", errors="replace") as fh:
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
