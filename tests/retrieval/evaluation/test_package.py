"""The evaluation package's public API, as bot/eval_command and the benchmarks use it."""

from __future__ import annotations

import retrieval.evaluation


def test_public_api_is_pinned() -> None:
    assert retrieval.evaluation.__all__ == [
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
    assert all(hasattr(retrieval.evaluation, name) for name in retrieval.evaluation.__all__)
