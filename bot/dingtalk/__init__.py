"""DingTalk (钉钉) Stream-mode robot glue: the client, frames and acks, HTTP calls, replies, files, commands.

Everything platform-neutral comes from ``bot.chat``. Modules: ``client`` (the Stream connection), ``frames``
(frames, acks, robot messages), ``api`` (token, gateway, downloads, sends at ``REPORTBOT_DINGTALK_API_URL``),
``delivery`` (paced, retried markdown to a conversation), ``frontend`` (access check and dispatch;
``build_client``), ``answering`` (cited answers, ``原文 N``), ``commands``, ``files``, ``probe`` (``doctor``).
"""

from __future__ import annotations

from bot.dingtalk.api import DingTalkApi
from bot.dingtalk.client import DingTalkHandler, DingTalkStream
from bot.dingtalk.delivery import Messenger, Target
from bot.dingtalk.errors import (
    DingTalkAuthError,
    DingTalkDownloadError,
    DingTalkError,
    DingTalkRequestError,
    DingTalkUnreachable,
)
from bot.dingtalk.frames import BotMessage, Frame

__all__ = [
    "BotMessage",
    "DingTalkApi",
    "DingTalkAuthError",
    "DingTalkDownloadError",
    "DingTalkError",
    "DingTalkHandler",
    "DingTalkRequestError",
    "DingTalkStream",
    "DingTalkUnreachable",
    "Frame",
    "Messenger",
    "Target",
]
