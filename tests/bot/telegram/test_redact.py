"""The bot token never reaches the logs, whoever logs it and however."""

from __future__ import annotations

import logging

import pytest

from bot.telegram.redact import REDACTED, TokenRedactingFilter, protect_token

TOKEN = "123456789:AAHsecretSecretSecret_0123456789abcd"


@pytest.fixture
def protected(caplog: pytest.LogCaptureFixture):  # noqa: ANN201
    caplog.set_level(logging.DEBUG)
    token_filter = protect_token(TOKEN)
    yield caplog
    for handler in logging.getLogger().handlers:
        handler.removeFilter(token_filter)
    logging.getLogger("httpx").setLevel(logging.NOTSET)
    logging.getLogger("httpcore").setLevel(logging.NOTSET)


def test_httpx_request_lines_are_silenced_and_redacted(protected: pytest.LogCaptureFixture) -> None:
    httpx_logger = logging.getLogger("httpx")
    assert httpx_logger.getEffectiveLevel() == logging.WARNING
    url = f"https://api.telegram.org/bot{TOKEN}/getUpdates"
    httpx_logger.info('HTTP Request: POST %s "HTTP/1.1 200 OK"', url)
    httpx_logger.warning('HTTP Request: POST %s "HTTP/1.1 502 Bad Gateway"', url)
    assert TOKEN not in protected.text
    assert f"https://api.telegram.org/bot{REDACTED}/getUpdates" in protected.text
    assert "200 OK" not in protected.text


def test_messages_args_and_tracebacks_are_redacted(protected: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("telegram.ext.test")
    log.debug("Set Bot API URL: http://127.0.0.1:8081/bot%s", TOKEN)
    try:
        msg = f"connect failed for http://127.0.0.1:8081/bot{TOKEN}/getMe"
        raise ConnectionError(msg)
    except ConnectionError:
        log.exception("network error")
    assert TOKEN not in protected.text
    assert protected.text.count(REDACTED) >= 2
    assert "ConnectionError" in protected.text


def test_empty_token_changes_nothing() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    assert TokenRedactingFilter("").filter(record)
    assert record.getMessage() == "hello world"
