"""Serving the console with uvicorn inside ``reportbot serve``'s event loop (``reportbot web`` runs it alone).

The socket is bound before uvicorn starts, so a port in use is one Chinese line (uvicorn would exit the whole
process); signals stay with ``bot.serve.run_frontends``, which stops the console with the chat front ends.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import uvicorn

from retrieval.errors import ConfigurationError

if TYPE_CHECKING:
    from bot.chat.service import ChatCore
    from bot.services import Services
    from bot.settings import Settings

DEFAULT_PORT = 8080


class EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves SIGTERM/SIGINT to the process's front-end runner."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Install nothing: ``run_frontends`` owns the signals and sets ``should_exit``."""
        yield


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``; ``ConfigurationError`` naming the setting when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        msg = (
            f"管理台无法监听 {host}:{port}（{exc.strerror or exc}）：端口可能已被占用，"
            "请检查 REPORTBOT_WEB_HOST 和 REPORTBOT_WEB_PORT。"
        )
        raise ConfigurationError(msg) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def web_server(
    settings: Settings, services: Services, core: ChatCore
) -> tuple[EmbeddedServer, socket.socket]:
    """The console's server and its bound socket (``settings.web_port``, else 8080)."""
    from bot.web.app import create_app

    sock = bind(settings.web_host, settings.web_port or DEFAULT_PORT)
    config = uvicorn.Config(
        create_app(settings, services, core),
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,  # the console believes X-Forwarded-* only from REPORTBOT_WEB_TRUSTED_PROXIES
        lifespan="off",
        timeout_graceful_shutdown=3,
    )
    return EmbeddedServer(config), sock
