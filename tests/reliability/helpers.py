"""Hostile-input builders and fault injectors shared by the reliability tests."""

from __future__ import annotations

import errno
import zlib
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from pathlib import Path

HEADING = "示例县卫生健康局{year}年上半年工作总结\n一、上半年工作完成情况\n"


def long_report(paragraphs: int, *, tag: str = "", year: int = 2024) -> str:
    """A real-looking report of ``paragraphs`` long paragraphs (each its own chunk or two)."""
    body = "\n".join(
        f"（{i % 9 + 1}）第{i}项{tag}工作：开展手足口病防控培训{i}次，培训托幼机构保健人员{100 + i}人，"
        "完成霍乱监测采样和食品安全抽检，督导学校晨午检制度落实，" * 6
        for i in range(paragraphs)
    )
    return HEADING.format(year=year) + body + "\n"


class DiskFullEmbeddings(Embeddings):
    """Delegates to a real embedder, then fails like a full disk after ``fail_after`` calls (when armed)."""

    def __init__(self, inner: Embeddings, fail_after: int | None = None) -> None:
        self.inner = inner
        self.fail_after = fail_after
        self.calls = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed, or raise ``OSError(ENOSPC)`` once armed and past ``fail_after`` calls."""
        self.calls += 1
        if self.fail_after is not None and self.calls > self.fail_after:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        """Embed a query with the real embedder."""
        return self.inner.embed_query(text)


def slow_pdf(path: Path, mib: int = 8) -> Path:
    """A 25 KB PDF whose one content stream inflates to ``mib`` MiB of text operators (minutes to extract)."""
    op = b"BT /F1 12 Tf 72 712 Td (x) Tj ET\n"
    stream = zlib.compress(op * (mib * 1024 * 1024 // len(op)), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
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


def text_pdf(path: Path, pages: list[str]) -> Path:
    """A real text PDF (fpdf2), one page per string."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    path.write_bytes(bytes(pdf.output()))
    return path
