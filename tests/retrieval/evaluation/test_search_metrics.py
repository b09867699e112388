"""Search metrics on tiny hand-made inputs: hit rank across scripts, reciprocal rank, coverage."""

from __future__ import annotations

import pytest

from retrieval.evaluation import expected_coverage, first_hit_rank, reciprocal_rank
from tests.retrieval.evaluation.helpers import SIMP_CARDS, SIMP_FAMILY, TRAD, UNRELATED


def test_expected_text_matches_across_scripts_and_whitespace() -> None:
    stored = "截止目前，全市共建立居民健康檔案11.35\n萬份；"  # line break inside the figure, as scraped
    assert first_hit_rank([UNRELATED, stored], ["居民健康檔案11.35萬份"]) == 2
    assert first_hit_rank([UNRELATED, "全市共建立居民健康档案11.35万份"], ["居民健康檔案11.35萬份"]) == 2
    assert first_hit_rank([UNRELATED, SIMP_CARDS], ["居民健康檔案11.35萬份"]) is None


def test_reciprocal_rank_counts_only_the_top_ten() -> None:
    assert [reciprocal_rank(r) for r in (1, 4, 10, 11, None)] == [1.0, 0.25, 0.1, 0.0, 0.0]


def test_coverage_is_the_share_of_expected_items_in_the_top_k() -> None:
    texts = [TRAD, UNRELATED, SIMP_FAMILY]
    expected = ["居民健康檔案11.35萬份", "有偿签约率20.43%", "轮训乡镇卫生院骨干医务人员"]
    assert expected_coverage(texts, expected, k=10) == pytest.approx(2 / 3)
    assert expected_coverage(texts, expected, k=2) == pytest.approx(1 / 3)
