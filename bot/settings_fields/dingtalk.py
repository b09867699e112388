"""DingTalk (钉钉 企业内部应用 robot, Stream mode)."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr, field_validator

from bot.settings_fields.common import HTTP_ONLY, NameList

DINGTALK_API_URL = "https://api.dingtalk.com"


class DingTalkFields(BaseModel):
    """The DingTalk front end: the app's credentials, the API address, who may ask and where."""

    dingtalk_client_id: str = Field(
        "", description="DingTalk app Client ID (AppKey) of the robot's internal app (Stream mode)."
    )
    dingtalk_client_secret: SecretStr = Field(
        SecretStr(""), description="DingTalk app Client Secret (AppSecret); never logged."
    )
    dingtalk_api_url: str = Field(
        DINGTALK_API_URL,
        description="DingTalk OpenAPI and Stream gateway address; a relay or a private deployment's "
        "(http:// accepted). Every DingTalk API and gateway call goes to it.",
    )
    dingtalk_allowed_users: NameList = Field(
        default_factory=list, description="Comma-separated DingTalk staffIds (userids) allowed to ask."
    )
    dingtalk_admin_users: NameList = Field(
        default_factory=list,
        description="Comma-separated DingTalk staffIds allowed to upload files, delete and reindex.",
    )
    dingtalk_allowed_chats: NameList = Field(
        default_factory=list,
        description="Comma-separated DingTalk group conversationIds where the bot answers when @-mentioned.",
    )

    @field_validator("dingtalk_api_url")
    @classmethod
    def _dingtalk_api_url(cls, value: str) -> str:
        value = value.strip().rstrip("/") or DINGTALK_API_URL
        if not value.startswith(("http://", "https://")):
            raise ValueError(HTTP_ONLY)
        return value
