"""The secret filter masks the secret in messages, arguments and tracebacks."""

from __future__ import annotations

import logging

import pytest

from bot.wecom.redact import SecretFilter, install_secret_filter, remove_secret_filter

SECRET = "wecom-secret-XYZ-123"


def test_messages_arguments_and_tracebacks_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("bot.wecom.client")
    flt = install_secret_filter(SECRET)
    try:
        with caplog.at_level(logging.DEBUG):
            log.info("subscribe body=%s", {"secret": SECRET})
            log.warning(f"inline {SECRET}")
            try:
                raise RuntimeError(f"refused {SECRET}")
            except RuntimeError:
                log.exception("failed")
    finally:
        remove_secret_filter(flt)
    assert caplog.text.count("***") >= 3
    assert SECRET not in caplog.text
    assert "RuntimeError" in caplog.text  # the traceback is kept, masked


def test_an_empty_secret_masks_nothing() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "plain %s", ("text",), None)
    assert SecretFilter("").filter(record)
    assert record.getMessage() == "plain text"
