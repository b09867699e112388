"""Read a report file of any supported type into plain text.

Every failure becomes ``UnreadableFileError(path, reason)`` with a reason a bureau clerk can act on.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.content import (
    BAD_DOCX_REASON,
    IMAGE_SUFFIXES,
    SUPPORTED_SUFFIXES,
    WORD_SUFFIXES,
    check_content,
    check_type,
)
from ingest.decode import decode_bytes
from ingest.html_text import html_to_text
from ingest.old_word import OLE_MAGIC, old_word_text
from ingest.pdf_lines import join_wrapped_lines
from ingest.scan_load import NO_TEXT_IN_SCAN_REASON, PageProgress, ScanLimitError
from ingest.scan_text import ScanInfo, ScanLimits
from retrieval.errors import UnreadableFileError

if TYPE_CHECKING:
    from pathlib import Path

    from docx.table import Table

__all__ = ["BAD_DOCX_REASON", "SUPPORTED_SUFFIXES", "Extracted", "decode_bytes", "load_file", "load_text"]

log = logging.getLogger(__name__)

NO_TEXT_REASON = "文件中没有文字"
BAD_PDF_REASON = "不是有效的 PDF 文件（文件可能已损坏或被截断）"
ENCRYPTED_PDF_REASON = "PDF 文件有密码保护，无法读取；请去掉密码后再上传"
SCANNED_PDF_REASON = "PDF 中没有可提取的文字，也没有能识别出文字的扫描页"
PARSER_FAILED_REASON = "文件无法解析（详情见服务器日志），请检查文件是否完整、能否正常打开"
"""A reader crashed on the file (a bug, an odd file): the error's type goes to the log, this to the user."""


@dataclass(frozen=True)
class Extracted:
    """A file's text and, when any of it was read by OCR, what was (``ScanInfo``)."""

    text: str
    scan: ScanInfo | None = None


def load_text(path: Path) -> str:
    """Extracted text of ``path``; raises ``UnreadableFileError`` with a Chinese reason."""
    return load_file(path).text


def load_file(
    path: Path,
    *,
    scan_limits: ScanLimits | None = None,
    tool_seconds: float = 60.0,
    progress: PageProgress | None = None,
    data: bytes | None = None,
) -> Extracted:
    """Extracted text of ``path`` with what OCR read (scans, image-only PDF pages); ``UnreadableFileError``.

    ``tool_seconds`` bounds an external reader (antiword); ``progress`` hears about each scanned page; ``data``
    is the file's bytes when the caller has read them already (they are not read again). The content is checked
    against the extension first (``ingest.content``: typed ``FileRefusedError``s).
    """
    suffix = check_type(str(path))
    if data is None:
        data = read_bytes(path)
    check_content(data, str(path))
    limits = scan_limits or ScanLimits()
    scan: ScanInfo | None = None
    try:
        if suffix in WORD_SUFFIXES and data.startswith(OLE_MAGIC):
            text = old_word_text(path, data, tool_seconds)
        elif suffix in WORD_SUFFIXES:
            text = _docx_text(path, data)
        elif suffix == ".pdf":
            text, scan = _pdf_text(path, data, limits, progress)
        elif suffix in IMAGE_SUFFIXES:
            from ingest.scan_load import read_image_file

            text, scan = read_image_file(path, data, limits, progress)
        elif suffix == ".ofd":
            from ingest.ofd import ofd_text

            text, scan = ofd_text(path, data, limits, progress)
        elif suffix in {".html", ".htm"}:
            text = html_to_text(decode_bytes(data))
        elif suffix == ".md":
            text = _MD_EMPHASIS.sub(r"\2", decode_bytes(data))  # **江澜市卫生健康委员会** reads as the name
        else:
            text = decode_bytes(data)
    except ScanLimitError as exc:
        raise FileLimitError(str(path), str(exc)) from exc
    except ValueError as exc:
        raise UnreadableFileError(str(path), str(exc)) from exc
    if not text.strip():
        reason = NO_TEXT_IN_SCAN_REASON if suffix in IMAGE_SUFFIXES else NO_TEXT_REASON
        raise UnreadableFileError(str(path), SCANNED_PDF_REASON if suffix == ".pdf" else reason)
    log.debug(
        "loaded path=%s suffix=%s chars=%s scanned_pages=%s",
        path.name,
        suffix,
        len(text),
        scan and scan.pages,
    )
    return Extracted(text, scan)


def read_bytes(path: Path) -> bytes:
    """The file's bytes; ``UnreadableFileError`` (in Chinese) when it is gone or cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFileError(str(path), "文件不存在") from None
    except OSError as exc:
        msg = f"无法读取文件（{exc.strerror or exc.__class__.__name__}）"
        raise UnreadableFileError(str(path), msg) from exc


_MD_EMPHASIS = re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1")


class FileLimitError(UnreadableFileError):
    """A file went over a per-file limit; ``reason`` names the limit in Chinese."""


def _docx_text(path: Path, data: bytes) -> str:
    """Paragraphs (with Word's automatic numbers) and table rows in order; heading styles are just lines."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    from ingest.docx_inline import flatten_inline
    from ingest.docx_numbering import DocxNumbering

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        log.info("bad docx path=%s error=%s", path.name, exc.__class__.__name__)
        raise ValueError(BAD_DOCX_REASON) from exc
    flatten_inline(document.element.body)
    numbering = DocxNumbering(document)
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_rows(block))
        else:
            lines.append(numbering.prefix(block) + block.text)
    return "\n".join(lines)


def _table_rows(table: Table) -> list[str]:
    """One line per row; merged cells (repeated by python-docx) appear once; nested tables follow their row."""
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        nested: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if text:
                cells.append(text)
            for inner in cell.tables:
                nested.extend(_table_rows(inner))
        if cells:
            rows.append(" | ".join(cells))
        rows.extend(nested)
    return rows


def _pdf_text(
    path: Path, data: bytes, limits: ScanLimits, progress: PageProgress | None
) -> tuple[str, ScanInfo | None]:
    """Text of every page (lines wrapped inside a sentence rejoined), pages separated by a newline; a page
    with no text layer but an image is read by OCR (``ingest.scan_load``).
    """
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            locked = reader.is_encrypted and not reader.decrypt("")
            pages = [] if locked else [page.extract_text() or "" for page in reader.pages]
    except FileNotDecryptedError as exc:
        raise ValueError(ENCRYPTED_PDF_REASON) from exc
    except (PdfReadError, Exception) as exc:  # pypdf raises many types on damaged files
        log.info("bad pdf path=%s error=%s", path.name, exc.__class__.__name__)
        raise ValueError(BAD_PDF_REASON) from exc
    if locked:
        raise ValueError(ENCRYPTED_PDF_REASON)
    from pypdfium2 import PdfiumError

    from ingest.scan_load import pdf_with_scans

    try:
        pages, scan = pdf_with_scans(data, pages, limits, progress)
    except PdfiumError as exc:
        log.info("pdf not renderable path=%s error=%s", path.name, exc)
        raise ValueError(BAD_PDF_REASON) from exc
    return join_wrapped_lines("\n".join(pages)), scan
