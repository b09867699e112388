"""What a user is told about text read from a scan, and how printed lines are rejoined from their place on the
page (pure: no OCR here; the OCR itself is exercised in test_scans.py)."""

from __future__ import annotations

from bot.chat.render.labels import citation_label
from ingest.parse import parse_document
from ingest.placed_lines import PlacedLine, join_placed
from ingest.scan_text import ScanInfo
from retrieval.answers.types import Citation
from retrieval.types import ChunkRecord

TEXT_PAGE = "江澜市2024年上半年爱国卫生工作总结\n一、城乡环境卫生整治\n全市开展环境卫生整治行动42次，清理卫生死角1300余处。"
SCANNED = ["二、病媒生物防制", "全市完成病媒生物监测240次，灭鼠达标社区18个。"]


def _parse(scan: ScanInfo) -> list[ChunkRecord]:
    text = TEXT_PAGE + "\n" + "\n".join(SCANNED)
    return parse_document(
        text, source="s.pdf", doc_id="d", doc_hash="h", fallback_title="s", scan=scan
    ).chunks


def test_only_chunks_read_from_scanned_pages_are_marked() -> None:
    chunks = _parse(ScanInfo(pages=1, whole=False, lines=tuple(SCANNED)))
    marks = {c.heading_path: (c.source_kind, c.low_confidence) for c in chunks}
    assert marks == {("一、城乡环境卫生整治",): ("", False), ("二、病媒生物防制",): ("scan", False)}


def test_a_chunk_holding_a_line_read_with_low_confidence_is_marked_and_its_citation_warns() -> None:
    scan = ScanInfo(pages=1, whole=False, lines=tuple(SCANNED), low=(SCANNED[1],))
    chunk = next(c for c in _parse(scan) if c.source_kind == "scan")
    assert chunk.low_confidence
    label = citation_label(Citation.from_chunk(1, chunk))
    assert label.endswith("（扫描件识别，部分文字识别置信度低，请核对原件）")


def test_citation_of_a_scanned_gongwen_names_its_origin_and_the_scan() -> None:
    chunk = ChunkRecord(
        "d-0001", "d", "正文", "s.png", "总结", "总结", ("一、监测",), unit="江澜市卫生健康委员会",
        doc_date="2024-07-05", source_kind="scan",
    )  # fmt: skip
    assert (
        citation_label(Citation.from_chunk(1, chunk))
        == "总结 · 一、监测（江澜市卫生健康委员会 2024年7月5日；扫描件识别）"
    )
    text_chunk = ChunkRecord("d-0002", "d", "正文", "s.txt", "总结", "总结", ("一、监测",))
    assert citation_label(Citation.from_chunk(1, text_chunk)) == "总结 · 一、监测"


RIGHT = 1100  # the right margin: a full line ends here


def _line(text: str, *, left: float = 100, right: float | None = None, height: float = 30) -> PlacedLine:
    """A line at ``left``; it ends at the right margin when ``right`` is not given (a full, wrapped line)."""
    return PlacedLine(text, left, RIGHT if right is None else right, height)


def test_lines_wrapped_by_the_page_width_are_rejoined_and_others_kept() -> None:
    page = [
        _line(
            "江澜市卫生健康委员会关于做好登革热防控工作的通知", left=150, right=1050, height=40
        ),  # a larger title
        _line("各区县卫生健康局：", right=370),
        _line("　　各地要在7月底前设立登革热监测点20个，完成"),
        _line("病媒监测120次。", right=400),
        _line("　　一、加强监测。全市范围内开展蚊媒密度监测，每"),
        _line("周一次。", right=220),
        _line("　　二、及时报告", right=340),
        _line("　　发现病例要在24小时内报告，做到早发现、早报告。"),  # full, but the sentence ended
        _line("三、加强培训", right=300),
    ]
    assert join_placed([page]).split("\n\n") == [
        "江澜市卫生健康委员会关于做好登革热防控工作的通知",
        "各区县卫生健康局：",
        "　　各地要在7月底前设立登革热监测点20个，完成病媒监测120次。",
        "　　一、加强监测。全市范围内开展蚊媒密度监测，每周一次。",
        "　　二、及时报告",
        "　　发现病例要在24小时内报告，做到早发现、早报告。",
        "三、加强培训",
    ]


def test_a_sentence_cut_by_the_page_break_is_rejoined_and_a_new_paragraph_is_not() -> None:
    first = [_line("　　培训医护人员100余名，培训乡医、学校"), _line("教师等1200余名，印发《告家长一封信》")]
    second = [_line("26万份。", right=260), _line("　　大力开展健康教育。", right=400)]
    assert join_placed([first, second]).split("\n\n") == [
        "　　培训医护人员100余名，培训乡医、学校教师等1200余名，印发《告家长一封信》26万份。",
        "　　大力开展健康教育。",
    ]
