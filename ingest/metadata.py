"""Section kind, period and year of a chunk, read from its headings and titles.

The nearest source that decides wins: the deepest heading first, then shallower headings, then the
article title, then the document title. Matching runs on a Simplified copy (``to_simplified``) so
Traditional reports ("下半年工作打算", "存在的問題") are understood; stored text is never changed.
Within one string the keyword that appears first wins, so a title like "上半年工作总结及下半年工作计划"
counts as a summary of the first half unless a deeper heading says otherwise.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.text.normalize import to_simplified

if TYPE_CHECKING:
    from collections.abc import Iterable

    from retrieval.types import Kind, Period

_KIND_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (
        "summary",
        re.compile(
            r"(?:工作|年|半年|季度|月)总结|总结$|完成情况|开展情况|进展情况|工作进展|执行情况|落实情况"
            r"|主要工作(?!任务)|工作成效|工作成绩|主要成绩|取得的成[绩效]|工作回顾|工作成果|主要做法|总结如下|汇报如下"
        ),
    ),
    (
        "plan",
        re.compile(
            r"工作计划|年计划|计划$|打算|要点|思路|下一步|下半年(?:的)?(?:主要|重点)?工作(?!总结)|明年(?:的)?(?:主要)?工作"
            r"|目标任务|工作重点|计划安排|下步|下一阶段|今后(?:的)?工作"
            r"|重点工作安排|工作安排|工作设想|工作部署|主要任务"
        ),
    ),
    (
        "problems",
        re.compile(
            r"存在的(?:主要)?(?:问题|不足|困难)|存在问题|问题(?:和|与|及)不足|不足(?:和|与|及)问题|主要问题"
            r"|困难(?:和|与|及)问题|问题(?:和|与|及)困难|不足之处"
        ),
    ),
)
_PERIODS: tuple[tuple[Period, re.Pattern[str]], ...] = (
    ("上半年", re.compile(r"上半年|1\s*[-—至~]\s*6\s*月|一至六月")),
    ("下半年", re.compile(r"下半年|7\s*[-—至~]\s*12\s*月")),
    ("季度", re.compile(r"[一二三四1-4第]季度|季度")),
)
_ANNUAL = re.compile(r"全年|年度|年(?:[^，。,]{0,16})(?:工作)?(?:总结|计划|要点|打算|报告|思路)")
HEAD_REGION = 14
# "现将上半年工作情况总结如下" — the sentence an intro uses to say what the article is.
_CLUE = re.compile(r"现将[^。！？]{0,60}?如下|現將[^。！？]{0,60}?如下")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def detect_kind(sources: Iterable[str]) -> Kind:
    """Kind decided by the first source (nearest heading first) that names one."""
    for source in sources:
        kind = kind_of(source)
        if kind != "other":
            return kind
    return "other"


def kind_of(text: str) -> Kind:
    """Kind named by one heading or title; the earliest keyword wins; "other" when none."""
    simple = to_simplified(text)
    best: tuple[int, Kind] | None = None
    for kind, pattern in _KIND_PATTERNS:
        m = pattern.search(simple)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind)
    return best[1] if best else "other"


def detect_period(headings: Iterable[str], titles: Iterable[str], kind: Kind = "other") -> Period:
    """Period decided by the nearest heading that names one (at its start), then by the titles.

    A title naming two periods is read for the section's kind: in "上半年工作总结及下半年工作计划" a plan
    section belongs to 下半年; a plan section of a plain "上半年工作总结" looks ahead to 下半年 too.
    """
    for heading in headings:
        period = period_of(heading, head_only=True)
        if period:
            return period
    for title in titles:
        period = _title_period(title, kind)
        if period:
            return period
    return ""


def _title_period(title: str, kind: Kind) -> Period:
    simple = to_simplified(title)
    pattern = dict(_KIND_PATTERNS).get(kind)
    keyword = pattern.search(simple) if pattern else None
    if keyword:
        before = [(m.start(), p) for p, pat in _PERIODS for m in pat.finditer(simple[: keyword.end()])]
        if before:
            return max(before)[1]
    period = period_of(simple)
    if kind == "plan" and period == "上半年" and kind_of(simple) == "summary":
        return "下半年"
    return period


def period_of(text: str, *, head_only: bool = False) -> Period:
    """上半年 / 下半年 / 季度 (earliest mention wins), else 全年 for an annual title, else "".

    ``head_only`` looks at the start of a heading only: "三、下半年工作打算" names a period,
    "（七）加快…建设，争取上半年投入使用" does not.
    """
    simple = to_simplified(text)
    if head_only:
        simple = simple[:HEAD_REGION]
    best: tuple[int, Period] | None = None
    for period, pattern in _PERIODS:
        m = pattern.search(simple)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), period)
    if best:
        return best[1]
    return "全年" if _ANNUAL.search(simple) else ""


def detect_year(sources: Iterable[str]) -> int | None:
    """The first 4-digit year (19xx/20xx followed by 年) in the sources; placeholders like xx年 give None."""
    for source in sources:
        m = _YEAR.search(source)
        if m:
            return int(m.group(1))
    return None


def report_clue(intro: str) -> str:
    """The "现将…汇报如下" sentence of an article's opening paragraph, or ""."""
    m = _CLUE.search(intro)
    return m.group(0) if m else ""
