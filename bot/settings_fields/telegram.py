"""Telegram: the bot's token, a self-hosted Bot API, and who may ask, where, and who administers."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, Field, SecretStr

from bot.settings_fields.common import IdList, Unset

_TOKEN_SHAPE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")


class TelegramFields(BaseModel):
    """The Telegram front end."""

    telegram_token: SecretStr = Field(SecretStr(""), description="Bot token from @BotFather.")
    telegram_base_url: Annotated[str | None, Unset] = Field(
        None,
        description="Bot API base URL, e.g. http://127.0.0.1:8081/bot for a self-hosted telegram-bot-api.",
    )
    telegram_base_file_url: Annotated[str | None, Unset] = Field(
        None, description="Bot API file base URL, e.g. http://127.0.0.1:8081/file/bot."
    )
    allowed_user_ids: IdList = Field(
        default_factory=list, description="Comma-separated Telegram user ids allowed to ask."
    )
    allowed_chat_ids: IdList = Field(
        default_factory=list, description="Comma-separated group chat ids where the bot answers."
    )
    admin_user_ids: IdList = Field(
        default_factory=list, description="Comma-separated user ids allowed to ingest, delete and reindex."
    )

    def token_looks_valid(self) -> bool:
        """True when the Telegram token has the shape ``123456:ABC…``."""
        return bool(_TOKEN_SHAPE.match(self.telegram_token.get_secret_value()))
