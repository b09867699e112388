"""Where the command line's log records go: a file in the data dir, never the terminal (except ``serve``).

A command tells its user what happened in Chinese on stdout/stderr (one sentence per failure:
``bot.cli.support.fail``); the English ``key=value`` log records behind it are for whoever maintains the
installation, so they go to ``<data dir>/logs/reportbot.log`` (INFO and above, rotated at 5 MB, 3 files kept,
secrets masked), once the data dir exists. ``reportbot serve`` is a service: its log is its stderr, as docker
and systemd expect, so ``serve`` adds a stderr handler (``to_stderr``).
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from bot.settings import Settings

LOG_DIR = "logs"
LOG_NAME = "reportbot.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
LOG_MAX_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 3


_STATE = {"cli": False}


def quiet_terminal() -> None:
    """At start: records are kept from INFO up, and none reaches the terminal (not even Python's last resort).

    Called by ``bot.cli.main`` only, so a command run in-process (tests, another program) leaves logging alone.
    """
    _STATE["cli"] = True
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
        root.addHandler(logging.NullHandler())
    logging.getLogger("httpx").setLevel(logging.WARNING)


def log_for(settings: Settings) -> None:
    """Log to ``<data dir>/logs/reportbot.log`` from now on, with the settings' secrets masked (``main`` only)."""
    from bot.redact import protect_secrets

    root = logging.getLogger()
    if not _STATE["cli"]:
        return
    if not any(isinstance(h, DataDirLog) and h.data_dir == settings.data_dir for h in root.handlers):
        root.addHandler(DataDirLog(settings.data_dir))
    protect_secrets(
        settings.telegram_token.get_secret_value(),
        settings.llm_api_key.get_secret_value(),
        settings.wecom_secret.get_secret_value(),
        settings.embedding_api_key.get_secret_value(),
        settings.rerank_api_key.get_secret_value(),
    )


def to_stderr() -> None:
    """``serve``: log to stderr too (INFO and above)."""
    root = logging.getLogger()
    if any(type(h) is logging.StreamHandler and h.stream is sys.stderr for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)


class DataDirLog(logging.Handler):
    """A rotating log file in the data dir, opened at the first record once the data dir exists.

    A log that cannot be written (read-only or full disk) is skipped without a word: the command's own
    message already says what went wrong, and a logging traceback on the terminal would only add noise.
    """

    def __init__(self, data_dir: Path) -> None:
        super().__init__(logging.INFO)
        self.data_dir = data_dir
        self.setFormatter(logging.Formatter(LOG_FORMAT))
        self._file: RotatingFileHandler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        """Append ``record`` to the file (opening it first), or drop it when that is not possible."""
        try:
            if self._file is None:
                if not self.data_dir.is_dir():
                    return
                folder = self.data_dir / LOG_DIR
                folder.mkdir(exist_ok=True)
                opened = RotatingFileHandler(
                    folder / LOG_NAME, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
                )
                opened.setFormatter(self.formatter)
                opened.handleError = lambda record: None  # type: ignore[method-assign]
                self._file = opened
            self._file.emit(record)
        except OSError:
            return

    def close(self) -> None:
        """Close the file, if it was opened."""
        if self._file is not None:
            self._file.close()
        super().close()
