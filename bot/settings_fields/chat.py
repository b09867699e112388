"""What every chat front end shares: the rate limit, the longest question, delivery and shutdown."""

from __future__ import annotations

from pydantic import BaseModel, Field

DEFAULT_QUESTION_MAX_CHARS = 500
DEFAULT_UPLOAD_MAX_MB = 20
"""Telegram's cloud Bot API lets a bot download files up to 20 MB: the default for every front end."""


class ChatFields(BaseModel):
    """Limits and timings of the chat core, the same in every front end."""

    rate_limit_per_minute: int = Field(10, ge=1, description="Questions one user may ask per minute.")
    upload_max_mb: int = Field(
        DEFAULT_UPLOAD_MAX_MB,
        ge=1,
        le=2048,
        description="Largest file (MB) an admin may upload to be ingested, in every chat front end and the web "
        "console; larger ones are refused before they are downloaded where the platform says the size. "
        "Telegram's cloud Bot API gives bots at most 20 MB.",
    )
    question_max_chars: int = Field(
        DEFAULT_QUESTION_MAX_CHARS,
        ge=20,
        le=100_000,
        description="Longest question (characters) answered, in every front end and the CLI; longer ones get "
        "a Chinese reply naming the limit.",
    )
    delivery_deadline: float = Field(
        60.0,
        gt=0,
        description="Seconds a reply may keep being retried (network errors, 5xx, 429) before the user is told it failed.",
    )
    llm_concurrency: int = Field(
        4,
        ge=1,
        le=64,
        description="LLM answers and drafts generated at once; other work never waits for them.",
    )
    shutdown_grace: float = Field(
        8.0,
        ge=0,
        description="Seconds in-flight answers get to finish on shutdown (keep below compose stop_grace_period).",
    )
