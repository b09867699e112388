"""What a question is after: which period, and whether it asks what was done, planned or went wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrieval.text.normalize import normalize

if TYPE_CHECKING:
    from collections.abc import Sequence

    from retrieval.types import Passage

_PERIODS: list[tuple[str, re.Pattern[str]]] = [
    ("上半年", re.compile(r"上半年|前半年|1[-—至到]6月|一至六月|上半期")),
    ("下半年", re.compile(r"下半年|后半年|7[-—至到]12月|七至十二月")),
    ("季度", re.compile(r"季度")),
    ("全年", re.compile(r"全年|年度|一年来|全年度|这一年")),
]
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("problems", re.compile(r"问题|不足|困难|短板|薄弱|差距|难点")),
    (
        "plan",
        re.compile(
            r"计划|打算|准备|下一步|下步|接下来|今后|后续|明年|将要|将会|要做|要干|安排|思路|要点|目标|部署|拟|怎么做|怎么推|如何推进|规划"
        ),
    ),
    (
        "summary",
        re.compile(
            r"做了|干了|开展了|完成了?|成效|成绩|情况|进展|取得|落实了|怎么样|多少|几|总结|有哪些.*(举措|措施|工作)"
        ),
    ),
]
_YEAR = re.compile(r"(19|20)\d{2}(?=年)")
_ASKS_FIGURE = re.compile(r"多少|几|率|比例|数量|人次|金额|规模")


def asks_for_figures(question: str, *, normalized: bool = False) -> bool:
    """Does the question want a number (多少, 几, …率)? (``normalized``: it went through ``normalize`` already.)"""
    return bool(_ASKS_FIGURE.search(question if normalized else normalize(question)))


@dataclass(frozen=True)
class Intent:
    """Detected period, kind and year of a question; empty/None when the question does not say."""

    period: str = ""
    kind: str = ""
    year: int | None = None


def detect_intent(question: str, *, normalized: bool = False) -> Intent:
    """Period and kind from the wording; the first matching kind wins (problems > plan > summary).
    (``normalized``: the question went through ``normalize`` already.)
    """
    q = question if normalized else normalize(question)
    period = next((name for name, pat in _PERIODS if pat.search(q)), "")
    kind = next((name for name, pat in _KINDS if pat.search(q)), "")
    m = _YEAR.search(q)
    return Intent(period=period, kind=kind, year=int(m.group(0)) if m else None)


def prefer_intent(passages: Sequence[Passage], intent: Intent) -> list[Passage]:
    """Drop passages about another period than the question's, as long as some passage is about its
    period: an answer about 上半年 should not quote the 下半年 plan. (Kind is not filtered: 多少/情况
    questions are answered from plan and problem sections too, measured with ``reportbot eval``.)
    """
    if not intent.period or not any(p.chunk.period == intent.period for p in passages):
        return list(passages)
    return [p for p in passages if p.chunk.period in (intent.period, "")]
