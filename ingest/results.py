"""What an ingest run reports: one ``FileResult`` per file, gathered in an ``IngestReport``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["added", "updated", "unchanged", "failed", "pruned"]
Progress = Callable[[int, int, str], None]
"""(files done, files, source); while a scan is read, the source is followed by the page being read."""


@dataclass(frozen=True)
class FileResult:
    """What happened to one file; ``error`` is a Chinese reason when ``status == 'failed'``."""

    source: str
    status: Status
    chunks: int = 0
    articles: int = 0
    error: str = ""
    doc_id: str = ""
    instructions: int = 0  # instruction-like sentences quarantined (kept in the text, never quoted)
    replaced_bytes: int = 0  # invalid bytes decoded as U+FFFD (a stray byte, a file cut mid-character)
    scanned_pages: int = 0  # pages read by OCR (an image file's frames, a PDF's pages without text)
    low_confidence: int = 0  # chunks holding a line OCR read with low confidence


@dataclass
class IngestReport:
    """The outcome of one ingest or reindex run."""

    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: Status) -> int:
        """How many files ended with ``status``."""
        return sum(r.status == status for r in self.results)

    @property
    def instructions(self) -> int:
        """Instruction-like sentences found in the files of this run."""
        return sum(r.instructions for r in self.results)

    @property
    def failed(self) -> list[FileResult]:
        """The files that could not be ingested."""
        return [r for r in self.results if r.status == "failed"]


def page_progress(
    progress: Progress | None, done: int, files: int, source: str
) -> Callable[[int, int], None] | None:
    """Per-page progress of a scan as file progress: the source followed by ``（识别第 3/12 页）``."""
    if progress is None:
        return None
    return lambda page, pages: progress(done, files, f"{source}（识别第 {page}/{pages} 页）")
