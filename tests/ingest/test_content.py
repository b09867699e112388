"""The one content check: the CLI's reader and an upload refuse the same file with the same typed error and
sentence; a reader given the bytes reads nothing from disk."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.chat.uploads import Uploads, failure_text
from ingest.content import (
    ContentMismatchError,
    DamagedFileError,
    EmptyFileError,
    FileRefusedError,
    UnsupportedTypeError,
    check_content,
)
from ingest.isolate import ParseLimits, load_isolated
from ingest.load import load_text
from retrieval.errors import UnreadableFileError
from tests.bot.fakes import FakeIngest
from tests.bot.telegram.sample_reports import docx_bytes

if TYPE_CHECKING:
    from pathlib import Path

WHOLE_DOCX = docx_bytes(["标题", "正文。"])


@pytest.mark.parametrize(
    ("name", "data", "kind", "sentence"),
    [
        ("伪装.pdf", "只是文本".encode(), ContentMismatchError, "文件内容不是 PDF 文档。"),
        ("伪装.docx", "只是文本".encode(), ContentMismatchError, "文件内容不是 Word（.docx）文档。"),
        (
            "照片.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00",
            ContentMismatchError,
            "文件内容不是文本，与扩展名 .txt 不符。",
        ),
        (
            "截断.docx",
            WHOLE_DOCX[: len(WHOLE_DOCX) // 2],
            DamagedFileError,
            "不是有效的 Word 文档（文件可能已损坏或被截断）",
        ),
        ("空白.md", b" \n ", EmptyFileError, "文件是空的。"),
    ],
    ids=["text-as-pdf", "text-as-docx", "png-as-txt", "cut-docx", "blank"],
)
def test_the_cli_and_an_upload_refuse_a_file_with_one_typed_error_and_one_sentence(
    tmp_path: Path, name: str, data: bytes, kind: type[FileRefusedError], sentence: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableFileError) as by_cli:
        load_text(path)
    uploads = Uploads(FakeIngest(), tmp_path / "data")  # type: ignore[arg-type]
    with pytest.raises(kind) as by_upload:
        uploads.stage(name, data)
    assert by_cli.value.reason == by_upload.value.reason == sentence
    assert failure_text(by_upload.value, name) == f"未导入 {name}：{sentence}"
    assert list((tmp_path / "data" / "uploads" / ".incoming").iterdir()) == []  # nothing refused is kept


def test_an_unsupported_type_is_refused_by_name_with_its_audit_outcome() -> None:
    with pytest.raises(UnsupportedTypeError) as refused:
        check_content(b"PK\x03\x04", "表格.xlsx")
    assert refused.value.outcome == "unsupported"
    assert refused.value.reason.startswith("不支持的文件类型（.xlsx）。可以上传 txt、md、docx")


def test_an_old_word_file_named_docx_passes_the_check_for_its_reader_to_read() -> None:
    check_content(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "旧版.docx"
    )  # no error: the reader decides


def test_the_parse_child_reads_the_bytes_it_is_given_not_the_disk(tmp_path: Path) -> None:
    gone = tmp_path / "从未写入磁盘.txt"  # the path names the file; its bytes come from the caller
    loaded = load_isolated(
        gone, ParseLimits(seconds=30), data="一、工作总结\n全年完成接种1.5万剂次。".encode()
    )
    assert loaded.text == "一、工作总结\n全年完成接种1.5万剂次。"


def test_utf16_without_a_bom_is_text_but_nul_bytes_in_an_odd_length_file_are_not(tmp_path: Path) -> None:
    report = "一、工作目标\n全年签约率达到80%。Annual report 2024."
    path = tmp_path / "无BOM.txt"
    path.write_bytes(report.encode("utf-16-le"))
    assert load_text(path) == report  # the CLI reads it, and an upload is not refused
    check_content(report.encode("utf-16-le"), "无BOM.txt")
    with pytest.raises(ContentMismatchError):
        check_content(b"abc\x00def", "a.md")
