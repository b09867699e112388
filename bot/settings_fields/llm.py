"""The LLM (any OpenAI-compatible endpoint); without one, answers are extractive."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, SecretStr

from bot.settings_fields.common import Unset

DEFAULT_LLM_TIMEOUT = 60.0


class LLMFields(BaseModel):
    """The LLM endpoint, its key, model, time limit and temperature."""

    llm_base_url: Annotated[str | None, Unset] = Field(
        None,
        description="OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1 or http://127.0.0.1:11434/v1. Unset = extractive answers.",
    )
    llm_api_key: SecretStr = Field(
        SecretStr(""), description="API key for the LLM endpoint (any non-empty value for local servers)."
    )
    llm_model: str = Field("deepseek-chat", description="Model name at the LLM endpoint.")
    llm_timeout: float = Field(
        DEFAULT_LLM_TIMEOUT,
        gt=0,
        description="Seconds from a question to its answer: when the LLM has not answered by then (slow, hung, "
        "or every LLM slot busy), the extractive answer is given instead.",
    )
    llm_temperature: float = Field(0.2, ge=0, le=2, description="Sampling temperature.")

    @property
    def llm_configured(self) -> bool:
        """True when an LLM endpoint is set."""
        return bool(self.llm_base_url)
