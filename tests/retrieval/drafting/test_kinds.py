"""The kind of document asked for: its name kept in the title, its parts in the order that kind requires,
never a report's preamble as a point, figures of past work said with their report (a fixed searcher over
real report paragraphs plus a plan with 总体要求/工作目标/保障措施 sections, which the corpus lacks)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from retrieval.drafting import DraftService, parse_draft_request
from retrieval.drafting.outline import heading_level
from retrieval.types import ChunkRecord
from tests.fakes.searcher import FakeSearcher, corpus_chunk

if TYPE_CHECKING:
    from retrieval.drafting.types import Draft

PLAN_DOC = "某区卫生健康局下半年传染病防控工作方案"


def plan_chunk(ordinal: int, heading: tuple[str, ...], text: str) -> ChunkRecord:
    """A passage of a plan written as such plans are (总体要求 → 工作目标 → 重点任务 → 保障措施)."""
    return ChunkRecord(
        chunk_id=f"plan-{ordinal:04d}", doc_id="plan", text=text, source="plan.txt", doc_title=PLAN_DOC,
        article_title=PLAN_DOC, heading_path=heading, kind="plan", period="下半年", ordinal=ordinal,
        unit="某区卫生健康局",
    )  # fmt: skip


CHUNKS = [
    # listed in the reverse of the order a plan has: the outline must reorder them
    plan_chunk(
        4,
        ("四、保障措施",),
        "（一）加强组织领导。各单位要把传染病防控工作列入重要议事日程，明确责任分工，层层抓好落实。",
    ),
    corpus_chunk(
        "000", "(五)加強疾病預防控制工作", ordinal=16, heading=("三、xx年下半年工作打算",), kind="plan"
    ),
    plan_chunk(
        2,
        ("二、工作目标",),
        "传染病报告及时率、完整率保持在较高水平，杜绝传染病疫情暴发流行，手足口病等重点传染病得到有效控制。",
    ),
    plan_chunk(
        1,
        ("一、总体要求",),
        "坚持预防为主、防治结合，落实传染病防控属地责任，健全联防联控机制，提升传染病监测预警能力。",
    ),
    plan_chunk(
        0,
        ("三、下半年工作打算",),
        "为切实做好下半年传染病防控工作，结合我区实际，制定本方案。为切实做好下半年传染病防控工作。",
    ),
    # a document's opening: no heading path, never a section's content
    ChunkRecord(
        chunk_id="open-0000",
        doc_id="open",
        text="加强传染病防控工作，全年共培训医护人员777名，检查学校88所。",
        source="open.txt",
        doc_title="某县卫生局工作总结",
        article_title="某县卫生局工作总结",
        heading_path=(),
        kind="summary",
    ),
    corpus_chunk("000", "(七)加強了手足口病", ordinal=7, heading=("一、xx年上半年工作總結",), kind="summary"),
    corpus_chunk(
        "001",
        "一是强化传染病防控工作督导检查",
        ordinal=7,
        heading=("一、上半年主要工作开展情况", "(三)全面提升基本公共卫生服务能力"),
        kind="summary",
        unit="县卫健委",
        year=2023,
    ),
    corpus_chunk("002", "2.无专门传染病专科医院", ordinal=21, heading=("三、存在的问题",), kind="problems"),
]


def draft(text: str) -> Draft:
    return DraftService(FakeSearcher(CHUNKS)).draft(text)


def tops(d: Draft) -> list[str]:
    return [s.heading for s in d.sections if heading_level(s.heading) == 1]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("下半年传染病防控工作要点", "下半年传染病防控工作要点"),
        ("起草一份下半年传染病防控工作方案", "下半年传染病防控工作方案"),
        ("下半年传染病防控工作打算", "下半年传染病防控工作打算"),
        ("下半年传染病防控工作计划", "下半年传染病防控工作计划"),
        ("2023年上半年传染病防控工作总结", "2023年上半年传染病防控工作总结"),
        ("上半年工作总结及下半年工作要点", "下半年工作要点"),
        ("传染病防控", "传染病防控工作计划"),  # no name given: a plan
    ],
)
def test_the_requested_kind_is_kept_in_the_title(text: str, title: str) -> None:
    assert parse_draft_request(text).title == title


def test_a_gongzuo_yaodian_is_not_renamed_and_says_so_in_its_lead() -> None:
    d = draft("下半年传染病防控工作要点")
    assert d.title == "下半年传染病防控工作要点（素材汇编）"
    assert "工作计划" not in d.title
    assert d.sections[0].paragraphs[1].text.endswith("制定本工作要点。")


def test_a_plan_reviews_then_sets_requirements_goals_tasks_and_safeguards_in_order() -> None:
    assert tops(draft("下半年传染病防控工作计划")) == [
        "一、上半年工作回顾",
        "二、存在的主要问题",
        "三、总体要求",
        "四、工作目标",
        "五、下半年重点工作",
        "六、保障措施",
    ]


@pytest.mark.parametrize("name", ["工作要点", "工作方案"])
def test_yaodian_and_fangan_look_ahead_only(name: str) -> None:
    assert tops(draft(f"下半年传染病防控{name}")) == [
        "一、总体要求",
        "二、工作目标",
        "三、下半年重点工作",
        "四、保障措施",
    ]


def test_a_summary_reports_work_then_problems_then_next_steps() -> None:
    titles = [re.sub(r"^.、", "", h) for h in tops(draft("上半年传染病防控工作总结"))]
    assert titles == ["上半年主要工作及成效", "存在的问题", "下一步工作打算"]


def test_no_preamble_sentence_becomes_a_point_or_a_sub_section() -> None:
    for text in ("下半年传染病防控工作计划", "下半年传染病防控工作方案"):
        d = draft(text)
        body = "\n".join(s.heading + "\n" + "\n".join(p.text for p in s.paragraphs) for s in d.sections[1:])
        assert "为切实做好" not in body
        assert "制定本方案" not in body
        headings = [s.heading for s in d.sections if heading_level(s.heading) == 2]
        assert headings
        assert not [h for h in headings if "为切实做好" in h]


def test_a_documents_opening_is_never_content() -> None:
    for text in ("下半年传染病防控工作计划", "上半年传染病防控工作总结"):
        d = draft(text)
        assert "open-0000" not in {c.chunk_id for c in d.citations}
        assert "777" not in "".join(p.text for s in d.sections for p in s.paragraphs)


def test_figures_of_past_work_name_their_report() -> None:
    d = draft("下半年传染病防控工作计划")
    review = d.sections[1]
    assert review.heading == "一、上半年工作回顾"
    figured = [
        p.text for p in review.paragraphs if re.search(r"\d{2,}", re.sub(r"^\d+\.|\[\d+\]", "", p.text))
    ]
    assert len(figured) >= 2
    by_n = {c.n: c for c in d.citations}
    for text in figured:
        m = re.match(r"\d+\.据《(.+?)》(（.+?）)?，", text)
        assert m, text
        cited = [by_n[int(n)] for n in re.findall(r"\[(\d+)\]", text)]
        assert {c.title for c in cited} == {cited[0].title}  # one report's figures in one paragraph
    texts = "\n".join(figured)
    assert (
        "据《县卫健委2023年上半年工作总结和下半年工作计划》，" in texts
    )  # unit and year already in the title
    assert "据《卫生局上半年工作总结及下半年工作计划》，" in texts  # the Traditional report, in Simplified


def test_a_figure_whose_report_names_nothing_is_left_out() -> None:
    nameless = ChunkRecord(
        chunk_id="004-0001", doc_id="004", text="加强传染病防控，共检查医疗机构621家次。", source="004.txt",
        doc_title="004_8b78f9333fa4b92f", article_title="004_8b78f9333fa4b92f",
        heading_path=("一、上半年主要工作",), kind="summary",
    )  # fmt: skip
    named = ChunkRecord(
        chunk_id="004-0002", doc_id="004", text="加强传染病防控，共检查学校3978家次。", source="004.txt",
        doc_title="004_8b78f9333fa4b92f", article_title="004_8b78f9333fa4b92f",
        heading_path=("一、上半年主要工作",), kind="summary", unit="义乌市卫生局", year=2013,
    )  # fmt: skip
    d = DraftService(FakeSearcher([nameless, named, *CHUNKS])).draft("下半年传染病防控工作计划")
    text = "\n".join(p.text for s in d.sections for p in s.paragraphs)
    assert "621" not in text
    assert "据义乌市卫生局2013年的报告，加强传染病防控，共检查学校3978家次" in text
