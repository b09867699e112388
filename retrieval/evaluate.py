"""Evaluation of search and answers against a question file (``eval/questions.jsonl``).

One JSON object per line::

    {"id": "q001", "question": "...", "type": "figure", "answerable": true,
     "expected": ["exact substring of the source", ...], "facts": ["11.35万份", ...],
     "sources": ["000_fb7231d1c4689332.txt"]}

Matching rule used everywhere below: both sides go through ``retrieval.normalize.normalize`` (width,
Traditional → Simplified, Taiwan wordings) and lose all whitespace, then a plain substring test. So an
expected substring copied from the Traditional report matches the stored Traditional chunk, and a fact
such as ``6萬元`` matches an answer that writes ``6万元``.

Metrics (search is scored on chunks exactly as returned, in order):

- hit at k: any expected substring occurs in one of the top k chunks; recall@k is the share of
  answerable questions with a hit at k. MRR@10 uses the rank of the first hit (0 when none in the top 10).
- coverage@10: share of a question's expected substrings found in the top 10 (the multi-report measure).
- refusals: unanswerable questions answered "not found" (``Answer.found`` False), and answerable
  questions wrongly refused.
- citation precision and fact recall: see :func:`citation_supported` and :func:`fact_recall`.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from retrieval.errors import ReportbotError
from retrieval.normalize import normalize
from retrieval.types import Answer, Passage

QUESTION_TYPES = ("figure", "done", "plan", "multi", "traditional", "paraphrase", "unanswerable")
RECALL_KS = (1, 3, 5, 10)
MRR_CUTOFF = 10
MIN_SHARED_CHARS = 8
"""Consecutive characters a cited passage must share with its sentence when no figure is shared."""

SearchFn = Callable[[str, int], Sequence[Passage]]
AnswerFn = Callable[[str], Answer]

_SPACE = re.compile(r"\s+")
_MARKER = re.compile(r"\[(\d+)\]")
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:%|‰|/10万)?")
_NON_TEXT = re.compile(r"[^\w%‰./]")


class QuestionFileError(ReportbotError):
    """The question file cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class EvalQuestion:
    """One evaluation question."""

    id: str
    question: str
    type: str
    answerable: bool
    expected: tuple[str, ...]
    facts: tuple[str, ...]
    sources: tuple[str, ...]


# --------------------------------------------------------------------------------------------- loading

_REQUIRED: dict[str, type] = {
    "id": str,
    "question": str,
    "type": str,
    "answerable": bool,
    "expected": list,
    "facts": list,
    "sources": list,
}


def parse_question(obj: Any, where: str) -> EvalQuestion:
    """Validate one decoded line; ``where`` (``file:line``) prefixes every error message."""
    if not isinstance(obj, dict):
        msg = f"{where}: 每行应是一个 JSON 对象"
        raise QuestionFileError(msg)
    for name, kind in _REQUIRED.items():
        if name not in obj:
            msg = f"{where}: 缺少字段 {name}"
            raise QuestionFileError(msg)
        if not isinstance(obj[name], kind):
            msg = f"{where}: 字段 {name} 类型应为 {kind.__name__}"
            raise QuestionFileError(msg)
    for name in ("expected", "facts", "sources"):
        if not all(isinstance(v, str) and v.strip() for v in obj[name]):
            msg = f"{where}: 字段 {name} 应为非空字符串列表"
            raise QuestionFileError(msg)
    if obj["type"] not in QUESTION_TYPES:
        msg = f"{where}: 未知题型 {obj['type']!r}（可选：{', '.join(QUESTION_TYPES)}）"
        raise QuestionFileError(msg)
    if not obj["question"].strip():
        msg = f"{where}: question 为空"
        raise QuestionFileError(msg)
    if obj["answerable"] != (obj["type"] != "unanswerable"):
        msg = f"{where}: answerable 与题型 {obj['type']} 不一致"
        raise QuestionFileError(msg)
    if obj["answerable"] and not obj["expected"]:
        msg = f"{where}: 可回答的问题至少需要一个 expected 子串"
        raise QuestionFileError(msg)
    if not obj["answerable"] and (obj["expected"] or obj["facts"]):
        msg = f"{where}: 无法回答的问题 expected 和 facts 应为空"
        raise QuestionFileError(msg)
    return EvalQuestion(
        id=obj["id"],
        question=obj["question"].strip(),
        type=obj["type"],
        answerable=obj["answerable"],
        expected=tuple(obj["expected"]),
        facts=tuple(obj["facts"]),
        sources=tuple(obj["sources"]),
    )


def load_questions(path: Path) -> list[EvalQuestion]:
    """Read and validate a question file (blank lines allowed); errors name the line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{path}: 无法读取问题文件（{exc}）"
        raise QuestionFileError(msg) from exc
    questions: list[EvalQuestion] = []
    seen: set[str] = set()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            msg = f"{where}: JSON 格式错误（{exc.msg}，第 {exc.colno} 列）"
            raise QuestionFileError(msg) from None
        q = parse_question(obj, where)
        if q.id in seen:
            msg = f"{where}: 重复的 id {q.id}"
            raise QuestionFileError(msg)
        seen.add(q.id)
        questions.append(q)
    if not questions:
        msg = f"{path}: 问题文件为空"
        raise QuestionFileError(msg)
    return questions


# -------------------------------------------------------------------------------------------- matching


def match_key(text: str) -> str:
    """The form both sides of every substring test take: normalised, no whitespace."""
    return _SPACE.sub("", normalize(text))


def contains(text: str, needle: str) -> bool:
    """Whether ``needle`` occurs in ``text`` under the matching rule (see module docstring)."""
    key = match_key(needle)
    return bool(key) and key in match_key(text)


# ------------------------------------------------------------------------------------- search metrics


def first_hit_rank(texts: Sequence[str], expected: Iterable[str]) -> int | None:
    """1-based rank of the first text containing any expected substring, or None."""
    keys = [k for k in map(match_key, expected) if k]
    for rank, text in enumerate(texts, 1):
        t = match_key(text)
        if any(k in t for k in keys):
            return rank
    return None


def hit_at(rank: int | None, k: int) -> bool:
    """Whether a first hit at ``rank`` lies within the top ``k``."""
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None, cutoff: int = MRR_CUTOFF) -> float:
    """1/rank when the first hit lies within ``cutoff``, else 0."""
    return 1.0 / rank if hit_at(rank, cutoff) else 0.0


def expected_coverage(texts: Sequence[str], expected: Sequence[str], k: int = 10) -> float:
    """Share of the expected substrings found in at least one of the top ``k`` texts."""
    if not expected:
        return 0.0
    top = [match_key(t) for t in texts[:k]]
    found = sum(1 for e in expected if any(match_key(e) in t for t in top))
    return found / len(expected)


# ------------------------------------------------------------------------------------- answer metrics


def split_sentences(text: str) -> list[str]:
    """Answer sentences, each keeping its ``[n]`` markers (which sit before the closing punctuation)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def _numbers(key: str) -> set[str]:
    """Figures in a match key worth sharing: at least two characters, years (``2023年``) excluded."""
    out = set()
    for m in _NUMBER.finditer(key):
        tok = m.group(0)
        if len(tok) < 2 or key[m.end() : m.end() + 1] == "年":
            continue
        out.add(tok)
    return out


def citation_supported(sentence: str, passage: str, min_shared: int = MIN_SHARED_CHARS) -> bool:
    """Whether a cited passage supports the sentence that cites it.

    Rule: markers are removed from the sentence; both texts are normalised (``match_key``) and stripped of
    punctuation. The citation is supported when the passage contains a figure the sentence states (a
    number of at least two characters, with ``%``/``‰``/``/10万`` attached, years excluded) or when the two
    share at least ``min_shared`` consecutive characters. Extractive sentences copy the passage and pass by
    the second test; a grounded LLM sentence keeps the figures or a phrase of the passage.
    """
    s = _NON_TEXT.sub("", match_key(_MARKER.sub("", sentence)))
    p = _NON_TEXT.sub("", match_key(passage))
    if not s or not p:
        return False
    if any(n in p for n in _numbers(s)):
        return True
    if len(s) < min_shared:
        return s in p
    return any(s[i : i + min_shared] in p for i in range(len(s) - min_shared + 1))


def citation_checks(answer: Answer, min_shared: int = MIN_SHARED_CHARS) -> list[bool]:
    """One verdict per ``[n]`` marker in the answer; a marker that names no citation is unsupported."""
    by_n = {c.n: c.text for c in answer.citations}
    verdicts = []
    for sentence in split_sentences(answer.text):
        for m in _MARKER.finditer(sentence):
            passage = by_n.get(int(m.group(1)))
            verdicts.append(passage is not None and citation_supported(sentence, passage, min_shared))
    return verdicts


def fact_recall(answer_text: str, facts: Sequence[str]) -> float:
    """Share of the key facts present in the answer text (matching rule of the module docstring)."""
    if not facts:
        return 0.0
    text = match_key(answer_text)
    return sum(1 for f in facts if match_key(f) in text) / len(facts)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


# ----------------------------------------------------------------------------------------------- runner


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


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def aggregate(results: Sequence[QuestionResult]) -> GroupMetrics:
    """Group metrics from per-question results."""
    ans = [r for r in results if r.answerable]
    searched = [r for r in ans if r.coverage is not None]
    unans = [r for r in results if not r.answerable and r.found is not None]
    asked = [r for r in ans if r.found is not None]
    cited = sum(r.citations_total for r in results)
    return GroupMetrics(
        n=len(results),
        answerable=len(ans),
        recall={k: _mean([float(hit_at(r.rank, k)) for r in searched]) for k in RECALL_KS},
        mrr=_mean([reciprocal_rank(r.rank) for r in searched]),
        coverage=_mean([r.coverage for r in searched if r.coverage is not None]),
        unanswerable_refused=_mean([float(not r.found) for r in unans]),
        answerable_refused=_mean([float(not r.found) for r in asked]),
        citation_precision=sum(r.citations_supported for r in results) / cited if cited else None,
        citations=cited,
        fact_recall=_mean([r.fact_recall for r in asked if r.fact_recall is not None]),
    )


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
            "unans",
            "refused",
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
                    _fmt(g.unanswerable_refused),
                    _fmt(g.answerable_refused),
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
        if self.fallbacks:
            lines.append(f"answers not in mode {self.mode} (fallbacks): {self.fallbacks}")
        lines.append(
            "unans = unanswerable answered not-found; refused = answerable wrongly refused; "
            "cit.p = citation precision; facts = fact recall"
        )
        return "\n".join(lines)


def _fmt(v: float | None) -> str:
    return "-" if v is None else f"{v:.3f}"


def _fmt_ms(v: float | None) -> str:
    return "-" if v is None else f"{v:.0f}"


def evaluate_question(
    q: EvalQuestion,
    search: SearchFn | None,
    answer: AnswerFn | None,
    *,
    k: int = 10,
    clock: Callable[[], float] = time.perf_counter,
    reset: Callable[[], None] | None = None,
) -> QuestionResult:
    """Run one question through search (top ``k``) and answer, timing each call (``reset`` runs before each)."""
    r = QuestionResult(q.id, q.type, q.answerable)
    if search is not None:
        if reset is not None:
            reset()
        t0 = clock()
        passages = search(q.question, k)
        r.search_ms = (clock() - t0) * 1000
        texts = [p.chunk.text for p in passages[:k]]
        if q.answerable:
            r.rank = first_hit_rank(texts, q.expected)
            r.coverage = expected_coverage(texts, q.expected, k)
    if answer is not None:
        if reset is not None:
            reset()
        t0 = clock()
        a = answer(q.question)
        r.ask_ms = (clock() - t0) * 1000
        r.found = a.found
        r.answer_mode = a.mode
        if a.found:
            verdicts = citation_checks(a)
            r.citations_total = len(verdicts)
            r.citations_supported = sum(verdicts)
        if q.answerable:
            r.fact_recall = (
                fact_recall(a.text, q.facts) if a.found and q.facts else (0.0 if q.facts else None)
            )
    return r


def run_evaluation(
    questions: Sequence[EvalQuestion],
    search: SearchFn | None,
    answer: AnswerFn | None = None,
    *,
    mode: str = "extractive",
    k: int = 10,
    clock: Callable[[], float] = time.perf_counter,
    reset: Callable[[], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Evaluate every question; ``answer`` None scores search only. ``mode`` labels the answers expected.

    ``reset`` runs before every timed call, untimed: pass one that clears in-process caches (the query
    embedding memo) so that ``answer`` does not reuse what ``search`` just computed for the same question
    and both latencies are those of a new question.

    Fact recall counts 0 for an answerable question that was refused (facts quoted among the closest
    passages of a "not found" reply are not an answer).
    """
    results = []
    for i, q in enumerate(questions, 1):
        results.append(evaluate_question(q, search, answer, k=k, clock=clock, reset=reset))
        if progress is not None:
            progress(i, len(questions))
    by_type = {
        t: aggregate([r for r in results if r.type == t])
        for t in QUESTION_TYPES
        if any(r.type == t for r in results)
    }
    search_ms = [r.search_ms for r in results] if search is not None else []
    ask_ms = [r.ask_ms for r in results if r.ask_ms is not None]
    return EvalReport(
        mode=mode,
        k=k,
        overall=aggregate(results),
        by_type=by_type,
        search_p50_ms=statistics.median(search_ms) if search_ms else None,
        search_p95_ms=percentile(search_ms, 95),
        ask_p50_ms=statistics.median(ask_ms) if ask_ms else None,
        ask_p95_ms=percentile(ask_ms, 95),
        fallbacks=sum(1 for r in results if r.answer_mode is not None and r.answer_mode != mode),
        results=results,
    )
