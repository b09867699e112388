"""Figures a generated paragraph cannot back up are marked 【待核实】, in place, and listed."""

from __future__ import annotations

import pytest

from retrieval.drafting.flags import CHECK_MARK, check_figures, number_in
from tests.fakes.searcher import corpus_paragraph

# Report 000 (Traditional): 培訓醫護人員100餘名,培訓鄉醫、學校教師等1200餘名 …《告家長一封信》26萬份
HFMD = corpus_paragraph("000", "(七)加強了手足口病")


def test_figures_found_in_the_cited_traditional_passage_stand() -> None:
    text = "1.培训医护人员100余名、乡医和教师1200余名，印发《告家长一封信》26万份[1]。"
    assert check_figures(text, [HFMD], refs="[1]") == (text, [])


def test_invented_figures_are_marked_where_they_stand_and_listed() -> None:
    text = "2.培训医护人员500名，知晓率达98.5%[1]。"
    marked, flags = check_figures(text, [HFMD], refs="[1]")
    assert marked == f"2.培训医护人员500名{CHECK_MARK}，知晓率达98.5%{CHECK_MARK}[1]。"
    assert [(f.text, f.reason) for f in flags] == [
        ("培训医护人员500名", "数字未见于所引资料[1]"),
        ("知晓率达98.5%", "数字未见于所引资料[1]"),
    ]


def test_a_figure_with_no_cited_passage_is_flagged_but_the_requested_year_is_not() -> None:
    marked, flags = check_figures(
        "为做好2024年下半年工作，6月30日前完成部署", [], allowed=["2024年下半年传染病防控工作计划"]
    )
    assert marked == f"为做好2024年下半年工作，6月30日{CHECK_MARK}前完成部署"
    assert [f.text for f in flags] == ["6月30日前完成部署"]
    assert "未注明出处" in flags[0].reason


def test_markers_codes_placeholders_and_point_numbers_are_not_figures() -> None:
    text = "3.加强人感染H7N9禽流感防控，××年完成××项任务[12]。"
    assert check_figures(text, []) == (text, [])


@pytest.mark.parametrize(
    ("number", "text", "found"),
    [
        ("100", "培训100余名", True),
        ("100", "培训1000名", False),
        ("1.9", "为1.9万名", True),
        ("1", "为1.9万名", False),
    ],
)
def test_whole_numbers_only(number: str, text: str, found: bool) -> None:
    assert number_in(number, text) is found
