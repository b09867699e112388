"""Build the second evaluation set's documents (``docs/``) from their text sources (``src/``).

Each source in ``src/`` is plain UTF-8 text, one paragraph per line, in the order of a GB/T 9704-2012 公文:
header block (发文机关标志, 文号), title lines, 主送机关, body, 附件说明, 落款 (issuing unit, date), 抄送/印发.
It is written as .docx (python-docx), .pdf (fpdf2 with a CJK font) or GB18030 .txt, as ``FORMATS`` says.
The .html and .md pages and the UTF-8 .txt reports are text already: they live only in ``docs/`` (format
``text``) and are their own source; building into another folder copies them.

Usage::

    python eval/second/build.py            # writes eval/second/docs/
    python eval/second/build.py --out DIR  # writes somewhere else (the reproducibility test)

The .pdf needs a CJK TrueType font: WenQuanYi Micro Hei (``apt-get install fonts-wqy-microhei``) or a
path given with ``--font``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
DOCS = HERE / "docs"

FORMATS: dict[str, str] = {
    "s01_province_2023_summary.txt": "pdf",
    "s02_city_2024_summary_plan.txt": "docx",
    "s03_county_2025_midyear.html": "text",
    "s04_district_2025_points.txt": "gb18030",
    "s05_county_cdc_2024_summary.html": "text",
    "s06_city_hospital_2023_summary.md": "text",
    "s07_city_mch_2025_midyear.txt": "docx",
    "s08_city_2026_speech.txt": "docx",
    "s09_city_gov_report_2024.txt": "text",
    "s10_county_gov_report_2021.html": "text",
    "s11_city2_2019_summary_trad.txt": "text",
    "s12_county2_2022_summary_plan_trad.txt": "docx",
    "s13_town_2020_summary.md": "text",
    "s14_district_cdc_2026_points.txt": "pdf",
}
SUFFIX = {"pdf": ".pdf", "docx": ".docx", "gb18030": ".txt"}
FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
)
# Fixed metadata so that a rebuild writes the same document properties.
FIXED_TIME = datetime(2026, 1, 1, tzinfo=UTC)

_DOC_NUMBER = re.compile(r"〔\d{4}〕\d+[号號]$")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_ADDRESSEE = re.compile(r"^[^。；]{2,60}：$")
_TAIL = ("抄送", "印发", "印發")


def output_name(source: str) -> str:
    """The document file name ``source`` is built into (same stem; the suffix of its format)."""
    fmt = FORMATS[source]
    return source if fmt == "text" else Path(source).stem + SUFFIX[fmt]


def source_path(source: str) -> Path:
    """Where the text of ``source`` is kept: ``src/``, or ``docs/`` for a document that is text already."""
    return (DOCS if FORMATS[source] == "text" else SRC) / source


def layout(lines: list[str]) -> list[tuple[str, str]]:
    """(role, line) per non-empty line: header, addressee, body, attachment, signature or tail.

    The header is everything before the 主送机关 (or a speech's "同志们：") line; the signature is the
    issuing unit and date lines at the end, before any 抄送/印发 lines.
    """
    lines = [line.strip() for line in lines if line.strip()]
    addressee = next((i for i, line in enumerate(lines) if _ADDRESSEE.match(line)), 0)
    end = len(lines)
    while end and (lines[end - 1].startswith(_TAIL) or lines[end - 1].endswith(_TAIL)):
        end -= 1
    while end and lines[end - 1].startswith("（此件"):
        end -= 1
    date = end - 1 if end and _DATE.match(lines[end - 1]) else end
    signature = date - 1 if date < end else end
    roles = []
    attachment = False
    for i, line in enumerate(lines):
        if i < addressee:
            role = "header"
        elif i == addressee:
            role = "addressee"
        elif i >= signature and i < end:
            role = "signature"
        elif i >= end or line.startswith("（此件"):
            role = "tail"
        elif line.startswith("附件") or (attachment and line[0].isdigit()):
            role, attachment = "attachment", True
        else:
            role, attachment = "body", False
        roles.append((role, line))
    return roles


def write_docx(lines: list[str], out: Path) -> None:
    """A 公文 .docx: centred header and title, indented body, right-aligned 落款, small 抄送/印发 lines."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    doc = Document()
    for role, line in layout(lines):
        p = doc.add_paragraph()
        run = p.add_run(line)
        run.font.name = "仿宋_GB2312"
        run.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
        run.font.size = Pt(16)
        if role == "header":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if line.endswith("文件"):
                run.font.size, run.font.bold = Pt(26), True
                run.font.color.rgb = RGBColor(0xC0, 0, 0)
            elif not _DOC_NUMBER.search(line):
                run.font.size, run.font.bold = Pt(22), True
        elif role == "body":
            p.paragraph_format.first_line_indent = Pt(32)
        elif role == "attachment":
            p.paragraph_format.left_indent = Pt(32)
        elif role == "signature":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif role == "tail":
            run.font.size = Pt(14)
    props = doc.core_properties
    props.author, props.last_modified_by, props.title = "", "", ""
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    doc.save(str(out))


def write_pdf(lines: list[str], out: Path, font: Path) -> None:
    """An A4 .pdf with the font embedded (subset): centred header and title, wrapped body, right 落款."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_margins(28, 37, 26)
    pdf.set_auto_page_break(auto=True, margin=35)
    pdf.add_font("cjk", fname=str(font))
    pdf.add_page()
    for role, line in layout(lines):
        size = 20 if role == "header" and not _DOC_NUMBER.search(line) else 14
        pdf.set_font("cjk", size=size)
        align = {"header": "C", "signature": "R"}.get(role, "L")
        pdf.multi_cell(0, size * 0.6, line, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(out))


def find_font(given: Path | None) -> Path:
    """The CJK font for PDFs: ``given``, else the first installed candidate."""
    for path in (given, *FONT_CANDIDATES):
        if path is not None and path.is_file():
            return path
    msg = "没有找到中文字体：请安装 fonts-wqy-microhei，或用 --font 指定 TrueType 字体文件"
    raise SystemExit(msg)


def build(out_dir: Path, font: Path | None = None) -> list[Path]:
    """Write every document of ``FORMATS`` into ``out_dir``; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source, fmt in FORMATS.items():
        src = source_path(source)
        out = out_dir / output_name(source)
        lines = src.read_text(encoding="utf-8").splitlines()
        if fmt == "text":
            if out.resolve() != src.resolve():
                shutil.copyfile(src, out)
        elif fmt == "gb18030":
            out.write_bytes(src.read_text(encoding="utf-8").encode("gb18030"))
        elif fmt == "docx":
            write_docx(lines, out)
        else:
            write_pdf(lines, out, find_font(font))
        written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: build the documents."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=DOCS, help="output folder (default: eval/second/docs)")
    parser.add_argument("--font", type=Path, help="CJK TrueType font for the PDFs")
    args = parser.parse_args(argv)
    for path in build(args.out, args.font):
        print(f"{path.name}\t{path.stat().st_size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
