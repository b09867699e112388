"""Offline OCR of one page image: RapidOCR with the PP-OCR models its wheel ships, lines in reading order.

Nothing is downloaded: the three models are passed by path from the installed package. A page is read upright
whatever its orientation: RapidOCR turns tall text boxes and the direction classifier flips upside-down lines, and
their votes tell how the page lay (90° either way, or 180°), so the boxes are mapped back to the upright page
before lines are ordered (no second recognition pass); a page scanned a few degrees askew is levelled the same way. A red seal (印章) is whitened before recognition where it
lies over text; red text (the 版头) is kept.

Only the child process that reads a file imports this module (onnxruntime and opencv are heavy).
"""

from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray

log = logging.getLogger(__name__)

MIN_SCORE = 0.5  # lines recognised below this are noise (RapidOCR's own default)
_TALL = 1.5  # RapidOCR turns a box this much taller than wide before recognising it
_SEAL_MIN = (
    0.07  # a red blob at least this fraction of the page's width and height, roughly square, is a seal
)
_LEVEL_ASPECT = 3.0  # boxes at least this much longer than high show the direction of the lines
_LEVEL_MIN = np.radians(0.2)  # a tilt smaller than this changes nothing
_INK_LIGHT = 150  # in the red channel, red ink is brighter than this and printed black text darker
_THREADS = 2
_DETECT_SIDE = 1280

# The model files rapidocr 3.x ships in its wheel (PP-OCRv6 small detection and recognition, mobile direction).
_MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}
MISSING_MODELS_REASON = "文字识别模型文件缺失，请重新安装 rapidocr（其安装包自带模型，无需下载）"
_engine: Any = None
_lock = threading.Lock()


@dataclass(frozen=True)
class OcrLine:
    """One printed line of a page: text, mean confidence and its box on the upright page."""

    text: str
    score: float
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        """The line's height in pixels (about one character)."""
        return self.bottom - self.top


def engine() -> Any:
    """The process's one RapidOCR, made from the bundled model files, quiet, on two threads."""
    global _engine
    with _lock:
        if _engine is None:
            from rapidocr import RapidOCR

            models = model_files()
            if not models or not all(path.is_file() for path in models.values()):
                raise ValueError(MISSING_MODELS_REASON)
            params: dict[str, object] = {f"{step}.model_path": str(path) for step, path in models.items()}
            params["Global.log_level"] = "error"
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = _THREADS
            params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
            # Detection on the page shrunk to 1,280 pixels on its long side (RapidOCR's default never shrinks
            # below 736 on the short side): 16-pixel characters are still found, recognition still reads the
            # crops at full resolution, and a page costs about 40 % less (benchmarks/scan_accuracy.py).
            params["Det.limit_type"] = "max"
            params["Det.limit_side_len"] = _DETECT_SIDE
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            _engine = RapidOCR(params=params)
        return _engine


def model_files() -> dict[str, Path]:
    """The model file of each OCR step inside the installed rapidocr package ({} when it is not installed);
    found without importing it (onnxruntime and opencv take a second to load).
    """
    import importlib.util

    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        return {}
    folder = Path(spec.origin).parent / "models"
    return {step: folder / name for step, name in _MODELS.items()}


def read_page(rgb: NDArray[np.uint8]) -> list[OcrLine]:
    """The lines of one page image (H×W×3, RGB) top to bottom, each row's boxes joined left to right."""
    eng = engine()
    image = suppress_seals(rgb)
    # The steps of RapidOCR.__call__, kept apart so the direction votes stay aligned with their boxes.
    original = eng.load_img(np.ascontiguousarray(image[:, :, ::-1]))  # RapidOCR takes BGR arrays
    prepared, record = eng.preprocess_img(original)
    det, cls, rec, _ = eng.run_ocr_steps(prepared, record)
    if det.boxes is None or rec.txts is None:
        return []
    boxes = [np.asarray(b, dtype=float) for b in det.boxes]
    votes = [label for label, _ in (cls.cls_res or [("0", 1.0)] * len(boxes))]
    height, width = prepared.shape[:2]
    turn = _orientation(boxes, votes)
    upright = [_upright(box, turn, width, height) for box in boxes]
    level = _deskew(upright)
    pieces = []
    for pts, text, score in zip(upright, rec.txts, rec.scores, strict=False):
        text = text.strip()
        if not text or score < MIN_SCORE:
            continue
        pts = level(pts)
        xs, ys = pts[:, 0], pts[:, 1]
        pieces.append(OcrLine(text, float(score), xs.min(), ys.min(), xs.max(), ys.max()))
    return _rows(pieces)


def _orientation(boxes: list[NDArray[np.float64]], votes: list[str]) -> str:
    """How the page lies: "" upright, "ccw" (turned 90° left), "cw" (90° right) or "180"."""
    tall = wide = 0.0
    flipped_tall = flipped_wide = 0.0
    for box, vote in zip(boxes, votes, strict=False):
        w = float(np.linalg.norm(box[1] - box[0]))
        h = float(np.linalg.norm(box[3] - box[0]))
        weight = max(w, h)
        if h >= _TALL * w:
            tall += weight
            flipped_tall += weight if vote == "180" else 0.0
        else:
            wide += weight
            flipped_wide += weight if vote == "180" else 0.0
    if tall > wide:
        return "ccw" if flipped_tall > tall / 2 else "cw"
    return "180" if flipped_wide > wide / 2 else ""


def _upright(box: NDArray[np.float64], turn: str, width: int, height: int) -> NDArray[np.float64]:
    """``box`` (points on the image as given) in the coordinates of the upright page."""
    x, y = box[:, 0], box[:, 1]
    if turn == "ccw":  # the page's top is on the left
        return np.stack([height - 1 - y, x], axis=1)
    if turn == "cw":  # the page's top is on the right
        return np.stack([y, width - 1 - x], axis=1)
    if turn == "180":
        return np.stack([width - 1 - x, height - 1 - y], axis=1)
    return box


def _deskew(boxes: list[NDArray[np.float64]]) -> Callable[[NDArray[np.float64]], NDArray[np.float64]]:
    """A rotation that levels the page's lines: a page scanned a few degrees askew has its long boxes tilted
    alike, and grouping boxes into lines, like finding the margins, needs them level.
    """
    angles = []
    for box in boxes:
        edges = (box[1] - box[0], box[2] - box[1])
        long, short = sorted(edges, key=lambda e: -float(np.hypot(*e)))
        if np.hypot(*long) >= _LEVEL_ASPECT * max(np.hypot(*short), 1.0):
            angle = float(np.arctan2(long[1], long[0]))
            angles.append((angle + np.pi / 2) % np.pi - np.pi / 2)  # the same line read either way
    tilt = float(np.median(angles)) if angles else 0.0
    if abs(tilt) < _LEVEL_MIN:
        return lambda pts: pts
    cos, sin = np.cos(-tilt), np.sin(-tilt)
    turn = np.array([[cos, -sin], [sin, cos]])
    return lambda pts: pts @ turn.T


def _rows(pieces: list[OcrLine]) -> list[OcrLine]:
    """Boxes on one printed line (their vertical centres within each other's extent) joined left to right."""
    rows: list[list[OcrLine]] = []
    for piece in sorted(pieces, key=lambda p: (p.top + p.bottom) / 2):
        centre = (piece.top + piece.bottom) / 2
        if rows:
            last = rows[-1]
            top = min(p.top for p in last)
            bottom = max(p.bottom for p in last)
            last_centre = (top + bottom) / 2
            if piece.top <= last_centre <= piece.bottom or top <= centre <= bottom:
                last.append(piece)
                continue
        rows.append([piece])
    out = []
    for row in rows:
        row.sort(key=lambda p: p.left)
        text = row[0].text
        for prev, cur in itertools.pairwise(row):
            gap = cur.left - prev.right
            text += (" " if gap > max(prev.height, cur.height) else "") + cur.text
        chars = sum(len(p.text) for p in row)
        score = sum(p.score * len(p.text) for p in row) / chars
        out.append(
            OcrLine(
                text,
                score,
                min(p.left for p in row),
                min(p.top for p in row),
                max(p.right for p in row),
                max(p.bottom for p in row),
            )
        )
    return out


def suppress_seals(rgb: NDArray[np.uint8]) -> NDArray[np.uint8]:
    """``rgb`` with the red of every seal turned white (black text under it stays): a seal is a red blob
    roughly as wide as high and at least ``_SEAL_MIN`` of the page; smaller red marks (the 版头's red
    characters, its red rule) are left as they are.
    """
    import cv2

    r = rgb[:, :, 0].astype(np.int16)
    g = rgb[:, :, 1].astype(np.int16)
    b = rgb[:, :, 2].astype(np.int16)
    red = ((r > 110) & (r - g > 50) & (r - b > 50)).astype(np.uint8)
    if not red.any():
        return rgb
    height, width = red.shape
    grown = cv2.dilate(red, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    out = rgb
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        side = _SEAL_MIN * min(width, height)
        if w >= side and h >= side and 0.6 <= w / h <= 1.6:
            if out is rgb:
                out = rgb.copy()
            # Inside the seal, the red channel alone: red ink (and its pink, blurred edges) is light there and
            # becomes white; black text stays black.
            channel = rgb[y : y + h, x : x + w, 0].copy()
            channel[channel > _INK_LIGHT] = 255
            out[y : y + h, x : x + w] = channel[:, :, None]
    return out
