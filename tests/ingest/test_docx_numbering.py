"""Word's automatic outline numbers survive loading, so the outline parser sees "一、" / "（一）" / "1."."""

from __future__ import annotations

from typing import TYPE_CHECKING

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from ingest.docx_numbering import chinese_number, format_number
from ingest.load import load_text
from ingest.parse import parse_document

if TYPE_CHECKING:
    from pathlib import Path

ABSTRACT = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>'
    "</w:abstractNum>"
)


def _numbered_docx(path: Path, paragraphs: list[tuple[int | None, str]]) -> Path:
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(ABSTRACT))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in paragraphs:
        paragraph = document.add_paragraph(text)
        if level is not None:
            num_pr = f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
            paragraph._p.get_or_add_pPr().insert(0, parse_xml(num_pr))
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"), (99, "九十九")],
)
def test_chinese_counting(n: int, expected: str) -> None:
    assert chinese_number(n) == expected


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [(3, "decimal", "3"), (3, "decimalEnclosedCircle", "③"), (2, "upperLetter", "B"), (4, "lowerRoman", "iv"),
     (12, "chineseLegalSimplified", "壹拾贰"), (7, "decimalZero", "07")],
)  # fmt: skip
def test_format_number(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected


def test_automatic_numbers_are_rendered_and_nest(tmp_path: Path) -> None:
    path = _numbered_docx(
        tmp_path / "plan.docx",
        [
            (None, "示例县2024年下半年工作计划"),
            (0, "工作目标"),
            (None, "全年签约率达到80%。"),
            (0, "重点任务"),
            (1, "加强传染病监测预警"),
            (2, "落实网络直报制度。每周核查一次。"),
            (2, "开展哨点监测。每周采样20份。"),
            (3, "要点一"),
            (1, "做好学校防控"),
            (2, "开学前专项检查。覆盖全部学校。"),
        ],
    )
    assert load_text(path).splitlines() == [
        "示例县2024年下半年工作计划",
        "一、工作目标",
        "全年签约率达到80%。",
        "二、重点任务",
        "（一）加强传染病监测预警",
        "1.落实网络直报制度。每周核查一次。",
        "2.开展哨点监测。每周采样20份。",
        "要点一",
        "（二）做好学校防控",
        "1.开学前专项检查。覆盖全部学校。",
    ]
    doc = parse_document(load_text(path), source="plan.docx", doc_id="p", doc_hash="h", fallback_title="x")
    assert ("二、重点任务", "（二）做好学校防控", "1.开学前专项检查") in {c.heading_path for c in doc.chunks}


def test_documents_without_numbering_are_unchanged(tmp_path: Path) -> None:
    path = _numbered_docx(tmp_path / "plain.docx", [(None, "一、手写的编号"), (None, "正文。")])
    assert load_text(path) == "一、手写的编号\n正文。"
