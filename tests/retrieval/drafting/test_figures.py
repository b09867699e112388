"""Targets copied from old plans become placeholders the writer fills in."""

from __future__ import annotations

import pytest

from retrieval.drafting.figures import placeholder_figures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("确保年内为全市60%的居民建立健康档案", "确保年内为全市××%的居民建立健康档案"),
        ("为1.9万名农村妇女免费进行检查", "为××万名农村妇女免费进行检查"),
        ("2013年完成3所卫生院改扩建", "××年完成××所卫生院改扩建"),
        ("每周选取1-2个直报单位", "每周选取××个直报单位"),
        ("加强人感染H7N9禽流感防控", "加强人感染H7N9禽流感防控"),
    ],
)
def test_placeholder_figures(text: str, expected: str) -> None:
    assert placeholder_figures(text) == expected
