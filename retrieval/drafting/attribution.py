"""Figures of past work said with their source: "据《县卫健委2023年上半年工作总结…》，培训医护人员100余名".

A draft's 回顾 (or a summary's 成效) gathers points from several reports, often of different units and
years. A point that states a figure is attributed to the report it is taken from (title, and unit and
year where the title does not already say them), so figures of different units are never read as one
unit's; when nothing names its source, the point is left out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from retrieval.drafting.material import MaterialPoint
from retrieval.drafting.outline import draft_text
from retrieval.text.figures import figure_values

if TYPE_CHECKING:
    from retrieval.types import ChunkRecord

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LEADING_CLAUSE = re.compile(r"^据[^，,]{0,60}[，,]")
# What ingest appends to tell articles of one file apart: "…工作计划一", "义乌市卫生局（篇一）".
_ARTICLE_SUFFIX = re.compile(
    r"\s*[（(]篇[一二三四五六七八九十\d]+[）)]$|(?<=[划结点告案])[一二三四五六七八九十]$"
)
_DOCUMENT_WORD = re.compile(r"总结|计划|要点|方案|打算|报告|汇报|情况")


def _title(chunk: ChunkRecord) -> str:
    """The article's title in draft form, "" when it names no report (a file name, a bare unit)."""
    title = _ARTICLE_SUFFIX.sub("", draft_text(chunk.article_title or chunk.doc_title).strip())
    return title if _CJK.search(title) and _DOCUMENT_WORD.search(title) else ""


def source_names(chunk: ChunkRecord) -> tuple[str, ...]:
    """Names a sentence may attribute a figure of ``chunk`` by: its article's title, the document title
    the model was shown with the passage, its unit.
    """
    shown = draft_text(chunk.doc_title).strip()
    names = (_title(chunk), shown if _CJK.search(shown) else "", draft_text(chunk.unit))
    return tuple(dict.fromkeys(n for n in names if n))


def source_name(chunk: ChunkRecord) -> str:
    """``《县卫健委2023年上半年工作总结和下半年工作计划》``, with ``（义乌市卫生局，2013年）`` when the title
    does not name the unit or year; a unit and year alone when the title is a file name; "" when unknown.
    """
    title = _title(chunk)
    extra = [
        part
        for part in (draft_text(chunk.unit), f"{chunk.year}年" if chunk.year else "")
        if part and part not in title
    ]
    if title:
        return f"《{title}》" + (f"（{'，'.join(extra)}）" if extra else "")
    return "".join(extra) + "的报告" if chunk.unit else ""


def attributed(point: MaterialPoint) -> MaterialPoint | None:
    """The point prefixed with ``据《…》，`` when it states figures (citing only the passages that hold
    them); the point unchanged when it states none; None when its figures cannot be attributed.
    """
    figures = figure_values(point.text)
    if not figures or _LEADING_CLAUSE.match(point.text):
        return point
    source = point.chunks[0]
    name = source_name(source)
    if not name:
        return None
    same = tuple(c for c in point.chunks[1:] if set(figures) <= set(figure_values(c.text)))
    return MaterialPoint(f"据{name}，{point.text}", (source, *same))
