"""The question file (``eval/questions.jsonl``): one JSON object per line, validated line by line.

Each line::

    {"id": "q001", "question": "...", "type": "figure", "answerable": true,
     "expected": ["exact substring of the source", ...], "facts": ["11.35万份", ...],
     "sources": ["000_fb7231d1c4689332.txt"]}

Optional: ``"unit": "义乌"``, the unit (place name without 市/县) a question names, for unit consistency;
when absent, the runner takes the first place of the knowledge base's units the question names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrieval.errors import ReportbotError

QUESTION_TYPES = ("figure", "done", "plan", "multi", "traditional", "paraphrase", "unanswerable")


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
    unit: str = ""


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
    if not isinstance(obj.get("unit", ""), str):
        msg = f"{where}: 字段 unit 类型应为 str"
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
        unit=obj.get("unit", "").strip(),
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
