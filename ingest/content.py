"""What a file is: the one list of types reportbot reads, and the one check that a file's bytes are what its name
says, before any reader runs.

Every way in uses it: ``load_file`` (the CLI, reindex, the bounded parse child) and every upload (the chats, the web
console), which check the bytes they received before keeping them. A refusal is a ``FileRefusedError`` subclass
whose ``reason`` is the one Chinese sentence users read and whose ``outcome`` is the audit word.
"""

from __future__ import annotations

import io
import zipfile
from typing import ClassVar

from ingest.old_word import OLE_MAGIC, is_old_word
from retrieval.errors import UnreadableFileError

_ORDER = (".txt", ".md", ".docx", ".doc", ".wps", ".pdf", ".ofd", ".html", ".htm")
IMAGE_SUFFIXES: frozenset[str] = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
WORD_SUFFIXES: frozenset[str] = frozenset({".docx", ".doc", ".wps"})
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_ORDER) | IMAGE_SUFFIXES
"""The one list of file types reportbot reads (CLI folders, chat uploads, the web console)."""
SNIFF_BYTES = 8192
"""How much of a file its type is told from (the magic numbers are at the start)."""

SUPPORTED_LIST = "txt、md、docx、doc、wps、pdf、ofd、html 文件，或扫描件图片（png、jpg、tif）"
UNSUPPORTED = "不支持的文件类型（{suffix}）。可以上传 " + SUPPORTED_LIST + "。"
EMPTY = "文件是空的。"
NOT_DOCX = "文件内容不是 Word（.docx）文档。"
NOT_WORD = "文件内容不是 Word 或 WPS 文档。"
BAD_DOCX_REASON = "不是有效的 Word 文档（文件可能已损坏或被截断）"
NOT_PDF = "文件内容不是 PDF 文档。"
NOT_OFD = "文件内容不是 OFD 文档。"
NOT_IMAGE = "文件内容不是 PNG、JPEG 或 TIFF 图片。"
NOT_TEXT = "文件内容不是文本，与扩展名 {suffix} 不符。"

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
_IMAGE_MAGIC = {b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg", b"II*\x00": ".tif", b"MM\x00*": ".tif"}


class FileRefusedError(UnreadableFileError):
    """A file refused for what it is, before any reader runs; ``reason`` is the sentence users read."""

    outcome: ClassVar[str] = "rejected"
    """The audit log's word for this refusal."""


class UnsupportedTypeError(FileRefusedError):
    """The name's extension is not a type reportbot reads."""

    outcome = "unsupported"


class EmptyFileError(FileRefusedError):
    """The file holds nothing but white space."""


class ContentMismatchError(FileRefusedError):
    """The bytes are not of the type the extension names."""


class DamagedFileError(FileRefusedError):
    """The bytes start as the named type but cannot be opened (cut off, damaged)."""


def suffix_of(name: str) -> str:
    """The extension of a file name, lower case with its dot (``""`` when it has none)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base[base.rfind(".") :].lower() if "." in base else ""


def check_type(name: str) -> str:
    """The suffix of ``name`` when reportbot reads that type; ``UnsupportedTypeError`` otherwise."""
    suffix = suffix_of(name)
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedTypeError(name, UNSUPPORTED.format(suffix=suffix or "无扩展名"))
    return suffix


def check_content(data: bytes, name: str) -> None:
    """Refuse ``data`` (typed, with its sentence) unless it is what the extension of ``name`` says."""
    suffix = check_type(name)
    if not data.strip():
        raise EmptyFileError(name, EMPTY)
    if suffix in WORD_SUFFIXES:
        if data.startswith(OLE_MAGIC):
            return  # .doc/.wps, or one named .docx: the Word stream may lie anywhere, the reader checks it
        _require_member(data, name, "word/document.xml", NOT_DOCX if suffix == ".docx" else NOT_WORD)
        return
    if suffix == ".ofd":
        _require_member(data, name, "OFD.xml", NOT_OFD)
        return
    head = data[:SNIFF_BYTES]
    if suffix == ".pdf":
        wanted, problem = {".pdf"}, NOT_PDF
        head = head.lstrip()
    elif suffix in IMAGE_SUFFIXES:
        wanted, problem = {".png", ".jpg", ".tif"}, NOT_IMAGE
    else:
        wanted, problem = {"text"}, NOT_TEXT.format(suffix=suffix)
    kind = sniff(head)
    if kind == "binary" and "text" in wanted and _utf16_without_bom(data, head):
        kind = "text"  # NUL bytes, but the decoder reads them as UTF-16 (a BOM is not always written)
    if kind not in wanted:
        raise ContentMismatchError(name, problem)


def _utf16_without_bom(data: bytes, head: bytes) -> bool:
    """Whether bytes with NULs and no magic number decode as UTF-16 text (``ingest.decode`` decides)."""
    from ingest.decode import decode_bytes

    if len(data) % 2 or head.startswith(_BINARY_MAGIC):
        return False
    try:
        decode_bytes(head)
    except ValueError:
        return False
    return True


def _require_member(data: bytes, name: str, member: str, problem: str) -> None:
    """A zip container (.docx, .ofd) must open and hold ``member``."""
    if not data.startswith(b"PK"):
        raise ContentMismatchError(name, problem)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        if member.startswith("word/") and b"word/" in data[:SNIFF_BYTES]:
            raise DamagedFileError(name, BAD_DOCX_REASON) from None
        raise ContentMismatchError(name, problem) from None
    if member not in names:
        raise ContentMismatchError(name, problem)


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
