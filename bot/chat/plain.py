"""Users read Chinese sentences, never internals: exception names, tracebacks, library messages go to logs only."""

from __future__ import annotations

import re

_INTERNALS = re.compile(
    r"Traceback|\b[A-Za-z_][\w.]*(?:Error|Exception|Warning|Exit)\b|\bhttpx\b|\berrno\b|内部错误|File \"",
)
_CJK = re.compile(r"[\u4e00-\u9fff]")


def plain_reason(text: str | None, fallback: str) -> str:
    """``text`` when it is a plain Chinese sentence; ``fallback`` when it is empty, English or shows internals."""
    if not text or _INTERNALS.search(text) or not _CJK.search(text):
        return fallback
    return text
