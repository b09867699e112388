"""The one upload path of every front end: name and size before the download, the content on the bytes received,
then ingest.

A front end calls ``Uploads.check`` with the file's name and the size the platform declares (a refusal needs no
download), downloads at most ``Uploads.max_bytes`` (the one limit, ``REPORTBOT_UPLOAD_MAX_MB``), and hands the bytes
to ``Uploads.stage``: written once into ``<data_dir>/uploads/.incoming`` and checked by ``ingest.content`` (the one
content check, in memory); ``Uploads.ingest`` then moves the file into place and ingests it; a failed
replacement puts the previous file back. Refusals are typed (``ingest.content.FileRefusedError``,
``FileTooLargeError``, ``DownloadError``); ``failure_text`` gives each its one Chinese sentence.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from bot.settings import DEFAULT_UPLOAD_MAX_MB
from ingest.content import FileRefusedError, UnsupportedTypeError, check_content, check_type, suffix_of
from retrieval.errors import ReportbotError, UnreadableFileError

if TYPE_CHECKING:
    from ingest.service import IngestService

logger = logging.getLogger(__name__)

MB = 1024 * 1024
UPLOADS_DIR = "uploads"
"""Folder under the data dir where files that came in through a chat are kept."""

TOO_BIG = "文件太大（{size:.1f} MB）：机器人最多只能下载 {limit} MB 的文件。"
TOO_BIG_UNDECLARED = "文件太大：机器人最多只能下载 {limit} MB 的文件。"
RECEIVING = "已收到 {name}，正在导入…"
WAITING = "正在等待另一项导入完成…"
DOWNLOAD_FAILED = "下载文件失败：{reason}"
DOWNLOAD_UNAVAILABLE = "暂时无法从聊天平台取得文件，请稍后重新发送"
WRITE_FAILED = "知识库暂时无法写入（详情见服务器日志），请稍后再试"
REJECTED = "未导入 {name}：{reason}"
ADDED = "已导入 {name}：{articles} 篇文章，{chunks} 个段落。"
UPDATED = "已更新 {name}：{articles} 篇文章，{chunks} 个段落（替换了旧版本）。"
UNCHANGED = "{name} 与已导入的版本相同，无需更新。"
SCANNED = "其中 {pages} 页是扫描件，文字由识别得出，引用时会注明“扫描件识别”。"
LOW_CONFIDENCE = "有 {chunks} 个段落识别置信度低，请核对原件。"
FAILED = "未能导入 {name}：{reason}"

_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')


class FileTooLargeError(FileRefusedError):
    """The file is over the one upload limit; ``size`` is None when only the download's running count said so."""

    outcome = "too_big"

    def __init__(self, name: str, size: int | None, limit: int) -> None:
        self.size = size
        self.limit = limit
        mb = limit // MB
        reason = (
            TOO_BIG_UNDECLARED.format(limit=mb) if size is None else TOO_BIG.format(size=size / MB, limit=mb)
        )
        super().__init__(name, reason)


class DownloadError(ReportbotError):
    """The platform did not hand the file over; ``reason`` says why in Chinese, ``cause`` names the error (logs)."""

    outcome: ClassVar[str] = "download_failed"

    def __init__(self, reason: str, cause: str) -> None:
        self.reason = reason
        self.cause = cause
        super().__init__(f"{cause}: {reason}")


UploadError = FileRefusedError | DownloadError
"""Why a file an admin sent was not taken: the audit's ``outcome`` and ``failure_text`` for the user."""


def failure_text(error: UploadError, name: str) -> str:
    """The one sentence users read for ``error`` (the same on every front end)."""
    if isinstance(error, DownloadError):
        return DOWNLOAD_FAILED.format(reason=error.reason)
    if isinstance(error, UnsupportedTypeError | FileTooLargeError):
        return error.reason
    return REJECTED.format(name=name, reason=error.reason)


def uploads_dir(data_dir: Path) -> Path:
    """Where uploaded files are kept."""
    return data_dir / UPLOADS_DIR


def safe_file_name(name: str, fallback_stem: str = "upload") -> str:
    """A file name that stays inside the uploads folder (no directories, no control characters)."""
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    if not Path(base).stem:
        base = fallback_stem + Path(base).suffix
    return base[-120:]


def content_problem(content: bytes | Path, suffix: str) -> str | None:
    """The one content check (``ingest.content``) as its sentence: why ``content`` is not a ``suffix`` file."""
    data = content.read_bytes() if isinstance(content, Path) else content
    try:
        check_content(data, "upload" + suffix)
    except FileRefusedError as exc:
        return exc.reason
    return None


@dataclass(frozen=True)
class UploadCheck:
    """The pre-download verdict: the safe name, its suffix, and the refusal (text and audit outcome) if any."""

    name: str
    suffix: str
    refusal: str | None = None
    outcome: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class UploadResult:
    """What became of an upload: the text to show and the audit outcome (added, updated, unchanged, failed…)."""

    text: str
    outcome: str
    reason: str | None = None


class Uploads:
    """The checks and the ingest of uploaded files, for one data dir and the one size limit."""

    def __init__(
        self, ingest: IngestService, data_dir: Path, max_bytes: int = DEFAULT_UPLOAD_MAX_MB * MB
    ) -> None:
        self._ingest = ingest
        self.folder = uploads_dir(data_dir)
        self.max_bytes = max_bytes

    def check(self, file_name: str, declared_size: int | None) -> UploadCheck:
        """Refuse an unsupported type or a declared size over the limit, before anything is downloaded."""
        name = safe_file_name(file_name)
        try:
            suffix = check_type(name)
            self.check_size(name, declared_size)
        except FileRefusedError as exc:
            size = exc.size if isinstance(exc, FileTooLargeError) else None
            return UploadCheck(name, suffix_of(name), failure_text(exc, name), exc.outcome, size)
        return UploadCheck(name, suffix)

    def check_size(self, name: str, size: int | None) -> None:
        """``FileTooLargeError`` when ``size`` is over the limit."""
        if size is not None and size > self.max_bytes:
            raise FileTooLargeError(name, size, self.max_bytes)

    def stage(self, name: str, data: bytes) -> Path:
        """Write the received bytes once into ``.incoming`` and check them there (size, then content, in memory).

        A refusal (``FileRefusedError``) removes the staged file; the path returned goes to ``ingest``.
        """
        self.check_size(name, len(data))
        incoming = self.folder / ".incoming" / f"{uuid.uuid4().hex}{suffix_of(name)}"
        incoming.parent.mkdir(parents=True, exist_ok=True)
        incoming.write_bytes(data)
        try:
            check_content(data, name)
        except FileRefusedError:
            incoming.unlink(missing_ok=True)
            raise
        return incoming

    def ingest(self, incoming: Path, name: str) -> UploadResult:
        """Move a staged file into place and ingest it (blocking: run it in a thread, under the ingest lock).

        A failed replacement puts the previous file back.
        """
        target = self.folder / name
        backup = target.with_name(f".{target.name}.previous")
        if target.exists():
            target.replace(backup)
        incoming.replace(target)
        failure: str | None = None
        try:
            result = self._ingest.ingest_file(target, source=name)
            if result.status == "failed":
                failure = result.error or "未知原因"
        except UnreadableFileError as exc:
            failure = exc.reason
        except ReportbotError as exc:
            logger.warning("upload ingest failed source=%s error=%s", name, type(exc).__name__)
            failure = WRITE_FAILED
        if failure is not None:
            target.unlink(missing_ok=True)
            if backup.exists():
                backup.replace(target)
            return UploadResult(FAILED.format(name=name, reason=failure), "failed", failure)
        backup.unlink(missing_ok=True)
        template = {"added": ADDED, "updated": UPDATED}.get(result.status, UNCHANGED)
        text = template.format(name=name, articles=result.articles, chunks=result.chunks)
        if result.status != "unchanged" and result.scanned_pages:
            text += SCANNED.format(pages=result.scanned_pages)
            text += LOW_CONFIDENCE.format(chunks=result.low_confidence) if result.low_confidence else ""
        return UploadResult(text, result.status)

    def forget(self, path: Path) -> None:
        """Remove a deleted document's file when it came in through a chat (files elsewhere are the admin's)."""
        if path.resolve().is_relative_to(self.folder.resolve()):
            path.unlink(missing_ok=True)
