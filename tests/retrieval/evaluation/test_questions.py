"""The question file: a valid file loads; every bad line is reported with its line number."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from retrieval.evaluation import QuestionFileError, load_questions

if TYPE_CHECKING:
    from pathlib import Path


def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps(
    {
        "id": "q1",
        "question": "建了多少健康档案",
        "type": "traditional",
        "answerable": True,
        "expected": ["居民健康檔案11.35萬份"],
        "facts": ["11.35萬份"],
        "sources": ["000.txt"],
    },
    ensure_ascii=False,
)


def test_load_questions_reads_a_valid_file(tmp_path: Path) -> None:
    qs = load_questions(write_lines(tmp_path, GOOD, ""))
    assert [(q.id, q.type, q.expected) for q in qs] == [("q1", "traditional", ("居民健康檔案11.35萬份",))]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "q2", "question": ', "q.jsonl:2: JSON 格式错误"),
        (
            '{"id": "q2", "question": "x", "type": "figure", "answerable": true, "facts": [], "sources": []}',
            "缺少字段 expected",
        ),
        (GOOD.replace('"traditional"', '"guess"').replace("q1", "q2"), "未知题型 'guess'"),
        (GOOD.replace("q1", "q2").replace('"answerable": true', '"answerable": false'), "answerable 与题型"),
        (GOOD, "重复的 id q1"),
    ],
)
def test_bad_lines_are_reported_with_their_line_number(tmp_path: Path, line: str, message: str) -> None:
    path = write_lines(tmp_path, GOOD, line)
    with pytest.raises(QuestionFileError, match=r"q\.jsonl:2") as exc:
        load_questions(path)
    assert message in str(exc.value)


def test_unanswerable_question_with_expected_text_is_rejected(tmp_path: Path) -> None:
    line = GOOD.replace('"traditional"', '"unanswerable"').replace(
        '"answerable": true', '"answerable": false'
    )
    with pytest.raises(QuestionFileError, match=r"q\.jsonl:1: 无法回答的问题 expected 和 facts 应为空"):
        load_questions(write_lines(tmp_path, line))


def test_unit_is_optional_and_must_be_text() -> None:
    from retrieval.evaluation import QuestionFileError, parse_question

    line = {"id": "x", "question": "义乌报告多少例", "type": "figure", "answerable": True,
            "expected": ["报告乙丙类传染病"], "facts": [], "sources": ["a.txt"]}  # fmt: skip
    assert parse_question(line, "f:1").unit == ""
    assert parse_question({**line, "unit": "义乌"}, "f:1").unit == "义乌"
    with pytest.raises(QuestionFileError, match="unit"):
        parse_question({**line, "unit": 1}, "f:1")
