"""Items 11 and 12: a few invalid UTF-8 bytes no longer reject a report; AES-encrypted PDFs are handled."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.load import ENCRYPTED_PDF_REASON
from ingest.service import IngestService
from tests.reliability.helpers import long_report, text_pdf
from tests.retrieval.helpers import make_searcher

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def service(tmp_path: Path) -> IngestService:
    store, lexical, _ = make_searcher(tmp_path / "data")
    return IngestService(store, lexical)


def test_a_report_with_a_stray_byte_and_cut_mid_character_ingests_and_says_how_many_bytes(
    service: IngestService, tmp_path: Path
) -> None:
    text = long_report(3)
    # a stray byte between two characters, then the file cut inside a three-byte character
    broken = text[:60].encode() + b"\xff" + text[60:].encode() + "霍".encode()[:2]
    (tmp_path / "broken.txt").write_bytes(broken)
    result = service.ingest([tmp_path / "broken.txt"]).results[0]
    assert result.status == "added", result.error
    assert result.replaced_bytes == 3
    texts = " ".join(c.text for c in service.store.iter_chunks())
    assert "手足口病防控培训" in texts


def test_a_legacy_encoded_file_is_still_not_taken_for_broken_utf8(
    service: IngestService, tmp_path: Path
) -> None:
    (tmp_path / "gbk.txt").write_bytes(("Annual report 2024 " * 60 + "卫生健康局").encode("gb18030"))
    result = service.ingest([tmp_path / "gbk.txt"]).results[0]
    assert result.status == "added"
    assert result.replaced_bytes == 0
    assert "卫生健康局" in " ".join(c.text for c in service.store.iter_chunks())


def _encrypt(source: Path, target: Path, *, user: str, algorithm: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm=algorithm)
    with target.open("wb") as f:
        writer.write(f)
    return target


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_pdfs_with_only_an_owner_password_ingest_and_locked_ones_get_the_password_message(
    service: IngestService, tmp_path: Path, algorithm: str
) -> None:
    plain = text_pdf(
        tmp_path / "plain.pdf", ["Shilixian health bureau: hand, foot and mouth disease training."]
    )
    folder = tmp_path / "docs"
    folder.mkdir()
    _encrypt(plain, folder / "owner_only.pdf", user="", algorithm=algorithm)
    _encrypt(plain, folder / "locked.pdf", user="open-sesame", algorithm=algorithm)
    results = {r.source: r for r in service.ingest([folder]).results}
    assert results["owner_only.pdf"].status == "added", results["owner_only.pdf"].error
    assert "training" in " ".join(c.text for c in service.store.iter_chunks())
    assert results["locked.pdf"].status == "failed"
    assert results["locked.pdf"].error == ENCRYPTED_PDF_REASON
