"""问答记录 and 未答问题: filtering the question records, their CSV export, and grouping the unanswered by term."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from retrieval.search.query import Query

if TYPE_CHECKING:
    from bot.chat.qa_log import QaRecord

STATE_LABELS = {"found": "已回答", "partial": "部分回答", "not_found": "未找到", "error": "出错"}
REASONS = {
    "uncited": "没有标注出处",
    "figure": "数字在所引段落中找不到",
    "topic": "与问题无关",
    "latin": "字母或编号在所引段落中找不到",
    "wording": "与所引段落的措辞相差太远",
    "instruction": "像是指令而非事实",
}
"""Why verification dropped a sentence (``retrieval.answers.verify`` reasons), in Chinese."""
FILTERS = {
    "not_found": "未找到",
    "partial": "部分回答",
    "dropped": "有被删除的句子",
    "negative": "反馈“没用”",
}
CSV_COLUMNS = ["时间", "前端", "用户", "问题", "状态", "出处", "删除的句子", "耗时（毫秒）", "反馈"]


@dataclass(frozen=True)
class QaFilter:
    """The 问答记录 page's and its export's filters, read from the query string (empty = any)."""

    show: str = ""  # a key of FILTERS
    frontend: str = ""
    user: str = ""

    def apply(self, records: list[QaRecord]) -> list[QaRecord]:
        """The records matching the filter, front end and user."""
        keep = {
            "": lambda r: True,
            "not_found": lambda r: r.state == "not_found",
            "partial": lambda r: r.state == "partial",
            "dropped": lambda r: bool(r.dropped),
            "negative": lambda r: r.negative,
        }.get(self.show, lambda r: True)
        return [
            r
            for r in records
            if keep(r)
            and (not self.frontend or r.frontend == self.frontend)
            and (not self.user or r.user == self.user)
        ]


def feedback_label(record: QaRecord) -> str:
    """有用 n / 没用 m, or "" without feedback."""
    useful = sum(1 for v in record.feedback.values() if v)
    useless = len(record.feedback) - useful
    parts = ([f"有用 {useful}"] if useful else []) + ([f"没用 {useless}"] if useless else [])
    return "，".join(parts)


def to_csv(records: list[QaRecord]) -> str:
    """The records as CSV (UTF-8 with BOM, so Excel/WPS open it right); cells that look like formulas are quoted."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in records:
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    r.ts,
                    r.frontend,
                    r.user,
                    r.question,
                    STATE_LABELS.get(r.state, r.state),
                    "；".join(f"[{c.get('n')}] {c.get('title', '')}" for c in r.citations),
                    "；".join(
                        f"{d.get('sentence', '')}（{REASONS.get(d.get('reason', ''), d.get('reason', ''))}）"
                        for d in r.dropped
                    ),
                    str(r.latency_ms),
                    feedback_label(r),
                )
            ]
        )
    return out.getvalue()


def safe_cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@dataclass
class Group:
    """Unanswered questions sharing their main term."""

    term: str
    records: list[QaRecord] = field(default_factory=list)

    @property
    def states(self) -> str:
        """How many were not found and how many partial."""
        missing = sum(1 for r in self.records if r.state == "not_found")
        return f"未找到 {missing}，部分回答 {len(self.records) - missing}"


def unanswered_groups(records: list[QaRecord]) -> list[Group]:
    """Not-found and partial questions grouped by their heaviest term, biggest groups first."""
    groups: dict[str, Group] = defaultdict(lambda: Group(""))
    for record in records:
        if record.state not in ("not_found", "partial"):
            continue
        terms = Query.build(record.question).terms
        term = max(terms, key=lambda t: t.weight).term if terms else record.question[:10]
        group = groups[term]
        group.term = term
        group.records.append(record)
    return sorted(groups.values(), key=lambda g: (-len(g.records), g.term))
