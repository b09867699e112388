"""Upload jobs: the files of one upload, ingested one after another in the background, watched over SSE.

The request that uploads only takes the files (``Uploads.check`` refuses a wrong type or size by name, as in
the chats); the job then hands each file's bytes to ``Admin.upload``, the chats' own path (content check, the
process-wide ingest lock, ingest, audit): the same texts and reasons the chats show. Each file's state changes
are events an ``EventSource`` follows (``jobs.js``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.web.console import Console

logger = logging.getLogger(__name__)

KEEP_SECONDS = 3600
"""How long a finished job can still be looked at."""
HEARTBEAT_SECONDS = 15.0

WAITING = "等待导入"
RUNNING = "正在导入…"


@dataclass
class FileState:
    """One file of a job: its safe name, its bytes until it is ingested (None: refused), and what became of it."""

    name: str
    data: bytes | None
    state: str = "waiting"  # waiting | running | added | updated | unchanged | failed | rejected | refused
    text: str = WAITING

    def to_json(self, index: int) -> str:
        """The event's data."""
        return json.dumps({"index": index, "state": self.state, "text": self.text}, ensure_ascii=False)


@dataclass
class Job:
    """One upload's files and the version counter the event streams wait on."""

    id: str
    user: str
    files: list[FileState]
    done: bool = False
    version: int = 0
    finished_at: float = 0.0
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def touch(self) -> None:
        """Wake the event streams."""
        self.version += 1
        self.changed.set()
        self.changed = asyncio.Event()


class Jobs:
    """The upload jobs of one console process."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def get(self, job_id: str) -> Job | None:
        """The job, if it exists and is not too old."""
        self._forget_old()
        return self._jobs.get(job_id)

    def start(self, console: Console, user: str, files: list[FileState]) -> Job:
        """Register a job and start ingesting its accepted files in the background."""
        job = Job(secrets.token_urlsafe(12), user, files)
        self._jobs[job.id] = job
        task = asyncio.create_task(self._run(console, job))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job

    async def _run(self, console: Console, job: Job) -> None:
        admin, audit = console.core.admin, console.audit
        try:
            for state in job.files:
                if state.data is None:
                    continue  # refused by name or size at upload: already final
                state.state, state.text = "running", RUNNING
                job.touch()
                data, state.data = state.data, None  # a finished job keeps no file in memory
                result = await admin.upload(state.name, data, audit, job.user, None)
                state.state, state.text = result.outcome, result.text
                job.touch()
        except Exception:
            logger.exception("upload job failed job=%s", job.id)
            for state in job.files:
                if state.state in ("waiting", "running"):
                    state.state, state.text = (
                        "failed",
                        f"未能导入 {state.name}：服务器内部出错（详情见服务器日志）",
                    )
                    audit.record(
                        user_id=job.user, chat_id=None, action="upload", outcome="error", what=state.name
                    )
        finally:
            job.done = True
            job.finished_at = time.monotonic()
            job.touch()

    async def events(self, job: Job) -> AsyncIterator[str]:
        """The job as server-sent events: every file's state at once, then each change, then ``done``."""
        seen = -1
        while True:
            changed = job.changed
            if job.version != seen:
                seen = job.version
                for index, state in enumerate(job.files):
                    yield f"event: file\ndata: {state.to_json(index)}\n\n"
                if job.done:
                    yield "event: done\ndata: {}\n\n"
                    return
            try:
                await asyncio.wait_for(changed.wait(), HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"

    def _forget_old(self) -> None:
        now = time.monotonic()
        for job_id in [j.id for j in self._jobs.values() if j.done and now - j.finished_at > KEEP_SECONDS]:
            del self._jobs[job_id]
