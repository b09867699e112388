"""The media half of the fake WeCom server: chunked uploads in, AES-encrypted files out at expiring URLs."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from aiohttp import web

from bot.wecom.crypto import encode_aes_key, encrypt_media
from tests.bot.wecom import fake_rules as rules
from tests.bot.wecom.fake_rules import Reject
from tests.support.held_body import held_response

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass
class _Upload:
    kind: str
    filename: str
    size: int
    total: int
    md5: str | None
    chunks: dict[int, bytes] = field(default_factory=dict)


@dataclass
class _File:
    data: bytes
    filename: str
    expires: float
    sign: str
    disposition: str
    declared: int | None = None


class FakeMedia:
    """Uploaded media by ``media_id`` and downloadable user files by token."""

    def __init__(self, now: Callable[[], float], url_ttl: float) -> None:
        self.now = now
        self.url_ttl = url_ttl
        self.media: dict[str, tuple[str, bytes]] = {}
        self.downloads: list[str] = []
        self._uploads: dict[str, _Upload] = {}
        self._files: dict[str, _File] = {}

    def add_file(
        self, base_url: str, data: bytes, filename: str, disposition: str, declared: int | None = None
    ) -> tuple[str, str]:
        """Store ``data`` encrypted under a fresh aeskey; returns ``(url, aeskey)`` valid ``url_ttl`` seconds.

        ``declared``: the download says this size and holds its body back (a big file, seen from its headers).
        """
        aeskey = encode_aes_key(os.urandom(32))
        token, sign = secrets.token_hex(8), secrets.token_hex(8)
        cipher = encrypt_media(data, aeskey)
        self._files[token] = _File(cipher, filename, self.now() + self.url_ttl, sign, disposition, declared)
        expires = int(time.time() + self.url_ttl)
        return f"{base_url}/media/{token}?sign={sign}&expires={expires}", aeskey

    def check_media_id(self, body: dict[str, Any], msgtype: str) -> None:
        """Refuse a media message whose ``media_id`` was never uploaded."""
        media_id = (body.get(msgtype) or {}).get("media_id")
        if media_id not in self.media:
            raise Reject(rules.ERR_BAD_PARAM, f"{msgtype}.media_id is not an uploaded media")

    def upload(self, cmd: str, body: dict[str, Any]) -> dict[str, Any]:
        """One step of init → chunk × N → finish; the ack body of that step."""
        if cmd == "aibot_upload_media_init":
            kind, name, size, total = rules.check_upload_init(body)
            upload_id = f"upload_{secrets.token_hex(8)}"
            self._uploads[upload_id] = _Upload(kind, name, size, total, body.get("md5"))
            return {"upload_id": upload_id}
        upload_id = str(body.get("upload_id"))
        upload = self._uploads.get(upload_id)
        if upload is None:
            raise Reject(rules.ERR_BAD_PARAM, "unknown upload_id")
        if cmd == "aibot_upload_media_chunk":
            index = body.get("chunk_index")
            if not isinstance(index, int) or not 0 <= index < upload.total:
                raise Reject(rules.ERR_BAD_PARAM, f"chunk_index must be 0..{upload.total - 1}")
            try:
                chunk = base64.b64decode(str(body.get("base64_data", "")), validate=True)
            except ValueError:
                raise Reject(rules.ERR_BAD_PARAM, "base64_data is not base64") from None
            if not chunk or len(chunk) > rules.CHUNK_SIZE:
                raise Reject(rules.ERR_BAD_PARAM, "a chunk holds 1 byte to 512 KB")
            upload.chunks[index] = chunk
            return {}
        if sorted(upload.chunks) != list(range(upload.total)):
            raise Reject(rules.ERR_BAD_PARAM, "chunks missing")
        data = b"".join(upload.chunks[i] for i in range(upload.total))
        if len(data) != upload.size or (upload.md5 and hashlib.md5(data).hexdigest() != upload.md5):
            raise Reject(rules.ERR_BAD_PARAM, "reassembled file does not match total_size/md5")
        media_id = f"media_{secrets.token_hex(10)}"
        self.media[media_id] = (upload.filename, data)
        del self._uploads[upload_id]
        return {"type": upload.kind, "media_id": media_id, "created_at": str(int(time.time()))}

    async def serve_file(self, request: web.Request) -> web.StreamResponse:
        """GET a user's file: needs the URL's query string and a link not yet expired."""
        entry = self._files.get(request.match_info["token"])
        if entry is None:
            return web.Response(status=404, text="no such media")
        if request.query.get("sign") != entry.sign or "expires" not in request.query:
            return web.Response(status=403, text="bad signature: the URL's query string is required")
        if self.now() > entry.expires:
            return web.Response(status=403, text="link expired")
        self.downloads.append(entry.filename)
        ascii_name = entry.filename.encode("ascii", "replace").decode("ascii").replace('"', "")
        encoded = quote(entry.filename)
        header = {
            "plain": f'attachment; filename="{encoded}"',
            "extended": f"attachment; filename*=UTF-8''{encoded}",
            "both": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}",
        }[entry.disposition]
        if entry.declared is not None:
            return await held_response(request, entry.declared, {"Content-Disposition": header})
        return web.Response(body=entry.data, headers={"Content-Disposition": header})
