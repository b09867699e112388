"""decode_bytes: every encoding a bureau's files come in decodes to the exact text; binary is refused."""

from __future__ import annotations

import codecs

import pytest

from ingest.decode import BINARY_REASON, decode_bytes

SIMPLIFIED = (
    "示例县卫生健康局2024年上半年工作总结\n"
    "一、传染病防控工作开展情况\n"
    "（一）全县共报告法定传染病12种、486例，报告发病率较去年同期下降8.2%。\n"
    "（二）家庭医生签约服务提质扩面，重点人群签约率达到76.5%。"
)
# A line of corpus file 000 (Traditional characters, Taiwan wordings).
TRADITIONAL = "(七)加強了手足口病等傳染病的防控。召開了xx年春季傳染病防控工作會議,不斷加強對手足口病等傳染病防控知識培訓。"


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", SIMPLIFIED),
        ("utf-8", TRADITIONAL),
        ("gb18030", SIMPLIFIED),
        ("gbk", SIMPLIFIED),
        ("gb18030", TRADITIONAL),
        ("big5", TRADITIONAL),
        ("utf-16-le", SIMPLIFIED),
        ("utf-16-be", SIMPLIFIED),
    ],
)
def test_strict_encodings_without_bom_round_trip(encoding: str, text: str) -> None:
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_byte_order_marks_are_honoured_and_dropped(bom: bytes, encoding: str) -> None:
    assert decode_bytes(bom + SIMPLIFIED.encode(encoding)) == SIMPLIFIED


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_or_newlines_is_detected(encoding: str) -> None:
    """Pure CJK UTF-16 has no NUL bytes at all; it must still not come out as GB18030 mojibake."""
    text = "卫生监督所开展学校食堂专项整治督促整改问题九十六个整改完成率百分之百"
    assert decode_bytes(text.encode(encoding)) == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(t, e) for t in ("卫生", "一、工作目标") for e in ("gbk", "utf-16-le", "utf-16-be")]
    + [("簽約", e) for e in ("big5", "gbk", "utf-16-le", "utf-16-be")],
)
def test_very_short_texts(text: str, encoding: str) -> None:
    assert decode_bytes(text.encode(encoding)) == text


def test_ascii_utf16_with_nul_bytes_is_text() -> None:
    assert decode_bytes("Annual report 2024\nAll targets met.".encode("utf-16-le")) == (
        "Annual report 2024\nAll targets met."
    )


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        b"\x7fELF\x02\x01\x01" + bytes(100) + b"\x03\x00>\x00",
        b"\x01\x02\x03\x04\x05\x06\x07\x08" * 64,
    ],
    ids=["all-bytes", "png", "elf", "control-chars"],
)
def test_binary_data_is_refused_with_a_chinese_reason(data: bytes) -> None:
    with pytest.raises(ValueError, match="二进制") as excinfo:
        decode_bytes(data)
    assert str(excinfo.value) == BINARY_REASON
