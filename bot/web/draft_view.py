"""The web 起草 page's view of a draft: each paragraph beside its sources, flagged when one left the knowledge base."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrieval.drafting.outline import heading_level

if TYPE_CHECKING:
    from retrieval.answers.types import Citation
    from retrieval.drafting.types import Draft
    from retrieval.types import ChunkRecord


@dataclass(frozen=True)
class SourceView:
    """A paragraph's source as the page shows it: the passage with unit and year, or that it was removed."""

    n: int
    title: str
    heading: str
    unit: str
    year: str
    text: str
    removed: bool


@dataclass(frozen=True)
class ParagraphView:
    """A paragraph and its sources."""

    s: int
    p: int
    text: str
    sources: list[SourceView]
    edited: bool

    @property
    def flagged(self) -> bool:
        """True when a source of the paragraph is no longer in the knowledge base."""
        return any(src.removed for src in self.sources)


@dataclass(frozen=True)
class SectionView:
    """A heading (``""`` for the lead) and its paragraphs."""

    s: int
    heading: str
    paragraphs: list[ParagraphView]
    regenerable: bool
    """False for a part's heading whose text is all in its （一） sub-sections (nothing of its own to redo)."""


def _year(c: Citation, chunk: ChunkRecord | None) -> str:
    if chunk is not None and chunk.year:
        return f"{chunk.year}年"
    return f"{c.date[:4]}年" if c.date[:4].isdigit() else ""


def sections_view(
    draft: Draft, edited: list[list[bool]], present: dict[str, ChunkRecord]
) -> list[SectionView]:
    """The draft's sections with each paragraph's sources (flagged when removed from the knowledge base)."""
    by_n = {c.n: c for c in draft.citations}
    out = []
    for s, section in enumerate(draft.sections):
        paragraphs = []
        for p, paragraph in enumerate(section.paragraphs):
            sources = []
            for n in paragraph.citations:
                c = by_n.get(n)
                if c is None:
                    continue
                chunk = present.get(c.chunk_id)
                unit = c.unit or (chunk.unit if chunk is not None else "")
                sources.append(
                    SourceView(
                        n, c.title or c.source, c.heading, unit, _year(c, chunk), c.text, chunk is None
                    )
                )
            paragraphs.append(ParagraphView(s, p, paragraph.text, sources, edited[s][p]))
        parent = (
            not section.paragraphs
            and s + 1 < len(draft.sections)
            and heading_level(draft.sections[s + 1].heading) > heading_level(section.heading)
        )
        out.append(SectionView(s, section.heading, paragraphs, not parent))
    return out
