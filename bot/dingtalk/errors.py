"""Exception types of the DingTalk glue; front ends turn them into one Chinese sentence."""

from __future__ import annotations


class DingTalkError(Exception):
    """Base class of every DingTalk protocol error."""


class DingTalkAuthError(DingTalkError):
    """DingTalk refused the app's credentials (the access token or the Stream gateway said no)."""


class DingTalkUnreachable(DingTalkError):
    """The API could not be reached or did not answer in time (worth retrying)."""


class DingTalkRequestError(DingTalkError):
    """An API call was answered with an error: an HTTP status, or a non-zero ``errcode``."""

    def __init__(self, what: str, status: int, code: str = "", message: str = "") -> None:
        self.what = what
        self.status = status
        self.code = code
        self.message = message
        super().__init__(f"{what} failed: HTTP {status} code={code} message={message}")


class DingTalkDownloadError(DingTalkError):
    """A file a user sent could not be downloaded (expired link, HTTP error, too large)."""
