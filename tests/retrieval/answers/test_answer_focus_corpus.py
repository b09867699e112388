"""The issue's failing examples on the real corpus: right unit, right section, no preamble, honest states."""

from __future__ import annotations

import pytest

from retrieval.answers.service import AnswerService

pytestmark = pytest.mark.slow

YIWU_REPORT = "004_8b78f9333fa4b92f.txt"
COUNTY_REPORT = "001_4e7b4439fa0c07a9.txt"
TRADITIONAL_REPORT = "000_fb7231d1c4689332.txt"


@pytest.fixture(scope="module")
def answers(corpus_services) -> AnswerService:
    return AnswerService(corpus_services.searcher, None, top_k=5)


def test_a_question_naming_one_city_gets_that_citys_figures_only(answers: AnswerService) -> None:
    result = answers.answer("义乌上半年报告乙丙类传染病多少例")
    assert result.state == "found"
    assert "2988例" in result.text
    assert {c.source for c in result.citations} == {YIWU_REPORT}
    assert "清远" not in result.text
    assert not [c for c in result.citations if "清远" in c.text]  # nothing from 清远's article


def test_a_section_question_is_answered_from_its_section(answers: AnswerService) -> None:
    result = answers.answer("2023年上半年县卫健委在党建方面做了哪些工作")
    assert result.state == "found"
    assert result.citations[0].source == COUNTY_REPORT
    assert result.citations[0].heading_path[-1] == "(一)扎实开展党的建设工作"
    assert "坚持以***新时代" not in result.text  # not the report's opening paragraph
    assert all(c.heading_path for c in result.citations)


def test_a_plan_the_report_does_not_have_is_not_presented_as_one(answers: AnswerService) -> None:
    result = answers.answer("县卫健委2023年下半年工作计划有哪些")
    assert result.state in ("partial", "not_found")
    assert not result.found
    assert "现将上半年工作开展情况和下半年工作打算汇报如下" not in result.text
    if result.state == "partial":
        assert result.text.startswith("资料中没有直接回答“县卫健委2023年下半年工作计划有哪些”的内容")
        assert result.to_json()["state"] == "partial"
        assert result.to_json()["found"] is False


def test_the_mission_example_still_answers_from_the_hfmd_section(answers: AnswerService) -> None:
    result = answers.answer("上半年手足口病防控做了什么")
    assert result.state == "found"
    first = result.citations[0]
    assert first.source == TRADITIONAL_REPORT
    assert "手足口病" in first.heading_path[-1]


def test_a_colloquial_question_the_reports_half_answer_is_partial_not_refused(answers: AnswerService) -> None:
    result = answers.answer("新生儿男女比例多少")
    assert result.state == "partial"
    assert result.text.startswith("资料中没有直接回答“新生儿男女比例多少”的内容，以下内容可能相关")
    assert result.citations


@pytest.mark.parametrize(
    "question", ["互联网医院建得咋样了", "新冠疫苗全程接种率多少", "DRG付费改革推进到哪了"]
)
def test_unanswerable_questions_stay_not_found(answers: AnswerService, question: str) -> None:
    assert answers.answer(question).state == "not_found"
