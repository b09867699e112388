"""Units from the knowledge base itself, end to end: documents of several units (province, city, county,
district; 卫健委, 疾控中心, 医院) and years, ingested for real (Chroma in a tmp dir, the bundled embedder).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ingest.service import IngestService
from retrieval.answers.service import AnswerService
from retrieval.drafting import DraftService
from retrieval.search.gazetteer import FILE_NAME
from tests.retrieval.helpers import make_searcher

if TYPE_CHECKING:
    from pathlib import Path

    from retrieval.answers.types import Answer

DOCUMENTS = {
    "jianglan_2025.txt": """江澜市卫生健康委员会2025年卫生健康工作要点
一、强化基层卫生服务
（一）家庭医生签约服务。2025年全市家庭医生签约服务覆盖率达到55%以上，重点人群签约率达到80%。
（二）基层能力提升。新建标准化村卫生室30所，培训乡村医生600人次。
二、加强疾病预防控制
（一）艾滋病防控。全年完成艾滋病检测12.5万人次，检测覆盖率稳步提高。
（二）免疫规划。适龄儿童免疫规划疫苗接种率保持在95%以上。
""",
    "jianglan_2022.txt": """江澜市卫生健康委员会2022年卫生健康工作要点
一、强化基层卫生服务
（一）家庭医生签约服务。2022年全市家庭医生签约服务覆盖率达到40%，重点人群签约率达到60%。
二、加强疾病预防控制
（一）艾滋病防控。全年完成艾滋病检测8.1万人次。
""",
    "jianglan_2024.txt": """江澜市卫生健康委员会2024年工作总结
一、2024年工作完成情况
（一）项目建设。今年以来，市卫生健康委员会坚持以项目建设为抓手，围绕补短板、强弱项、提能力的思路，积极谋划和推进各类卫生健康基础设施建设，先后多次召开专题会议研究部署，加强与发展改革、财政等部门的沟通衔接，全年争取上级项目资金412个，总投资1.27亿元，其中中央预算内资金0.52亿元。
（二）健康教育。开展健康素养进万家活动，全市居民健康素养水平达到28.6%。
""",
    "wutong_cdc.txt": """梧桐县疾病预防控制中心2025年上半年工作总结和下半年工作计划
一、上半年工作情况
（一）传染病防控。上半年报告法定传染病1260例，报告及时率100%。
（二）艾滋病防控。完成艾滋病检测3.2万人次，新发现感染者15例。
二、下半年工作计划
（一）加强传染病监测。下半年开展登革热媒介监测24次，新建哨点医院2家。
（二）推进实验室建设。完成PCR实验室改造，新增检测项目5项。
""",
    "haichuan.txt": """海川省卫生健康委员会2023年工作要点
一、深化医药卫生体制改革
（一）公立医院改革。全省三级公立医院全部实行DRG付费，二级公立医院覆盖率达到70%。
二、提升公共卫生服务能力
（一）基本公共卫生服务。人均基本公共卫生服务经费补助标准提高到89元。
""",
    "ningxi_hospital.txt": """宁溪区人民医院2024年工作总结
一、医疗服务
（一）门诊服务。全年完成门急诊服务42.6万人次，出院病人1.8万人次。
（二）学科建设。新增省级临床重点专科2个，开展新技术新项目18项。
二、2025年工作打算
（一）提升服务能力。2025年力争门急诊服务达到45万人次，建成胸痛中心。
""",
}


class KB:
    """The ingested documents with their searcher, answer and draft services."""

    def __init__(self, root: Path) -> None:
        docs = root / "docs"
        docs.mkdir()
        for name, text in DOCUMENTS.items():
            (docs / name).write_text(text, encoding="utf-8")
        self.docs = docs
        self.store, self.lexical, self.searcher = make_searcher(root / "data")
        self.ingest = IngestService(self.store, self.lexical)
        self.ingest.ingest([docs])
        self.answers = AnswerService(self.searcher)
        self.drafts = DraftService(self.searcher)


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KB:
    return KB(tmp_path_factory.mktemp("units-kb"))


def titles(answer: Answer) -> list[str]:
    return [c.title for c in answer.citations]


@pytest.mark.parametrize(
    ("question", "unit", "figure"),
    [
        ("江澜艾滋病检测多少人次", "江澜市", "12.5万"),
        ("梧桐县疾控艾滋病检测多少人次", "梧桐县疾病预防控制中心", "3.2万"),
        ("海川DRG付费覆盖率多少", "海川省", "70%"),
        ("宁溪区人民医院门急诊服务多少人次", "宁溪区人民医院", "42.6万"),
    ],
)
def test_a_question_naming_a_unit_cites_only_that_units_documents(
    kb: KB, question: str, unit: str, figure: str
) -> None:
    answer = kb.answers.answer(question)
    assert answer.state == "found"
    assert titles(answer)
    assert all(t.startswith(unit) for t in titles(answer)), titles(answer)
    assert figure in answer.text


def test_search_ranks_the_named_units_passages_first(kb: KB) -> None:
    """Two units report 艾滋病检测: the one named comes first in search, not only in the answer step."""
    for question, unit in [
        ("梧桐县疾控艾滋病检测多少人次", "梧桐县"),
        ("江澜市艾滋病检测多少人次", "江澜市"),
    ]:
        top = kb.searcher.search(question, k=2)
        assert top[0].chunk.doc_title.startswith(unit)


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("松原县的疫苗接种率是多少", "松原县"),
        ("广西今年卫生健康工作的目标是什么", "广西"),
        ("某某市疾控中心下半年工作计划", "某某市疾控中心"),
    ],
)
def test_a_question_naming_a_unit_the_knowledge_base_lacks_says_so(kb: KB, question: str, unit: str) -> None:
    answer = kb.answers.answer(question)
    assert answer.state == "not_found"
    assert answer.text.startswith(f"知识库中没有“{unit}”的资料")
    assert "江澜市卫生健康委员会" in answer.text  # what the knowledge base does have
    assert answer.citations == []


def test_a_known_unit_whose_documents_do_not_cover_the_question_shows_its_own_closest_passages(
    kb: KB,
) -> None:
    answer = kb.answers.answer("宁溪区人民医院艾滋病检测多少人次")  # only 江澜 and 梧桐 report 艾滋病检测
    assert answer.state == "not_found"
    assert answer.text.startswith("宁溪区人民医院的资料中未找到")
    assert titles(answer)
    assert all(t.startswith("宁溪区人民医院") for t in titles(answer))
    assert "万人次" not in answer.text.split("\n")[0]


def test_an_institution_of_a_known_place_is_never_answered_with_another_places_figures(kb: KB) -> None:
    answer = kb.answers.answer("梧桐县人民医院门急诊服务多少人次")  # 梧桐县 reports; its hospital does not
    assert "42.6万" not in answer.text  # 宁溪区人民医院's figure
    assert all(t.startswith("梧桐县") for t in titles(answer))
    assert answer.state != "found"


def test_a_short_form_finds_what_the_full_form_finds(kb: KB) -> None:
    short = kb.searcher.search("梧桐县疾控下半年工作计划", k=2)
    full = kb.searcher.search("梧桐县疾病预防控制中心下半年工作计划", k=2)
    assert {p.chunk.chunk_id for p in short} == {p.chunk.chunk_id for p in full}
    assert all(p.chunk.kind == "plan" for p in short)
    answer = kb.answers.answer("梧桐县疾控下半年工作计划")
    assert answer.state == "found"
    assert all(t.startswith("梧桐县疾病预防控制中心") for t in titles(answer))


@pytest.mark.parametrize("question", ["？？", "的", "😀" * 5000, "多少", "哪几个", "最多能是什么"])
def test_a_question_with_no_content_word_gets_the_hint_and_nothing_else(kb: KB, question: str) -> None:
    answer = kb.answers.answer(question)
    assert answer.text.startswith("请输入具体问题")
    assert (answer.citations, answer.closest, answer.found) == ([], [], False)


def test_a_refusal_shows_each_closest_passage_cut_around_the_questions_terms(kb: KB) -> None:
    answer = kb.answers.answer("江澜上级项目资金中有多少用于无人机配送")
    assert answer.state == "not_found"
    line = next(x for x in answer.text.splitlines() if x.startswith("[") and "上级项目资金" in x)
    # the term sits ~110 characters into its passage; the figures right after it are kept
    assert "412个，总投资1.27亿元" in line
    assert "…" in line  # the start of the passage, far from the terms, is cut


def test_a_plan_question_naming_a_unit_puts_its_newest_plan_first(kb: KB) -> None:
    answer = kb.answers.answer("江澜卫健委家庭医生签约服务工作计划")
    assert answer.state == "found"
    assert titles(answer)[0].startswith("江澜市卫生健康委员会2025年")
    assert answer.text.index("55%") < answer.text.index("40%")


def test_a_draft_for_a_unit_uses_its_newest_plan_first_and_names_other_units_figures(kb: KB) -> None:
    draft = kb.drafts.draft("江澜市卫健委家庭医生签约服务工作计划")
    assert draft.citations[0].title.startswith("江澜市卫生健康委员会2025年")
    points = [p.text for section in draft.sections for p in section.paragraphs]
    # each point says which years' reports it comes from
    assert any("签约" in p and "（2025年、2022年资料）" in p for p in points)
    other = kb.drafts.draft("江澜市艾滋病防控工作计划")
    for section in other.sections:
        for paragraph in section.paragraphs:
            if "3.2万" in paragraph.text:  # 梧桐县疾控's figure in 江澜's draft: said whose it is
                assert "梧桐县疾病预防控制中心" in paragraph.text


def test_the_gazetteer_is_saved_and_rebuilt_when_the_store_changes(kb: KB, tmp_path: Path) -> None:
    assert (kb.lexical.directory / FILE_NAME).is_file()
    assert "宁溪区" not in [u.core for u in kb.searcher.gazetteer.current().units]  # cores have no level
    assert "云杉" not in kb.searcher.gazetteer.current().cores
    extra = tmp_path / "yunshan.txt"
    extra.write_text(
        "云杉县卫生健康局2025年工作要点\n一、疾病预防控制\n（一）结核病防控。全年筛查肺结核可疑症状者5000人。\n",
        encoding="utf-8",
    )
    kb.ingest.ingest([extra])
    try:
        assert "云杉" in kb.searcher.gazetteer.current().cores
        answer = kb.answers.answer("云杉县结核病筛查多少人")
        assert all(t.startswith("云杉县") for t in titles(answer))
        assert "5000" in answer.text
    finally:
        kb.ingest.delete("yunshan.txt")


def test_a_saved_gazetteer_is_loaded_not_rebuilt_while_the_store_is_unchanged(kb: KB) -> None:
    from retrieval.search.gazetteer import UnitGazetteer

    kb.searcher.gazetteer.current()
    fresh = UnitGazetteer(kb.store, kb.lexical.directory, check_every=0)
    assert "梧桐" in fresh.current().cores
    assert fresh.builds == 0  # read from units.json, no pass over the store
