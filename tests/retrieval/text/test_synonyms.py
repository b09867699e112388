from __future__ import annotations

from retrieval.text.synonyms import expansions, glossary


def test_colloquial_terms_expand_to_official_ones() -> None:
    assert expansions("小诊所能看发烧吗") == ["个体诊所", "发热"]


def test_terms_already_in_the_question_are_not_repeated() -> None:
    assert "婚前医学检查" not in expansions("婚检也就是婚前医学检查做了多少")


def test_glossary_has_no_empty_entries() -> None:
    assert glossary()
    assert all(key and values for key, values in glossary().items())


def test_official_short_forms_expand_both_ways() -> None:
    assert "疾病预防控制" in expansions("梧桐县疾控下半年工作计划")
    assert "疾控中心" in expansions("疾病预防控制中心下半年工作计划")
    assert "卫生健康委员会" in expansions("江澜市卫健委")
    assert "家庭医生" in expansions("家医签约")
    assert "家医" in expansions("家庭医生签约")
