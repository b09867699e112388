"""Every document a bureau keeps, through ``reportbot ingest`` as an admin runs it: scanned pages (a PNG, an OFD
of a page fed sideways, an image-only PDF of two pages, a PDF of one text page and one page scanned askew), an
OFD and old Word files. OCR is slow on two cores, so the files are made and ingested once for the module (five scanned pages, about
half of them short) and every test reads that knowledge base; the limit tests never reach OCR or read tiny frames.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from fpdf import FPDF
from typer.testing import CliRunner

from bot.chat.uploads import Uploads, content_problem
from bot.cli import app
from bot.services import build_services
from bot.settings import Settings
from ingest.isolate import FileLimitError, ParseLimits, load_isolated
from ingest.load import load_file
from ingest.old_word import MISSING_TOOL_REASON
from retrieval.errors import UnreadableFileError
from tests.support.corpus import require_corpus
from tests.support.scans import (
    CJK_FONT,
    Page,
    gongwen_page,
    hfmd_pages,
    render,
    require_font,
    save_pdf,
    scanned_copy,
    write_ofd,
)

DATA = Path(__file__).parent / "data"
runner = CliRunner()
# One xdist worker runs the module (``--dist loadgroup``), so its scans are read by OCR once.
pytestmark = pytest.mark.xdist_group("scans")

ROTATED = Page(
    title="江澜市2024年下半年慢性病防治工作计划",
    paragraphs=[
        "一、推进慢性病综合防控示范区建设",
        "全市高血压患者规范管理率提高到78%，糖尿病患者规范管理率提高到72%。",
    ],
    size=(1240, 760),
)
MIXED_TEXT = [
    "江澜市2024年上半年爱国卫生工作总结",
    "一、城乡环境卫生整治",
    "全市开展环境卫生整治行动42次，清理卫生死角1300余处。",
]
MIXED_SCAN = Page(
    paragraphs=[
        "二、病媒生物防制",
        "全市完成病媒生物监测240次，灭鼠达标社区18个，对城区下水道、垃圾中转站、农贸市场等重点场所开展统一消杀"
        "行动，共投放灭鼠毒饵3.2吨。",
    ],
    number=2,
    size=(1240, 800),
)
OFD_TITLE = "江澜市卫生健康委员会关于做好2024年登革热防控工作的通知"
OFD_LINES = [
    "江澜市卫生健康委员会关于做好",
    "2024年登革热防控工作的通知",
    "各区县卫生健康局：",
    "一、加强监测",
    "各地要在7月底前设立登革热监测点20个，完成病媒监测120次，",
    "发现病例及时报告。",
    "江澜市卫生健康委员会",
    "2024年6月3日",
]


def invoke(*args: str, data_dir: Path) -> str:
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def docs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file of each new kind, made now (the .doc files are small public test files, see data/README.md)."""
    require_font()
    corpus = require_corpus()
    docs = tmp_path_factory.mktemp("scans-docs")
    render(gongwen_page()).save(docs / "江卫健2024-15号（扫描）.png")
    sideways = io.BytesIO()
    render(ROTATED, rotate=90).save(sideways, "PNG")
    write_ofd(docs / "慢病计划（横放扫描）.ofd", [[]], scans={0: sideways.getvalue()})  # a scanner's OFD
    save_pdf([render(p) for p in hfmd_pages(corpus)], docs / "衛生局上半年工作總結（掃描件）.pdf")
    _mixed_pdf(docs / "爱国卫生总结（部分扫描）.pdf")
    write_ofd(docs / "登革热通知.ofd", [OFD_LINES], title_lines=2)
    if _word_tools():
        shutil.copy(DATA / "word_chinese.doc", docs / "旧版文档.doc")
    return docs


@pytest.fixture(scope="module")
def data_dir(docs_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base of those files, ingested once through the CLI."""
    data = tmp_path_factory.mktemp("scans-data")
    out = invoke("ingest", str(docs_dir), data_dir=data)
    assert out.count("\n+ ") + out.startswith("+ ") == 5 + _word_tools(), out
    # Each file's line says how many pages were read by OCR.
    assert "+ 衛生局上半年工作總結（掃描件）.pdf（1 篇，1 段，扫描件识别 2 页）" in out.splitlines()
    assert "+ 登革热通知.ofd（1 篇，1 段）" in out.splitlines()
    return data


def _word_tools() -> bool:
    return bool(shutil.which("antiword") and shutil.which("catdoc"))


def require_word_tools() -> None:
    """Skip a test of old Word files where antiword and catdoc are not installed (CI installs them)."""
    if not _word_tools():
        pytest.skip("antiword and catdoc not installed (apt-get install antiword catdoc)")


def _mixed_pdf(path: Path) -> Path:
    """Page 1 with a text layer, page 2 a scanned image."""
    pdf = FPDF()
    pdf.add_font("wqy", fname=str(CJK_FONT))
    pdf.set_font("wqy", size=14)
    pdf.add_page()
    for line in MIXED_TEXT:
        pdf.multi_cell(0, 9, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.image(scanned_copy(render(MIXED_SCAN), -2.5), x=0, y=0, w=210)  # askew, grainy, JPEG
    path.write_bytes(bytes(pdf.output()))
    return path


def _docs(data_dir: Path) -> dict[str, dict]:
    return {d["source"]: d for d in json.loads(invoke("docs", "--json", data_dir=data_dir))}


def _search(data_dir: Path, query: str, k: int = 3) -> list[dict]:
    return json.loads(invoke("search", query, "--json", "-k", str(k), data_dir=data_dir))


def test_scanned_gongwen_is_read_as_a_gongwen_seal_and_red_header_notwithstanding(data_dir: Path) -> None:
    doc = _docs(data_dir)["江卫健2024-15号（扫描）.png"]
    assert doc["source_kind"] == "scan"
    assert doc["title"] == "江澜市2024年上半年疾病预防控制工作总结"
    # The 版头 (red) and the 落款 under the red seal are read, so the 公文 parts are found as in a text file.
    assert (doc["unit"], doc["date"], doc["doc_number"]) == (
        "江澜市卫生健康委员会",
        "2024-07-05",
        "江卫健〔2024〕15号",
    )


def test_answer_from_a_scan_is_cited_as_read_from_a_scan(data_dir: Path) -> None:
    answer = json.loads(invoke("ask", "上半年手足口病采样监测了多少份", "--json", data_dir=data_dir))
    cited = [c for c in answer["citations"] if c["source"] == "江卫健2024-15号（扫描）.png"]
    assert cited
    assert cited[0]["source_kind"] == "scan"
    assert "手足口病采样监测36份" in answer["answer"]
    shown = invoke("ask", "上半年手足口病采样监测了多少份", data_dir=data_dir)
    assert "扫描件识别" in shown.split("来源")[-1]


def test_mission_question_is_answered_from_the_scanned_copy_of_report_000(data_dir: Path) -> None:
    answer = json.loads(invoke("ask", "上半年手足口病防控做了什么", "--json", data_dir=data_dir))
    source = "衛生局上半年工作總結（掃描件）.pdf"
    cited = [c for c in answer["citations"] if c["source"] == source]
    assert cited, answer
    assert cited[0]["heading_path"] == ["一、xx年上半年工作總結", "(七)加強了手足口病等傳染病的防控"]
    # The paragraph is whole again, character for character as the report prints it: its lines wrapped by the
    # page and the sentence cut by the page break rejoined, the running header and page numbers gone.
    assert "培訓鄉醫、學校教師等1200餘名" in answer["answer"]
    text = cited[0]["text"]
    (section,) = [p for p in hfmd_pages(require_corpus())[0].paragraphs if p.startswith("(七)")]
    assert text.startswith(section + hfmd_pages(require_corpus())[1].paragraphs[0][:20])
    assert "內部資料" not in text
    assert "—" not in text


def test_an_ofd_of_a_page_scanned_sideways_is_read_in_order(data_dir: Path) -> None:
    (hit,) = _search(data_dir, "高血压患者规范管理率提高到多少", k=1)
    assert (hit["source"], hit["source_kind"]) == ("慢病计划（横放扫描）.ofd", "scan")
    assert hit["heading_path"] == ["一、推进慢性病综合防控示范区建设"]
    assert hit["text"].endswith("全市高血压患者规范管理率提高到78%，糖尿病患者规范管理率提高到72%。")


def test_mixed_pdf_marks_only_the_scanned_page(data_dir: Path) -> None:
    source = "爱国卫生总结（部分扫描）.pdf"
    chunks = {
        tuple(h["heading_path"]): h
        for h in _search(data_dir, "环境卫生整治 病媒生物监测", k=6)
        if h["source"] == source
    }
    assert chunks[("一、城乡环境卫生整治",)]["source_kind"] == ""
    scanned = chunks[("二、病媒生物防制",)]
    assert scanned["source_kind"] == "scan"
    assert scanned["text"].endswith(MIXED_SCAN.paragraphs[1])  # read in order although scanned askew


def test_docs_says_which_documents_were_read_from_scans(data_dir: Path) -> None:
    rows = {line.split("\t")[1]: line.split("\t") for line in invoke("docs", data_dir=data_dir).splitlines()}
    assert rows["衛生局上半年工作總結（掃描件）.pdf"][-1] == "扫描件识别"
    assert rows["登革热通知.ofd"][-1] == ""
    assert rows["慢病计划（横放扫描）.ofd"][-1] == "扫描件识别"


def test_ofd_is_read_in_reading_order_as_a_gongwen(data_dir: Path) -> None:
    doc = _docs(data_dir)["登革热通知.ofd"]
    assert doc["title"] == OFD_TITLE  # its two centred lines, read as one title
    assert (doc["unit"], doc["date"], doc["source_kind"]) == ("江澜市卫生健康委员会", "2024-06-03", "")
    hit = next(h for h in _search(data_dir, "登革热监测点设立多少个") if h["source"] == "登革热通知.ofd")
    assert hit["heading_path"] == ["一、加强监测"]
    assert (
        "设立登革热监测点20个，完成病媒监测120次，发现病例及时报告。" in hit["text"]
    )  # the wrapped line rejoined
    assert "模板页眉" not in hit["text"]


def test_old_word_file_is_read(data_dir: Path) -> None:
    require_word_tools()
    (hit,) = _search(data_dir, "nodejs解析Word文档", k=1)
    assert (hit["source"], hit["source_kind"]) == ("旧版文档.doc", "")


def test_antiword_reads_word_97_and_a_wps_file_saved_in_the_word_format(tmp_path: Path) -> None:
    require_word_tools()
    wps = Path(shutil.copy(DATA / "word97.doc", tmp_path / "金山文档.wps"))
    assert load_file(wps).text.strip() == "This is a simple file created with Word 97-SR2."


def test_a_scan_uploaded_in_a_chat_is_ingested_and_the_reply_says_it_was_read_from_a_scan(
    tmp_path: Path,
) -> None:
    services = build_services(Settings(_env_file=None, data_dir=tmp_path / "data"))  # type: ignore[call-arg]
    uploads = Uploads(services.ingest, tmp_path / "data")
    scan = io.BytesIO()
    render(ROTATED).save(scan, format="PNG")
    incoming = uploads.stage("慢病计划.png", scan.getvalue())  # the content check passes
    result = uploads.ingest(incoming, "慢病计划.png")
    assert result.text == (
        "已导入 慢病计划.png：1 篇文章，1 个段落。其中 1 页是扫描件，文字由识别得出，引用时会注明“扫描件识别”。"
    )


# --- content detection and the tools ----------------------------------------------------------------------


def test_old_word_is_detected_by_content_whatever_its_extension(tmp_path: Path) -> None:
    require_word_tools()
    named_docx = shutil.copy(DATA / "word_chinese.doc", tmp_path / "其实是旧版.docx")
    assert "这是一个用来测试nodejs解析Word文档" in load_file(Path(named_docx)).text


def test_missing_word_tools_say_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UnreadableFileError) as excinfo:
        load_file(DATA / "word97.doc")
    assert excinfo.value.reason == MISSING_TOOL_REASON
    assert "apt-get install antiword catdoc" in MISSING_TOOL_REASON


def test_uploads_accept_the_new_types_by_content(tmp_path: Path) -> None:
    png = tmp_path / "a.png"
    render(Page(paragraphs=["测试"], size=(300, 200))).save(png)
    ofd = write_ofd(tmp_path / "a.ofd", [["通知"]])
    doc = Path(shutil.copy(DATA / "word97.doc", tmp_path / "a.wps"))
    assert [content_problem(p, p.suffix) for p in (png, ofd, doc)] == [None, None, None]
    assert content_problem(png, ".ofd") == "文件内容不是 OFD 文档。"
    assert content_problem(ofd, ".jpg") == "文件内容不是 PNG、JPEG 或 TIFF 图片。"
    assert content_problem(png, ".doc") == "文件内容不是 Word 或 WPS 文档。"


# --- limits: refused by name, in the bounded child, before any OCR ---------------------------------------


def _png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that says it is ``width``×``height`` and holds almost nothing: a decompression bomb's header."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(data)
    return path


def _pdf_with_huge_image(path: Path) -> Path:
    """One page showing an image object that declares 60,000×60,000 pixels."""
    image = zlib.compress(b"\x00" * 1024)
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(image)
        + image
        + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _limit_reason(path: Path, limits: ParseLimits) -> str:
    with pytest.raises(FileLimitError) as excinfo:
        load_isolated(path, limits)
    return excinfo.value.reason


def test_decompression_bombs_are_refused_by_name(tmp_path: Path) -> None:
    bomb = _limit_reason(_png_header_only(tmp_path / "bomb.png", 100_000, 100_000), ParseLimits())
    assert bomb == "图片尺寸过大（100000×100000 像素，上限 50,000,000 像素），可能是解压炸弹，未读取"
    in_pdf = _limit_reason(_pdf_with_huge_image(tmp_path / "bomb.pdf"), ParseLimits())
    assert in_pdf.startswith("PDF 第 1 页中的图片过大（60000×60000 像素")


def test_an_image_over_the_configured_size_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "page.png"
    render(Page(paragraphs=["测试"], size=(1240, 1754))).save(path)
    reason = _limit_reason(path, ParseLimits(image_pixels=1_000_000))
    assert reason.startswith("图片尺寸过大（1240×1754 像素，上限 1,000,000 像素）")


def _tiff(path: Path, frames: int) -> Path:
    pages = [render(Page(paragraphs=[f"第{n}页"], size=(320, 240))) for n in range(frames)]
    pages[0].save(path, save_all=True, append_images=pages[1:])
    return path


def test_too_many_scanned_pages_are_refused_before_reading_any(tmp_path: Path) -> None:
    reason = _limit_reason(_tiff(tmp_path / "many.tif", 3), ParseLimits(ocr_pages=2))
    assert reason == "需要文字识别的扫描页过多（3 页，上限 2 页），请拆分后再导入"


def test_a_page_over_the_per_page_time_limit_stops_the_file_and_names_the_page(tmp_path: Path) -> None:
    pages: list[tuple[int, int]] = []
    with pytest.raises(FileLimitError) as excinfo:
        load_isolated(
            _tiff(tmp_path / "slow.tif", 2),
            ParseLimits(ocr_page_seconds=0.001),
            lambda d, t: pages.append((d, t)),
        )
    assert excinfo.value.reason.startswith("扫描件第 2 页（共 2 页）文字识别超过每页时间限制（0.001 秒）")
    assert pages == [(1, 2)]  # progress was reported for the page read
