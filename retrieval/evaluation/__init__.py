"""Evaluation of search and answers against a question file (``eval/questions.jsonl``).

One JSON object per line::

    {"id": "q001", "question": "...", "type": "figure", "answerable": true,
     "expected": ["exact substring of the source", ...], "facts": ["11.35万份", ...],
     "sources": ["000_fb7231d1c4689332.txt"]}

Matching rule used everywhere in this package (``matching``): both sides go through ``retrieval.text.normalize.normalize`` (width,
Traditional → Simplified, Taiwan wordings) and lose all whitespace, then a plain substring test. So an
expected substring copied from the Traditional report matches the stored Traditional chunk, and a fact
such as ``6萬元`` matches an answer that writes ``6万元``.

Metrics (search is scored on chunks exactly as returned, in order):

- hit at k: any expected substring occurs in one of the top k chunks; recall@k is the share of
  answerable questions with a hit at k. MRR@10 uses the rank of the first hit (0 when none in the top 10).
- coverage@10: share of a question's expected substrings found in the top 10 (the multi-report measure).
- states: answers found / partial / not found per question type (``Answer.state``). Refusals count "not
  found" only: a partial answer is reported apart, as helped (answerable) or let through (unanswerable).
- citation precision and fact recall: see :func:`citation_supported` and :func:`fact_recall`.
- trust (``trust_metrics``): unsupported figures delivered and instruction text quoted (both must be 0),
  and unit consistency (answers to unit-naming questions citing only that unit).
"""

from __future__ import annotations

from retrieval.evaluation.answer_metrics import (
    MIN_SHARED_CHARS,
    citation_checks,
    citation_supported,
    fact_recall,
)
from retrieval.evaluation.matching import contains, match_key
from retrieval.evaluation.questions import (
    QUESTION_TYPES,
    EvalQuestion,
    QuestionFileError,
    load_questions,
    parse_question,
)
from retrieval.evaluation.report import EvalReport, GroupMetrics, QuestionResult, aggregate, percentile
from retrieval.evaluation.runner import AnswerFn, SearchFn, evaluate_question, run_evaluation
from retrieval.evaluation.search_metrics import (
    MRR_CUTOFF,
    RECALL_KS,
    expected_coverage,
    first_hit_rank,
    hit_at,
    reciprocal_rank,
)
from retrieval.evaluation.trust_metrics import (
    instruction_count,
    known_units,
    unit_consistent,
    unsupported_figure_count,
)

__all__ = [
    "MIN_SHARED_CHARS",
    "MRR_CUTOFF",
    "QUESTION_TYPES",
    "RECALL_KS",
    "AnswerFn",
    "EvalQuestion",
    "EvalReport",
    "GroupMetrics",
    "QuestionFileError",
    "QuestionResult",
    "SearchFn",
    "aggregate",
    "citation_checks",
    "citation_supported",
    "contains",
    "evaluate_question",
    "expected_coverage",
    "fact_recall",
    "first_hit_rank",
    "hit_at",
    "instruction_count",
    "known_units",
    "load_questions",
    "match_key",
    "parse_question",
    "percentile",
    "reciprocal_rank",
    "run_evaluation",
    "unit_consistent",
    "unsupported_figure_count",
]
