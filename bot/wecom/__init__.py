"""WeCom (企业微信) 智能机器人 long-connection protocol: client, frames, crypto, uploads and downloads.

The protocol modules exported here know nothing about Telegram or the chat core. The front-end glue builds on
them and on ``bot.chat``: ``frontend`` (the ``WeComHandler``: access check and dispatch; ``build_client``),
``answering`` (streamed answers, citation cards, taps), ``commands`` (``/draft`` and the admin commands),
``files`` (admins' files), ``replying`` (streams and multi-part replies); ``probe`` is ``doctor``'s check.
"""

from __future__ import annotations

from bot.chat.delivery import backoff_delay
from bot.redact import SecretFilter
from bot.wecom.client import WeComClient, WeComHandler
from bot.wecom.crypto import decrypt_media, encrypt_media
from bot.wecom.delivery import Pacer
from bot.wecom.download import DownloadedFile, download_media, filename_from_disposition
from bot.wecom.errors import (
    WeComAckTimeout,
    WeComAuthError,
    WeComCardError,
    WeComDecryptError,
    WeComDownloadError,
    WeComError,
    WeComNotConnected,
    WeComRequestError,
    WeComStreamClosed,
    WeComUploadTooLarge,
)
from bot.wecom.frames import Ack, Event, Message
from bot.wecom.messaging import (
    StreamReply,
    reply_card,
    reply_media,
    send_card,
    send_markdown,
    send_media,
    update_card,
)
from bot.wecom.replies import Button, button_card, fit_utf8
from bot.wecom.upload import send_file, upload_media

__all__ = [
    "Ack",
    "Button",
    "DownloadedFile",
    "Event",
    "Message",
    "Pacer",
    "SecretFilter",
    "StreamReply",
    "WeComAckTimeout",
    "WeComAuthError",
    "WeComCardError",
    "WeComClient",
    "WeComDecryptError",
    "WeComDownloadError",
    "WeComError",
    "WeComHandler",
    "WeComNotConnected",
    "WeComRequestError",
    "WeComStreamClosed",
    "WeComUploadTooLarge",
    "backoff_delay",
    "button_card",
    "decrypt_media",
    "download_media",
    "encrypt_media",
    "filename_from_disposition",
    "fit_utf8",
    "reply_card",
    "reply_media",
    "send_card",
    "send_file",
    "send_markdown",
    "send_media",
    "update_card",
    "upload_media",
]
