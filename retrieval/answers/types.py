"""The answer types every front end renders: an answer, its citations and each sentence's check."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from retrieval.text.inert import quotable_text
from retrieval.types import HEADING_SEPARATOR, ChunkRecord, Passage

AnswerMode = Literal["llm", "extractive"]
AnswerState = Literal["found", "partial", "not_found"]


@dataclass(frozen=True)
class Citation:
    """Citation ``[n]`` of an answer or draft, pointing at one stored chunk."""

    n: int
    chunk_id: str
    source: str
    title: str
    heading_path: tuple[str, ...]
    text: str
    unit: str = ""  # the unit the cited article reports for (ChunkRecord.unit), "" when unnamed
    date: str = ""  # the cited document's date (ChunkRecord.doc_date), "" when it states none
    doc_number: str = ""  # the cited document's 文号
    source_kind: str = ""  # SCAN when the passage was read from a scan by OCR
    low_confidence: bool = False  # OCR read part of the passage with low confidence

    @classmethod
    def from_chunk(cls, n: int, chunk: ChunkRecord) -> Citation:
        """Citation ``[n]`` of ``chunk``, titled with its ``display_title`` (the one rule every renderer shows).

        Its ``text`` (shown when the citation is tapped, in ``ask --json`` and ``--passages``) is the chunk's
        quotable text: never a quarantined sentence, never a marker of the document's own (``retrieval.inert``).
        """
        return cls(
            n,
            chunk.chunk_id,
            chunk.source,
            chunk.display_title,
            chunk.heading_path,
            quotable_text(chunk),
            chunk.unit,
            chunk.doc_date,
            chunk.doc_number,
            chunk.source_kind,
            chunk.low_confidence,
        )

    @property
    def heading(self) -> str:
        """The section path joined for display (一、… › （一）…)."""
        return HEADING_SEPARATOR.join(self.heading_path)

    def to_json(self) -> dict[str, Any]:
        """The ``ask --json`` shape of a citation."""
        d = asdict(self)
        d["heading_path"] = list(self.heading_path)
        return d


@dataclass(frozen=True)
class SentenceCheck:
    """One generated sentence checked against its cited passages: kept, or dropped and why (``retrieval.answers.verify``)."""

    sentence: str
    kept: bool
    reason: str = ""


@dataclass(frozen=True)
class Answer:
    """The one answer type every front end renders.

    ``text`` carries ``[n]`` markers placed before each sentence's closing punctuation (``…培训[1]。``).
    ``found`` is False when the reports do not answer the question; ``closest`` then lists the nearest passages.
    ``state`` tells the three honest cases apart: ``found``; ``partial`` (the passages cover only part of
    the question: the text says so and quotes what may be relevant; ``found`` is False); ``not_found``.
    ``notice`` explains a degraded answer (e.g. the LLM was unreachable and the extractive answer is shown).
    """

    text: str
    citations: list[Citation]
    mode: AnswerMode
    found: bool
    notice: str = ""
    closest: list[Passage] = field(default_factory=list)
    state: AnswerState = "found"
    checks: tuple[SentenceCheck, ...] = ()
    """The model's sentences with their verdicts (LLM answers; empty for extractive ones, which quote)."""

    @property
    def dropped(self) -> list[SentenceCheck]:
        """The generated sentences verification removed."""
        return [c for c in self.checks if not c.kept]

    def to_json(self) -> dict[str, Any]:
        """The ``ask --json`` shape."""
        return {
            "answer": self.text,
            "mode": self.mode,
            "found": self.found,
            "state": self.state,
            "notice": self.notice,
            "citations": [c.to_json() for c in self.citations],
        }
