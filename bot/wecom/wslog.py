"""websockets' connection logger for the WeCom client: frames carrying the secret are never logged.

At DEBUG, websockets logs every frame it sends or receives, truncated in the middle; the subscribe frame holds
the WeCom secret, and the truncated text kept its last 20 characters (``bot.redact`` now masks fragments too).
This adapter goes further: a frame whose payload holds the secret is logged as withheld, whatever its length.
"""

from __future__ import annotations

import logging
from typing import Any

from websockets.frames import Frame

WITHHELD = "<frame withheld: it carries the WeCom secret>"


class SecretFrameGuard(logging.LoggerAdapter[logging.Logger]):
    """Pass to ``websockets`` as ``logger=``; replaces any logged frame that carries ``secret``."""

    def __init__(self, logger: logging.Logger, secret: str) -> None:
        super().__init__(logger, {})
        self._secret = secret.encode() if secret else b""

    def _carries_secret(self, arg: object) -> bool:
        return bool(self._secret) and isinstance(arg, Frame) and self._secret in bytes(arg.data)

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log as the wrapped logger would, with secret-bearing frames replaced by ``WITHHELD``."""
        if any(self._carries_secret(arg) for arg in args):
            args = tuple(WITHHELD if self._carries_secret(arg) else arg for arg in args)
        super().log(level, msg, *args, **kwargs)
