"""Scanned pages made at test time: Chinese text rendered with a CJK font to PNG and image-only PDF, like a 公文
printed, signed, sealed and scanned at 150 dpi; also a tiny OFD writer. Used by the tests and by
``benchmarks/scan_accuracy.py``.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import pytest

if TYPE_CHECKING:
    from PIL import Image as PILImage

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DPI = 150
PAGE = (1240, 1754)  # A4 at 150 dpi
MARGIN = 150
BODY_SIZE = 30  # about 三号 (16 pt) at 150 dpi, the 公文 body size
RED = (220, 20, 30)


def require_font() -> Path:
    """The CJK font the pages are rendered with; the test is skipped without it (CI installs it)."""
    if not CJK_FONT.is_file():
        pytest.skip(f"CJK font not found at {CJK_FONT} (apt-get install fonts-wqy-microhei)")
    return CJK_FONT


@dataclass
class Page:
    """What to print on one page; ``printed`` collects the lines as printed (the OCR ground truth)."""

    title: str = ""
    paragraphs: list[str] = field(default_factory=list)
    header: str = ""  # a red 版头 ("江澜市卫生健康委员会文件") with its red rule
    doc_number: str = ""
    signature: tuple[str, ...] = ()  # 落款 lines, right-aligned
    seal: bool = False  # a red round seal over the 落款
    number: int = 0  # page number printed as "— n —" (0: none)
    running_header: str = ""
    continues: bool = False  # the first paragraph carries on from the page before (no indent)
    size: tuple[int, int] = PAGE
    printed: list[str] = field(default_factory=list)


def render(page: Page, *, rotate: int = 0) -> PILImage.Image:
    """The page as a 150 dpi RGB image (rotated counter-clockwise by ``rotate`` degrees, like a page fed
    sideways); ``page.printed`` is filled with the text lines drawn, in reading order (no page number)."""
    from PIL import Image, ImageDraw, ImageFont

    font_path = str(require_font())
    body = ImageFont.truetype(font_path, BODY_SIZE)
    image = Image.new("RGB", page.size, "white")
    draw = ImageDraw.Draw(image)
    width = page.size[0] - 2 * MARGIN
    y = MARGIN
    page.printed.clear()

    def centred(text: str, font: ImageFont.FreeTypeFont, fill: tuple[int, int, int] | str, gap: int) -> None:
        nonlocal y
        draw.text(((page.size[0] - font.getlength(text)) / 2, y), text, font=font, fill=fill)
        page.printed.append(text)
        y += gap

    if page.running_header:
        small = ImageFont.truetype(font_path, 22)
        draw.text((MARGIN, 70), page.running_header, font=small, fill="black")
        y = MARGIN
    if page.header:
        centred(page.header, ImageFont.truetype(font_path, 58), RED, 100)
        if page.doc_number:
            centred(page.doc_number, body, "black", 50)
        draw.line((MARGIN, y, page.size[0] - MARGIN, y), fill=RED, width=4)
        y += 50
    if page.title:
        centred(page.title, ImageFont.truetype(font_path, 38), "black", 90)
    for k, paragraph in enumerate(page.paragraphs):
        indent = "" if k == 0 and page.continues else "\u3000\u3000"
        for line in _wrap(indent + paragraph, body, width):
            draw.text((MARGIN, y), line, font=body, fill="black")
            page.printed.append(line.strip("\u3000"))
            y += int(BODY_SIZE * 1.75)
    if page.signature:
        y += 40
        sign_top = y
        for line in page.signature:
            draw.text((page.size[0] - MARGIN - body.getlength(line) - 60, y), line, font=body, fill="black")
            page.printed.append(line)
            y += int(BODY_SIZE * 1.75)
        if page.seal:
            _seal(image, (page.size[0] - MARGIN - 180, sign_top + 30), font_path)
    if page.number:
        label = f"— {page.number} —"
        draw.text(
            ((page.size[0] - body.getlength(label)) / 2, page.size[1] - 110), label, font=body, fill="black"
        )
    return image.rotate(rotate, expand=True, fillcolor="white") if rotate else image


_NO_LINE_START = set("，。、；：！？）》”’")


def _wrap(text: str, font: object, width: int) -> list[str]:
    """Lines that fit ``width``; closing punctuation hangs at a line's end, never starts one (避头点)."""
    lines, line = [], ""
    for char in text:
        if font.getlength(line + char) > width and char not in _NO_LINE_START:  # type: ignore[attr-defined]
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def _seal(image: PILImage.Image, centre: tuple[int, int], font_path: str) -> None:
    """A red round seal (ring, star, unit name round the rim) multiplied over what is printed, like ink."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    size = 300
    stamp = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(stamp)
    draw.ellipse((8, 8, size - 8, size - 8), outline=RED, width=10)
    cx = cy = size / 2
    star = [
        (cx + r * math.sin(k * math.pi / 5), cy - r * math.cos(k * math.pi / 5))
        for k in range(10)
        for r in ((45 if k % 2 == 0 else 18),)
    ]
    draw.polygon(star, fill=RED)
    font = ImageFont.truetype(font_path, 30)
    name = "江澜市卫生健康委员会"
    for k, char in enumerate(name):
        angle = math.radians(-110 + k * 220 / (len(name) - 1))
        x = cx + 105 * math.sin(angle) - 15
        y = cy - 105 * math.cos(angle) - 15
        draw.text((x, y), char, font=font, fill=RED)
    x, y = centre[0] - size // 2, centre[1] - size // 2
    region = image.crop((x, y, x + size, y + size))
    image.paste(ImageChops.multiply(region, stamp), (x, y))


def scanned_copy(image: PILImage.Image, angle: float) -> PILImage.Image:
    """``image`` as a flatbed scanner gives it back: askew by ``angle`` degrees, slightly blurred, with grain,
    saved as a JPEG of quality 60."""
    import io

    import numpy as np
    from PIL import Image, ImageFilter

    tilted = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")
    pixels = np.asarray(tilted.filter(ImageFilter.GaussianBlur(0.8))).astype(np.int16)
    grain = np.random.default_rng(1).normal(0, 12, pixels.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels + grain, 0, 255).astype(np.uint8)).save(buffer, "JPEG", quality=60)
    buffer.seek(0)
    return Image.open(buffer)


def save_pdf(images: list[PILImage.Image], path: Path) -> Path:
    """An image-only PDF, one page per image at 150 dpi (no text layer: what a scanner writes)."""
    first, *rest = images
    first.save(path, "PDF", resolution=DPI, save_all=True, append_images=rest)
    return path


def gongwen_page() -> Page:
    """A one-page 工作总结 as a bureau prints it: red 版头, 文号, title, body, 落款 with the seal."""
    return Page(
        header="江澜市卫生健康委员会文件",
        doc_number="江卫健〔2024〕15号",
        title="江澜市2024年上半年疾病预防控制工作总结",
        paragraphs=[
            "今年以来，我委坚持预防为主，全面落实传染病防控各项措施，现将上半年工作总结如下。",
            "一、加强传染病监测预警",
            "全市共报告法定传染病12类1846例，较去年同期下降8.2%，无甲类传染病报告。"
            "规范开展手足口病、霍乱监测，手足口病采样监测36份。",
            "二、扎实开展预防接种",
            "全市适龄儿童免疫规划疫苗接种率保持在95%以上，新建规范化预防接种门诊6个，培训接种人员320人次。",
        ],
        signature=("江澜市卫生健康委员会", "2024年7月5日"),
        seal=True,
        number=1,
    )


def hfmd_pages(corpus: Path) -> list[Page]:
    """Report 000's 手足口病 section (its title, its part heading and the section) as two printed pages, the
    sentence about training cut by the page break, with a running header and page numbers: what a bureau
    scans from its paper copy.
    """
    (path,) = sorted(corpus.glob("000_*.txt"))
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    title = lines[0]
    part = next(line for line in lines if line.startswith("一、"))
    section = next(line for line in lines if "手足口病等傳染病的防控" in line and line.startswith("(七)"))
    cut = section.index("學校教師")
    header = "衛生局工作總結（內部資料）"
    return [
        Page(title=title, paragraphs=[part, section[:cut]], number=1, running_header=header),
        Page(paragraphs=[section[cut:]], number=2, running_header=header, continues=True),
    ]


def char_accuracy(truth: str, read: str) -> float:
    """1 − (edit distance ÷ length of the truth), whitespace ignored on both sides."""
    a = "".join(truth.split())
    b = "".join(read.split())
    if not a:
        return 1.0 if not b else 0.0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return max(0.0, 1 - previous[-1] / len(a))


# --- OFD --------------------------------------------------------------------------------------------------

_NS = "http://www.ofdspec.org/2016"


def write_ofd(
    path: Path,
    pages: list[list[str]],
    *,
    per_char: bool = False,
    title_lines: int = 0,
    scans: dict[int, bytes] | None = None,
) -> Path:
    """A minimal OFD (GB/T 33190) of A4 pages, one ``TextObject`` per line (or per character, as some
    converters write it, listed out of order), with a template page carrying a running header. The first
    ``title_lines`` lines of the first page are a title: centred, in a larger size (2号 over 3号 text).
    ``scans`` maps a page's index to a PNG shown full-page on it (a scanner's OFD: an image and no text).
    """
    scans = scans or {}
    body, left, top, step = 4.2, 25.0, 30.0, 8.0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "OFD.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_NS}" Version="1.0" DocType="OFD">'
            "<ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo>"
            "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        page_refs = "".join(
            f'<ofd:Page ID="{n + 10}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(len(pages))
        )
        z.writestr(
            "Doc_0/Document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_NS}"><ofd:CommonData>'
            "<ofd:MaxUnitID>999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
            "</ofd:PageArea><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
            '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>'
            f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>",
        )
        z.writestr(
            "Doc_0/Tpls/Tpl_0/Content.xml",
            f'<ofd:Page xmlns:ofd="{_NS}"><ofd:Content><ofd:Layer ID="3"><ofd:TextObject ID="4" '
            'Boundary="25 10 160 6" Font="1" Size="3.5"><ofd:TextCode X="0" Y="4">模板页眉（不应读出）'
            "</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>",
        )
        media = "".join(
            f'<ofd:MultiMedia ID="{900 + n}" Type="Image" Format="PNG"><ofd:MediaFile>Scan_{n}.png</ofd:MediaFile>'
            "</ofd:MultiMedia>"
            for n in scans
        )
        z.writestr(
            "Doc_0/DocumentRes.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{_NS}" BaseLoc="Res">'
            f"<ofd:MultiMedias>{media}</ofd:MultiMedias></ofd:Res>",
        )
        for n, png in scans.items():
            z.writestr(f"Doc_0/Res/Scan_{n}.png", png)
        for n, lines in enumerate(pages):
            objects = []
            oid = 100
            if n in scans:
                objects.append(
                    f'<ofd:ImageObject ID="99" Boundary="0 0 210 297" ResourceID="{900 + n}" CTM="210 0 0 297 0 0"/>'
                )
            for k, line in enumerate(lines):
                y = top + k * step
                size = 7.0 if n == 0 and k < title_lines else body
                x0 = (210 - len(line) * size) / 2 if size != body else left
                if per_char:
                    chars = [(i, c) for i, c in enumerate(line)]
                    for i, char in reversed(chars):
                        oid += 1
                        objects.append(
                            f'<ofd:TextObject ID="{oid}" Boundary="{x0 + i * size:.2f} {y:.2f} {size} {size + 1}" '
                            f'Font="1" Size="{size}"><ofd:TextCode X="0" Y="{size}">{escape(char)}</ofd:TextCode>'
                            "</ofd:TextObject>"
                        )
                else:
                    oid += 1
                    deltas = " ".join([str(size)] * (len(line) - 1))
                    objects.append(
                        f'<ofd:TextObject ID="{oid}" Boundary="{x0:.2f} {y:.2f} {len(line) * size + 1:.2f} {size + 1}" '
                        f'Font="1" Size="{size}"><ofd:TextCode X="0" Y="{size}" DeltaX="{deltas}">'
                        f"{escape(line)}</ofd:TextCode></ofd:TextObject>"
                    )
            z.writestr(
                f"Doc_0/Pages/Page_{n}/Content.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_NS}">'
                '<ofd:Template TemplateID="2" ZOrder="Background"/><ofd:Content><ofd:Layer ID="5">'
                + "".join(objects)
                + "</ofd:Layer></ofd:Content></ofd:Page>",
            )
    return path
