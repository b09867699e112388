"""问答记录: every question any front end answered, for the console (who, when, where, state, citations, the
sentences verification dropped, latency) and the feedback given on it.

One JSON line per question in ``<data_dir>/qa/questions.jsonl`` and one per feedback in the same file (a
feedback line names the question's id); a reader folds them. Questions are kept as asked (shortened to
``QUESTION_MAX_CHARS``); never passage text, only the cited documents' names and headings.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from bot.chat.types import Requester
    from retrieval.answers.types import Answer

QA_DIR = "qa"
QA_FILE = "questions.jsonl"
QUESTION_MAX_CHARS = 1000
READ_MAX_RECORDS = 50_000
"""Newest records the console reads (older ones stay in the file)."""


@dataclass
class QaRecord:
    """One question and what became of it."""

    id: str
    ts: str
    frontend: str
    user: str
    chat: str
    question: str
    state: str  # found | partial | not_found | error
    mode: str = ""
    citations: list[dict[str, Any]] = field(default_factory=list)
    dropped: list[dict[str, str]] = field(default_factory=list)
    latency_ms: int = 0
    notice: str = ""
    feedback: dict[str, bool] = field(default_factory=dict)  # user → useful

    @property
    def negative(self) -> bool:
        """True when someone found the answer not useful."""
        return any(not useful for useful in self.feedback.values())


class QaLog:
    """The question records of one data dir (shared by every front end of a process)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / QA_DIR / QA_FILE
        self._lock = threading.Lock()

    def record(self, who: Requester, question: str, answer: Answer | None, latency: float) -> str:
        """Write one question's record; returns its id (for feedback)."""
        qa_id = uuid.uuid4().hex[:16]
        entry: dict[str, Any] = {
            "id": qa_id,
            "ts": datetime.now(UTC).isoformat(timespec="seconds"),
            "frontend": who.frontend,
            "user": who.user_id,
            "chat": who.chat_id,
            "question": question[:QUESTION_MAX_CHARS],
            "state": answer.state if answer is not None else "error",
            "mode": answer.mode if answer is not None else "",
            "citations": [
                {"n": c.n, "source": c.source, "title": c.title, "heading": c.heading}
                for c in (answer.citations if answer is not None else [])
            ],
            "dropped": [
                {"sentence": c.sentence, "reason": c.reason} for c in (answer.dropped if answer else [])
            ],
            "latency_ms": round(latency * 1000),
            "notice": answer.notice if answer is not None else "",
        }
        self._append(entry)
        return qa_id

    def feedback(self, qa_id: str, user: str, useful: bool) -> None:
        """Record ``user``'s 有用/没用 on question ``qa_id`` (the latest one per user counts)."""
        self._append(
            {
                "feedback": qa_id,
                "user": user,
                "useful": useful,
                "ts": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        )

    def records(self) -> list[QaRecord]:
        """Every question (newest first) with its feedback folded in."""
        by_id: dict[str, QaRecord] = {}
        for entry in self._entries():
            if "feedback" in entry:
                target = by_id.get(str(entry["feedback"]))
                if target is not None:
                    target.feedback[str(entry.get("user", ""))] = bool(entry.get("useful"))
                continue
            try:
                record = QaRecord(**{k: v for k, v in entry.items() if k in QaRecord.__dataclass_fields__})
            except TypeError:
                continue  # a line from a future version: skipped, not fatal
            by_id[record.id] = record
        return sorted(by_id.values(), key=lambda r: r.ts, reverse=True)

    def _entries(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8", errors="replace") as fh:
            lines = fh.readlines()[-READ_MAX_RECORDS:]
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a torn last line after a crash
            if isinstance(entry, dict):
                yield entry

    def _append(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(line)
