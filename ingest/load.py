"""Read a report file of any supported type into plain text.

Every failure becomes ``UnreadableFileError(path, reason)`` with a reason a bureau clerk can act on.
"""

from __future__ import annotations

import logging
import re
import warnings
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.decode import decode_bytes
from ingest.html_text import html_to_text
from ingest.old_word import OLE_MAGIC, is_old_word, old_word_text
from ingest.pdf_lines import join_wrapped_lines
from ingest.scan_load import NO_TEXT_IN_SCAN_REASON, PageProgress, ScanLimitError
from ingest.scan_text import ScanInfo, ScanLimits
from retrieval.errors import UnreadableFileError

if TYPE_CHECKING:
    from pathlib import Path

    from docx.table import Table

__all__ = ["SUPPORTED_SUFFIXES", "Extracted", "decode_bytes", "load_file", "load_text", "sniff"]

log = logging.getLogger(__name__)

_ORDER = (".txt", ".md", ".docx", ".doc", ".wps", ".pdf", ".ofd", ".html", ".htm")
IMAGE_SUFFIXES: frozenset[str] = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
WORD_SUFFIXES: frozenset[str] = frozenset({".docx", ".doc", ".wps"})
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_ORDER) | IMAGE_SUFFIXES
"""The one list of file types reportbot reads (CLI folders, chat uploads, the web console)."""
_SUPPORTED_LIST = "、".join((*_ORDER, ".png", ".jpg", ".jpeg", ".tif", ".tiff"))

EMPTY_REASON = "文件是空的"
NO_TEXT_REASON = "文件中没有文字"
BAD_DOCX_REASON = "不是有效的 Word 文档（文件可能已损坏或被截断）"
TEXT_AS_DOCX_REASON = "文件扩展名是 .docx，但内容是纯文本，不是 Word 文档；请把扩展名改为 .txt 后再上传"
BAD_PDF_REASON = "不是有效的 PDF 文件（文件可能已损坏或被截断）"
TEXT_AS_PDF_REASON = "文件扩展名是 .pdf，但内容是纯文本，不是 PDF 文件；请把扩展名改为 .txt 后再上传"
ENCRYPTED_PDF_REASON = "PDF 文件有密码保护，无法读取；请去掉密码后再上传"
SCANNED_PDF_REASON = "PDF 中没有可提取的文字，也没有能识别出文字的扫描页"


def unsupported_reason(suffix: str) -> str:
    shown = suffix or "（无扩展名）"
    return f"不支持的文件类型“{shown}”；支持的类型：{_SUPPORTED_LIST}"


def supported_list() -> str:
    """The supported types for a chat message, short: ``txt、md、docx、… 文件，或扫描件图片（png、jpg、tif）``."""
    return "txt、md、docx、doc、wps、pdf、ofd、html 文件，或扫描件图片（png、jpg、tif）"


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
) -> Extracted:
    """Extracted text of ``path`` with what OCR read (scans, image-only PDF pages); ``UnreadableFileError``.

    ``tool_seconds`` bounds an external reader (antiword); ``progress`` hears about each scanned page.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFileError(str(path), unsupported_reason(suffix))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFileError(str(path), "文件不存在") from None
    except OSError as exc:
        msg = f"无法读取文件（{exc.strerror or exc.__class__.__name__}）"
        raise UnreadableFileError(str(path), msg) from exc
    if not data.strip():
        raise UnreadableFileError(str(path), EMPTY_REASON)
    actual = _sniff(data)
    if actual and actual[0] != suffix and _family(actual[0]) != _family(suffix):
        msg = f"文件扩展名是 {suffix}，但内容是{actual[1]}；请把扩展名改为 {actual[0]} 后再上传"
        raise UnreadableFileError(str(path), msg)
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

            text, scan = read_image_file(path, limits, progress)
        elif suffix == ".ofd":
            from ingest.ofd import ofd_text

            text, scan = ofd_text(path, limits, progress)
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


def _family(suffix: str) -> str:
    """Suffixes read by the same reader whatever the content says (Word formats; image formats)."""
    if suffix in WORD_SUFFIXES:
        return ".docx"
    return ".png" if suffix in IMAGE_SUFFIXES else suffix


_MD_EMPHASIS = re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1")

_BINARY_MAGIC = (
    b"PK\x03\x04",
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    OLE_MAGIC,
    b"II*\x00",
    b"MM\x00*",
    b"\x7fELF",
    b"MZ",
    b"Rar!",
    b"\x1f\x8b",
)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_KIND_NAMES = {
    ".pdf": " PDF 文件",
    ".docx": " Word 文档",
    ".doc": "旧版 Word（.doc）文档",
    ".ofd": " OFD 文件",
    ".png": "图片",
    ".jpg": "图片",
    ".tif": "图片",
}
_IMAGE_MAGIC = {b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg", b"II*\x00": ".tif", b"MM\x00*": ".tif"}


class FileLimitError(UnreadableFileError):
    """A file went over a per-file limit; ``reason`` names the limit in Chinese."""


def sniff(data: bytes) -> str:
    """What a file's (first) bytes are, whatever its extension: ``.pdf``, ``.docx``, ``.doc``, ``.ofd``,
    ``.png``/``.jpg``/``.tif``, ``binary`` or ``text``.
    """
    if data.startswith(b"%PDF"):
        return ".pdf"
    if data.startswith(b"PK") and b"word/" in data:
        return ".docx"
    if data.startswith(b"PK") and b"OFD.xml" in data:
        return ".ofd"
    if is_old_word(data):
        return ".doc"
    for magic, kind in _IMAGE_MAGIC.items():
        if data.startswith(magic):
            return kind
    if data.startswith(_BINARY_MAGIC) or (not data.startswith(_UTF16_BOMS) and b"\x00" in data):
        return "binary"
    return "text"


def _sniff(data: bytes) -> tuple[str, str] | None:
    """(suffix, name) of a file type recognised by its content, whatever its extension."""
    kind = sniff(data)
    return (kind, _KIND_NAMES[kind]) if kind in _KIND_NAMES else None


def _looks_like_text(data: bytes) -> bool:
    try:
        decode_bytes(data[:4096])
    except ValueError:
        return False
    return True


def _docx_text(path: Path, data: bytes) -> str:
    """Paragraphs (with Word's automatic numbers) and table rows in order; heading styles are just lines."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    from ingest.docx_inline import flatten_inline
    from ingest.docx_numbering import DocxNumbering

    if not data.startswith(b"PK"):
        text_reason = TEXT_AS_DOCX_REASON.replace(".docx", path.suffix.lower(), 1)
        raise ValueError(text_reason if _looks_like_text(data) else BAD_DOCX_REASON)
    try:
        document = docx.Document(str(path))
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

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ValueError(TEXT_AS_PDF_REASON if _looks_like_text(data) else BAD_PDF_REASON)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(str(path), strict=False)
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
        pages, scan = pdf_with_scans(path, pages, limits, progress)
    except PdfiumError as exc:
        log.info("pdf not renderable path=%s error=%s", path.name, exc)
        raise ValueError(BAD_PDF_REASON) from exc
    return join_wrapped_lines("\n".join(pages)), scan
