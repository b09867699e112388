"""Keep the bot token out of logs: httpx logs every request URL, and Bot API URLs contain the token."""

from __future__ import annotations

import logging

REDACTED = "<telegram-token>"


class TokenRedactingFilter(logging.Filter):
    """Replace the token in a record's message, exception and stack text before any handler formats it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        message = record.getMessage()
        if self.token in message:
            record.msg = message.replace(self.token, REDACTED)
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, REDACTED)
        if record.stack_info and self.token in record.stack_info:
            record.stack_info = record.stack_info.replace(self.token, REDACTED)
        return True


def protect_token(token: str, root: logging.Logger | None = None) -> TokenRedactingFilter:
    """Quiet httpx's per-request log lines and redact ``token`` in everything the root handlers write.

    Call after logging is configured: the filter goes on every handler attached to the root logger now
    (a filter on a logger would miss records propagated from child loggers such as ``httpx``).
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    token_filter = TokenRedactingFilter(token)
    for handler in (root or logging.getLogger()).handlers:
        if not any(isinstance(f, TokenRedactingFilter) and f.token == token for f in handler.filters):
            handler.addFilter(token_filter)
    return token_filter
