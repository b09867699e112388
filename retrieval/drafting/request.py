"""What a drafting request asks for: topic, document kind, period, year and length.

``"下半年传染病防控工作计划"`` → topic 传染病防控, kind plan, period 下半年. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from retrieval.text.normalize import normalize

DraftKind = Literal["plan", "summary", "paragraph"]
Length = Literal["short", "medium", "long"]

# A paragraph request wins; otherwise the last kind word decides (see ``_kind``).
_KINDS: list[tuple[DraftKind, re.Pattern[str]]] = [
    ("paragraph", re.compile(r"(一|一个|一小)段(话|文字)?|段落|一段落")),
    ("summary", re.compile(r"总结|完成情况|开展情况|工作回顾|汇报|述职")),
    ("plan", re.compile(r"计划|打算|要点|思路|安排|规划|方案")),
]
_PERIODS: list[tuple[str, re.Pattern[str]]] = [
    ("上半年", re.compile(r"上半年|前半年|1[-—至到~～]6月|一至六月")),
    ("下半年", re.compile(r"下半年|后半年|7[-—至到~～]12月|七至十二月")),
    ("季度", re.compile(r"[一二三四1-4第]*季度")),
    ("全年", re.compile(r"全年|年度")),
]
# The document's own name (文种), kept in the title: the last of these words in the request names it.
_NAMES = re.compile(r"总结|计划|要点|方案|打算|思路|安排|规划")
_DEFAULT_NAME = {"plan": "计划", "summary": "总结", "paragraph": ""}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_CHARS = re.compile(r"(\d{2,5})\s*字(左右|以内|以上)?")
_SHORT = re.compile(r"简要|简短|简明|短一?些|精简|扼要")
_LONG = re.compile(r"详细|详尽|全面|长一?些|完整")
# Request wording that is neither topic nor kind; removed before the topic is taken.
_FILLER = re.compile(
    r"^(请|麻烦|帮忙|帮我|给我|为我|替我|请你|能否|可以)*(帮我|给我)?"
    r"(写写|写|起草|草拟|拟|撰写|生成|出|做)?(一份|一篇|一个|一段|个|份|篇|段)?"
    r"|(的)?(草稿|初稿|稿子|文稿|材料)$"
)
_KIND_SUFFIX = re.compile(
    r"(的)?(工作)?(总结|计划|打算|要点|思路|安排|规划|方案|完成情况|开展情况|回顾|汇报|述职|段落|"
    r"(一|一个|一小)?段(话|文字)?)(及|和|与|、)?$"
)
_EDGES = re.compile(r"^(?:[\s的之：:，,、]|关于|有关|围绕)+|[\s的之：:，,、。.!！?？]+$")
_TRAILING_WORK = re.compile(r"工作$")


@dataclass(frozen=True)
class DraftRequest:
    """A parsed drafting request; ``chars`` is the requested length in characters when stated."""

    text: str
    topic: str
    kind: DraftKind = "plan"
    period: str = ""
    year: int | None = None
    length: Length = "medium"
    chars: int | None = None
    name: str = (
        ""  # the document's name as requested (计划, 要点, 方案, 打算, 总结…); "" = the kind's default
    )

    @property
    def doc_name(self) -> str:
        """``工作要点`` for a 要点 request, ``工作计划`` for a plan that names none, ``工作`` for a paragraph."""
        if self.kind == "paragraph":
            return "工作"
        return "工作" + (self.name or _DEFAULT_NAME[self.kind])

    @property
    def title(self) -> str:
        """Document title in house style, e.g. ``2024年下半年传染病防控工作要点``: the requested name kept."""
        year = f"{self.year}年" if self.year else ""
        return f"{year}{self.period}{self.topic}{self.doc_name}"


def _name(q: str, kind: DraftKind) -> str:
    """The last document-name word of the request that fits its kind (计划生育 is not a name)."""
    fits = {"plan": "总结", "summary": "计划要点方案打算思路安排规划"}.get(kind)
    names = [m.group(0) for m in _NAMES.finditer(q) if fits is not None and m.group(0) not in fits]
    return names[-1] if names else ""


def _kind(q: str) -> DraftKind:
    """A paragraph when asked for one; otherwise the kind word that comes last ("总结及…计划" → plan)."""
    if _KINDS[0][1].search(q):
        return "paragraph"
    ends = [(m.end(), kind) for kind, pat in _KINDS[1:] for m in pat.finditer(q)]
    return max(ends)[1] if ends else "plan"


def _strip(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(" ", text)


def parse_draft_request(text: str) -> DraftRequest:
    """Parse a free-text request (Simplified or Traditional) into a ``DraftRequest``.

    The kind defaults to ``plan``: writers mostly ask for 工作计划. The topic is what remains once
    year, period, kind, length and request wording are removed; an empty topic means "all work".
    """
    raw = text.strip()
    q = normalize(raw)
    kind = _kind(q)
    period = max(((m.end(), name) for name, pat in _PERIODS for m in pat.finditer(q)), default=(0, ""))[1]
    year_match = _YEAR.search(q)
    chars_match = _CHARS.search(q)
    chars = int(chars_match.group(1)) if chars_match else None
    if chars is not None:
        length: Length = "short" if chars <= 600 else "long" if chars >= 2000 else "medium"
    else:
        length = "short" if _SHORT.search(q) else "long" if _LONG.search(q) else "medium"

    rest = q
    for pattern in (_YEAR, _CHARS, _SHORT, _LONG, *(p for _, p in _PERIODS)):
        rest = _strip(rest, pattern)
    rest = _strip(rest, re.compile(r"[（(]\s*[)）]|[“”\"'《》【】]"))
    rest = " ".join(rest.split())
    rest = _FILLER.sub("", rest).strip()
    rest = _EDGES.sub("", rest.replace(" ", ""))
    while (stripped := _EDGES.sub("", _KIND_SUFFIX.sub("", rest))) != rest:
        rest = stripped
    topic = _EDGES.sub("", _FILLER.sub("", rest))
    topic = _TRAILING_WORK.sub("", topic) if len(topic) > 2 else topic
    return DraftRequest(
        text=raw,
        topic=topic,
        kind=kind,
        period=period,
        year=int(year_match.group(1)) if year_match else None,
        length=length,
        chars=chars,
        name=_name(q, kind),
    )
