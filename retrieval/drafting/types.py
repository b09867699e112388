"""The draft types: sections of paragraphs, each citing past reports, and the flags a writer must check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from retrieval.answers.types import Citation

DraftMode = Literal["llm", "extractive"]


@dataclass(frozen=True)
class DraftParagraph:
    """One paragraph of a draft; ``text`` carries its ``[n]`` markers, ``citations`` lists those n."""

    text: str
    citations: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class DraftSection:
    """An outline heading with its official numbering ("一、…", "（一）…"; "" for the lead) and paragraphs."""

    heading: str
    paragraphs: list[DraftParagraph] = field(default_factory=list)


@dataclass(frozen=True)
class DraftFlag:
    """Something the writer must check, e.g. a figure that appears in no cited passage (【待核实】)."""

    text: str
    reason: str


@dataclass(frozen=True)
class Draft:
    """The one draft type every front end renders (CLI text/JSON, Markdown, .docx, Telegram)."""

    title: str
    mode: DraftMode
    sections: list[DraftSection]
    citations: list[Citation]
    flags: list[DraftFlag] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``draft --json`` shape."""
        return {
            "title": self.title,
            "mode": self.mode,
            "sections": [
                {
                    "heading": s.heading,
                    "paragraphs": [{"text": p.text, "citations": list(p.citations)} for p in s.paragraphs],
                }
                for s in self.sections
            ],
            "citations": [c.to_json() for c in self.citations],
            "flags": [{"text": f.text, "reason": f.reason} for f in self.flags],
        }
