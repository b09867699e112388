"""Users get Chinese sentences, never exception text."""

from __future__ import annotations

import pytest

from bot.chat.plain import plain_reason

FALLBACK = "文件无法解析"


@pytest.mark.parametrize(
    "text",
    [
        "解析失败（内部错误 AttributeError）",
        "httpx.RemoteProtocolError: peer closed connection without sending complete message body",
        "File is too big",
        "",
        None,
        'Traceback (most recent call last):\n  File "x.py"',
    ],
)
def test_internals_become_the_plain_fallback(text: str | None) -> None:
    assert plain_reason(text, FALLBACK) == FALLBACK


def test_a_plain_chinese_reason_is_kept() -> None:
    assert plain_reason("文件已加密，请提供未加密的版本", FALLBACK) == "文件已加密，请提供未加密的版本"
