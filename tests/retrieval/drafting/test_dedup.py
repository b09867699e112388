"""Near-identical points from different reports (or two articles of one file) appear once."""

from __future__ import annotations

from retrieval.drafting.dedup import bigrams, dedupe, group_duplicates, is_near_duplicate, jaccard
from tests.fakes.searcher import corpus_paragraph

# Two articles of report 003 repeat this commitment almost word for word.
PLAN_A = corpus_paragraph("003", "5、加强卫生应急和疾病预防控制工作")
PLAN_B = corpus_paragraph("003", "8、加强卫生应急和疾病预防控制工作")


def test_same_sentence_in_two_articles_is_a_duplicate() -> None:
    a = PLAN_A.split("。")[1]  # 继续做好重大传染病防控工作
    b = PLAN_B.split("。")[1]
    assert a == b == "继续做好重大传染病防控工作"
    assert dedupe(["5、" + a + "。", "（一）" + b], str) == ["5、" + a + "。"]


def test_traditional_and_simplified_headings_with_different_numbering_match() -> None:
    assert jaccard(bigrams("（五）加強疾病預防控制工作"), bigrams("8、加强疾病预防控制工作")) == 1.0


def test_reworded_points_above_threshold_merge_and_different_points_stay() -> None:
    near = [
        "进一步完善重大疾病防控体系，有效控制传染病的发生和流行",
        "完善重大疾病防控体系，有效控制传染病发生和流行",
        "加强食品安全综合监管，开展食品安全风险监测",
    ]
    groups = group_duplicates(near, str)
    assert [len(g) for g in groups] == [2, 1]
    assert groups[0][0] == near[0]  # the first (best-ranked) wording represents the group


def test_short_point_inside_a_longer_one_is_a_duplicate() -> None:
    short = "继续落实结核病、艾滋病等重点传染病的防治任务"
    long = "全力做好手足口病等爆发性传染病的防控工作，继续落实结核病、艾滋病等重点传染病的防治任务，全面实施国家免疫规划"
    assert is_near_duplicate(bigrams(short), bigrams(long))
    assert not is_near_duplicate(bigrams("加强宣传"), bigrams("加强宣传教育，提高群众防病意识和能力"))


def test_whole_passages_of_003_share_points_but_are_not_identical() -> None:
    assert 0.3 < jaccard(bigrams(PLAN_A), bigrams(PLAN_B)) < 0.6
