"""load_text on real files of every supported type, and the reason a clerk sees for each bad file."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from ingest.content import EMPTY, NOT_DOCX, NOT_PDF, NOT_TEXT, UNSUPPORTED
from ingest.load import BAD_DOCX_REASON, BAD_PDF_REASON, SCANNED_PDF_REASON, load_text
from ingest.old_word import NOT_WORD_REASON
from retrieval.errors import UnreadableFileError
from tests.conftest import EXAMPLES_DIR
from tests.reliability.helpers import text_pdf

REPORT = "示例县卫生健康局2024年上半年工作总结\n一、传染病防控工作开展情况\n全县共报告法定传染病12种、486例。"


def _reason(path: Path) -> str:
    with pytest.raises(UnreadableFileError) as excinfo:
        load_text(path)
    assert excinfo.value.path == str(path)
    return excinfo.value.reason


def _write_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("示例县卫生健康局2024年上半年工作总结", level=1)
    document.add_paragraph("一、上半年主要工作开展情况")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["指标", "目标", "完成"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["重点人群签约率", "75%", "76.5%"], strict=True):
        cell.text = text
    document.add_paragraph("（一）家庭医生签约服务提质扩面。组建家庭医生团队64个。")
    document.save(str(path))
    return path


def _write_scanned_pdf(path: Path) -> Path:
    """A page with only a filled shape on it: what a scan looks like to a text extractor."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(120, 120, 120)
    pdf.rect(20, 20, 120, 160, style="F")
    path.write_bytes(bytes(pdf.output()))
    return path


@pytest.mark.parametrize("suffix", [".txt", ".md", ".TXT"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_plain_text_files_decode_in_any_encoding(tmp_path: Path, suffix: str, encoding: str) -> None:
    path = tmp_path / f"report{suffix}"
    path.write_bytes(REPORT.encode(encoding))
    assert load_text(path) == REPORT


def test_docx_keeps_paragraph_order_headings_and_table_rows(tmp_path: Path) -> None:
    text = load_text(_write_docx(tmp_path / "summary.docx"))
    assert text.splitlines() == [
        "示例县卫生健康局2024年上半年工作总结",
        "一、上半年主要工作开展情况",
        "指标 | 目标 | 完成",
        "重点人群签约率 | 75% | 76.5%",
        "（一）家庭医生签约服务提质扩面。组建家庭医生团队64个。",
    ]


def test_docx_merged_cells_appear_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "传染病防控"
    table.cell(0, 2).text = "完成"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    assert load_text(path) == "传染病防控 | 完成"


def test_pdf_text_of_every_page(tmp_path: Path) -> None:
    path = text_pdf(
        tmp_path / "report.pdf",
        [
            "County Health Bureau 2024 first-half summary\n1. Infectious disease control: 486 cases.",
            "2. Family doctors: 76.5%.",
        ],
    )
    assert load_text(path).splitlines() == [
        "County Health Bureau 2024 first-half summary",
        "1. Infectious disease control: 486 cases.",
        "2. Family doctors: 76.5%.",
    ]


CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.mark.skipif(not CJK_FONT.exists(), reason="needs a CJK font (Debian package fonts-wqy-microhei)")
def test_chinese_pdf_with_wrapped_lines_parses_into_sections(tmp_path: Path) -> None:
    from ingest.parse import parse_document

    report = (EXAMPLES_DIR / "shilixian_2024_h1_summary.md").read_text(encoding="utf-8").replace("#", "")
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("wqy", fname=str(CJK_FONT))
    pdf.set_font("wqy", size=11)
    pdf.multi_cell(0, 7, report.strip())
    path = tmp_path / "summary.pdf"
    path.write_bytes(bytes(pdf.output()))
    doc = parse_document(load_text(path), source=path.name, doc_id="pdf", doc_hash="h", fallback_title="x")
    assert doc.title == "示例县卫生健康局2024年上半年工作总结"
    signing = next(c for c in doc.chunks if c.heading_path[-1:] == ("（二）家庭医生签约服务提质扩面",))
    # The line the PDF wrapped inside the paragraph is rejoined into the same chunk.
    assert "较去年底提高4.1个" in signing.text
    assert signing.text.endswith("65.7%。")
    assert [c.kind for c in doc.chunks if c.heading_path[:1] == ("二、存在的问题",)] == ["problems"]


def test_pdf_without_text_or_a_readable_scan_says_so(tmp_path: Path) -> None:
    assert _reason(_write_scanned_pdf(tmp_path / "scan.pdf")) == SCANNED_PDF_REASON


@pytest.mark.parametrize("keep", [0.5, 0.2])
def test_truncated_pdf(tmp_path: Path, keep: float) -> None:
    data = text_pdf(tmp_path / "whole.pdf", ["Work summary. " * 40]).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * keep)])
    assert _reason(path) == BAD_PDF_REASON


def test_html_drops_scripts_styles_and_navigation_and_keeps_blocks(tmp_path: Path) -> None:
    page = """<!DOCTYPE html><html><head><meta charset="gbk"><title>网站标题</title>
    <style>p { color: red }</style><script>var views = 24900;</script></head>
    <body><nav><a href="/">首页</a> | <a href="/fanwen">范文大全</a></nav>
    <h1>示例县卫生健康局2024年上半年工作总结</h1>
    <div class="content"><p>一、上半年主要工作开展情况</p>
    <p>（一）传染病防控<b>扎实有效</b>。全县报告法定传染病12种。</p>
    <ul><li>发热门诊改造2处</li><li>核酸检测能力每日2000份</li></ul>
    <p>第一行<br>第二行</p>
    <table><tr><td>指标</td><td>完成</td></tr></table></div>
    <script>track();</script></body></html>"""
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("gbk"))
    assert load_text(path).splitlines() == [
        "示例县卫生健康局2024年上半年工作总结",
        "一、上半年主要工作开展情况",
        "（一）传染病防控扎实有效。全县报告法定传染病12种。",
        "发热门诊改造2处",
        "核酸检测能力每日2000份",
        "第一行",
        "第二行",
        "指标 完成",
    ]


def test_html_page_chrome_is_dropped_but_the_articles_own_header_stays(tmp_path: Path) -> None:
    page = """<html><body><header><div class="logo">才智咖</div><form><input name="q"><button>搜索</button></form></header>
    <main><article><header><h1>示例县2024年下半年工作计划</h1></header>
    <p>一、工作目标。全年签约率达到80%。</p><footer>（示例县卫生健康局 2024年7月）</footer></article>
    <aside><h3>相关推荐</h3><ul><li>卫生院工作总结</li></ul></aside></main>
    <footer>Copyright 才智咖 | 联系我们</footer></body></html>"""
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    assert load_text(path).splitlines() == [
        "示例县2024年下半年工作计划",
        "一、工作目标。全年签约率达到80%。",
        "（示例县卫生健康局 2024年7月）",
    ]


def test_htm_suffix_is_html(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text("<p>一、工作目标</p><p>全年签约率达到80%。</p>", encoding="utf-8")
    assert load_text(path) == "一、工作目标\n全年签约率达到80%。"


@pytest.mark.parametrize("name", ["empty.txt", "empty.docx", "empty.pdf", "blank.md"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"" if name != "blank.md" else b"  \n\n \r\n")
    assert _reason(path) == EMPTY


def test_binary_file_with_text_extension(tmp_path: Path) -> None:
    path = tmp_path / "program.txt"
    path.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4)
    assert _reason(path) == "文件内容不是文本，与扩展名 .txt 不符。"  # the uploads' sentence, word for word


def test_picture_named_txt_is_refused_as_not_text(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert _reason(path) == NOT_TEXT.format(suffix=".txt")


def test_truncated_docx(tmp_path: Path) -> None:
    data = _write_docx(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    assert _reason(path) == BAD_DOCX_REASON == "不是有效的 Word 文档（文件可能已损坏或被截断）"


def test_text_file_renamed_to_docx(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(REPORT.encode("gb18030"))
    assert _reason(path) == NOT_DOCX == "文件内容不是 Word（.docx）文档。"


def test_text_file_renamed_to_pdf(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_text(REPORT, encoding="utf-8")
    assert _reason(path) == NOT_PDF


@pytest.mark.parametrize(
    ("made", "named", "reason"),
    [
        (".docx", "report.pdf", "文件内容不是 PDF 文档。"),
        (".docx", "report.txt", "文件内容不是文本，与扩展名 .txt 不符。"),
        (".pdf", "report.docx", "文件内容不是 Word（.docx）文档。"),
        (".pdf", "report.html", "文件内容不是文本，与扩展名 .html 不符。"),
    ],
)
def test_word_and_pdf_files_with_the_wrong_extension(
    tmp_path: Path, made: str, named: str, reason: str
) -> None:
    real = (
        _write_docx(tmp_path / "real.docx")
        if made == ".docx"
        else text_pdf(tmp_path / "real.pdf", ["Summary."])
    )
    path = tmp_path / named
    path.write_bytes(real.read_bytes())
    assert _reason(path) == reason


def test_an_office_file_that_is_not_word_named_docx_is_refused_as_not_word(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))  # OLE2 without a Word stream (an .xls)
    assert _reason(path) == NOT_WORD_REASON


@pytest.mark.parametrize(
    ("name", "shown"), [("report.rtf", ".rtf"), ("scan.gif", ".gif"), ("README", "无扩展名")]
)
def test_unsupported_extension_names_it_and_lists_supported_ones(
    tmp_path: Path, name: str, shown: str
) -> None:
    path = tmp_path / name
    path.write_text(REPORT, encoding="utf-8")
    assert _reason(path) == UNSUPPORTED.format(suffix=shown)  # the chats' and the console's sentence
    assert (
        "可以上传 txt、md、docx、doc、wps、pdf、ofd、html 文件，或扫描件图片（png、jpg、tif）" in UNSUPPORTED
    )


def test_missing_file(tmp_path: Path) -> None:
    assert _reason(tmp_path / "gone.txt") == "文件不存在"


def test_bundled_examples_load_including_the_gb18030_one(tmp_path: Path) -> None:
    paths = sorted(EXAMPLES_DIR.iterdir())
    assert [p.suffix for p in paths].count(".txt") == 2
    assert [p.suffix for p in paths].count(".md") == 1
    gb = next(p for p in paths if "gb18030" in p.name)
    with pytest.raises(UnicodeDecodeError):
        gb.read_bytes().decode("utf-8")
    copy = shutil.copy(gb, tmp_path / "copy.txt")
    assert load_text(Path(copy)).startswith("示例县卫生监督所2024年上半年食品安全工作总结")
    for path in paths:
        assert "示例县" in load_text(path)


def _write_cjk_pdf(path: Path, paragraphs: list[str], width: float = 0) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("wqy", fname=str(CJK_FONT))
    pdf.set_font("wqy", size=11)
    for paragraph in paragraphs:
        pdf.multi_cell(width, 7, paragraph, new_x="LMARGIN", new_y="NEXT")
    path.write_bytes(bytes(pdf.output()))
    return path


# From report 001 (县卫健委2023年上半年工作总结): a long paragraph the PDF printer wraps several times.
WRAPPED_001 = (
    "组织开展“世界卫生日”主题宣传活动，在县人民医院门诊大厅设立咨询台，发放宣传资料2000余份，"
    "接受群众咨询300余人次，开展义诊活动12场，服务群众1500余人次。全县共报告法定传染病12种、486例，"
    "规范开展手足口病、霍乱监测，其中手足口病采样监测12份。"
)


@pytest.mark.skipif(not CJK_FONT.exists(), reason="needs a CJK font (Debian package fonts-wqy-microhei)")
@pytest.mark.parametrize("width", [0, 120, 90])
def test_pdf_lines_wrapped_inside_a_sentence_are_rejoined(tmp_path: Path, width: float) -> None:
    paragraphs = [
        "县卫健委2023年上半年工作总结",
        "一、上半年主要工作开展情况",
        "（一）扎实开展党的建设工作",
        WRAPPED_001,
        "（二）全面提升基本公共卫生服务能力",
        "下半年工作计划",
        "1、持续做好传染病防控",
    ]
    text = load_text(_write_cjk_pdf(tmp_path / "wrapped.pdf", paragraphs, width))
    # Every paragraph is one line again: no sentence is cut by a line break, no heading swallowed.
    assert text.splitlines() == paragraphs


@pytest.mark.skipif(not CJK_FONT.exists(), reason="needs a CJK font (Debian package fonts-wqy-microhei)")
def test_pdf_sentences_keep_their_shape_in_chunks(tmp_path: Path) -> None:
    from ingest.parse import parse_document
    from ingest.split import sentence_spans

    path = _write_cjk_pdf(tmp_path / "r.pdf", ["一、上半年主要工作开展情况", WRAPPED_001], 60)
    doc = parse_document(load_text(path), source=path.name, doc_id="p", doc_hash="h", fallback_title="x")
    (chunk,) = doc.chunks
    sentences = [chunk.text[s:e] for s, e in sentence_spans(chunk.text, (0, len(chunk.text)))]
    assert sentences[0].startswith("组织开展“世界卫生日”主题宣传活动，在县人民医院门诊大厅设立咨询台，")
    assert sentences[0].endswith("服务群众1500余人次。")
    assert "\n" not in chunk.text


class _NumberedPages(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.cell(0, 10, f"- {self.page_no()} -", align="C")


@pytest.mark.skipif(not CJK_FONT.exists(), reason="needs a CJK font (Debian package fonts-wqy-microhei)")
def test_pdf_sentence_cut_by_a_page_break_is_rejoined_and_the_page_number_dropped(tmp_path: Path) -> None:
    from ingest.parse import parse_document

    pdf = _NumberedPages()
    pdf.add_font("wqy", fname=str(CJK_FONT))
    pdf.add_page()
    pdf.set_font("wqy", size=11)
    pdf.multi_cell(0, 7, "一、上半年主要工作开展情况", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, "组织开展“世界卫生日”主题宣传活动，开展义诊活动12场，")
    pdf.add_page()
    pdf.multi_cell(0, 7, "服务群众1500余人次。", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, "二、下半年工作计划", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, "（一）持续做好传染病防控。加强发热门诊规范化建设。")
    path = tmp_path / "pages.pdf"
    path.write_bytes(bytes(pdf.output()))
    doc = parse_document(load_text(path), source=path.name, doc_id="p", doc_hash="h", fallback_title="x")
    assert doc.chunks[0].text == "组织开展“世界卫生日”主题宣传活动，开展义诊活动12场，服务群众1500余人次。"
    assert "- 1 -" not in doc.text


def test_markdown_emphasis_is_read_as_the_words_it_wraps(tmp_path: Path) -> None:
    path = tmp_path / "要点.md"
    path.write_text(
        "**青禾镇人民政府**\n\n__青政发〔2020〕36号__\n\n# 工作总结\n\n门诊**3.86万**人次，2*3 不变。\n",
        encoding="utf-8",
    )
    text = load_text(path)
    assert text.splitlines()[0] == "青禾镇人民政府"
    assert "青政发〔2020〕36号" in text.splitlines()
    assert "门诊3.86万人次，2*3 不变。" in text
