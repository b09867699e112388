"""The draft without an LLM: a 素材汇编 that arranges retrieved points under the outline, each cited.

Nothing is invented: every point is a report's own wording (in Simplified), re-numbered, with its
sources as ``[n]`` and the years of the reports it comes from. Figures of past work name the report they come from (``据《…》，``, see
``attribution``). Targets taken from old plans become ``××`` (the writer sets new ones) and any
year the request did not state becomes ``××年``; the label says plainly that this is a compilation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prompts import load_prompt
from retrieval.answers.types import Citation
from retrieval.drafting.attribution import attributed
from retrieval.drafting.figures import placeholder_figures
from retrieval.drafting.outline import point_prefix, sub_heading, top_heading
from retrieval.drafting.types import Draft, DraftParagraph, DraftSection

if TYPE_CHECKING:
    from retrieval.drafting.compose import Outline, OutlinePart
    from retrieval.drafting.material import MaterialPoint
    from retrieval.types import ChunkRecord

COMPILATION_SUFFIX = "（素材汇编）"


class CitationNumbers:
    """Numbers chunks 1..n in order of first use across the whole draft."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._chunks: list[ChunkRecord] = []

    def cite(self, chunks: tuple[ChunkRecord, ...]) -> list[int]:
        """Citation numbers for ``chunks`` (a chunk keeps its number once given)."""
        out = []
        for chunk in chunks:
            if chunk.chunk_id not in self._numbers:
                self._chunks.append(chunk)
                self._numbers[chunk.chunk_id] = len(self._chunks)
            out.append(self._numbers[chunk.chunk_id])
        return out

    def citations(self) -> list[Citation]:
        """The numbered citations given so far, in number order."""
        return [Citation.from_chunk(n, chunk) for n, chunk in enumerate(self._chunks, 1)]


def _point_text(point: MaterialPoint, part: OutlinePart) -> str:
    return placeholder_figures(point.text) if part.bucket == "plan" else point.text


def _cited(text: str, numbers: list[int]) -> str:
    """Marker before the closing punctuation, as in official writing: ``…培训[1]。``."""
    return f"{text}{''.join(f'[{n}]' for n in numbers)}。"


def years_of(point: MaterialPoint) -> str:
    """Which years' reports a point comes from, newest first: ``（2025年、2022年资料）``; "" when none says."""
    years = sorted({c.year for c in point.chunks if c.year}, reverse=True)
    return f"（{'、'.join(f'{y}年' for y in years)}资料）" if years else ""


def _sourced(points: list[MaterialPoint], part: OutlinePart) -> list[MaterialPoint]:
    """Points of past work (and problems) with their figures attributed to their report (or left out); others as they are."""
    if part.bucket == "plan":  # targets become ×× anyway; 回顾 and 问题 state facts of some unit
        return points
    return [p for p in map(attributed, points) if p is not None]


def _points(points: list[MaterialPoint], part: OutlinePart, numbers: CitationNumbers) -> list[DraftParagraph]:
    out = []
    for i, point in enumerate(_sourced(points, part), 1):
        cited = numbers.cite(point.chunks)
        text = _point_text(point, part) + years_of(point)
        out.append(DraftParagraph(point_prefix(i) + _cited(text, cited), cited))
    return out


def extractive_draft(outline: Outline, *, notice: str = "") -> Draft:
    """Label (and fallback notice), lead, then the parts: 一、… / （一）… / 1.…, every point cited."""
    numbers = CitationNumbers()
    label = load_prompt("draft_extractive_label").format().strip()
    opening = [DraftParagraph(notice + label)]
    if outline.lead:
        opening.append(DraftParagraph(outline.lead))
    sections = [DraftSection("", opening)]
    if outline.kind == "paragraph":
        paragraph_parts = [(p, part) for part in outline.parts for p in _sourced(part.points, part)]
        cites = [numbers.cite(p.chunks) for p, _ in paragraph_parts]
        text = "".join(
            _cited(_point_text(p, part), c) for (p, part), c in zip(paragraph_parts, cites, strict=True)
        )
        if text:
            flat = sorted({n for c in cites for n in c})
            sections.append(DraftSection("", [DraftParagraph(text, flat)]))
    else:
        for i, part in enumerate(outline.parts, 1):
            heading = top_heading(i, part.title)
            if not part.nested:
                sections.append(DraftSection(heading, _points(part.points, part, numbers)))
                continue
            sections.append(DraftSection(heading, []))
            for j, group in enumerate(part.groups, 1):
                title = placeholder_figures(group.heading) if part.bucket == "plan" else group.heading
                sections.append(
                    DraftSection(sub_heading(j, title), _points(list(group.points), part, numbers))
                )
    return Draft(outline.title + COMPILATION_SUFFIX, "extractive", sections, numbers.citations(), [])
