"""Downloads a file a user sent (URL valid 5 minutes, query string kept) and decrypts it.

A file over ``max_bytes`` is refused from the response's ``Content-Length`` before its body is read (the encrypted
body may be up to one AES padding block longer than the file), else as the body is counted, else once decrypted.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import unquote

import httpx

from bot.chat.download import read_within
from bot.chat.uploads import MB, FileTooLargeError
from bot.settings import DEFAULT_UPLOAD_MAX_MB
from bot.wecom.crypto import PAD_BLOCK, decrypt_media
from bot.wecom.errors import WeComDownloadError, WeComDownloadTooLarge

logger = logging.getLogger("bot.wecom.download")

_EXTENDED = re.compile(r"filename\*\s*=\s*([\w-]+)'[^']*'([^;]+)", re.IGNORECASE)
_PLAIN = re.compile(r'filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))', re.IGNORECASE)


@dataclass(frozen=True)
class DownloadedFile:
    """A decrypted file and the name WeCom gave it (``None`` when the header had none)."""

    data: bytes
    filename: str | None


def filename_from_disposition(header: str | None) -> str | None:
    """The file name in a ``Content-Disposition`` header; ``filename*=UTF-8''…`` wins over ``filename=``."""
    if not header:
        return None
    match = _EXTENDED.search(header)
    if match:
        charset, value = match.group(1), match.group(2).strip().strip('"')
        try:
            return unquote(value, encoding=charset or "utf-8", errors="strict")
        except (LookupError, UnicodeDecodeError):
            return unquote(value)
    match = _PLAIN.search(header)
    if not match:
        return None
    value = match.group(1) if match.group(1) is not None else match.group(2).strip()
    return unquote(value.replace('\\"', '"')) or None


async def download_media(
    url: str,
    aeskey: str,
    *,
    client: httpx.AsyncClient | None = None,
    http_timeout: float = 60.0,
    max_bytes: int = DEFAULT_UPLOAD_MAX_MB * MB,
) -> DownloadedFile:
    """GET ``url`` exactly as given (``http://`` allowed), decrypt it with ``aeskey``, name it.

    ``WeComDownloadTooLarge`` for a file over ``max_bytes``, ``WeComDownloadError`` when the link fails.
    """
    own = client is None
    http = client or httpx.AsyncClient(timeout=http_timeout, follow_redirects=True)
    try:
        async with http.stream("GET", url) as response:
            if response.status_code != 200:
                raise WeComDownloadError(
                    f"download failed: HTTP {response.status_code} (the link lasts 5 minutes)"
                )
            body = await read_within(response, max_bytes + PAD_BLOCK)
            name = filename_from_disposition(response.headers.get("content-disposition"))
    except FileTooLargeError as exc:
        raise WeComDownloadTooLarge(exc.size, max_bytes) from None
    except httpx.HTTPError as exc:
        raise WeComDownloadError(f"download failed: {type(exc).__name__}") from exc
    finally:
        if own:
            await http.aclose()
    data = decrypt_media(body, aeskey)
    if len(data) > max_bytes:
        raise WeComDownloadTooLarge(len(data), max_bytes)
    logger.info("wecom file downloaded bytes=%d named=%s", len(data), name is not None)
    return DownloadedFile(data=data, filename=name)
