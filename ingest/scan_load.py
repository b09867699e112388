"""Scanned pages to text: image files (.png .jpg .tif) and the PDF pages that have no text layer.

Every size is checked before anything is decoded: an image's pixel count (from its header), the pages to read
(``ScanLimits.pages``) and, in a PDF, the pixel size of each embedded image; a decompression bomb is refused by name.
PDF pages are rendered with pypdfium2 at about 2,000 pixels on the long side (what the detector reads anyway).
Each page's lines come from ``ingest.ocr``; page numbers ("— 1 —") and running headers (the same line at the top
or bottom of most pages) are dropped here, and lines cut by the page width rejoined from their boxes
(``ingest.placed_lines``; across the pages of an image file too, across PDF pages by ``ingest.pdf_lines``).
"""

from __future__ import annotations

import io
import logging
import re
import resource
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ingest.scan_text import LOW_CONFIDENCE, ScanInfo, ScanLimits

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np
    from numpy.typing import NDArray

    from ingest.ocr import OcrLine
    from ingest.placed_lines import PlacedLine

log = logging.getLogger(__name__)

PageProgress = Callable[[int, int], None]
"""Called after each scanned page: (pages done, pages to read)."""

RENDER_LONG_SIDE = 2000  # pixels: RapidOCR shrinks anything longer before detecting
_MAX_DPI = 300
_EDGE_LINES = 2  # lines at the top and at the bottom of a page where page numbers and running headers sit
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–一－_~·.]*\d{1,4}[\s\-—–一－_~·.]*$|^第\s*\d{1,4}\s*[页頁](?:\s*[/，,]?\s*共\s*\d{1,4}\s*[页頁])?$"
    r"|^\d{1,4}\s*/\s*\d{1,4}$"
)
_MIN_TEXT_LAYER = 10  # a PDF page with fewer characters than this in its text layer is read as a scan

BOMB_REASON = "图片尺寸过大（{w}×{h} 像素，上限 {cap:,} 像素），可能是解压炸弹，未读取"
PDF_IMAGE_REASON = "PDF 第 {page} 页中的图片过大（{w}×{h} 像素，上限 {cap:,} 像素），可能是解压炸弹，未读取"
TOO_MANY_PAGES_REASON = "需要文字识别的扫描页过多（{pages} 页，上限 {cap} 页），请拆分后再导入"
BAD_IMAGE_REASON = "不是有效的图片文件（文件可能已损坏或被截断）"
NO_TEXT_IN_SCAN_REASON = "扫描件中没有识别出文字（图片可能过于模糊、过小或没有文字）"


class ScanLimitError(ValueError):
    """A scan went over a limit (the parent reports it as a limit, by name)."""


def read_image_file(
    path: Path, data: bytes, limits: ScanLimits, progress: PageProgress | None
) -> tuple[str, ScanInfo]:
    """The text of an image file's ``data`` (every frame of a multi-page TIFF) and what OCR made of it."""
    from PIL import Image, UnidentifiedImageError

    # Pillow's own guard would refuse without saying the size; the same cap is checked here on the size the
    # header declares, before any pixel is decoded, and again for each frame.
    pillow_cap, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                _check_size(image.size[0], image.size[1], limits)
                frames = getattr(image, "n_frames", 1)
                if frames > limits.pages:
                    raise ScanLimitError(TOO_MANY_PAGES_REASON.format(pages=frames, cap=limits.pages))
                read = read_pages(_frames(image, frames, limits), frames, limits, progress)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ScanLimitError(BOMB_REASON.format(w="?", h="?", cap=limits.image_pixels)) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, EOFError) as exc:
        log.info("bad image path=%s error=%s", path.name, exc.__class__.__name__)
        raise ValueError(BAD_IMAGE_REASON) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = pillow_cap
    return _joined(read), scan_info(read, whole=True)


def _check_size(width: int, height: int, limits: ScanLimits) -> None:
    if width * height > limits.image_pixels:
        raise ScanLimitError(BOMB_REASON.format(w=width, h=height, cap=limits.image_pixels))


def _frames(image: Any, frames: int, limits: ScanLimits) -> Iterator[NDArray[np.uint8]]:
    """Each frame upright (EXIF orientation applied) as RGB, decoded one at a time, its size checked first."""
    import numpy as np
    from PIL import ImageOps

    for n in range(frames):
        image.seek(n)
        fw, fh = image.size
        _check_size(fw, fh, limits)
        yield np.asarray(ImageOps.exif_transpose(image).convert("RGB"))


def pdf_with_scans(
    data: bytes, texts: list[str], limits: ScanLimits, progress: PageProgress | None
) -> tuple[list[str], ScanInfo | None]:
    """Each page's text, OCR'd where the text layer is (nearly) empty and the page holds an image."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    wanted = [i for i, text in enumerate(texts) if len("".join(text.split())) < _MIN_TEXT_LAYER]
    if not wanted:
        return texts, None
    pdf = pdfium.PdfDocument(data)
    try:
        scans = []
        for i in wanted:
            page = pdf[i]
            images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
            for image in images:
                w, h = image.get_px_size()
                if w * h > limits.image_pixels:
                    reason = PDF_IMAGE_REASON.format(page=i + 1, w=w, h=h, cap=limits.image_pixels)
                    raise ScanLimitError(reason)
            if images:
                scans.append(i)
        if not scans:
            return texts, None
        if len(scans) > limits.pages:
            raise ScanLimitError(TOO_MANY_PAGES_REASON.format(pages=len(scans), cap=limits.pages))
        read = read_pages(_rendered(pdf, scans), len(scans), limits, progress)
    finally:
        pdf.close()
    out = list(texts)
    for i, lines in zip(scans, read, strict=True):
        out[i] = _joined([lines])
    return out, scan_info(read, whole=len(scans) == len(texts))


def _rendered(pdf: object, pages: list[int]) -> Iterator[NDArray[np.uint8]]:
    """Each page rendered to RGB at about ``RENDER_LONG_SIDE`` pixels on its long side."""
    for i in pages:
        page = pdf[i]  # type: ignore[index]
        width, height = page.get_size()
        scale = min(RENDER_LONG_SIDE / max(width, height, 1.0), _MAX_DPI / 72)
        bitmap = page.render(scale=scale, rev_byteorder=True)
        yield bitmap.to_numpy()[:, :, :3].copy()


def read_pages(
    pages: Iterator[NDArray[np.uint8]], total: int, limits: ScanLimits, progress: PageProgress | None
) -> list[list[OcrLine]]:
    """The lines of each page, page numbers and running headers dropped; progress reported after each page."""
    _allow_ocr_memory(limits.memory_mb)
    from ingest.ocr import read_page

    read: list[list[OcrLine]] = []
    for n, image in enumerate(pages, 1):
        started = time.perf_counter()
        read.append(read_page(image))
        log.debug(
            "ocr page=%s/%s seconds=%.1f lines=%s", n, total, time.perf_counter() - started, len(read[-1])
        )
        if progress:
            progress(n, total)
    return _without_page_furniture(read)


def _allow_ocr_memory(memory_mb: int) -> None:
    """Raise the address-space cap to the OCR allowance (the parse child sets its hard cap to allow it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = memory_mb * 1024 * 1024
    if soft != resource.RLIM_INFINITY and soft < want:
        resource.setrlimit(
            resource.RLIMIT_AS, (want if hard == resource.RLIM_INFINITY else min(want, hard), hard)
        )


def _without_page_furniture(pages: list[list[OcrLine]]) -> list[list[OcrLine]]:
    """Pages without their page numbers, and without running headers and footers: a line found among the
    first or last lines of at least two pages and of half the pages.
    """
    edges: Counter[str] = Counter()
    for lines in pages:
        edge = {_key(line.text) for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]}
        edges.update(edge)
    running = {key for key, n in edges.items() if n >= 2 and n * 2 >= len(pages)}
    out = []
    for lines in pages:
        kept = []
        for k, line in enumerate(lines):
            at_edge = k < _EDGE_LINES or k >= len(lines) - _EDGE_LINES
            if at_edge and (_PAGE_NUMBER.match(line.text) or _key(line.text) in running):
                continue
            kept.append(line)
        out.append(kept)
    return out


def _key(text: str) -> str:
    return "".join(text.split())


def placed(lines: list[OcrLine]) -> list[PlacedLine]:
    """A page's recognised lines as placed lines (for rejoining wrapped lines)."""
    from ingest.placed_lines import PlacedLine

    return [PlacedLine(x.text, x.left, x.right, x.height) for x in lines]


def image_array(data: bytes, limits: ScanLimits) -> NDArray[np.uint8]:
    """An embedded image (an OFD page's scan) as RGB, its declared size checked before it is decoded."""
    import io

    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            _check_size(image.size[0], image.size[1], limits)
            return np.asarray(image.convert("RGB"))
    except (UnidentifiedImageError, OSError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        raise ValueError(BAD_IMAGE_REASON) from exc


def _joined(pages: list[list[OcrLine]]) -> str:
    """The pages' text with wrapped lines rejoined from their boxes (``ingest.placed_lines``)."""
    from ingest.placed_lines import join_placed

    return join_placed([placed(lines) for lines in pages])


def scan_info(pages: list[list[OcrLine]], *, whole: bool) -> ScanInfo:
    """What OCR read on ``pages``: every line, and those read with low confidence."""
    lines = [line for page in pages for line in page]
    return ScanInfo(
        pages=len(pages),
        whole=whole,
        lines=tuple(line.text for line in lines),
        low=tuple(line.text for line in lines if line.score < LOW_CONFIDENCE),
    )
