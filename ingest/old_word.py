"""The old binary Word format (.doc, Word 97–2003) and WPS 文字 (.wps, saved in the same format) to text.

Recognised by content (an OLE2 compound file holding a ``WordDocument`` stream), whatever the extension. The text
comes from Debian's ``antiword`` (paragraphs whole, tables as rows); a file it cannot read (fast-saved, some WPS
files) is read with ``catdoc``. Both run with a time limit inside the bounded parse child, whose memory cap they
inherit.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

log = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")

MISSING_TOOL_REASON = (
    "读取旧版 Word（.doc）和 WPS（.wps）文件需要 antiword 和 catdoc，服务器上没有安装；"
    "请管理员运行 apt-get install antiword catdoc 后再导入，或把文件另存为 .docx"
)
NOT_WORD_REASON = "不是 Word 97-2003 或 WPS 文字文档（可能是 Excel、PowerPoint 或其他 Office 文件）"
ENCRYPTED_REASON = "文档有密码保护，无法读取；请去掉密码后再上传"
BAD_WORD_REASON = "无法读取这个旧版 Word/WPS 文档（文件可能已损坏）；可在 Word 或 WPS 中另存为 .docx 后再上传"
TIMEOUT_REASON = "读取旧版 Word/WPS 文档超过时间限制（{seconds:g} 秒），文件可能过大或已损坏"


def is_old_word(data: bytes) -> bool:
    """True for an OLE2 compound file that holds a Word document stream (.doc, and .wps saved by WPS)."""
    return data.startswith(OLE_MAGIC) and _WORD_STREAM in data


def old_word_text(path: Path, data: bytes, seconds: float) -> str:
    """The document's text; ``ValueError`` with the Chinese reason when it cannot be read."""
    if not data.startswith(OLE_MAGIC):
        raise ValueError(BAD_WORD_REASON)
    if _WORD_STREAM not in data:
        raise ValueError(NOT_WORD_REASON)
    tools = [t for t in ("antiword", "catdoc") if shutil.which(t)]
    if not tools:
        raise ValueError(MISSING_TOOL_REASON)
    encrypted = False
    for tool in tools:
        command = [tool, "-m", "UTF-8.txt", "-w", "0"] if tool == "antiword" else [tool, "-d", "utf-8", "-w"]
        try:
            done = subprocess.run(
                [*command, str(path.resolve())],
                capture_output=True,
                timeout=seconds,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise ValueError(TIMEOUT_REASON.format(seconds=seconds)) from exc
        text = done.stdout.decode("utf-8", errors="replace")
        error = done.stderr.decode("utf-8", errors="replace")
        encrypted = encrypted or "encrypt" in error.lower()
        if done.returncode == 0 and text.strip():
            return _tidy(text)
        log.info("old word tool=%s rc=%s path=%s", tool, done.returncode, path.name)
    raise ValueError(ENCRYPTED_REASON if encrypted else BAD_WORD_REASON)


def _tidy(text: str) -> str:
    """Tool output without form feeds and antiword's picture placeholders."""
    lines = [line.rstrip() for line in text.replace("\f", "\n").split("\n")]
    return "\n".join(line for line in lines if line.strip() not in {"[pic]", "[Image]"})
