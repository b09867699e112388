"""A download response that declares a size and never sends its body: the client must decide from the headers."""

from __future__ import annotations

import asyncio

from aiohttp import web

HOLD_SECONDS = 10.0
"""How long the body is held back at most (the client closing the connection ends it at once)."""


async def held_response(
    request: web.Request, declared: int, headers: dict[str, str] | None = None
) -> web.StreamResponse:
    """Send the headers with ``Content-Length: declared``, then nothing until the client gives up."""
    response = web.StreamResponse(headers=headers)
    response.content_length = declared
    await response.prepare(request)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + HOLD_SECONDS
    while loop.time() < deadline and request.transport is not None and not request.transport.is_closing():  # noqa: ASYNC110 - no event for a peer closing
        await asyncio.sleep(0.02)
    return response
