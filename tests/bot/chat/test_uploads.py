"""Upload checks: safe names and content that matches the extension."""

from __future__ import annotations

import pytest

from bot.chat.uploads import content_problem, safe_file_name
from tests.bot.telegram.sample_reports import docx_bytes


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("2024年上半年工作总结.docx", "2024年上半年工作总结.docx"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\boot.ini.txt", "boot.ini.txt"),
        ('a:b*c?"d<e>f|g.md', "a_b_c_d_e_f_g.md"),
        (".txt", "txt"),  # a hidden name without a suffix: refused later as an unsupported type
        ("", "upload"),
    ],
)
def test_safe_file_name(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe


@pytest.mark.parametrize(
    ("suffix", "data", "problem"),
    [
        (".docx", docx_bytes(["标题", "正文。"]), None),
        (".docx", "其实是文本".encode(), "文件内容不是 Word（.docx）文档。"),
        (".pdf", b"%PDF-1.7\n...", None),
        (".pdf", docx_bytes(["x"]), "文件内容不是 PDF 文档。"),
        (".txt", "一、工作总结\n内容。".encode("gb18030"), None),
        (".txt", "一、工作总结".encode("utf-16"), None),
        (".txt", b"\x89PNG\r\n\x1a\n\x00\x00", "文件内容不是文本，与扩展名 .txt 不符。"),
        (".md", b"abc\x00def", "文件内容不是文本，与扩展名 .md 不符。"),
        (".html", docx_bytes(["x"]), "文件内容不是文本，与扩展名 .html 不符。"),
        (".txt", b"  \n ", "文件是空的。"),
    ],
    # named: ids made of the bytes would differ between xdist workers (a .docx carries its zip timestamps)
    ids=[
        "docx",
        "text-as-docx",
        "pdf",
        "docx-as-pdf",
        "gb18030",
        "utf-16",
        "png-as-txt",
        "nul-in-md",
        "docx-as-html",
        "blank",
    ],
)
def test_content_must_match_the_extension(tmp_path, suffix: str, data: bytes, problem: str | None) -> None:
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    assert content_problem(path, suffix) == problem
