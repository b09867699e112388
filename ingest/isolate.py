"""Read one file in a child process bounded in time and memory, with caps on decompressed size, pages and text.

A hostile file (a PDF of huge streams, a .docx that decompresses to gigabytes, a 50 MB text) must not hold the
writer lock for minutes or exhaust the server: the child is killed at the time limit, its address space is
capped with ``RLIMIT_AS``, and the caps refuse the file by name with the reason. A scan is read page by page:
the child reports each page read, and from then on each page must follow within ``ocr_page_seconds`` (OCR gets
its own, larger memory allowance, ``ocr_memory_mb``). The child is forked from a
small fork server that has imported only ``ingest.load``, so each file costs one fork, not an interpreter.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import sys
import threading
import types
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.content import IMAGE_SUFFIXES, check_type
from ingest.decode import replaced_bytes
from ingest.load import PARSER_FAILED_REASON, FileLimitError, load_file, read_bytes
from ingest.scan_text import ScanInfo, ScanLimits
from retrieval.errors import UnreadableFileError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

log = logging.getLogger(__name__)

__all__ = ["FileLimitError", "LoadedFile", "ParseLimits", "load_isolated"]

PageProgress = Callable[[int, int], None]

_MB = 1024 * 1024
_TEXT_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
_ZIP_KINDS = {".docx": "Word 文档", ".doc": "Word 文档", ".wps": "WPS 文档", ".ofd": "OFD 文件"}


@dataclass(frozen=True)
class ParseLimits:
    """Per-file bounds (``bot.settings`` passes the configured values; these defaults suit work reports)."""

    seconds: float = 60.0
    memory_mb: int = 1024
    decompressed_mb: int = 200
    pages: int = 2000
    chars: int = 2_000_000
    chunks: int = 5000
    ocr_page_seconds: float = 30.0
    ocr_pages: int = 100
    image_pixels: int = 50_000_000
    ocr_memory_mb: int = 2560

    @property
    def scan(self) -> ScanLimits:
        """The bounds on OCR work, as the scan reader takes them."""
        return ScanLimits(self.ocr_page_seconds, self.ocr_pages, self.image_pixels, self.ocr_memory_mb)


@dataclass(frozen=True)
class LoadedFile:
    """A file's text, how many invalid bytes were replaced while decoding it, and what OCR read (if any)."""

    text: str
    replaced_bytes: int = 0
    scan: ScanInfo | None = None


_context: Any = None
_main_lock = threading.Lock()


def _ctx() -> Any:
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(["ingest.isolate"])
    return _context


def _start_without_main(child: Any) -> None:
    """Start ``child`` without making it re-import ``__main__`` (the whole CLI or bot, seconds per file):
    multiprocessing re-runs the main module in every child it does not fork from the parent.
    """
    with _main_lock:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            child.start()
        finally:
            sys.modules["__main__"] = main


def load_isolated(
    path: Path, limits: ParseLimits, progress: PageProgress | None = None, data: bytes | None = None
) -> LoadedFile:
    """The text of ``path`` read in a bounded child process; ``UnreadableFileError`` (or ``FileLimitError``).

    ``progress`` hears (pages read, pages to read) after each scanned page; ``data`` is the file's bytes when the
    caller has read them (the child gets them and reads nothing again).
    """
    receive, send = _ctx().Pipe(duplex=False)
    child = _ctx().Process(target=_child, args=(send, str(path), limits, data), daemon=True)
    _start_without_main(child)
    send.close()
    try:
        wait, done, total = limits.seconds, 0, 0
        while True:
            if not receive.poll(wait):
                child.kill()
                raise FileLimitError(str(path), _timeout_reason(limits, done, total))
            kind, value, replaced = receive.recv()
            if kind != "page":
                break
            done, total = value
            wait = limits.ocr_page_seconds
            if progress:
                progress(done, total)
    except (EOFError, OSError):
        scanning = total or path.suffix.lower() in IMAGE_SUFFIXES
        memory = limits.ocr_memory_mb if scanning else limits.memory_mb
        raise FileLimitError(
            str(path), f"解析进程异常退出（可能超出内存限制 {memory} MB），文件可能过大或已损坏"
        ) from None
    finally:
        receive.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
    if kind == "limit":
        raise FileLimitError(str(path), value)
    if kind == "error":
        raise UnreadableFileError(str(path), value)
    if kind == "crash":
        log.warning("parse crashed path=%s error=%s", path.name, value)
        raise UnreadableFileError(str(path), PARSER_FAILED_REASON)
    text, scan = value
    return LoadedFile(text, replaced, scan)


def _timeout_reason(limits: ParseLimits, done: int, total: int) -> str:
    if total:
        return (
            f"扫描件第 {done + 1} 页（共 {total} 页）文字识别超过每页时间限制（{limits.ocr_page_seconds:g} 秒），"
            "图片可能过大或过于复杂"
        )
    return f"解析超过时间限制（{limits.seconds:g} 秒），文件可能过大或已损坏"


def _child(send: Connection, path_text: str, limits: ParseLimits, data: bytes | None) -> None:
    """In the child: cap memory, check the caps, read the text and send it (or the reason) back."""
    import resource

    cap = limits.memory_mb * _MB
    # The hard cap leaves room for OCR, which raises its own soft cap to ``ocr_memory_mb`` before loading models.
    resource.setrlimit(resource.RLIMIT_AS, (cap, max(cap, limits.ocr_memory_mb * _MB)))
    path = Path(path_text)
    try:
        check_type(path_text)
        data = read_bytes(path) if data is None else data
        _check_container(path, data, limits)
        extracted = load_file(
            path,
            scan_limits=limits.scan,
            tool_seconds=max(1.0, limits.seconds - 5),
            progress=lambda done, total: send.send(("page", (done, total), 0)),
            data=data,
        )
        text = extracted.text
        if len(text) > limits.chars:
            reason = f"文字过多（{len(text):,} 字，上限 {limits.chars:,} 字），请拆分后再导入"
            send.send(("limit", reason, 0))
            return
        replaced = replaced_bytes(data) if path.suffix.lower() in _TEXT_SUFFIXES else 0
        send.send(("ok", (text, extracted.scan), replaced))
    except FileLimitError as exc:
        send.send(("limit", exc.reason, 0))
    except UnreadableFileError as exc:
        send.send(("limit" if _hit_pdf_limit(exc) else "error", _reason(exc, limits), 0))
    except MemoryError:
        send.send(("limit", f"解析时超出内存限制（{limits.memory_mb} MB），文件可能过大或已损坏", 0))
    except Exception as exc:
        send.send(("crash", type(exc).__name__, 0))
    finally:
        send.close()


def _check_container(path: Path, data: bytes, limits: ParseLimits) -> None:
    """Refuse a .docx whose members decompress past the cap, or a PDF with too many pages; cap PDF streams."""
    suffix = path.suffix.lower()
    cap = limits.decompressed_mb * _MB
    if suffix in _ZIP_KINDS and zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # declared sizes bound what zipfile will inflate
            total = sum(info.file_size for info in archive.infolist())
        if total > cap:
            kind = _ZIP_KINDS[suffix]
            reason = f"{kind}解压后过大（{total // _MB} MB，上限 {limits.decompressed_mb} MB）"
            raise FileLimitError(str(path), reason)
    elif suffix == ".pdf":
        import pypdf

        if hasattr(pypdf, "overwrite_configuration"):
            stream_cap = min(cap, 75_000_000)
            pypdf.overwrite_configuration(
                zlib_maximum_output_length=stream_cap,
                lzw_maximum_output_length=stream_cap,
                run_length_maximum_output_length=stream_cap,
                maximum_declared_stream_length=stream_cap,
            )
        try:
            pages = len(pypdf.PdfReader(io.BytesIO(data), strict=False).pages)
        except Exception:
            return
        if pages > limits.pages:
            raise FileLimitError(
                str(path), f"PDF 页数过多（{pages} 页，上限 {limits.pages} 页），请拆分后再导入"
            )


def _hit_pdf_limit(exc: BaseException) -> bool:
    cause: BaseException | None = exc
    while cause is not None:
        if type(cause).__name__ == "LimitReachedError":
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _reason(exc: UnreadableFileError, limits: ParseLimits) -> str:
    if _hit_pdf_limit(exc):
        return f"PDF 中的数据流解压后过大（上限 {limits.decompressed_mb} MB）"
    return exc.reason
