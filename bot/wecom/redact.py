"""Keeps the bot secret out of logs and exception text."""

from __future__ import annotations

import logging

MASK = "***"
# Loggers that can see a frame carrying the secret: ours, and websockets' frame-level debug logging.
LOGGER_NAMES = ("bot.wecom", "bot.wecom.client", "bot.wecom.ws", "websockets", "websockets.client")


def redact(text: str, secrets_: tuple[str, ...]) -> str:
    """``text`` with every secret replaced by ``***``."""
    for secret in secrets_:
        if secret:
            text = text.replace(secret, MASK)
    return text


class SecretFilter(logging.Filter):
    """A logging filter that masks the given secrets in messages, arguments and tracebacks."""

    def __init__(self, *secrets_: str) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets_ if s)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite ``record`` so no secret survives formatting; never drops a record."""
        message = record.getMessage()
        clean = redact(message, self.secrets)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text, self.secrets)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        return True


def install_secret_filter(secret: str) -> SecretFilter:
    """Attach a :class:`SecretFilter` for ``secret`` to every logger that may see it."""
    flt = SecretFilter(secret)
    for name in LOGGER_NAMES:
        logging.getLogger(name).addFilter(flt)
    return flt


def remove_secret_filter(flt: SecretFilter) -> None:
    """Detach a filter added by :func:`install_secret_filter`."""
    for name in LOGGER_NAMES:
        logging.getLogger(name).removeFilter(flt)
