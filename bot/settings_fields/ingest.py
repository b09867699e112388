"""Per-file ingest limits: a file over one is refused by name and the rest of the batch goes on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from ingest.isolate import ParseLimits


class IngestLimits(BaseModel):
    """What one file may cost to parse."""

    ingest_timeout_seconds: float = Field(
        60.0, gt=0, description="Seconds one file may take to parse before it is refused."
    )
    ingest_memory_mb: int = Field(
        1024, ge=128, description="Address-space limit (MB) of the process that parses one file."
    )
    ingest_max_decompressed_mb: int = Field(
        200, ge=1, description="Largest decompressed size (MB) of a .docx, and of one PDF stream."
    )
    ingest_max_pages: int = Field(2000, ge=1, description="Most pages a PDF may have.")
    ingest_max_chars: int = Field(
        2_000_000, ge=1000, description="Most characters of text one file may yield."
    )
    ingest_max_chunks: int = Field(5000, ge=1, description="Most chunks one file may yield.")
    ingest_ocr_page_seconds: float = Field(
        30.0,
        gt=0,
        description="Seconds OCR may take on one scanned page (after the first) before the file is refused.",
    )
    ingest_ocr_max_pages: int = Field(
        100, ge=1, description="Most scanned pages (image frames, PDF pages without text) one file may have."
    )
    ingest_max_image_pixels: int = Field(
        50_000_000,
        ge=1_000_000,
        description="Largest image (width x height, checked before decoding) in a scan or a scanned PDF page.",
    )
    ingest_ocr_memory_mb: int = Field(
        2560, ge=512, description="Address-space limit (MB) of the parse process while it reads a scan (OCR)."
    )

    def parse_limits(self) -> ParseLimits:
        """The per-file ingest limits, as the core takes them."""
        from ingest.isolate import ParseLimits  # settings stay importable without the ingest pipeline

        return ParseLimits(
            seconds=self.ingest_timeout_seconds,
            memory_mb=self.ingest_memory_mb,
            decompressed_mb=self.ingest_max_decompressed_mb,
            pages=self.ingest_max_pages,
            chars=self.ingest_max_chars,
            chunks=self.ingest_max_chunks,
            ocr_page_seconds=self.ingest_ocr_page_seconds,
            ocr_pages=self.ingest_ocr_max_pages,
            image_pixels=self.ingest_max_image_pixels,
            ocr_memory_mb=self.ingest_ocr_memory_mb,
        )
