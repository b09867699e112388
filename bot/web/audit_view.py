"""Reading the audit log back for the console: its ``key=value`` lines as records, newest first, filtered, and
the hash chain's verdict, walked again only when the log has changed since the last walk (``VerdictCache``).
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.chat.audit_chain import split_chained, verify

if TYPE_CHECKING:
    from bot.chat.audit_chain import ChainFiles, ChainVerdict

_FIELD = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S*)')
READ_MAX_LINES = 100_000
RACY_SECONDS = 2.0
"""A file written this close to a walk may change again within its timestamp's resolution: walk again."""
COLUMNS = ("ts", "frontend", "user", "chat", "action", "outcome", "what")
ACTION_LABELS = {
    "ask": "提问",
    "draft": "起草",
    "button": "查看出处",
    "upload": "上传",
    "delete": "删除文档",
    "reingest": "重新导入",
    "reindex": "重建索引",
    "docs": "查看文档列表",
    "stats": "查看统计",
    "sign_in": "登录",
    "sign_out": "退出",
    "lockout": "锁定账户",
    "forbidden": "越权访问",
    "user_add": "新建账户",
    "user_role": "修改角色",
    "user_disable": "停用账户",
    "user_enable": "启用账户",
    "user_reset_password": "重设密码",
    "glossary_add": "添加词条",
    "retrieval_test": "检索测试",
    "qa_export": "导出问答记录",
    "audit_export": "导出审计日志",
}
"""The Chinese name of each event the console shows (the log and its CSV keep the codes)."""


@dataclass(frozen=True)
class AuditRecord:
    """One audit line's fields (``extra``: the fields beyond the common ones, as ``k=v`` text)."""

    ts: str
    frontend: str
    user: str
    action: str
    outcome: str
    what: str
    extra: str
    fields: dict[str, str]


def parse_line(line: str) -> AuditRecord | None:
    """The record of one line (chained or from before the chain), or None for a line that is no record."""
    parsed = split_chained(line)
    body = parsed[1] if parsed is not None else line
    fields: dict[str, str] = {}
    for key, raw in _FIELD.findall(body):
        if raw.startswith('"'):
            try:
                fields[key] = str(json.loads(raw))
            except ValueError:
                fields[key] = raw
        else:
            fields[key] = raw
    if "ts" not in fields or "action" not in fields:
        return None
    extra = " ".join(f"{k}={v}" for k, v in fields.items() if k not in COLUMNS)
    return AuditRecord(
        fields["ts"],
        fields.get("frontend", "-"),
        fields.get("user", "-"),
        fields["action"],
        fields.get("outcome", ""),
        fields.get("what", ""),
        extra,
        fields,
    )


def read_records(chain: ChainFiles, max_lines: int = READ_MAX_LINES) -> list[AuditRecord]:
    """The newest ``max_lines`` records of every file of the log, newest first."""
    lines: list[str] = []
    for path in reversed(chain.files()):
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines() + lines
        if len(lines) >= max_lines:
            break
    records = [r for r in (parse_line(line) for line in lines[-max_lines:]) if r is not None]
    records.reverse()
    return records


ChainState = tuple[tuple[tuple[str, int, int, int], ...], str]


def chain_state(chain: ChainFiles) -> ChainState | None:
    """What changes whenever the log does: each file's name, size, mtime and inode, and the head (its newest
    hash); None when a file went away meanwhile (rotation): then nothing is cached.
    """
    try:
        stats = tuple(
            (p.name, st.st_size, st.st_mtime_ns, st.st_ino) for p in chain.files() for st in [p.stat()]
        )
    except OSError:
        return None
    return stats, json.dumps(chain.head(), sort_keys=True)


class VerdictCache:
    """The chain's verdict (``verify`` walks every file, up to 180 days of them), kept until the log changes.

    A file modified within ``RACY_SECONDS`` of the walk is not trusted to show a later change in its mtime
    (timestamps are coarse), so such a verdict is walked again on the next call, like git's racy-clean check.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: ChainState | None = None
        self._verdict: ChainVerdict | None = None

    def verdict(self, chain: ChainFiles) -> ChainVerdict:
        """The verdict of ``chain`` as it is now: the cached one when no file changed since it was walked."""
        started = time.time()
        state = chain_state(chain)
        with self._lock:
            if self._verdict is not None and state is not None and state == self._state:
                return self._verdict
        verdict = verify(chain)
        settled = state is not None and all(
            mtime_ns / 1e9 < started - RACY_SECONDS for _, _, mtime_ns, _ in state[0]
        )
        with self._lock:
            self._state, self._verdict = (state if settled else None), verdict
        return verdict
