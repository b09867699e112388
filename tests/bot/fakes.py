"""Small stand-ins for the core services, for handler tests that need a scripted answer or a failure.

The end-to-end suite (``tests/bot/telegram/test_end_to_end.py``) uses the real ``build_services`` instead.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ingest.library import LibraryStats
from retrieval.answers.types import Answer, Citation
from retrieval.errors import UnknownDocumentError
from retrieval.types import DocumentInfo

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path


def citation(
    n: int,
    text: str = "开展手足口病防控培训3次，覆盖托幼机构120所。",
    title: str = "某市2023年上半年工作总结",
) -> Citation:
    return Citation(n, f"doc1:{n}", "report.txt", title, ("二、主要工作", "（三）传染病防控"), text)


def cited_answer(text: str = "开展了手足口病防控培训[1]。", n: int = 1) -> Answer:
    return Answer(text=text, citations=[citation(i) for i in range(1, n + 1)], mode="extractive", found=True)


@dataclass
class FakeAnswers:
    """Answers every question with ``reply(question)``; streams ``deltas`` first when given."""

    reply: Callable[[str], Answer] = lambda q: cited_answer()
    deltas: Sequence[str] = ()
    delta_pause: float = 0.0
    calls: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(
        self, question: str, history: Sequence[str] = (), on_delta: Callable[[str], None] | None = None
    ) -> Answer:
        with self.lock:
            self.calls.append((question, tuple(history)))
        for delta in self.deltas:
            if on_delta is not None:
                on_delta(delta)
            time.sleep(self.delta_pause)
        return self.reply(question)


@dataclass
class FakeFileResult:
    source: str
    status: str
    chunks: int = 0
    articles: int = 0
    error: str | None = None
    scanned_pages: int = 0
    low_confidence: int = 0


@dataclass
class FakeReport:
    results: list[FakeFileResult]


@dataclass
class FakeIngest:
    documents: dict[str, DocumentInfo] = field(default_factory=dict)
    ingested: list[Path] = field(default_factory=list)

    def ingest_file(self, path: Path, *, source: str | None = None) -> FakeFileResult:
        self.ingested.append(path)
        name = source or path.name
        info = DocumentInfo(name, name, name, str(path), "h", 3, 1, "2026-11-22T14:00:00")
        status = "updated" if name in self.documents else "added"
        self.documents[name] = info
        return FakeFileResult(name, status, chunks=3, articles=1)

    def delete(self, doc: str) -> DocumentInfo:
        if doc not in self.documents:
            raise UnknownDocumentError(doc)
        return self.documents.pop(doc)

    def reindex(self, progress: Callable[[int, int, str], None] | None = None) -> FakeReport:
        names = sorted(self.documents)
        for i, name in enumerate(names, 1):
            if progress is not None:
                progress(i, len(names), name)
        return FakeReport([FakeFileResult(n, "unchanged", 3, 1) for n in names])


@dataclass
class FakeLibrary:
    """The read API over ``FakeIngest``'s documents (the shape of ``ingest.library.Library``)."""

    ingest: FakeIngest

    def documents(self) -> list[DocumentInfo]:
        return sorted(self.ingest.documents.values(), key=lambda d: d.source)

    def find(self, ref: str) -> DocumentInfo | None:
        return next((d for d in self.ingest.documents.values() if ref in (d.doc_id, d.source)), None)

    def chunk_count(self) -> int:
        return sum(d.chunks for d in self.ingest.documents.values())

    def is_empty(self) -> bool:
        return self.chunk_count() == 0

    def stats(self) -> LibraryStats:
        documents = list(self.ingest.documents.values())
        latest = max(documents, key=lambda d: d.ingested_at, default=None)
        return LibraryStats(len(documents), self.chunk_count(), latest)


@dataclass
class FakeServices:
    answers: FakeAnswers = field(default_factory=FakeAnswers)
    ingest: FakeIngest = field(default_factory=FakeIngest)
    library: FakeLibrary = field(init=False)

    def __post_init__(self) -> None:
        self.library = FakeLibrary(self.ingest)
