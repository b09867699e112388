"""Figures compared as numbers on normalised text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from retrieval.text.figures import figure_values, unsupported_figures


@pytest.mark.parametrize(
    ("claim", "passage"),
    [
        ("投入资金1.6亿元[1]。", "共投入资金16000万元。"),
        ("接种九十九万剂次[1]。", "接种990000剂次。"),
        ("培训医护人员１００余名[1]。", "培訓醫護人員100餘名。"),
        ("印发告家长一封信26万份[1]。", "共印發《告家長一封信》26萬份。"),
        ("婚检率96.86%[1]。", "婚检率96.86%，疾病检出432人。"),
        ("截至2023年5月10日签约13.7189万人[1]。", "截止2023年5月10日,全县有偿签约服务13.7189万人。"),
        ("召开三千人大会[1]。", "参会3000人。"),
    ],
)
def test_a_figure_written_differently_is_still_supported(claim: str, passage: str) -> None:
    assert unsupported_figures(claim, [passage]) == []


@pytest.mark.parametrize(
    ("claim", "passage"),
    [
        ("上半年全县共接种新冠疫苗九十九万剂次[1]。", "培訓醫護人員100餘名。"),
        ("培训医护人员1000余名[1]。", "培訓醫護人員100餘名。"),
        ("婚检率96.8%[1]。", "婚检率96.86%。"),
        ("投入资金1.6亿元[1]。", "共投入资金1.6万元。"),
    ],
)
def test_a_figure_the_passage_lacks_is_unsupported(claim: str, passage: str) -> None:
    assert unsupported_figures(claim, [passage])


def test_markers_enumerators_and_words_with_numerals_are_not_figures() -> None:
    assert figure_values("一是统一部署，第一责任人[12]。") == []
    assert unsupported_figures("3.加强培训[2]。", ["加强培训。"]) == []
    assert figure_values("九十九万") == [Decimal(990000)]
