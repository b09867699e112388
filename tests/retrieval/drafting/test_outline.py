"""Official outline numbering and the clean-up report text needs before it goes into a draft."""

from __future__ import annotations

import pytest

from retrieval.drafting.outline import (
    chinese_numeral,
    draft_text,
    heading_level,
    point_prefix,
    strip_numbering,
    sub_heading,
    top_heading,
)


@pytest.mark.parametrize(
    ("n", "numeral"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (35, "三十五")]
)
def test_chinese_numerals(n: int, numeral: str) -> None:
    assert chinese_numeral(n) == numeral


def test_three_outline_levels() -> None:
    assert top_heading(3, "下半年重点工作") == "三、下半年重点工作"
    assert sub_heading(11, "加强疾病预防控制工作") == "（十一）加强疾病预防控制工作"
    assert point_prefix(2) == "2."
    assert [heading_level(h) for h in ["", "三、下半年重点工作", "（十一）加强监测", "2.加强宣传"]] == [
        0,
        1,
        2,
        3,
    ]


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        ("(五)加強疾病預防控制工作", "加強疾病預防控制工作"),
        ("（一）1、完善监测", "完善监测"),
        ("8、加强卫生应急", "加强卫生应急"),
        ("一是强化督导检查", "强化督导检查"),
        ("三、下半年工作打算", "下半年工作打算"),
        ("1.5万人次接受健康教育", "1.5万人次接受健康教育"),  # a decimal is not numbering
    ],
)
def test_strip_numbering(text: str, stripped: str) -> None:
    assert strip_numbering(text) == stripped


def test_draft_text_is_simplified_with_chinese_punctuation_and_placeholders() -> None:
    source = (
        "組織人員對散發的手足口病病例開展流行病學調查,對發病2例以上的村莊、社群等進行重點布控;召開了xx年會議"
    )
    assert draft_text(source) == (
        "组织人员对散发的手足口病病例开展流行病学调查，对发病2例以上的村庄、社区等进行重点布控；召开了××年会议"
    )
    assert draft_text("H7N9禽流感(含輸入病例)") == "H7N9禽流感（含输入病例）"
