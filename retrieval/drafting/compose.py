"""The outline of a draft: which parts it has, in what order, and which material goes under each.

A plan looks back (工作回顾), names the problems, then sets out the tasks as （一）… sub-sections;
a summary reports the work as sub-sections, then problems and next steps. Empty parts are left out,
so numbering is applied only when the draft is assembled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

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
# A clause that frames rather than names work ("为切实做好下半年传染病防控工作"): never a sub-heading.
_FRAMING = re.compile(r"^(为了?|根据|按照|依据|围绕|遵照|结合|在|对照|针对)")


@dataclass(frozen=True)
class OutlinePart:
    """A top-level part (un-numbered title); ``nested`` parts show their groups as （一） sub-sections."""

    title: str
    bucket: Bucket
    nested: bool
    groups: tuple[MaterialGroup, ...]
    role: str = ""

    @property
    def points(self) -> list[MaterialPoint]:
        """Every point of every group, in order."""
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
    values = {"year": year_text(request), "period": request.period, "topic": request.topic or "各项"}
    if request.kind == "plan":
        values["name"] = request.doc_name  # 制定本工作要点
    return load_prompt(name).format(**values, previous=previous).strip()


def _with_heading(group: MaterialGroup) -> MaterialGroup | None:
    """A group usable as a sub-section: its heading, or else the short first clause of its first point."""
    if group.heading:
        return group
    clause = _FIRST_CLAUSE.match(group.points[0].text)
    usable = clause and MIN_DERIVED_HEADING <= len(clause.group(0)) <= MAX_DERIVED_HEADING
    if clause and usable and not _CONNECTIVE.match(clause.group(0)) and not _FRAMING.match(clause.group(0)):
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


Role = Literal["review", "problems", "guidance", "goals", "tasks", "safeguards", "achievements", "next"]


@dataclass(frozen=True)
class PartSpec:
    """One top-level part a kind of document has: its title, the material it draws on, its layout."""

    role: Role
    bucket: Bucket
    nested: bool


_REVIEW = PartSpec("review", "summary", nested=False)
_PROBLEMS = PartSpec("problems", "problems", nested=False)
_GUIDANCE = PartSpec("guidance", "plan", nested=False)
_GOALS = PartSpec("goals", "plan", nested=False)
_TASKS = PartSpec("tasks", "plan", nested=True)
_SAFEGUARDS = PartSpec("safeguards", "plan", nested=False)
_FORWARD = (_GUIDANCE, _GOALS, _TASKS, _SAFEGUARDS)

# The parts of each kind of document (its name: 计划, 要点…), in the order that kind requires. A plan looks
# back and names the problems before its 总体要求/工作目标 → 重点任务 → 保障措施; a 要点 or 方案 only looks ahead;
# a summary reports the work, then the problems, then the next steps. Parts with no material are left out.
PART_ORDER: dict[str, tuple[PartSpec, ...]] = {
    "计划": (_REVIEW, _PROBLEMS, *_FORWARD),
    "打算": (_REVIEW, _PROBLEMS, *_FORWARD),
    "要点": _FORWARD,
    "方案": _FORWARD,
    "思路": _FORWARD,
    "安排": _FORWARD,
    "规划": (_REVIEW, _PROBLEMS, *_FORWARD),
    "总结": (
        PartSpec("achievements", "summary", nested=True),
        PartSpec("problems", "problems", nested=False),
        PartSpec("next", "plan", nested=False),
    ),
}
# Which plan sections feed which part, by the words of their headings; everything else is a task.
_PLAN_ROLES: tuple[tuple[Role, re.Pattern[str]], ...] = (
    ("guidance", re.compile(r"指导思想|总体要求|总体思路|基本原则|工作思路")),
    ("goals", re.compile(r"目标")),
    (
        "safeguards",
        re.compile(r"保障措施|保障机制|组织保障|工作保障|组织领导|工作要求|组织实施|督查考核|考核评估"),
    ),
)


def part_order(request: DraftRequest) -> tuple[PartSpec, ...]:
    """The parts the requested document has, in order (a plan's when its name is not in the table)."""
    name = request.doc_name.removeprefix("工作")
    return PART_ORDER.get(name) or PART_ORDER["总结" if request.kind == "summary" else "计划"]


def part_title(spec: PartSpec, request: DraftRequest) -> str:
    """The part's heading text, e.g. ``上半年工作回顾``, ``下半年重点工作``, ``保障措施``."""
    period = request.period
    previous = previous_period(period)
    titles: dict[Role, str] = {
        "review": f"{previous}工作回顾" if previous else "前期工作基础",
        "problems": "存在的主要问题" if request.kind != "summary" else "存在的问题",
        "guidance": "总体要求",
        "goals": "工作目标",
        "tasks": f"{period}重点工作" if period else "重点工作任务",
        "safeguards": "保障措施",
        "achievements": f"{period}主要工作及成效" if period else "主要工作及成效",
        "next": "下一步工作打算",
    }
    return titles[spec.role]


def plan_role(group: MaterialGroup) -> Role:
    """What a plan passage is in its own report: 总体要求, 工作目标, 保障措施 or (mostly) a task."""
    headings = (*group.chunk.heading_path, group.heading)
    for role, pattern in _PLAN_ROLES:
        if any(pattern.search(h) for h in headings):
            return role
    return "tasks"


def _groups_for(spec: PartSpec, material: Material) -> list[MaterialGroup]:
    groups = material.groups[spec.bucket]
    if spec.bucket != "plan" or spec.role == "next":
        return groups
    return [g for g in groups if plan_role(g) == spec.role]


def compose_outline(request: DraftRequest, material: Material) -> Outline:
    """Pick and order the material for the request's kind and length."""
    max_groups, max_points, max_flat = LIMITS[request.length]
    if request.kind == "paragraph":
        bucket = main_bucket(request)
        groups = material.groups[bucket] or material.groups["summary"] or material.groups["plan"]
        part = OutlinePart("", bucket, False, _flat(groups, PARAGRAPH_POINTS[request.length]))
        return Outline(request.title, "", (part,) if part.groups else (), request.kind)
    parts = []
    for spec in part_order(request):
        groups = _groups_for(spec, material)
        chosen = _nested(groups, max_groups, max_points) if spec.nested else _flat(groups, max_flat)
        if chosen:
            parts.append(OutlinePart(part_title(spec, request), spec.bucket, spec.nested, chosen, spec.role))
    return Outline(request.title, lead_paragraph(request), tuple(parts), request.kind)
