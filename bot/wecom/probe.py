"""A one-off connection check for ``reportbot doctor``: connect, subscribe, close.

Subscribing takes over the bot's connection (WeCom allows one per bot), so a running ``serve`` is replaced.
"""

from __future__ import annotations

import asyncio
import json

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from bot.chat.connection import ProbeResult, encode
from bot.wecom import frames


async def probe(url: str, bot_id: str, secret: str, timeout: float = 10.0) -> tuple[ProbeResult, str]:  # noqa: ASYNC109
    """Subscribe once at ``url``; the result and a short English detail (never the secret)."""
    req_id = frames.new_req_id(frames.SUBSCRIBE)
    try:
        async with asyncio.timeout(timeout):
            async with connect(url, ping_interval=None, open_timeout=timeout) as ws:
                body = frames.subscribe_body(bot_id, secret)
                await ws.send(encode(frames.frame(frames.SUBSCRIBE, req_id, body)))
                async for raw in ws:
                    data = json.loads(raw)
                    if isinstance(data, dict) and not data.get("cmd"):
                        ack = frames.parse_ack(data)
                        if ack.req_id == req_id:
                            if ack.ok:
                                return ProbeResult.OK, "subscribed"
                            return ProbeResult.AUTH_FAILED, f"errcode={ack.errcode}"
    except InvalidURI:
        return ProbeResult.UNREACHABLE, "InvalidURI"
    except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed, ValueError) as exc:
        return ProbeResult.UNREACHABLE, type(exc).__name__
    return ProbeResult.UNREACHABLE, "ConnectionClosed"
