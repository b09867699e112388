"""A file's body from a chat platform's download link, never more than the upload limit (WeCom, DingTalk).

The size the response declares (``Content-Length``) is checked before a byte of the body is read; a body without
one, or longer than it said, is counted as it arrives and cut at the limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.uploads import FileTooLargeError

if TYPE_CHECKING:
    import httpx


async def read_within(response: httpx.Response, max_bytes: int) -> bytes:
    """The body of ``response``; ``FileTooLargeError`` as soon as it is known to be over ``max_bytes``."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FileTooLargeError("", int(declared), max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FileTooLargeError("", None, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)
