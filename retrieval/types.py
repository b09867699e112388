"""Value types of the stored reports, shared by ingest, retrieval and every front end: chunks, documents, passages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable

Kind = Literal["summary", "plan", "problems", "other"]
Period = Literal["上半年", "下半年", "全年", "季度", ""]

HEADING_SEPARATOR = " › "
SCAN = "scan"  # ChunkRecord.source_kind of a passage read from a scanned page by OCR
SCAN_NOTE = "扫描件识别"
LOW_CONFIDENCE_NOTE = "扫描件识别，部分文字识别置信度低，请核对原件"
UNCOUNTED = -1  # ChunkRecord.instructions when nobody counted them in this text under the current rules
_T = TypeVar("_T")
_DOC_NUMBER_YEAR = re.compile(r"[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]")


def date_label(date: str) -> str:
    """``2024年2月20日`` from a stored ``2024-02-20`` ("" stays "", anything else is shown as it is)."""
    parts = date.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return date
    return f"{int(parts[0])}年{int(parts[1])}月{int(parts[2])}日"


def scan_note(source_kind: str, low_confidence: bool | int = False) -> str:
    """``扫描件识别`` for a passage (or document) read from a scan, with a warning when OCR was unsure; else ""."""
    if source_kind != SCAN:
        return ""
    return LOW_CONFIDENCE_NOTE if low_confidence else SCAN_NOTE


@dataclass(frozen=True, slots=True)  # slots: the search keeps every chunk's record in memory
class ChunkRecord:
    """One indexed passage: original text for display plus the metadata search and citations need."""

    chunk_id: str
    doc_id: str
    text: str
    source: str
    doc_title: str
    article_title: str
    heading_path: tuple[str, ...]
    kind: Kind = "other"
    period: Period = ""
    year: int | None = None
    start: int = 0
    end: int = 0
    ordinal: int = 0
    doc_hash: str = ""
    unit: str = ""  # the city/county/bureau the article reports for, e.g. "义乌市卫生局" ("" when unnamed)
    # instruction-like sentences quarantined in this very text by the current rules (retrieval/text/injection.py);
    # UNCOUNTED when not known (a widened passage, a store counted under other rules): then they are looked for
    instructions: int = UNCOUNTED
    issuer: str = ""  # the issuing unit the document names (落款, 发布机构, 发文机关标志), "" when none
    doc_date: str = ""  # the document's date (成文日期, 落款) as yyyy-mm-dd, "" when it states none
    doc_number: str = ""  # the document's 文号, e.g. "江卫健〔2024〕3号"
    source_kind: str = ""  # SCAN when the passage was read from a scanned page by OCR, "" for text
    low_confidence: bool = False  # OCR read part of the passage with low confidence (check the original)
    _derived: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)

    def stored(self) -> dict[str, Any]:
        """The record's own fields, JSON-ready, without what search derived from it (an archive's row)."""
        row = {f.name: getattr(self, f.name) for f in fields(self) if f.init}
        row["heading_path"] = list(self.heading_path)
        return row

    def derived(self, key: str, compute: Callable[[ChunkRecord], _T]) -> _T:
        """``compute(self)``, computed once per record and kept on it (search keeps every record in memory, so
        what it derives from a chunk, its index text, normalised heading or unit, is not recomputed per
        question). A record made by ``dataclasses.replace`` starts with nothing derived. Only passages a
        question's answer reads keep the large values (index text, sentences: about 2.5 KiB on the shared corpus).
        """
        memo = self._derived
        if memo is None:
            memo = {}
            object.__setattr__(self, "_derived", memo)  # a cache, not state: equality and hash ignore it
        if key not in memo:
            memo[key] = compute(self)
        return cast("_T", memo[key])

    @property
    def heading(self) -> str:
        """Heading path joined for display, e.g. ``一、… › （七）…``."""
        return HEADING_SEPARATOR.join(self.heading_path)

    @property
    def display_title(self) -> str:
        """The title every citation shows: the article's own title when the file holds several articles
        (ingest then titles each article apart from the document: 004's 清远市卫生局（篇三） under
        上半年主要工作), else the document title.
        """
        article = self.article_title.strip()
        return article if article and article != self.doc_title else self.doc_title


@dataclass(frozen=True)
class DocumentInfo:
    """What the store knows about one ingested document."""

    doc_id: str
    source: str
    title: str
    path: str
    doc_hash: str
    chunks: int
    articles: int
    ingested_at: str = ""
    instructions: int = 0  # instruction-like sentences quarantined in the document
    unit: str = ""  # the issuing unit (落款, 发布机构, 发文机关标志), else the one unit all its articles name
    date: str = ""  # the document's date (成文日期, 落款) as yyyy-mm-dd
    doc_number: str = ""  # 文号
    source_kind: str = ""  # SCAN when any of its text was read from a scanned page by OCR
    low_confidence: int = 0  # chunks OCR read with low confidence

    @property
    def year(self) -> int | None:
        """The year of the document's date, else of its 文号 (江卫健〔2024〕3号 → 2024), else None."""
        if self.date[:4].isdigit():
            return int(self.date[:4])
        m = _DOC_NUMBER_YEAR.search(self.doc_number)
        return int(m.group(1)) if m else None


@dataclass(frozen=True)
class Passage:
    """A search hit: a stored chunk and its fused score (with the BM25 and embedding scores it was fused from,
    None when that ranking did not find it; the console's 检索测试 shows them).
    """

    chunk: ChunkRecord
    score: float
    bm25: float | None = None
    dense: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``search --json`` shape."""
        c = self.chunk
        return {
            "chunk_id": c.chunk_id,
            "text": c.text,
            "source": c.source,
            "title": c.display_title,
            "doc_title": c.doc_title,
            "unit": c.unit,
            "date": c.doc_date,
            "doc_number": c.doc_number,
            "source_kind": c.source_kind,
            "low_confidence": c.low_confidence,
            "heading_path": list(c.heading_path),
            "kind": c.kind,
            "period": c.period,
            "score": round(self.score, 6),
        }
