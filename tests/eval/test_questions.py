"""The committed evaluation set is valid: every expected substring and fact is really in its source report."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from retrieval.evaluation import QUESTION_TYPES, load_questions, match_key
from retrieval.text.normalize import to_simplified
from tests.support.question_checks import WS, expected_problems, missing_facts

QUESTIONS_FILE = Path(__file__).resolve().parents[2] / "eval" / "questions.jsonl"
MIN_PER_TYPE = {t: 8 for t in QUESTION_TYPES} | {"multi": 6}
TRADITIONAL_REPORT = "000_fb7231d1c4689332.txt"


@pytest.fixture(scope="module")
def questions():
    return load_questions(QUESTIONS_FILE)


@pytest.fixture(scope="module")
def raw_texts(corpus_dir: Path) -> dict[str, str]:
    """Each report with whitespace removed (the whitespace-insensitive form of the brief)."""
    return {p.name: WS.sub("", p.read_text(encoding="utf-8")) for p in corpus_dir.glob("*.txt")}


def test_set_size_and_type_coverage(questions) -> None:
    counts = Counter(q.type for q in questions)
    assert len(questions) >= 70
    for qtype, minimum in MIN_PER_TYPE.items():
        assert counts[qtype] >= minimum, f"{qtype}: {counts[qtype]} < {minimum}"


def test_questions_are_typed_in_simplified(questions) -> None:
    traditional = [q.id for q in questions if to_simplified(q.question) != q.question]
    assert traditional == []


def test_expected_substrings_are_exact_and_in_their_sources(questions, raw_texts) -> None:
    assert expected_problems(questions, raw_texts) == []


def test_facts_are_in_the_sources(questions, raw_texts) -> None:
    assert missing_facts(questions, raw_texts) == []
    assert all(1 <= len(q.facts) <= 3 for q in questions if q.answerable)


def test_multi_questions_span_several_reports(questions) -> None:
    assert all(len(set(q.sources)) >= 2 for q in questions if q.type == "multi")


def test_traditional_questions_are_answered_only_by_the_traditional_report(questions) -> None:
    assert all(q.sources == (TRADITIONAL_REPORT,) for q in questions if q.type == "traditional")


def test_unanswerable_topics_are_absent_from_every_report(questions, raw_texts) -> None:
    """Each unanswerable question names (in ``absent``) its topic terms; none may occur in the corpus."""
    absent = {}
    for line in QUESTIONS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            absent[obj["id"]] = obj.get("absent", [])
    corpus = [match_key(t) for t in raw_texts.values()]
    for q in questions:
        if q.type != "unanswerable":
            continue
        assert not q.answerable
        assert (q.expected, q.facts, q.sources) == ((), (), ())
        assert absent[q.id], f"{q.id}: list the absent topic terms"
        assert any(match_key(t) in match_key(q.question) for t in absent[q.id]), (
            f"{q.id}: terms not in question"
        )
        for term in absent[q.id]:
            assert not any(match_key(term) in text for text in corpus), f"{q.id}: {term} occurs in the corpus"


def test_unit_questions_name_their_unit_and_the_set_has_unit_section_and_no_plan_questions(questions) -> None:
    """Unit consistency needs unit-naming questions; a plan question for 001 (no plan part) is unanswerable."""
    with_unit = [q for q in questions if q.unit]
    assert len(with_unit) >= 4
    assert all(q.unit in q.question for q in with_unit)
    assert {q.unit for q in with_unit} >= {"义乌", "清远"}
    assert any(q.type == "unanswerable" and "下半年" in q.question for q in questions)
