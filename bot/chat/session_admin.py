"""The admin half of a front end's session: uploads and the admin commands, audited as that front end.

Admins only, in private chats: the access check (``ChatService.check``) comes first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from bot.chat.plain import plain_reason
from bot.chat.uploads import DOWNLOAD_FAILED, DOWNLOAD_UNAVAILABLE, UploadCheck, UploadResult

if TYPE_CHECKING:
    from pathlib import Path

    from bot.chat.admin import Admin, DeleteResult, Progress, ReindexResult, StatsResult
    from bot.chat.audit import AuditLog
    from bot.chat.service import ChatCore
    from bot.chat.types import Requester
    from retrieval.types import DocumentInfo


class AdminSession:
    """Uploads, documents, delete, reindex and stats for one front end (mixed into ``ChatService``)."""

    core: ChatCore
    admin: Admin
    audit: AuditLog

    async def documents(self, who: Requester | None = None) -> list[DocumentInfo]:
        """``/docs``: every ingested document, sorted by source name (audited when ``who`` is given)."""
        try:
            documents = await self.admin.documents()
        except Exception:
            self._record_admin(who, "docs", "error")
            raise
        self._record_admin(who, "docs", "shown", documents=len(documents))
        return documents

    async def stats(self, who: Requester | None = None) -> StatsResult:
        """``/stats``: counts, the latest ingest, questions answered (audited when ``who`` is given)."""
        try:
            result = await self.admin.stats(self.audit)
        except Exception:
            self._record_admin(who, "stats", "error")
            raise
        self._record_admin(who, "stats", "shown")
        return result

    def _record_admin(self, who: Requester | None, action: str, outcome: str, **extra: object) -> None:
        if who is not None:
            self.audit.record(
                user_id=who.user_id, chat_id=who.chat_id, action=action, outcome=outcome, **extra
            )

    async def delete(self, who: Requester, ref: str) -> DeleteResult:
        """``/delete``: remove a document by source name or id (audited)."""
        return await self.admin.delete(ref, self.audit, who.user_id, who.chat_id)

    def start_reindex(
        self,
        who: Requester,
        progress: Progress,
        report: Callable[[ReindexResult], Awaitable[None]],
        spawn: Callable[[Coroutine[Any, Any, None]], asyncio.Task[Any]] = asyncio.create_task,
    ) -> bool:
        """``/reindex`` in the background (False when one is already running)."""
        return self.admin.start_reindex(progress, report, self.audit, who.user_id, who.chat_id, spawn)

    def check_upload(
        self, who: Requester, file_name: str, declared_size: int | None, max_bytes: int
    ) -> UploadCheck:
        """Name and size checks before any download; a refusal is audited."""
        checked = self.core.uploads.check(file_name, declared_size, max_bytes)
        if checked.refusal is not None:
            extra = {"size": checked.size} if checked.size is not None else {}
            self._record_upload(who, checked.name, checked.outcome or "refused", **extra)
        return checked

    def incoming_path(self, checked: UploadCheck) -> Path:
        """Where the front end downloads an accepted file to."""
        return self.core.uploads.incoming_path(checked.suffix)

    async def download_failed(
        self, who: Requester, checked: UploadCheck, incoming: Path, error: str, reason: str
    ) -> str:
        """Clean up after a failed download, audit it, and say so."""
        await asyncio.to_thread(incoming.unlink, missing_ok=True)
        self._record_upload(who, checked.name, "download_failed", error=error)
        return DOWNLOAD_FAILED.format(reason=plain_reason(reason, DOWNLOAD_UNAVAILABLE))

    async def upload(
        self,
        who: Requester,
        checked: UploadCheck,
        incoming: Path,
        on_wait: Callable[[], Awaitable[None]] | None = None,
    ) -> UploadResult:
        """Check the downloaded file's content and ingest it under the ingest lock (``on_wait`` if it is busy)."""
        rejected = await asyncio.to_thread(self.core.uploads.reject, incoming, checked.name)
        if rejected is not None:
            self._record_upload(who, checked.name, rejected.outcome, reason=rejected.reason)
            return rejected
        lock = self.admin.ingest_lock
        if lock.locked() and on_wait is not None:
            await on_wait()
        async with lock:
            result = await asyncio.to_thread(self.core.uploads.ingest, incoming, checked.name)
        self._record_upload(who, checked.name, result.outcome)
        return result

    def _record_upload(self, who: Requester, name: str, outcome: str, **extra: object) -> None:
        self.audit.record(
            user_id=who.user_id, chat_id=who.chat_id, action="upload", outcome=outcome, what=name, **extra
        )
