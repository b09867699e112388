"""No secret reaches the logs, in any encoding, whoever logs it and however."""

from __future__ import annotations

import base64
import json
import logging
import re
import sys
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

from bot.redact import (
    MASK,
    SecretFilter,
    install_secret_filter,
    protect_secrets,
    redact,
    remove_secret_filter,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

TOKEN = "123456789:AAHsecretSecretSecret_0123456789abcd"
LLM_KEY = "sk-live/abc+def=ghi 42"
WECOM = "wecom-secret-XYZ-123"


@pytest.fixture
def protected(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    hook = sys.excepthook
    flt = protect_secrets(TOKEN, LLM_KEY, WECOM)
    yield caplog
    for handler in logging.getLogger().handlers:
        handler.removeFilter(flt)
    sys.excepthook = hook
    logging.getLogger("httpx").setLevel(logging.NOTSET)
    logging.getLogger("httpcore").setLevel(logging.NOTSET)


def every_encoding(secret: str) -> list[str]:
    raw = secret.encode()
    return [
        secret,
        quote(secret, safe=""),
        re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(secret, safe="")),
        quote(secret),
        json.dumps(secret)[1:-1],
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode().rstrip("="),
    ]


@pytest.mark.parametrize("secret", [TOKEN, LLM_KEY, WECOM])
def test_every_encoding_of_every_secret_is_masked(protected: pytest.LogCaptureFixture, secret: str) -> None:
    log = logging.getLogger("httpx")
    for form in every_encoding(secret):
        log.warning("GET https://files.example/file/bot%s/documents/a.pdf", form)
        log.warning(f"inline {form} end")
    for form in every_encoding(secret):
        assert form not in protected.text
    assert protected.text.count(MASK) == 2 * len(every_encoding(secret))


def test_url_encoded_token_in_a_file_url_is_masked(protected: pytest.LogCaptureFixture) -> None:
    logging.getLogger("httpx").warning(
        'HTTP Request: GET http://127.0.0.1:8081/file/bot123456789%3AAAHsecretSecretSecret_0123456789abcd/doc "HTTP/1.1 500"'
    )
    assert "AAHsecretSecretSecret" not in protected.text
    assert f"/file/bot{MASK}/doc" in protected.text


def test_httpx_request_lines_are_silenced(protected: pytest.LogCaptureFixture) -> None:
    httpx_logger = logging.getLogger("httpx")
    assert httpx_logger.getEffectiveLevel() == logging.WARNING
    httpx_logger.info('HTTP Request: POST https://api.telegram.org/bot%s/getUpdates "HTTP/1.1 200 OK"', TOKEN)
    assert "200 OK" not in protected.text


def test_messages_args_and_tracebacks_are_masked(protected: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("telegram.ext.test")
    log.debug("Set Bot API URL: http://127.0.0.1:8081/bot%s", TOKEN)
    log.info("body=%s", {"secret": WECOM, "key": LLM_KEY})
    try:
        msg = f"connect failed for http://127.0.0.1:8081/bot{quote(TOKEN, safe='')}/getMe"
        raise ConnectionError(msg)
    except ConnectionError:
        log.exception("network error")
    for secret in (TOKEN, WECOM, LLM_KEY, quote(TOKEN, safe="")):
        assert secret not in protected.text
    assert "ConnectionError" in protected.text  # the traceback is kept, masked


def test_an_uncaught_exception_is_printed_masked(
    protected: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        raise RuntimeError(f"Unauthorized for url http://x/bot{TOKEN}/getMe")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    err = capsys.readouterr().err
    assert "RuntimeError: Unauthorized" in err
    assert TOKEN not in err


def test_wecom_loggers_are_masked_while_installed(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("bot.wecom.client")
    flt = install_secret_filter(WECOM)
    try:
        with caplog.at_level(logging.DEBUG):
            log.info("subscribe body=%s", {"secret": WECOM})
    finally:
        remove_secret_filter(flt)
    assert WECOM not in caplog.text
    assert MASK in caplog.text


def test_redact_text_and_empty_or_short_secrets_change_nothing() -> None:
    assert redact(f"token={TOKEN}", [TOKEN, ""]) == f"token={MASK}"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "plain %s", ("abc",), None)
    assert SecretFilter("", "abc").filter(record)
    assert record.getMessage() == "plain abc"
