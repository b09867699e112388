"""Key-term coverage decides "not found": real report passages, Simplified questions."""

from __future__ import annotations

import pytest

from retrieval.search.coverage import PRESENT, check_coverage, key_terms, term_score
from retrieval.types import Passage
from tests.fakes.searcher import corpus_chunk, real_chunks

CHUNKS = real_chunks()


def passages(*names: str) -> list[Passage]:
    return [Passage(CHUNKS[n], 1.0 / (i + 1)) for i, n in enumerate(names)]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("艾滋病防治工作做了什么？", ["艾滋病", "防治"]),
        ("新冠疫苗加强针接种率是多少", ["加强针", "接种率", "新冠", "疫苗"]),  # 加强 + 针 glued back together
        ("医保DRG改革进展如何", ["drg", "医保", "改革"]),
        ("那食品安全方面呢", ["食品安全"]),  # 那 / 方面 / 呢 are question words
        ("家庭医生签约服务情况", ["签约服务", "家庭医生"]),  # 家庭 / 医生 / 签约 folded into longer words
        ("居民健康档案建了多少份", ["居民健康档案"]),  # 建了 / 多少 / 份 dropped
        ("建了多少个村卫生室", ["村卫生室"]),
        ("衛生局手足口病防控做了哪些工作", ["手足口病", "防控"]),  # Traditional question
        ("基本公共卫生服务项目进展如何", ["基本公共卫生服务"]),
        ("下半年有什么打算", []),
        ("存在哪些问题", []),
    ],
)
def test_key_terms_keep_only_distinctive_words(question: str, expected: list[str]) -> None:
    assert [t.term for t in key_terms(question)] == expected


def test_longer_rarer_terms_weigh_more() -> None:
    weights = {t.term: t.weight for t in key_terms("艾滋病防治工作做了什么")}
    assert weights["艾滋病"] > weights["防治"]


@pytest.mark.parametrize(
    ("question", "given", "found"),
    [
        # answerable: the distinctive terms are in a passage (000 is Traditional: 手足口病 / 傳染病)
        ("手足口病防控做了哪些工作？", ("public_health", "hfmd", "food"), True),
        ("上半年传染病防控培训了多少人", ("hfmd", "food"), True),
        ("食品安全监管有什么计划", ("food", "hfmd"), True),
        ("家庭医生签约率是多少", ("family_doctor", "screening"), True),
        ("两癌检查完成了多少例", ("screening", "family_doctor"), True),
        ("疫情防控培训举办了多少批次", ("epidemic", "hfmd"), True),
        ("居民健康档案建了多少份", ("public_health", "screening"), True),  # 檔案 in 000 matches 档案
        ("下半年有什么打算", ("food",), True),  # no key terms: nothing to hold against the passages
        # not answerable: the distinctive term is in none of the passages
        ("艾滋病防治工作做了什么？", ("hfmd", "public_health", "epidemic"), False),
        ("狂犬病疫苗接种情况", ("public_health", "hfmd", "screening"), False),
        ("新冠疫苗加强针接种率是多少", ("epidemic", "public_health", "screening"), False),
        ("医保DRG改革进展如何", ("family_doctor", "screening", "epidemic"), False),
        ("食品安全监管有什么计划", (), False),  # nothing retrieved at all
        ("下半年有什么打算", (), False),
    ],
)
def test_found_only_when_the_passages_cover_the_distinctive_terms(
    question: str, given: tuple[str, ...], found: bool
) -> None:
    assert check_coverage(question, passages(*given)).found is found


@pytest.mark.parametrize(
    ("term", "text", "present"),
    [
        ("传染病防控", "加强了手足口病等传染病的防控", True),  # every part present, not adjacent
        ("居民健康档案", "累计建立居民电子档案233884份", True),  # 健康 is generic, 居民 + 档案 carry it
        ("加强针", "加强疫苗接种", False),  # 加强 is generic: 针 is the point
        ("接种率", "做好预防接种", False),
        ("艾滋病", "结核病防治", False),
    ],
)
def test_compound_terms_get_credit_for_their_specific_parts(term: str, text: str, present: bool) -> None:
    assert (term_score(term, text) >= PRESENT) is present


def test_missing_lists_the_terms_no_passage_mentions() -> None:
    cov = check_coverage("医保DRG改革进展如何", passages("family_doctor", "screening"))
    assert "drg" in cov.missing
    assert cov.best_share < 0.5


def test_followup_without_terms_is_checked_with_the_contextualised_query() -> None:
    given = passages("hfmd", "public_health")
    assert check_coverage("那下半年呢", given, fallback_question="下半年手足口病防控做了哪些工作").found
    assert not check_coverage("那下半年呢", given, fallback_question="下半年艾滋病防治做了哪些工作").found


def test_terms_written_together_must_occur_together() -> None:
    """新冠 (one report) and 疫苗 (another) each occur, but no passage talks about 新冠疫苗."""
    covid = corpus_chunk("001", "新冠哨点监测", ordinal=1)
    flu = corpus_chunk("002", "重点人群流感疫苗接种", ordinal=2)
    given = [Passage(covid, 1.0), Passage(flu, 0.5)]
    cov = check_coverage("新冠疫苗接种情况", given)
    assert cov.missing == ()
    assert cov.split == ("新冠", "疫苗")
    assert not cov.found
    assert check_coverage("流感疫苗接种了多少人份", given).found


def test_official_wording_of_a_colloquial_term_counts_as_covered() -> None:
    from retrieval.search.coverage import term_score

    assert term_score("男女比例", "全县出生人口性别比为108") == 1.0
    assert term_score("公卫", "基本公共卫生服务项目") == 1.0
    assert term_score("男女比例", "全县新增病床120张") < 0.6


def test_question_words_are_never_the_topic() -> None:
    from retrieval.search.coverage import has_content

    assert [t.term for t in key_terms("家庭医生最多能签约多少人")] == ["家庭医生", "签约"]
    terms = [t.term for t in key_terms("哪几个乡镇开展了两癌筛查")]
    assert "两癌" in terms
    assert not {"哪几个", "哪几", "几个"} & set(terms)
    # how many + any measure (岁, 户, 人次) asks for a figure, it is not what the figure is about
    assert [t.term for t in key_terms("人均预期寿命多少岁")] == ["寿命", "人均", "预期"]
    assert [t.term for t in key_terms("改厕多少户")] == ["改厕"]
    assert not any(has_content(q) for q in ("？？", "的", "😀" * 5000, "多少", "哪几个", "最多能", "怎么样"))
    assert all(has_content(q) for q in ("下半年有什么打算", "义乌", "最多能报销多少钱"))
