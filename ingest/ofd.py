"""OFD (GB/T 33190) to text: the format's XML read directly, pages in order, lines in reading order.

An OFD is a zip: ``OFD.xml`` names each document's root (``DocBody/DocRoot``), whose ``Document.xml`` lists the
pages (``Pages/Page/@BaseLoc``); each page's ``Content.xml`` holds ``TextObject`` elements placed by their
``Boundary`` ("x y w h", millimetres) with ``TextCode`` runs at ``X``/``Y`` inside it. Runs are grouped into
lines by baseline and read left to right, and lines wrapped by the page width rejoined (``ingest.placed_lines``);
a page with no text but an image (a scan saved as OFD) is read by OCR like any scan; templates (running headers) and annotations are not read. XML is parsed
with defusedxml; the zip's declared sizes are checked by the caller (``ingest.isolate``) before this runs.
"""

from __future__ import annotations

import io
import itertools
import logging
import posixpath
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ingest.placed_lines import PlacedLine, join_placed
from ingest.scan_text import ScanInfo, ScanLimits

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path
    from xml.etree.ElementTree import Element

    import numpy as np
    from numpy.typing import NDArray

    PageProgress = Callable[[int, int], None]

log = logging.getLogger(__name__)

BAD_OFD_REASON = "不是有效的 OFD 文件（文件可能已损坏或被截断）"
_MAX_MEMBER = 64 * 1024 * 1024  # one XML part larger than this is not a page of a report
_MAX_REPEAT = 10_000  # a DeltaX "g N d" repeat is never longer than a line


@dataclass(frozen=True)
class _Run:
    x: float
    y: float
    size: float
    text: str
    end: float  # where the run ends on the line (x + its width, estimated when not given)


def ofd_text(
    path: Path, data: bytes, limits: ScanLimits | None = None, progress: PageProgress | None = None
) -> tuple[str, ScanInfo | None]:
    """The text of every page of every document in the OFD, one paragraph per line; a page that holds no
    text but an image (a scanned 公文 saved as OFD) is read by OCR, and what OCR read is returned with it.
    """
    from defusedxml.common import DefusedXmlException

    limits = limits or ScanLimits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = _xml(archive, "OFD.xml")
            pages: list[list[PlacedLine]] = []
            scans: list[tuple[int, str]] = []  # (page index, zip member of its image)
            for doc_root in _all(root, "DocRoot"):
                doc_path = _resolve("", (doc_root.text or "").strip())
                document = _xml(archive, doc_path)
                base = posixpath.dirname(doc_path)
                media = _media(archive, document, base)
                for page in _all(document, "Page"):
                    loc = page.get("BaseLoc", "")
                    if not loc:
                        continue
                    content = _xml(archive, _resolve(base, loc))
                    pages.append(_page_lines(content))
                    image = _page_image(content, media)
                    if image and len("".join(x.text for x in pages[-1]).split()) == 0:
                        scans.append((len(pages) - 1, image))
            scan = _read_scans(archive, pages, scans, limits, progress) if scans else None
    except (zipfile.BadZipFile, KeyError, DefusedXmlException, SyntaxError) as exc:
        log.info("bad ofd path=%s error=%s", path.name, exc.__class__.__name__)
        raise ValueError(BAD_OFD_REASON) from exc
    return join_placed(pages), scan


def _media(archive: zipfile.ZipFile, document: Element, base: str) -> dict[str, str]:
    """Image resource id → zip member, from the document's resource files (``DocumentRes``, ``PublicRes``)."""
    out: dict[str, str] = {}
    for res in [e for e in document.iter() if _local(e.tag) in {"DocumentRes", "PublicRes"}]:
        res_path = _resolve(base, res.text or "")
        if res_path not in archive.namelist():
            continue
        root = _xml(archive, res_path)
        folder = _resolve(posixpath.dirname(res_path), root.get("BaseLoc", ""))
        for item in _all(root, "MultiMedia"):
            files = [e.text for e in item if _local(e.tag) == "MediaFile" and e.text]
            if files and item.get("ID"):
                out[item.get("ID", "")] = _resolve(folder, files[0])
    return out


def _page_image(page: Element, media: dict[str, str]) -> str:
    """The zip member of the page's largest image ("" when it shows none)."""
    best, area = "", 0.0
    for obj in _all(page, "ImageObject"):
        box = _numbers(obj.get("Boundary", ""))
        member = media.get(obj.get("ResourceID", ""), "")
        if member and len(box) >= 4 and box[2] * box[3] > area:
            best, area = member, box[2] * box[3]
    return best


def _read_scans(
    archive: zipfile.ZipFile,
    pages: list[list[PlacedLine]],
    scans: list[tuple[int, str]],
    limits: ScanLimits,
    progress: PageProgress | None,
) -> ScanInfo:
    """Read the scanned pages by OCR, in place in ``pages``; what OCR read."""
    from ingest.scan_load import (
        TOO_MANY_PAGES_REASON,
        ScanLimitError,
        image_array,
        placed,
        read_pages,
        scan_info,
    )

    if len(scans) > limits.pages:
        raise ScanLimitError(TOO_MANY_PAGES_REASON.format(pages=len(scans), cap=limits.pages))

    def images() -> Iterator[NDArray[np.uint8]]:
        for _, member in scans:
            info = archive.getinfo(member)
            if info.file_size > _MAX_MEMBER:
                raise ValueError(BAD_OFD_REASON)
            yield image_array(archive.read(info), limits)

    read = read_pages(images(), len(scans), limits, progress)
    for (index, _), lines in zip(scans, read, strict=True):
        pages[index] = placed(lines)
    return scan_info(read, whole=len(scans) == len(pages))


def _xml(archive: zipfile.ZipFile, name: str) -> Element:
    import defusedxml.ElementTree as safe_et

    info = archive.getinfo(name)
    if info.file_size > _MAX_MEMBER:
        raise ValueError(BAD_OFD_REASON)
    return safe_et.fromstring(archive.read(info))


def _resolve(base: str, loc: str) -> str:
    """A ``BaseLoc`` as a zip member name: absolute ("/Doc_0/…") from the root, else from ``base``."""
    loc = loc.strip().replace("\\", "/")
    joined = loc.lstrip("/") if loc.startswith("/") else posixpath.join(base, loc)
    return posixpath.normpath(joined).lstrip("/")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _all(root: Element, name: str) -> list[Element]:
    return [e for e in root.iter() if _local(e.tag) == name]


def _page_lines(page: Element) -> list[PlacedLine]:
    """The page's text runs grouped into lines (top to bottom), each read left to right."""
    runs: list[_Run] = []
    for obj in _all(page, "TextObject"):
        box = _numbers(obj.get("Boundary", ""))
        if len(box) < 4:
            continue
        size = _number(obj.get("Size"), 3.5)
        x = y = 0.0
        for code in obj:
            if _local(code.tag) != "TextCode" or not code.text:
                continue
            x = _number(code.get("X"), x)
            y = _number(code.get("Y"), y)
            deltas = _deltas(code.get("DeltaX", ""))
            width = sum(deltas[: len(code.text) - 1]) + size if deltas else size * len(code.text)
            runs.append(_Run(box[0] + x, box[1] + y, size, code.text, box[0] + x + width))
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        if lines and abs(run.y - lines[-1][0].y) <= 0.4 * max(run.size, lines[-1][0].size):
            lines[-1].append(run)
        else:
            lines.append([run])
    out = []
    for line in lines:
        line.sort(key=lambda r: r.x)
        text = line[0].text
        for prev, cur in itertools.pairwise(line):
            text += (" " if cur.x - prev.end > 1.5 * cur.size else "") + cur.text
        out.append(PlacedLine(text, line[0].x, max(r.end for r in line), max(r.size for r in line)))
    return out


def _numbers(text: str) -> list[float]:
    try:
        return [float(v) for v in text.split()]
    except ValueError:
        return []


def _number(text: str | None, default: float) -> float:
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


def _deltas(text: str) -> list[float]:
    """``DeltaX`` as numbers; ``g 5 3.5`` (five times 3.5) expanded."""
    parts = text.split()
    out: list[float] = []
    i = 0
    while i < len(parts):
        if parts[i] == "g" and i + 2 < len(parts):
            out.extend([_number(parts[i + 2], 0.0)] * min(int(_number(parts[i + 1], 0.0)), _MAX_REPEAT))
            i += 3
        else:
            out.append(_number(parts[i], 0.0))
            i += 1
    return out
