"""The outline of a draft: which parts it has, in what order, and which material goes under each.

A plan looks back (工作回顾), names the problems, then sets out the tasks as （一）… sub-sections;
a summary reports the work as sub-sections, then problems and next steps. Empty parts are left out,
so numbering is applied only when the draft is assembled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from prompts import load_prompt
from retrieval.drafting.material import Bucket, MaterialGroup, MaterialPoint, previous_period
from retrieval.drafting.outline import sentence_body

if TYPE_CHECKING:
    from retrieval.drafting.material import Material
    from retrieval.drafting.request import DraftRequest

# (sub-sections of the main part, points per sub-section, points of a flat part) per length hint
LIMITS = {"short": (3, 2, 2), "medium": (5, 3, 3), "long": (8, 4, 5)}
PARAGRAPH_POINTS = {"short": 3, "medium": 4, "long": 6}
MAX_DERIVED_HEADING = 18
MIN_DERIVED_HEADING = 4
_CONNECTIVE = re.compile(r"^(总之|总的来看|但是|同时|此外|另外|截至|截止|其中|目前|今年|上半年|下半年|全年)")
_PLAN_WORDS = re.compile(r"计划|打算|要点|下一步|安排|思路")
_FIRST_CLAUSE = re.compile(r"^[^，。；：]+")


@dataclass(frozen=True)
class OutlinePart:
    """A top-level part (un-numbered title); ``nested`` parts show their groups as （一） sub-sections."""

    title: str
    bucket: Bucket
    nested: bool
    groups: tuple[MaterialGroup, ...]

    @property
    def points(self) -> list[MaterialPoint]:
        return [p for g in self.groups for p in g.points]


@dataclass(frozen=True)
class Outline:
    """Title, lead paragraph and parts of a draft, before numbering and citations are applied."""

    title: str
    lead: str
    parts: tuple[OutlinePart, ...]
    kind: str


def year_text(request: DraftRequest) -> str:
    """``2024年``, or the placeholder ``××年`` when the request names no year."""
    return f"{request.year}年" if request.year else "××年"


def main_bucket(request: DraftRequest) -> Bucket:
    """What the body draws on: plans for a plan; for a single paragraph, plans only when asked for."""
    if request.kind == "plan" or (request.kind == "paragraph" and _PLAN_WORDS.search(request.text)):
        return "plan"
    return "summary"


def lead_paragraph(request: DraftRequest) -> str:
    """The short opening paragraph in house style (prompts/draft_lead_*.txt); placeholders for the unknown."""
    if request.kind == "paragraph":
        return ""
    name = "draft_lead_plan" if request.kind == "plan" else "draft_lead_summary"
    previous = previous_period(request.period) or "前期"
    return (
        load_prompt(name)
        .format(
            year=year_text(request), period=request.period, topic=request.topic or "各项", previous=previous
        )
        .strip()
    )


def _with_heading(group: MaterialGroup) -> MaterialGroup | None:
    """A group usable as a sub-section: its heading, or else the short first clause of its first point."""
    if group.heading:
        return group
    clause = _FIRST_CLAUSE.match(group.points[0].text)
    usable = clause and MIN_DERIVED_HEADING <= len(clause.group(0)) <= MAX_DERIVED_HEADING
    if clause and usable and not _CONNECTIVE.match(clause.group(0)):
        return MaterialGroup(
            sentence_body(clause.group(0)), group.bucket, group.chunk, group.score, group.points
        )
    return None


def _without_heading(point: MaterialPoint, heading: str) -> MaterialPoint:
    """A point that opens with its sub-section's heading as a sentence, without that sentence."""
    head = f"{heading}。"
    if point.text.startswith(head) and len(point.text) > len(head):
        return MaterialPoint(point.text[len(head) :], point.chunks)
    return point


def _nested(groups: list[MaterialGroup], max_groups: int, max_points: int) -> tuple[MaterialGroup, ...]:
    out = []
    for group in groups:
        titled = _with_heading(group)
        if titled is None:
            continue
        points = tuple(_without_heading(p, titled.heading) for p in titled.points[:max_points])
        out.append(MaterialGroup(titled.heading, titled.bucket, titled.chunk, titled.score, points))
        if len(out) == max_groups:
            break
    return tuple(out)


def _flat(groups: list[MaterialGroup], max_points: int) -> tuple[MaterialGroup, ...]:
    """The best ``max_points`` points, one from each group first, then second points, and so on."""
    picked: list[tuple[int, int]] = []
    depth = 0
    while len(picked) < max_points and any(depth < len(g.points) for g in groups):
        for gi, group in enumerate(groups):
            if depth < len(group.points) and len(picked) < max_points:
                picked.append((gi, depth))
        depth += 1
    out = []
    for gi, group in enumerate(groups):
        points = tuple(group.points[d] for g, d in sorted(picked) if g == gi)
        if points:
            out.append(MaterialGroup(group.heading, group.bucket, group.chunk, group.score, points))
    return tuple(out)


def _part_titles(request: DraftRequest) -> list[tuple[str, Bucket, bool]]:
    period = request.period
    if request.kind == "plan":
        previous = previous_period(period)
        return [
            (f"{previous}工作回顾" if previous else "前期工作基础", "summary", False),
            ("存在的主要问题", "problems", False),
            (f"{period}重点工作" if period else "重点工作任务", "plan", True),
        ]
    return [
        (f"{period}主要工作及成效" if period else "主要工作及成效", "summary", True),
        ("存在的问题", "problems", False),
        ("下一步工作打算", "plan", False),
    ]


def compose_outline(request: DraftRequest, material: Material) -> Outline:
    """Pick and order the material for the request's kind and length."""
    max_groups, max_points, max_flat = LIMITS[request.length]
    if request.kind == "paragraph":
        bucket = main_bucket(request)
        groups = material.groups[bucket] or material.groups["summary"] or material.groups["plan"]
        part = OutlinePart("", bucket, False, _flat(groups, PARAGRAPH_POINTS[request.length]))
        return Outline(request.title, "", (part,) if part.groups else (), request.kind)
    parts = []
    for title, bucket, nested in _part_titles(request):
        groups = material.groups[bucket]
        chosen = _nested(groups, max_groups, max_points) if nested else _flat(groups, max_flat)
        if chosen:
            parts.append(OutlinePart(title, bucket, nested, chosen))
    return Outline(request.title, lead_paragraph(request), tuple(parts), request.kind)
