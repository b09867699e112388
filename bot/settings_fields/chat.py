"""What every chat front end shares: the rate limit, the longest question, delivery and shutdown."""

from __future__ import annotations

from pydantic import BaseModel, Field

DEFAULT_QUESTION_MAX_CHARS = 500


class ChatFields(BaseModel):
    """Limits and timings of the chat core, the same in every front end."""

    rate_limit_per_minute: int = Field(10, ge=1, description="Questions one user may ask per minute.")
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
