"""The web console (``reportbot web``; ``reportbot serve`` runs it too when ``web_port`` is set)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from bot.settings_fields.common import NameList, Unset


class WebFields(BaseModel):
    """Where the console listens, which proxies it believes, how much one upload may be."""

    web_host: str = Field(
        "127.0.0.1",
        description="Address the web console listens on; keep 127.0.0.1 behind a reverse proxy (nginx with TLS).",
    )
    web_port: Annotated[int | None, Unset] = Field(
        None,
        ge=1,
        le=65535,
        description="Port of the web console: reportbot web uses 8080 when unset; reportbot serve runs the "
        "console beside the chat front ends only when it is set.",
    )
    web_trusted_proxies: NameList = Field(
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
