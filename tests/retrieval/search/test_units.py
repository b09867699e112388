"""Units read from names at any level and of any kind, found in questions in full or short form."""

from __future__ import annotations

import pytest

from retrieval.search.unit_names import parse_unit
from retrieval.search.units import Gazetteer, unknown_units

UNITS = Gazetteer.from_labels(
    [
        ("梧桐县疾病预防控制中心", "", ""),
        ("江澜市卫生健康委员会", "", ""),
        ("广西壮族自治区卫生健康委员会", "", ""),
        ("", "宁溪区人民医院2024年工作总结", "宁溪区人民医院2024年工作总结"),
        ("县卫健委", "县卫健委2023年上半年工作总结", ""),  # a level with no place names no unit
    ]
)


@pytest.mark.parametrize(
    ("name", "places", "kind"),
    [
        ("梧桐县疾病预防控制中心", (("梧桐", "县"),), "疾病预防控制中心"),
        ("江澜市卫健委", (("江澜", "市"),), "卫生健康委员会"),
        ("广东省广州市卫生健康委员会", (("广东", "省"), ("广州", "市")), "卫生健康委员会"),
        ("广西壮族自治区卫生健康委员会", (("广西", "自治区"),), "卫生健康委员会"),
        ("黔东南苗族侗族自治州人民医院", (("黔东南", "自治州"),), "人民医院"),
        ("廣東省衛生健康委員會", (("广东", "省"),), "卫生健康委员会"),
    ],
)
def test_a_unit_name_reads_as_places_and_a_kind(name: str, places: tuple, kind: str) -> None:
    unit = parse_unit(name)
    assert unit is not None
    assert (unit.places, unit.kind) == (places, kind)


def test_a_title_names_a_unit_only_with_its_kind() -> None:
    assert parse_unit("江澜市2025年卫生健康工作要点", need_kind=True) is None
    assert parse_unit("关于印发全市卫生健康工作要点的通知", need_kind=True) is None
    assert parse_unit("县卫健委") is None


@pytest.mark.parametrize(
    ("question", "label", "unit"),
    [
        ("梧桐县疾控下半年工作计划", "梧桐县疾控", "梧桐县疾病预防控制中心"),
        ("梧桐疾控中心下半年工作计划", "梧桐疾控中心", "梧桐县疾病预防控制中心"),
        ("梧桐县疾病预防控制中心下半年工作计划", "梧桐县疾病预防控制中心", "梧桐县疾病预防控制中心"),
        ("江澜卫健委今年的目标", "江澜卫健委", "江澜市卫生健康委员会"),
        ("江澜市卫生局今年的目标", "江澜市卫生局", "江澜市卫生健康委员会"),  # the bureau's older name
        ("广西今年的目标", "广西", "广西壮族自治区卫生健康委员会"),
        ("宁溪区医院门诊量", "宁溪区医院", "宁溪区人民医院"),
    ],
)
def test_a_question_names_a_known_unit_in_full_or_short_form(question: str, label: str, unit: str) -> None:
    named, unknown = UNITS.named(question)
    assert [(n.label, [u.name for u in n.units]) for n in named] == [(label, [unit])]
    assert unknown == ()


@pytest.mark.parametrize(
    ("question", "unknown"),
    [
        ("梧桐市今年的目标", ("梧桐市",)),  # the place is known, at another level
        ("请问松原县的疫苗接种率是多少", ("松原县",)),
        ("广东今年的目标", ("广东",)),
        ("某某市疾控中心下半年工作计划", ("某某市疾控中心",)),
        ("贫困人口医保缴费县财政补了多少钱", ()),  # ordinary words before 县
        ("进出县城的路口设了几个检测点", ()),
        ("创建国家卫生县城和示范区建设", ()),
        ("全县家庭医生签约率", ()),
        ("基层疾控能力建设", ()),
        ("县卫健委上半年党建工作", ()),
    ],
)
def test_a_question_naming_a_unit_the_knowledge_base_lacks_is_told_apart(
    question: str, unknown: tuple[str, ...]
) -> None:
    named, unknown_known_place = UNITS.named(question)
    found = unknown_known_place if unknown_known_place else unknown_units(question, UNITS)
    assert not named
    assert found == unknown


def test_a_place_the_knowledge_base_mentions_is_not_an_unknown_unit() -> None:
    mentioned = Gazetteer(UNITS.units, mentioned=lambda word: word in {"南岗", "四川"})
    assert unknown_units("南岗镇卫生院新院下一步要干啥", mentioned) == ()
    assert unknown_units("对口支援四川派了多少人", mentioned) == ()
    assert unknown_units("对口支援四川派了多少人", UNITS) == ("四川",)


def test_an_institution_of_a_known_place_is_answered_from_the_places_units_with_its_kind_left_in_the_topic() -> (
    None
):
    named, unknown = UNITS.named("梧桐县人民医院门诊量多少")
    assert unknown == ()
    [unit] = named
    assert (
        unit.label == "梧桐县"
    )  # only the place is blanked from the topic: 人民医院 must still be in a passage
    assert unit.span == (0, 3)
    assert unit.units
    assert all(u.core == "梧桐" for u in unit.units)
