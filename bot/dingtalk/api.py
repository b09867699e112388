"""DingTalk's HTTP side, all at one base address (``REPORTBOT_DINGTALK_API_URL``): the access token, the Stream
gateway's connection ticket, file download links, and sending markdown (session webhook or OpenAPI).

Paths and bodies as the official ``dingtalk-stream`` SDK and DingTalk's OpenAPI reference give them:
``POST /v1.0/oauth2/accessToken {appKey, appSecret}`` → ``{accessToken, expireIn}``;
``POST /v1.0/gateway/connections/open {clientId, clientSecret, subscriptions, ua, localIp}`` → ``{endpoint,
ticket}``; ``POST /v1.0/robot/messageFiles/download {robotCode, downloadCode}`` → ``{downloadUrl}``;
``POST /v1.0/robot/oToMessages/batchSend`` and ``/v1.0/robot/groupMessages/send`` with ``msgKey
sampleMarkdown``. OpenAPI calls carry the token in ``x-acs-dingtalk-access-token``. The secret and the token
never reach a log line or an exception's text.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr

from bot.chat.download import read_within
from bot.dingtalk import frames
from bot.dingtalk.errors import (
    DingTalkAuthError,
    DingTalkDownloadError,
    DingTalkRequestError,
    DingTalkUnreachable,
)

TOKEN_PATH = "/v1.0/oauth2/accessToken"
OPEN_PATH = "/v1.0/gateway/connections/open"
DOWNLOAD_PATH = "/v1.0/robot/messageFiles/download"
PRIVATE_SEND_PATH = "/v1.0/robot/oToMessages/batchSend"
GROUP_SEND_PATH = "/v1.0/robot/groupMessages/send"
TOKEN_HEADER = "x-acs-dingtalk-access-token"
TOKEN_MARGIN = 300.0
"""Seconds before its stated expiry a token is renewed (as the SDK does)."""
UA = "reportbot-dingtalk-stream/1"
TIMEOUT = 10.0


class DingTalkApi:
    """One app's calls to DingTalk at ``base_url``; ``await aclose()`` when done."""

    def __init__(
        self,
        client_id: str,
        secret: str | SecretStr,
        base_url: str,
        *,
        timeout: float = TIMEOUT,
        download_timeout: float = 60.0,
    ) -> None:
        self.client_id = client_id
        self._secret = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        self.base_url = base_url.rstrip("/")
        self.download_timeout = download_timeout
        self._http = httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        self._token: tuple[str, float] | None = None
        self._token_lock = asyncio.Lock()

    def __repr__(self) -> str:
        return f"DingTalkApi(client_id={self.client_id!r}, base_url={self.base_url!r})"

    @property
    def secret(self) -> str:
        """The app secret (for the log filters; never logged)."""
        return self._secret

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._http.aclose()

    # the token and the gateway ------------------------------------------------------------------------
    async def access_token(self) -> str:
        """The app's access token, fetched again shortly before it expires (or after it was refused)."""
        async with self._token_lock:
            if self._token is not None and time.monotonic() < self._token[1]:
                return self._token[0]
            body = {"appKey": self.client_id, "appSecret": self._secret}
            data = await self._post(TOKEN_PATH, body, "accessToken", auth_statuses=(400, 401, 403))
            token, expire_in = data.get("accessToken"), data.get("expireIn")
            if not isinstance(token, str) or not token:
                raise DingTalkRequestError("accessToken", 200, "NoToken", "no accessToken in the answer")
            ttl = float(expire_in) if isinstance(expire_in, int | float) else 7200.0
            self._token = (token, time.monotonic() + max(ttl - TOKEN_MARGIN, 1.0))
            return token

    async def open_connection(self) -> tuple[str, str]:
        """Ask the Stream gateway for a connection: its WebSocket ``endpoint`` and a one-time ``ticket``."""
        body = {
            "clientId": self.client_id,
            "clientSecret": self._secret,
            "subscriptions": frames.SUBSCRIPTIONS,
            "ua": UA,
            "localIp": self._local_ip(),
        }
        data = await self._post(OPEN_PATH, body, "connections/open", auth_statuses=(400, 401, 403))
        endpoint, ticket = data.get("endpoint"), data.get("ticket")
        if not isinstance(endpoint, str) or not isinstance(ticket, str) or not endpoint or not ticket:
            raise DingTalkRequestError("connections/open", 200, "NoEndpoint", "no endpoint or ticket")
        return endpoint, ticket

    def _local_ip(self) -> str:
        """The address this machine reaches the API from (a UDP ``connect`` sends nothing); "" if unknown."""
        host = urlsplit(self.base_url).hostname or ""
        with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect((host, 80))
            return str(probe.getsockname()[0])
        return ""

    # OpenAPI calls with the token ---------------------------------------------------------------------
    async def call(self, path: str, body: dict[str, Any], what: str) -> dict[str, Any]:
        """POST ``body`` to an OpenAPI ``path`` with the access token; a refused token is fetched again once."""
        for first in (True, False):
            token = await self.access_token()
            try:
                return await self._post(path, body, what, headers={TOKEN_HEADER: token})
            except DingTalkRequestError as exc:
                if exc.status != 401 or not first:
                    raise
                self._token = None  # expired or revoked: one more try with a new one
        raise AssertionError("unreachable")  # pragma: no cover

    async def download_url(self, download_code: str, robot_code: str = "") -> str:
        """The temporary link to a file a user sent the robot."""
        body = {"robotCode": robot_code or self.client_id, "downloadCode": download_code}
        data = await self.call(DOWNLOAD_PATH, body, "messageFiles/download")
        url = data.get("downloadUrl")
        if not isinstance(url, str) or not url:
            raise DingTalkDownloadError("no downloadUrl in the answer")
        return url

    async def download(self, url: str, max_bytes: int) -> bytes:
        """GET ``url`` (as given): the file, or ``FileTooLargeError`` (from ``Content-Length`` before the body when
        the link declares it) over ``max_bytes``, ``DingTalkDownloadError`` when the link fails.
        """
        try:
            async with self._http.stream("GET", url, timeout=self.download_timeout) as response:
                if response.status_code != 200:
                    raise DingTalkDownloadError(f"download failed: HTTP {response.status_code}")
                return await read_within(response, max_bytes)
        except httpx.HTTPError as exc:
            raise DingTalkDownloadError(f"download failed: {type(exc).__name__}") from None

    async def send_markdown_to(
        self, *, staff_id: str, conversation_id: str, group: bool, title: str, text: str, robot_code: str = ""
    ) -> None:
        """Send markdown through the OpenAPI (when a message's session webhook has expired)."""
        body: dict[str, Any] = {
            "robotCode": robot_code or self.client_id,
            "msgKey": "sampleMarkdown",
            "msgParam": json.dumps({"title": title, "text": text}, ensure_ascii=False),
        }
        if group:
            await self.call(GROUP_SEND_PATH, {**body, "openConversationId": conversation_id}, "groupMessages")
        else:
            await self.call(PRIVATE_SEND_PATH, {**body, "userIds": [staff_id]}, "oToMessages")

    # the session webhook ------------------------------------------------------------------------------
    async def send_webhook(self, webhook: str, body: dict[str, Any]) -> None:
        """POST a message to a conversation's session webhook; raises on a non-zero ``errcode``."""
        data = await self._post_url(webhook, body, "sessionWebhook")
        errcode = data.get("errcode", 0)
        if errcode not in (0, "0", None):
            raise DingTalkRequestError("sessionWebhook", 200, str(errcode), str(data.get("errmsg", "")))

    # plumbing -------------------------------------------------------------------------------------------
    async def _post(
        self,
        path: str,
        body: dict[str, Any],
        what: str,
        *,
        headers: dict[str, str] | None = None,
        auth_statuses: tuple[int, ...] = (),
    ) -> dict[str, Any]:
        return await self._post_url(
            f"{self.base_url}{path}", body, what, headers=headers, auth_statuses=auth_statuses
        )

    async def _post_url(
        self,
        url: str,
        body: dict[str, Any],
        what: str,
        *,
        headers: dict[str, str] | None = None,
        auth_statuses: tuple[int, ...] = (),
    ) -> dict[str, Any]:
        try:
            response = await self._http.post(url, json=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DingTalkUnreachable(f"{what}: {type(exc).__name__}") from None
        try:
            data = response.json()
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        if response.status_code != 200:
            code, message = str(data.get("code", "")), str(data.get("message", ""))[:200]
            if response.status_code in auth_statuses:
                raise DingTalkAuthError(
                    f"{what} refused the app's credentials: HTTP {response.status_code} {code}"
                )
            raise DingTalkRequestError(what, response.status_code, code, message)
        return data
