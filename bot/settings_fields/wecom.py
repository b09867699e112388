"""WeCom (企业微信 智能机器人, long-connection mode)."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr, field_validator

from bot.settings_fields.common import NameList

WECOM_WS_URL = "wss://openws.work.weixin.qq.com"


class WeComFields(BaseModel):
    """The WeCom front end: the bot's credentials, the long-connection URL, who may ask and where."""

    wecom_bot_id: str = Field("", description="WeCom AI bot (智能机器人) BotID from the admin console.")
    wecom_secret: SecretStr = Field(
        SecretStr(""), description="WeCom AI bot Secret for long-connection mode (never logged)."
    )
    wecom_ws_url: str = Field(
        WECOM_WS_URL,
        description="WeCom long-connection URL; ws://127.0.0.1:PORT for a local relay or the tests.",
    )
    wecom_allowed_users: NameList = Field(
        default_factory=list, description="Comma-separated WeCom userids allowed to ask."
    )
    wecom_admin_users: NameList = Field(
        default_factory=list,
        description="Comma-separated WeCom userids allowed to upload files, delete and reindex.",
    )
    wecom_allowed_chats: NameList = Field(
        default_factory=list,
        description="Comma-separated WeCom group chatids where the bot answers when @-mentioned.",
    )

    @field_validator("wecom_ws_url")
    @classmethod
    def _ws_scheme(cls, value: str) -> str:
        value = value.strip() or WECOM_WS_URL
        if not value.startswith(("ws://", "wss://")):
            msg = "应为 ws:// 或 wss:// 开头的地址"
            raise ValueError(msg)
        return value
