from __future__ import annotations

import pytest

from retrieval.text.normalize import normalize
from retrieval.text.tokenize import tokenize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("紮實推進了9項基本公共衛生服務專案", "扎实推进了9项基本公共卫生服务项目"),
        ("社群衛生服務中心", "社区卫生服务中心"),
        ("設定管理", "设置管理"),
        ("建立居民健康檔案", "建立居民健康档案"),  # not 创建/文件, as tw2sp would have it
        ("執行資料", "执行资料"),
        ("ＡＢＣ　１２３", "ABC 123"),
    ],
)
def test_normalize_to_mainland_simplified(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_tokens_match_across_scripts_and_drop_question_words() -> None:
    assert set(tokenize("居民健康檔案")) == set(tokenize("居民健康档案"))
    assert "什么" not in tokenize("上半年做了什么")
