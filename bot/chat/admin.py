"""Admin operations as core functions: uploads, documents, delete, reindex (in the background), stats.

Reads go only through ``services.library``, writes only through ``services.ingest``. Every write takes the
process-wide ingest lock (an ``asyncio.Lock`` shared with uploads), so a chat never runs two at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.chat import texts
from bot.chat.plain import plain_reason
from bot.chat.uploads import UploadResult, failure_text
from ingest.content import FileRefusedError
from retrieval.errors import ReportbotError, UnknownDocumentError

if TYPE_CHECKING:
    from bot.chat.audit import AuditLog
    from bot.chat.uploads import Uploads
    from ingest.library import Library, LibraryStats
    from ingest.results import IngestReport
    from ingest.service import IngestService
    from retrieval.types import DocumentInfo

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
"""``progress(done, total, source)``, called from a worker thread while a reindex runs."""


@dataclass(frozen=True)
class StatsResult:
    """What ``/stats`` shows."""

    library: LibraryStats
    questions: int


@dataclass(frozen=True)
class DeleteResult:
    """What ``/delete`` did: the text to show, the audit outcome and the document when one went."""

    text: str
    outcome: str
    document: DocumentInfo | None = None


@dataclass(frozen=True)
class ReindexResult:
    """A finished (or crashed) reindex: its report, or the Chinese text saying why it failed."""

    report: IngestReport | None
    error: str | None = None


class Admin:
    """The admin operations over one knowledge base; shared by every front end of a process."""

    def __init__(self, library: Library, ingest: IngestService, uploads: Uploads) -> None:
        self.library = library
        self.ingest = ingest
        self.uploads = uploads
        self.ingest_lock = asyncio.Lock()
        self._reindex: asyncio.Task[Any] | None = None

    async def upload(
        self,
        name: str,
        data: bytes,
        audit: AuditLog,
        user_id: str,
        chat_id: str | None,
        on_wait: Callable[[], Awaitable[None]] | None = None,
    ) -> UploadResult:
        """Stage and check the received bytes, then ingest them under the ingest lock (``on_wait`` if it is busy)."""
        try:
            incoming = await asyncio.to_thread(self.uploads.stage, name, data)
        except FileRefusedError as exc:
            result = UploadResult(failure_text(exc, name), exc.outcome, exc.reason)
            audit.record(
                user_id=user_id,
                chat_id=chat_id,
                action="upload",
                outcome=exc.outcome,
                what=name,
                reason=exc.reason,
            )
            return result
        if self.ingest_lock.locked() and on_wait is not None:
            await on_wait()
        async with self.ingest_lock:
            result = await asyncio.to_thread(self.uploads.ingest, incoming, name)
        audit.record(user_id=user_id, chat_id=chat_id, action="upload", outcome=result.outcome, what=name)
        return result

    async def documents(self) -> list[DocumentInfo]:
        """Every ingested document, sorted by source name."""
        return await asyncio.to_thread(self.library.documents)

    async def stats(self, audit: AuditLog) -> StatsResult:
        """Counts, the latest ingest and the questions answered (from the audit log)."""
        return StatsResult(await asyncio.to_thread(self.library.stats), audit.questions_answered)

    async def delete(self, ref: str, audit: AuditLog, user_id: str, chat_id: str) -> DeleteResult:
        """Delete one document (by source name or id); a file that came in through a chat goes too."""
        if not ref:
            return DeleteResult(texts.DELETE_USAGE, "usage")  # nothing asked, nothing audited
        try:
            async with self.ingest_lock:
                info = await asyncio.to_thread(self.ingest.delete, ref)
        except UnknownDocumentError:
            result = DeleteResult(texts.DELETE_UNKNOWN.format(doc=ref), "unknown")
        except ReportbotError as exc:
            reason = plain_reason(str(exc), texts.INTERNAL_ERROR)
            result = DeleteResult(texts.DELETE_FAILED.format(reason=reason), "failed")
        else:
            await asyncio.to_thread(self.uploads.forget, Path(info.path))
            text = texts.DELETED.format(
                title=info.title or info.source, source=info.source, chunks=info.chunks
            )
            result = DeleteResult(text, "deleted", info)
        audit.record(user_id=user_id, chat_id=chat_id, action="delete", outcome=result.outcome, what=ref)
        return result

    @property
    def reindex_running(self) -> bool:
        """True while a reindex started by any chat is still going."""
        return self._reindex is not None and not self._reindex.done()

    def start_reindex(
        self,
        progress: Progress,
        report: Callable[[ReindexResult], Awaitable[None]],
        audit: AuditLog,
        user_id: str,
        chat_id: str,
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[Any]] = asyncio.create_task,
    ) -> bool:
        """Start a background reindex (False when one is running); ``report`` is awaited with the result.

        ``spawn`` lets a front end run the task under its own supervision (e.g. PTB's ``create_task``).
        """
        if self.reindex_running:
            return False
        self._reindex = spawn(self._run_reindex(progress, report, audit, user_id, chat_id))
        return True

    async def _run_reindex(
        self,
        progress: Progress,
        report: Callable[[ReindexResult], Awaitable[None]],
        audit: AuditLog,
        user_id: str,
        chat_id: str,
    ) -> None:
        try:
            async with self.ingest_lock:
                result = await asyncio.to_thread(self.ingest.reindex, progress)
        except Exception as exc:
            logger.exception("reindex failed")
            audit.record(
                user_id=user_id, chat_id=chat_id, action="reindex", outcome="failed", error=type(exc).__name__
            )
            reason = (
                plain_reason(str(exc), texts.INTERNAL_ERROR)
                if isinstance(exc, ReportbotError)
                else texts.INTERNAL_ERROR
            )
            await report(ReindexResult(None, texts.REINDEX_CRASHED.format(reason=reason)))
            return
        counts = Counter(r.status for r in result.results)
        audit.record(user_id=user_id, chat_id=chat_id, action="reindex", outcome="done", **dict(counts))
        await report(ReindexResult(result))
