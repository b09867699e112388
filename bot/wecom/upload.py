"""Chunked upload of a file to WeCom (init → chunk × N → finish) returning a ``media_id`` valid 3 days."""

from __future__ import annotations

import base64
import hashlib
import logging
import math
from typing import TYPE_CHECKING, Any

from bot.wecom import frames
from bot.wecom.errors import WeComError, WeComUploadTooLarge
from bot.wecom.messaging import send_media

if TYPE_CHECKING:
    from bot.wecom.client import WeComClient
    from bot.wecom.frames import Ack

logger = logging.getLogger("bot.wecom.upload")
CHUNK_SIZE = 512 * 1024  # bytes before base64
MAX_CHUNKS = 100


async def _retried(client: WeComClient, cmd: str, body: dict[str, Any]) -> Ack:
    """An upload frame (not a message: not counted in a chat's limit), retried on transient failures."""
    return await client.pacer.send(None, lambda: client.request(cmd, body), counted=False, what=cmd)


async def upload_media(client: WeComClient, data: bytes, filename: str, media_type: str = "file") -> str:
    """Upload ``data`` in 512 KB chunks (at most 100) and return its ``media_id``."""
    if not data:
        raise WeComError("cannot upload an empty file")
    total = math.ceil(len(data) / CHUNK_SIZE)
    if total > MAX_CHUNKS:
        raise WeComUploadTooLarge(f"{len(data)} bytes need {total} chunks; WeCom takes at most {MAX_CHUNKS}")
    init = await _retried(
        client,
        frames.UPLOAD_INIT,
        {
            "type": media_type,
            "filename": filename,
            "total_size": len(data),
            "total_chunks": total,
            "md5": hashlib.md5(data, usedforsecurity=False).hexdigest(),
        },
    )
    upload_id = init.body.get("upload_id")
    if not upload_id:
        raise WeComError("aibot_upload_media_init returned no upload_id")
    for index in range(total):
        chunk = data[index * CHUNK_SIZE : (index + 1) * CHUNK_SIZE]
        await _retried(
            client,
            frames.UPLOAD_CHUNK,
            {
                "upload_id": upload_id,
                "chunk_index": index,
                "base64_data": base64.b64encode(chunk).decode("ascii"),
            },
        )
    finish = await _retried(client, frames.UPLOAD_FINISH, {"upload_id": upload_id})
    media_id = finish.body.get("media_id")
    if not media_id:
        raise WeComError("aibot_upload_media_finish returned no media_id")
    logger.info("wecom upload done bytes=%d chunks=%d", len(data), total)
    return str(media_id)


async def send_file(client: WeComClient, chatid: str, data: bytes, filename: str) -> str:
    """Upload ``data`` and send it to ``chatid`` as a ``file`` message; returns the ``media_id``."""
    media_id = await upload_media(client, data, filename)
    await send_media(client, chatid, media_id, "file")
    return media_id
