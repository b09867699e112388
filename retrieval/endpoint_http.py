"""Calling a model server's JSON endpoint: real timeouts, retries with backoff up to a deadline, and one
Chinese reason when it cannot be used (the words ``retrieval.llm.describe_failure`` uses for the LLM).

Shared by the embeddings and rerank endpoints. A call that failed opens a short cool-down: while it lasts,
the next calls make one attempt instead of retrying to their deadline, so a dead server costs each file of
an ingest (or each question) one connection attempt, not the whole deadline again.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from retrieval.errors import EndpointError

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 3.0
FIRST_BACKOFF = 0.2
MAX_BACKOFF = 2.0
COOL_DOWN = 30.0
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})
_FINAL = {401: "密钥无效或无权限", 403: "密钥无效或无权限", 404: "模型名称或服务地址有误"}


class JsonEndpoint:
    """One endpoint URL with its key; ``post`` sends a JSON body and returns the decoded JSON reply.

    ``what`` names the service in messages (嵌入服务, 重排序服务). The key goes only into the
    Authorization header, never into a message or a log line. Proxy variables are ignored: model servers are
    on the intranet, and a proxy set for the chat apps' internet access must not carry their traffic.
    """

    def __init__(self, url: str, api_key: str, *, what: str, cool_down: float = COOL_DOWN) -> None:
        self.url = url
        self.what = what
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(headers=self._headers, trust_env=False)
        self._cool_down = cool_down
        self._failed_at = -1e9
        self._lock = threading.Lock()

    def post(self, body: dict[str, Any], *, seconds: float) -> Any:
        """The JSON reply to ``body``, retrying transient failures (connection, timeout, 429, 5xx) with
        backoff until ``seconds`` have passed; ``EndpointError`` with the last reason otherwise.
        """
        deadline = time.monotonic() + seconds
        with self._lock:
            single = time.monotonic() - self._failed_at < self._cool_down
        delay = FIRST_BACKOFF
        attempts = 0
        while True:
            attempts += 1
            remaining = deadline - time.monotonic()
            reason, final = self._attempt(body, remaining)
            if not reason:
                with self._lock:
                    self._failed_at = -1e9
                return final
            if final is not None or single or deadline - time.monotonic() <= delay:
                with self._lock:
                    self._failed_at = time.monotonic()
                log.warning(
                    "endpoint failed what=%s url=%s reason=%s attempts=%s",
                    self.what,
                    _shown(self.url),
                    reason,
                    attempts,
                )
                raise EndpointError(self.what, reason)
            time.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF)

    def _attempt(self, body: dict[str, Any], remaining: float) -> tuple[str, Any]:
        """("", reply) on success; (reason, None) for a failure worth retrying; (reason, True) for a final one."""
        if remaining <= 0:
            return "响应超时", True
        timeout = httpx.Timeout(remaining, connect=min(remaining, CONNECT_TIMEOUT))
        try:
            response = self._client.post(self.url, json=body, timeout=timeout)
        except httpx.TimeoutException:
            return "响应超时", None
        except httpx.TransportError:
            return "无法连接服务", None
        status = response.status_code
        if status in _FINAL:
            return _FINAL[status], True
        if status in RETRYABLE:
            return f"服务返回错误 HTTP {status}", None
        if status != 200:
            return f"服务返回错误 HTTP {status}", True
        try:
            return "", response.json()
        except ValueError:
            return "返回格式无法解析", True

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()


def _shown(url: str) -> str:
    """``url`` without any user:password part, for a log line."""
    parts = urlsplit(url)
    if not (parts.username or parts.password):
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=host).geturl()
