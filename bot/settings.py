"""The one settings class, read from the environment / ``.env`` with the ``REPORTBOT_`` prefix.

Loaded once at the edge (CLI entry point, ``serve``) and passed down; the core never reads the environment.
The fields, their descriptions and validators live in one group per concern (``bot.settings_fields``);
``Settings`` composes them and is the only class to import.
"""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.settings_fields.chat import DEFAULT_QUESTION_MAX_CHARS, DEFAULT_UPLOAD_MAX_MB, ChatFields
from bot.settings_fields.dingtalk import DINGTALK_API_URL, DingTalkFields
from bot.settings_fields.endpoints import EndpointFields
from bot.settings_fields.ingest import IngestLimits
from bot.settings_fields.llm import DEFAULT_LLM_TIMEOUT, LLMFields
from bot.settings_fields.retrieval import RetrievalFields
from bot.settings_fields.storage import StorageFields
from bot.settings_fields.telegram import TelegramFields
from bot.settings_fields.web import WebFields
from bot.settings_fields.wecom import WECOM_WS_URL, WeComFields

__all__ = [
    "DEFAULT_LLM_TIMEOUT",
    "DEFAULT_QUESTION_MAX_CHARS",
    "DEFAULT_UPLOAD_MAX_MB",
    "DINGTALK_API_URL",
    "WECOM_WS_URL",
    "Settings",
]


# pydantic collects fields from the last base first: the groups are listed bottom-up so that the fields (and
# .env.example) read storage, ingest, retrieval, endpoints, LLM, Telegram, chat, WeCom, DingTalk, web.
class Settings(
    WebFields,
    DingTalkFields,
    WeComFields,
    ChatFields,
    TelegramFields,
    LLMFields,
    EndpointFields,
    RetrievalFields,
    IngestLimits,
    StorageFields,
    BaseSettings,
):
    """Every setting of reportbot; each field maps to ``REPORTBOT_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="REPORTBOT_", env_file=".env", extra="ignore")
