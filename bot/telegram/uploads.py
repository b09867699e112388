"""Checks on uploaded files: a safe local name, a supported type, and content that matches the extension."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
"""Telegram's cloud Bot API lets bots download files up to 20 MB."""

_UNSAFE = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')
_BINARY_MAGIC = (
    b"PK\x03\x04",
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\xd0\xcf\x11\xe0",
    b"\x7fELF",
    b"MZ",
    b"Rar!",
    b"\x1f\x8b",
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SNIFF_BYTES = 8192


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
        return "文件是空的。"
    if suffix == ".docx":
        if not zipfile.is_zipfile(path):
            return "文件内容不是 Word（.docx）文档。"
        with zipfile.ZipFile(path) as zf:
            if "word/document.xml" not in zf.namelist():
                return "文件内容不是 Word（.docx）文档。"
        return None
    if suffix == ".pdf":
        return None if head.lstrip().startswith(b"%PDF-") else "文件内容不是 PDF 文档。"
    if head.startswith(_BINARY_MAGIC) or (not head.startswith(_UTF16_BOMS) and b"\x00" in head):
        return f"文件内容不是文本，与扩展名 {suffix} 不符。"
    return None
