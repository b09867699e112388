"""Units (city, county, district) a question names, and whether a passage belongs to one.

A unit is a word jieba's dictionary tags as a place name, alone or with 市/县/区 after it (义乌 →
义乌市). A chunk's unit is its ``unit`` field when ingest sets one, else what its document and
article titles name, else its own text (report 004 holds three cities' articles under one title).
"""

from __future__ import annotations

from functools import lru_cache

from retrieval.types import ChunkRecord

_SUFFIXES = ("市", "县", "区", "省", "州")
_PLACE_TAG = "ns"


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    import jieba.posseg

    jieba.posseg.dt.initialize()
    return jieba.posseg.dt.word_tag_tab


def _core(word: str) -> str:
    """义乌市 → 义乌; a two-character name keeps its suffix-less form as is."""
    return word[:-1] if len(word) > 2 and word.endswith(_SUFFIXES) else word


def question_units(normalized_question: str) -> tuple[str, ...]:
    """Place names the question names, without their 市/县/区 suffix (义乌, 清远), in order."""
    import jieba

    tags = _tags()
    found: list[str] = []
    for word in jieba.lcut(normalized_question):
        if len(word) < 2:
            continue
        if tags.get(word) == _PLACE_TAG or any(tags.get(word + s) == _PLACE_TAG for s in _SUFFIXES[:3]):
            core = _core(word)
            if len(core) >= 2 and core not in found:
                found.append(core)
    return tuple(found)


PROVINCES = frozenset(
    "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 "
    "云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门".split()
)


def chunk_unit(chunk: ChunkRecord) -> str:
    """What names the chunk's unit: its ``unit`` field, else its titles."""
    unit = str(getattr(chunk, "unit", "") or "")
    return unit or f"{chunk.doc_title} {chunk.article_title}"


def places(text: str) -> tuple[str, ...]:
    """City/county-level places ``text`` names (provinces left out: a city report names its province)."""
    return tuple(p for p in question_units(text) if p not in PROVINCES)


def belongs_to(chunk: ChunkRecord, unit: str) -> bool | None:
    """Does ``chunk`` come from ``unit``? True/False when its unit field, titles or text say so (it names
    ``unit``, or names only other places); None when nothing tells.
    """
    from retrieval.normalize import normalize

    named = normalize(chunk_unit(chunk))
    if unit in named:
        return True
    if places(named):  # the unit field or titles name another place
        return False
    text = normalize(chunk.text)
    if unit in text:
        return True
    return False if places(text) else None
