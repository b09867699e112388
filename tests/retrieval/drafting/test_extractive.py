"""The 素材汇编 (no LLM) on the real corpus: outline numbering, every point cited, placeholders, label."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from retrieval.drafting import DraftService, NoDraftMaterialError
from retrieval.drafting.outline import chinese_numeral, draft_text, heading_level
from tests.conftest import TRADITIONAL_REPORT

if TYPE_CHECKING:
    from retrieval.drafting.types import Draft

_MARKERS = re.compile(r"\[(\d+)\]")


@pytest.fixture(scope="module")
def plan(corpus_services) -> Draft:
    return DraftService(corpus_services.searcher).draft("下半年传染病防控工作计划")


def _body(draft: Draft) -> list[tuple[str, str]]:
    """(heading, paragraph text) of every paragraph under a numbered heading."""
    return [(s.heading, p.text) for s in draft.sections if s.heading for p in s.paragraphs]


def test_plan_outline_is_numbered_in_official_style(plan: Draft) -> None:
    headings = [s.heading for s in plan.sections if s.heading]
    tops = [h for h in headings if heading_level(h) == 1]
    assert tops == ["一、上半年工作回顾", "二、存在的主要问题", "三、下半年重点工作"]
    subs = headings[headings.index("三、下半年重点工作") + 1 :]
    assert len(subs) >= 2
    assert [h.split("）")[0] for h in subs] == [f"（{chinese_numeral(i)}" for i in range(1, len(subs) + 1)]
    for section in plan.sections:
        if section.heading:
            numbers = [int(m.group(1)) for p in section.paragraphs if (m := re.match(r"(\d+)\.", p.text))]
            assert numbers == list(range(1, len(section.paragraphs) + 1)), section.heading


def test_every_point_is_cited_and_citations_are_numbered_by_first_use(plan: Draft) -> None:
    seen: list[int] = []
    for section in plan.sections:
        for paragraph in section.paragraphs:
            markers = [int(n) for n in _MARKERS.findall(paragraph.text)]
            assert markers == paragraph.citations
            if section.heading:
                assert markers, paragraph.text
                assert re.search(r"(\[\d+\])+。$", paragraph.text), paragraph.text  # marker before 。
            seen += [n for n in markers if n not in seen]
    assert seen == list(range(1, len(plan.citations) + 1))
    assert [c.n for c in plan.citations] == seen


def test_each_point_is_the_wording_of_its_cited_passage(plan: Draft) -> None:
    by_n = {c.n: draft_text(c.text) for c in plan.citations}
    for _, text in _body(plan):
        words = re.sub(r"^\d+\.(据[^，]+，)?|(\[\d+\])+。$", "", text)  # without "据《…》，"
        longest = max(re.split(r"××|[，。；]", words), key=len)  # a clause without placeholders
        assert len(longest) >= 4, text
        assert any(longest in by_n[n] for n in map(int, _MARKERS.findall(text))), text


def test_it_says_it_is_a_compilation_with_placeholders(plan: Draft) -> None:
    assert plan.mode == "extractive"
    assert plan.title == "下半年传染病防控工作计划（素材汇编）"
    lead = [p.text for p in plan.sections[0].paragraphs]
    assert lead[0].startswith("【素材汇编】")
    assert "××年下半年传染病防控工作" in lead[1]
    assert plan.flags == []


def test_sources_include_several_reports_and_the_traditional_one(plan: Draft) -> None:
    sources = {c.source for c in plan.citations}
    assert len(sources) >= 3
    assert TRADITIONAL_REPORT in sources
    traditional = next(c for c in plan.citations if c.source == TRADITIONAL_REPORT)
    assert "衛生" in traditional.title  # citations show the passage as stored (Traditional stays Traditional)


def test_summary_draft_has_work_first_and_next_steps_last(corpus_services) -> None:
    draft = DraftService(corpus_services.searcher).draft("2024年上半年手足口病防控工作总结")
    tops = [s.heading for s in draft.sections if heading_level(s.heading) == 1]
    assert tops[0] == "一、上半年主要工作及成效"
    assert tops[-1].endswith("下一步工作打算")
    assert "2024年上半年" in draft.sections[0].paragraphs[1].text  # the stated year, no placeholder
    assert any("手足口病" in text for _, text in _body(draft))


def test_paragraph_request_gives_one_cited_paragraph(corpus_services) -> None:
    draft = DraftService(corpus_services.searcher).draft("写一段家庭医生签约服务的段落")
    body = [s for s in draft.sections[1:]]
    assert len(body) == 1
    assert body[0].heading == ""
    assert len(body[0].paragraphs) == 1
    paragraph = body[0].paragraphs[0]
    assert "签约" in paragraph.text
    assert len(paragraph.citations) >= 2


def test_nothing_on_the_topic_is_said_plainly(corpus_services) -> None:
    with pytest.raises(NoDraftMaterialError, match="资料中未找到与“无人机巡检”相关的内容"):
        DraftService(corpus_services.searcher).draft("无人机巡检工作计划")
