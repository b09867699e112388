"""Text normalisation for the index: mainland Simplified, half-width, Taiwan wordings mapped.

Only index text and questions go through here; what users see keeps its original characters.
OpenCC's ``tw2sp`` is deliberately not used: it rewrites ordinary words (居民健康檔案 → 居民健康文件,
建立 → 创建, 執行 → 运行, 資料 → 数据). Plain ``t2s`` plus the short curated list below maps only
wordings that are Taiwan-specific and would otherwise never match a mainland question.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

# After t2s. Each entry is a Taiwan wording that a mainland reader would write differently.
TAIWAN_WORDINGS: dict[str, str] = {
    "专案": "项目",
    "社群": "社区",
    "设定": "设置",
    "装置": "设备",
    "登出": "注销",
    "中国小": "中小学",
    "光碟": "光盘",
    "软体": "软件",
    "网路": "网络",
    "资讯": "信息",
    "宣导": "宣传",
    "列印": "打印",
    "影片": "视频",
}
_TW_PATTERN = re.compile("|".join(sorted(map(re.escape, TAIWAN_WORDINGS), key=len, reverse=True)))
_SPACES = re.compile(r"[ \t\u3000\xa0]+")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def to_simplified(text: str) -> str:
    """Traditional → Simplified (OpenCC t2s) plus the curated Taiwan wordings."""
    return _TW_PATTERN.sub(lambda m: TAIWAN_WORDINGS[m.group(0)], _t2s().convert(text))


def normalize_width(text: str) -> str:
    """Full-width ASCII letters, digits and punctuation to half-width; runs of spaces to one."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E and ch not in "（），；：！？":
            out.append(chr(code - 0xFEE0))
        else:
            out.append(ch)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", "".join(out)))


def normalize(text: str) -> str:
    """The one normaliser for index text and questions."""
    return to_simplified(normalize_width(text))
