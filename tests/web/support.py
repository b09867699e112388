"""Helpers for the browser tests: the running console, its accounts, and signing in as a user would."""

from __future__ import annotations

import re
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
ROLES = ("admin", "writer", "viewer")


@dataclass(frozen=True)
class User:
    """A console account the session fixture created through ``reportbot user add``."""

    name: str
    password: str
    role: str


@dataclass
class WebServer:
    """A ``reportbot web`` process on 127.0.0.1 and the data dir it serves."""

    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log: Path
    users: dict[str, User] = field(default_factory=dict)

    @property
    def audit_log(self) -> Path:
        """The data dir's audit log (every front end, the console and the CLI write it)."""
        return self.data_dir / "audit.log"

    def audit_lines(self) -> list[str]:
        """The audit log's lines now."""
        return self.audit_log.read_text(encoding="utf-8").splitlines() if self.audit_log.exists() else []

    def add_user(self, name: str, role: str = "viewer") -> User:
        """A new account (in the data dir the server reads at each sign-in), with a strong random password."""
        from bot.web.accounts import AccountStore, Role

        user = User(name, make_password(), role)
        AccountStore(self.data_dir).add(name, Role(role), user.password)
        return user


def make_password() -> str:
    """A random password that meets the console's rules."""
    return "Aa1!" + secrets.token_urlsafe(12)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sign_in(
    page: Page, user: User | str, password: str | None = None, *, base_url: str | None = None
) -> None:
    """Open the sign-in form and sign in by the field labels (用户名, 密码, 登录), as a person would.

    ``page`` must belong to a context created with ``base_url`` (the ``page`` fixture's is), or pass ``base_url``.
    """
    name = user.name if isinstance(user, User) else user
    secret = user.password if isinstance(user, User) and password is None else (password or "")
    page.goto(f"{base_url or ''}/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(secret)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def sign_out(page: Page) -> None:
    """Press 退出 in the header."""
    page.get_by_role("button", name="退出").click()
    page.wait_for_load_state()


def audit_matches(lines: list[str], *fragments: str) -> list[str]:
    """The audit lines containing every fragment (``action=forbidden``, ``user=viewer`` …)."""
    return [line for line in lines if all(f in line for f in fragments)]


COOKIE = re.compile(r"reportbot_session=([^;]+)")
