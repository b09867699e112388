"""Secrets never reach a log line or a printed error, in any encoding (one module for every front end).

The secrets are the Telegram bot token, the LLM API key, the WeCom secret and the DingTalk app secret. Each is masked as it is
written raw, URL-encoded (``%3A``, upper or lower case, ``+`` for spaces), base64 (standard or URL-safe,
padded or not) and JSON-escaped; and any fragment of at least ``MIN_FRAGMENT_CHARS`` characters of one of
those forms is masked too (a library that truncates what it logs, as websockets does with frames at DEBUG,
cuts a secret anywhere). ``protect_secrets`` puts one ``SecretFilter`` on every handler of the
root logger (a filter on a logger would miss records propagated from child loggers such as ``httpx``) and
quiets httpx's per-request lines; the filter rewrites a record's message, arguments, exception text and
stack before any handler formats it.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import sys
import traceback
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import TracebackType

MASK = "***"
# Loggers that can see a frame carrying the WeCom secret: ours, and websockets' frame-level debug logging.
LOGGER_NAMES = (
    "bot.wecom",
    "bot.wecom.client",
    "bot.wecom.ws",
    "bot.dingtalk",
    "bot.dingtalk.client",
    "bot.dingtalk.ws",
    "websockets",
    "websockets.client",
)
MIN_SECRET_CHARS = 4
"""Shorter values are not treated as secrets (masking "abc" everywhere would garble the logs)."""
MIN_FRAGMENT_CHARS = 8
"""Any run of this many characters of a secret (or of one of its encodings) is masked wherever it appears."""


def encodings(secret: str) -> set[str]:
    """Every form ``secret`` may take in a log line: raw, URL-encoded, base64, JSON-escaped."""
    if len(secret) < MIN_SECRET_CHARS:
        return set()
    forms = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret), json.dumps(secret)[1:-1]}
    raw = secret.encode()
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        text = encoded.decode()
        forms.update({text, text.rstrip("=")})
    forms |= {_lower_percent(f) for f in forms if "%" in f}
    return {f for f in forms if len(f) >= MIN_SECRET_CHARS}


def _lower_percent(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), text)


def redact(text: str, secrets_: Iterable[str]) -> str:
    """``text`` with every encoding of every secret, and every fragment of one, replaced by ``***``."""
    return Masker(secrets_).clean(text)


class Masker:
    """Masks every run of ``MIN_FRAGMENT_CHARS`` or more characters of any form of the secrets it holds."""

    def __init__(self, secrets_: Iterable[str] = ()) -> None:
        forms = {f for s in secrets_ if s for f in encodings(s)}
        self._whole = sorted(forms, key=len, reverse=True)
        grams = {f[i : i + MIN_FRAGMENT_CHARS] for f in forms for i in range(len(f) - MIN_FRAGMENT_CHARS + 1)}
        # a lookahead finds every (overlapping) start of a secret's 8-character run; runs are then merged
        alternatives = "|".join(re.escape(g) for g in sorted(grams))
        self._grams = re.compile(f"(?=({alternatives}))") if grams else None

    def __bool__(self) -> bool:
        return bool(self._whole)

    def clean(self, text: str) -> str:
        """``text`` with whole secrets and their fragments masked."""
        for form in self._whole:
            if form in text:
                text = text.replace(form, MASK)
        if self._grams is None:
            return text
        spans: list[list[int]] = []
        for match in self._grams.finditer(text):
            start, end = match.start(), match.start() + MIN_FRAGMENT_CHARS
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        for start, end in reversed(spans):
            text = text[:start] + MASK + text[end:]
        return text


class SecretFilter(logging.Filter):
    """A logging filter that masks secrets in messages, arguments, exception text and stacks; never drops."""

    def __init__(self, *secrets_: str) -> None:
        super().__init__()
        self.secrets: tuple[str, ...] = ()
        self._masker = Masker()
        self.add(*secrets_)

    def add(self, *secrets_: str) -> None:
        """Mask these secrets too."""
        self.secrets = tuple(dict.fromkeys([*self.secrets, *(s for s in secrets_ if s)]))
        self._masker = Masker(self.secrets)

    def clean(self, text: str) -> str:
        """``text`` with every known secret, and every fragment of one, masked."""
        return self._masker.clean(text)

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite ``record`` so no secret survives formatting."""
        if not self._masker:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error path
            message = str(record.msg)
        clean = self.clean(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = self.clean(text)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)
        return True


def protect_secrets(*secrets_: str, root: logging.Logger | None = None) -> SecretFilter:
    """Mask ``secrets_`` in everything the root logger's handlers write; quiet httpx's request lines.

    Call after logging is configured. Calling again adds the new secrets to the same filter.
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    handlers = (root or logging.getLogger()).handlers
    existing = next(
        (f for h in handlers for f in h.filters if isinstance(f, SecretFilter)),
        None,
    )
    flt = existing or SecretFilter()
    flt.add(*secrets_)
    for handler in handlers:
        if flt not in handler.filters:
            handler.addFilter(flt)
    if not isinstance(sys.excepthook, _RedactingHook):
        sys.excepthook = _RedactingHook(flt)
    else:
        sys.excepthook.flt.add(*secrets_)
    return flt


class _RedactingHook:
    """``sys.excepthook`` for an uncaught exception: the usual traceback, secrets masked."""

    def __init__(self, flt: SecretFilter) -> None:
        self.flt = flt

    def __call__(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(self.flt.clean(text))


def install_secret_filter(secret: str) -> SecretFilter:
    """Attach a ``SecretFilter`` for ``secret`` to the root handlers and to every logger that may see it."""
    flt = SecretFilter(secret)
    for name in LOGGER_NAMES:
        logging.getLogger(name).addFilter(flt)
    for handler in logging.getLogger().handlers:
        handler.addFilter(flt)
    return flt


def remove_secret_filter(flt: SecretFilter) -> None:
    """Detach a filter added by ``install_secret_filter``."""
    for name in LOGGER_NAMES:
        logging.getLogger(name).removeFilter(flt)
    for handler in logging.getLogger().handlers:
        handler.removeFilter(flt)
