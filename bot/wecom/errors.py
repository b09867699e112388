"""Exception types of the WeCom client; front ends turn them into one Chinese sentence."""

from __future__ import annotations


class WeComError(Exception):
    """Base class of every WeCom protocol error."""


class WeComAuthError(WeComError):
    """The server refused ``aibot_subscribe`` (wrong bot id or secret)."""


class WeComNotConnected(WeComError):
    """A frame was sent while the client had no subscribed connection."""


class WeComAckTimeout(WeComError):
    """No acknowledgement arrived for a frame within the timeout."""


class WeComRequestError(WeComError):
    """The server acknowledged a frame with a non-zero ``errcode``."""

    def __init__(self, cmd: str, errcode: int, errmsg: str) -> None:
        self.cmd = cmd
        self.errcode = errcode
        self.errmsg = errmsg
        super().__init__(f"{cmd} refused: errcode={errcode} errmsg={errmsg}")


class WeComStreamClosed(WeComError):
    """A stream was refreshed after ``finish`` or after its 6-minute window."""


class WeComCardError(WeComError, ValueError):
    """A template card breaks the platform's rules (title, buttons, keys, task id)."""


class WeComUploadTooLarge(WeComError):
    """A file needs more than the 100 chunks of 512 KB an upload allows."""


class WeComDownloadError(WeComError):
    """A user's file could not be downloaded (expired URL, HTTP error, too large)."""


class WeComDownloadTooLarge(WeComDownloadError):
    """A user's file is over the size cap; ``size`` is what the response declared (None: counted as it came)."""

    def __init__(self, size: int | None, max_bytes: int) -> None:
        self.size = size
        super().__init__(f"file is larger than {max_bytes} bytes")


class WeComDecryptError(WeComError):
    """A downloaded file did not decrypt with its ``aeskey``."""
