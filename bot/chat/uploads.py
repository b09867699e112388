"""The upload flow of every front end: name and size checks before download, content checks after, then ingest.

A front end calls ``Uploads.check`` with the file's name and declared size (refusals need no download),
downloads into ``Uploads.incoming_path`` itself, then calls ``Uploads.ingest``: the content is checked with
``ingest.load``'s sniffing, the file moved into ``<data_dir>/uploads`` and ingested through the ingest
service; a failed replacement puts the previous file back. Each step returns the Chinese text to show.
"""

from __future__ import annotations

import logging
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.chat.plain import plain_reason
from ingest.load import IMAGE_SUFFIXES, SUPPORTED_SUFFIXES, sniff, supported_list
from ingest.old_word import OLE_MAGIC
from retrieval.errors import ReportbotError

if TYPE_CHECKING:
    from ingest.service import IngestService

logger = logging.getLogger(__name__)

UPLOADS_DIR = "uploads"
"""Folder under the data dir where files that came in through a chat are kept."""
SNIFF_BYTES = 8192

UNSUPPORTED = "不支持的文件类型（{suffix}）。可以上传 " + supported_list() + "。"
TOO_BIG = "文件太大（{size:.1f} MB）：机器人最多只能下载 {limit} MB 的文件。"
RECEIVING = "已收到 {name}，正在导入…"
WAITING = "正在等待另一项导入完成…"
DOWNLOAD_FAILED = "下载文件失败：{reason}"
DOWNLOAD_UNAVAILABLE = "暂时无法从聊天平台取得文件，请稍后重新发送"
UNREADABLE = "文件无法解析（详情见服务器日志），请检查文件是否完整、能否正常打开"
REJECTED = "未导入 {name}：{reason}"
ADDED = "已导入 {name}：{articles} 篇文章，{chunks} 个段落。"
UPDATED = "已更新 {name}：{articles} 篇文章，{chunks} 个段落（替换了旧版本）。"
UNCHANGED = "{name} 与已导入的版本相同，无需更新。"
SCANNED = "其中 {pages} 页是扫描件，文字由识别得出，引用时会注明“扫描件识别”。"
LOW_CONFIDENCE = "有 {chunks} 个段落识别置信度低，请核对原件。"
FAILED = "未能导入 {name}：{reason}"

EMPTY = "文件是空的。"
NOT_DOCX = "文件内容不是 Word（.docx）文档。"
NOT_PDF = "文件内容不是 PDF 文档。"
NOT_WORD = "文件内容不是 Word 或 WPS 文档。"
NOT_OFD = "文件内容不是 OFD 文档。"
NOT_IMAGE = "文件内容不是 PNG、JPEG 或 TIFF 图片。"
NOT_TEXT = "文件内容不是文本，与扩展名 {suffix} 不符。"

_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')


def uploads_dir(data_dir: Path) -> Path:
    """Where uploaded files are kept."""
    return data_dir / UPLOADS_DIR


def safe_file_name(name: str, fallback_stem: str = "upload") -> str:
    """A file name that stays inside the uploads folder (no directories, no control characters)."""
    base = _UNSAFE.sub("_", Path(name.replace("\\", "/")).name).strip(" .")
    if not Path(base).stem:
        base = fallback_stem + Path(base).suffix
    return base[-120:]


def content_problem(path: Path, suffix: str) -> str | None:
    """Why the file's content does not match its extension (in Chinese), or None when it does."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head.strip():
        return EMPTY
    if suffix in {".doc", ".wps"} and head.startswith(OLE_MAGIC):
        return None  # the Word stream may lie past the first bytes: the reader checks it
    if suffix in {".docx", ".doc", ".wps"}:
        return (
            None if _zip_holds(path, "word/document.xml") else (NOT_DOCX if suffix == ".docx" else NOT_WORD)
        )
    if suffix == ".ofd":
        return None if _zip_holds(path, "OFD.xml") else NOT_OFD
    kind = sniff(head.lstrip() if suffix == ".pdf" else head)
    if suffix == ".pdf":
        return None if kind == ".pdf" else NOT_PDF
    if suffix in IMAGE_SUFFIXES:
        return None if kind in {".png", ".jpg", ".tif"} else NOT_IMAGE
    return None if kind == "text" else NOT_TEXT.format(suffix=suffix)


def _zip_holds(path: Path, member: str) -> bool:
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zf:
        return member in zf.namelist()


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
    """The checks and the ingest of uploaded files, for one data dir."""

    def __init__(self, ingest: IngestService, data_dir: Path) -> None:
        self._ingest = ingest
        self.folder = uploads_dir(data_dir)

    def check(self, file_name: str, declared_size: int | None, max_bytes: int) -> UploadCheck:
        """Refuse an unsupported type or a file over ``max_bytes`` before anything is downloaded."""
        name = safe_file_name(file_name)
        suffix = name[name.rfind(".") :].lower() if "." in name else ""
        if suffix not in SUPPORTED_SUFFIXES:
            text = UNSUPPORTED.format(suffix=suffix or "无扩展名")
            return UploadCheck(name, suffix, text, "unsupported")
        if declared_size is not None and declared_size > max_bytes:
            text = TOO_BIG.format(size=declared_size / 1024 / 1024, limit=max_bytes // (1024 * 1024))
            return UploadCheck(name, suffix, text, "too_big", declared_size)
        return UploadCheck(name, suffix)

    def incoming_path(self, suffix: str) -> Path:
        """A fresh path (folder created) to download an accepted file into."""
        incoming = self.folder / ".incoming" / f"{uuid.uuid4().hex}{suffix}"
        incoming.parent.mkdir(parents=True, exist_ok=True)
        return incoming

    def reject(self, incoming: Path, name: str) -> UploadResult | None:
        """The rejection (file removed) when the downloaded content does not match the name's type, else None."""
        suffix = name[name.rfind(".") :].lower() if "." in name else ""
        problem = content_problem(incoming, suffix)
        if problem is None:
            return None
        incoming.unlink(missing_ok=True)
        return UploadResult(REJECTED.format(name=name, reason=problem), "rejected", problem)

    def ingest(self, incoming: Path, name: str) -> UploadResult:
        """Move a checked file into place and ingest it (blocking: run in a thread, under the ingest lock)."""
        return self._replace_and_ingest(incoming, self.folder / name, name)

    def _replace_and_ingest(self, incoming: Path, target: Path, name: str) -> UploadResult:
        """Move the checked file into place and ingest it; a failed replacement puts the old file back."""
        backup = target.with_name(f".{target.name}.previous")
        if target.exists():
            target.replace(backup)
        incoming.replace(target)
        failure: str | None = None
        try:
            result = self._ingest.ingest_file(target, source=name)
            if result.status == "failed":
                failure = result.error or "未知原因"
        except ReportbotError as exc:
            logger.warning("upload ingest failed source=%s error=%s", name, type(exc).__name__)
            failure = getattr(exc, "reason", None) or str(exc) or "未知原因"
        if failure is not None:
            failure = plain_reason(failure, UNREADABLE)
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
