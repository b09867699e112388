"""The admin half of a front end's session: uploads and the admin commands, audited as that front end.

Admins only, in private chats: the access check (``ChatService.check``) comes first.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from bot.chat.uploads import MB, DownloadError, FileTooLargeError, UploadError, failure_text

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine

    from bot.chat.admin import Admin, DeleteResult, Progress, ReindexResult, StatsResult
    from bot.chat.audit import AuditLog
    from bot.chat.service import ChatCore
    from bot.chat.types import Requester
    from bot.chat.uploads import UploadCheck, UploadResult
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

    @property
    def max_upload_bytes(self) -> int:
        """The one upload limit (``REPORTBOT_UPLOAD_MAX_MB``): download at most this much."""
        return self.core.uploads.max_bytes

    @property
    def max_upload_mb(self) -> int:
        """The upload limit in MB, for ``/help``."""
        return self.core.uploads.max_bytes // MB

    def check_upload(self, who: Requester, file_name: str, declared_size: int | None) -> UploadCheck:
        """Name and declared size checks before any download; a refusal is audited."""
        checked = self.core.uploads.check(file_name, declared_size)
        if checked.refusal is not None:
            extra = {"size": checked.size} if checked.size is not None else {}
            self._record_upload(who, checked.name, checked.outcome or "refused", **extra)
        return checked

    def upload_failed(self, who: Requester, name: str | None, error: UploadError) -> str:
        """Audit a file that did not arrive (download failed, over the limit while downloading) and say why."""
        extra: dict[str, object] = {}
        if isinstance(error, DownloadError):
            extra["error"] = error.cause
        elif isinstance(error, FileTooLargeError) and error.size is not None:
            extra["size"] = error.size
        self._record_upload(who, name or "", error.outcome, **extra)
        return failure_text(error, name or "")

    async def upload(
        self,
        who: Requester,
        checked: UploadCheck,
        data: bytes,
        on_wait: Callable[[], Awaitable[None]] | None = None,
    ) -> UploadResult:
        """Check the received bytes and ingest them under the ingest lock (``on_wait`` if it is busy); audited."""
        return await self.admin.upload(checked.name, data, self.audit, who.user_id, who.chat_id, on_wait)

    def _record_upload(self, who: Requester, name: str, outcome: str, **extra: object) -> None:
        self.audit.record(
            user_id=who.user_id, chat_id=who.chat_id, action="upload", outcome=outcome, what=name, **extra
        )
