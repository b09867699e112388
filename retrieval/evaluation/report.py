"""Per-question results, their aggregates (overall and per question type) and the report people read."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from retrieval.evaluation.answer_metrics import MIN_SHARED_CHARS
from retrieval.evaluation.search_metrics import RECALL_KS, hit_at, reciprocal_rank

if TYPE_CHECKING:
    from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class QuestionResult:
    """What one question scored (``rank`` is the 1-based rank of the first hit, None if no hit)."""

    id: str
    type: str
    answerable: bool
    rank: int | None = None
    coverage: float | None = None
    search_ms: float = 0.0
    found: bool | None = None
    answer_mode: str | None = None
    citations_supported: int = 0
    citations_total: int = 0
    fact_recall: float | None = None
    ask_ms: float | None = None
    state: str | None = None  # found / partial / not_found
    unsupported_figures: int = 0
    instructions_quoted: int = 0
    unit: str | None = None  # the unit the question names
    unit_consistent: bool | None = None  # None: no unit named, or nothing cited


@dataclass
class GroupMetrics:
    """Aggregates over one group of questions (all, or one type); None where the group has no data."""

    n: int
    answerable: int
    recall: dict[int, float | None]
    mrr: float | None
    coverage: float | None
    unanswerable_refused: float | None
    answerable_refused: float | None
    citation_precision: float | None
    citations: int
    fact_recall: float | None
    states: dict[str, int] = field(default_factory=dict)
    answerable_partial: float | None = None
    unanswerable_let_through: float | None = None
    unsupported_figures: int = 0
    instructions_quoted: int = 0
    unit_questions: int = 0
    unit_consistency: float | None = None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def aggregate(results: Sequence[QuestionResult]) -> GroupMetrics:
    """Group metrics from per-question results.

    Refusals count "not found" only: a partial answer is reported apart, as helped (answerable) or as let
    through (unanswerable, together with found).
    """
    ans = [r for r in results if r.answerable]
    searched = [r for r in ans if r.coverage is not None]
    unans = [r for r in results if not r.answerable and r.found is not None]
    asked = [r for r in ans if r.found is not None]
    cited = sum(r.citations_total for r in results)
    unit_checked = [r.unit_consistent for r in results if r.unit_consistent is not None]
    return GroupMetrics(
        n=len(results),
        answerable=len(ans),
        recall={k: _mean([float(hit_at(r.rank, k)) for r in searched]) for k in RECALL_KS},
        mrr=_mean([reciprocal_rank(r.rank) for r in searched]),
        coverage=_mean([r.coverage for r in searched if r.coverage is not None]),
        unanswerable_refused=_mean([float(_refused(r)) for r in unans]),
        answerable_refused=_mean([float(_refused(r)) for r in asked]),
        citation_precision=sum(r.citations_supported for r in results) / cited if cited else None,
        citations=cited,
        fact_recall=_mean([r.fact_recall for r in asked if r.fact_recall is not None]),
        states=(
            {s: sum(1 for r in results if _state(r) == s) for s in STATES}
            if any(r.found is not None for r in results)
            else {}
        ),
        answerable_partial=_mean([float(_state(r) == "partial") for r in asked]),
        unanswerable_let_through=_mean([float(not _refused(r)) for r in unans]),
        unsupported_figures=sum(r.unsupported_figures for r in results),
        instructions_quoted=sum(r.instructions_quoted for r in results),
        unit_questions=len(unit_checked),
        unit_consistency=_mean([float(v) for v in unit_checked]),
    )


STATES = ("found", "partial", "not_found")


def _state(r: QuestionResult) -> str | None:
    """The answer's state: found when ``found``, else partial or not_found (``found`` False is never found)."""
    if r.found is None:
        return None
    if r.found:
        return "found"
    return "partial" if r.state == "partial" else "not_found"


def _refused(r: QuestionResult) -> bool:
    return _state(r) == "not_found"


@dataclass
class EvalReport:
    """Overall and per-type metrics plus latency; ``to_json`` for machines, ``render`` for people."""

    mode: str
    k: int
    overall: GroupMetrics
    by_type: dict[str, GroupMetrics]
    search_p50_ms: float | None
    search_p95_ms: float | None
    ask_p50_ms: float | None
    ask_p95_ms: float | None
    fallbacks: int = 0
    results: list[QuestionResult] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``eval --json`` shape."""

        def group(g: GroupMetrics) -> dict[str, Any]:
            d = asdict(g)
            d["recall"] = {f"@{k}": v for k, v in g.recall.items()}
            return d

        return {
            "mode": self.mode,
            "k": self.k,
            "rules": {
                "match": "normalize + whitespace removed, substring",
                "min_shared_chars": MIN_SHARED_CHARS,
            },
            "overall": group(self.overall),
            "by_type": {t: group(g) for t, g in self.by_type.items()},
            "latency_ms": {
                "search_p50": self.search_p50_ms,
                "search_p95": self.search_p95_ms,
                "ask_p50": self.ask_p50_ms,
                "ask_p95": self.ask_p95_ms,
            },
            "fallbacks": self.fallbacks,
            "questions": [asdict(r) for r in self.results],
        }

    def render(self) -> str:
        """Plain-text table: one row per type and one overall row, then latency."""
        cols = [
            "type",
            "n",
            "R@1",
            "R@3",
            "R@5",
            "R@10",
            "MRR",
            "cov@10",
            "F/P/N",
            "unans",
            "let",
            "refused",
            "helped",
            "cit.p",
            "facts",
        ]
        rows = [cols]
        for name, g in [*self.by_type.items(), ("ALL", self.overall)]:
            rows.append(
                [
                    name,
                    str(g.n),
                    *(_fmt(g.recall[k]) for k in RECALL_KS),
                    _fmt(g.mrr),
                    _fmt(g.coverage),
                    "/".join(str(g.states[s]) for s in STATES) if g.states else "-",
                    _fmt(g.unanswerable_refused),
                    _fmt(g.unanswerable_let_through),
                    _fmt(g.answerable_refused),
                    _fmt(g.answerable_partial),
                    _fmt(g.citation_precision),
                    _fmt(g.fact_recall),
                ]
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(cols))]
        lines = [f"mode={self.mode} k={self.k} questions={self.overall.n}"]
        for i, r in enumerate(rows):
            lines.append(
                "  ".join(
                    c.ljust(w) if j == 0 else c.rjust(w)
                    for j, (c, w) in enumerate(zip(r, widths, strict=True))
                )
            )
            if i == 0 or i == len(rows) - 2:
                lines.append("  ".join("-" * w for w in widths))
        lines.append(
            f"latency ms: search p50 {_fmt_ms(self.search_p50_ms)} p95 {_fmt_ms(self.search_p95_ms)}; "
            f"ask p50 {_fmt_ms(self.ask_p50_ms)} p95 {_fmt_ms(self.ask_p95_ms)}"
        )
        o = self.overall
        if o.states:
            lines.append(
                f"trust: unsupported figures delivered {o.unsupported_figures} (must be 0); "
                f"instruction text quoted {o.instructions_quoted} (must be 0); "
                f"unit consistency {_fmt(o.unit_consistency)} over {o.unit_questions} unit-naming answers"
            )
        if self.fallbacks:
            lines.append(f"answers not in mode {self.mode} (fallbacks): {self.fallbacks}")
        lines.append(
            "F/P/N = answers found/partial/not found; unans = unanswerable answered not-found, "
            "let = unanswerable answered found or partial; refused = answerable answered not-found, "
            "helped = answerable answered partial; cit.p = citation precision; facts = fact recall"
        )
        return "\n".join(lines)


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def _fmt_ms(v: float | None) -> str:
    return "-" if v is None else f"{v:.0f}"
