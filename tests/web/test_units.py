"""The console's parts that need no browser: every route has a role, passwords, sessions' idle expiry."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.web.accounts import AccountError, AccountStore, Role, SignIn, check_password
from bot.web.sessions import SessionStore

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from fastapi.routing import APIRoute


def test_every_route_but_sign_in_requires_a_role(tmp_path: Path) -> None:
    from bot.chat.service import ChatCore
    from bot.services import build_services
    from bot.settings import Settings
    from bot.web.app import create_app
    from bot.web.routes.auth import PUBLIC_PATHS

    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    services = build_services(settings, lazy=True)
    app = create_app(settings, services, ChatCore(services, tmp_path, 10))
    routes = list(_api_routes(app.routes))
    assert len(routes) > 5
    unguarded = [r.path for r in routes if r.path not in PUBLIC_PATHS and not _has_role(r.dependant)]
    assert unguarded == []


def _api_routes(routes: list) -> Iterator[APIRoute]:  # type: ignore[type-arg]
    from fastapi.routing import APIRoute

    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):  # an included router (FastAPI 0.16x)
            yield from _api_routes(route.original_router.routes)


def _has_role(dependant) -> bool:
    if getattr(dependant.call, "required_role", None) is not None:
        return True
    return any(_has_role(d) for d in dependant.dependencies)


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("short1A!", False),
        ("alllowercaseletters", False),
        ("lowercase123", False),
        ("Lowercase123", True),
        ("卫生健康局abc123", True),
    ],
)
def test_passwords_need_length_and_three_kinds_of_characters(password: str, ok: bool) -> None:
    if ok:
        check_password(password)
    else:
        with pytest.raises(AccountError):
            check_password(password)


def test_the_lock_ends_after_fifteen_minutes_and_a_disabled_account_cannot_sign_in(tmp_path: Path) -> None:
    store = AccountStore(tmp_path)
    store.add("zhang", Role.ADMIN, "Correct-horse-9")
    start = 1_000_000.0
    results = [store.sign_in("zhang", "wrong", now=start) for _ in range(5)]
    assert results == [SignIn.FAILED] * 4 + [SignIn.LOCKED]
    assert store.sign_in("zhang", "Correct-horse-9", now=start + 14 * 60) is SignIn.STILL_LOCKED
    assert store.sign_in("zhang", "Correct-horse-9", now=start + 15 * 60 + 1) is SignIn.OK
    store.set_disabled("zhang", True)
    assert store.sign_in("zhang", "Correct-horse-9") is SignIn.DISABLED
    assert "Correct-horse-9" not in store.path.read_text(encoding="utf-8")


def test_a_session_expires_after_its_idle_time() -> None:
    sessions = SessionStore(idle_seconds=0.05)
    session = sessions.new(user="zhang")
    assert sessions.get(session.token) is session
    import time

    time.sleep(0.1)
    assert sessions.get(session.token) is None


def test_serve_runs_the_console_only_when_its_port_is_set(tmp_path: Path) -> None:
    from bot.serve import configured_frontends
    from bot.settings import Settings

    assert "web" not in configured_frontends(Settings(_env_file=None, data_dir=tmp_path))  # type: ignore[call-arg]
    with_port = Settings(_env_file=None, data_dir=tmp_path, web_port=8081)  # type: ignore[call-arg]
    assert configured_frontends(with_port) == ["web"]


def test_a_csv_cell_is_never_a_spreadsheet_formula() -> None:
    from bot.web.qa_view import safe_cell

    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("上半年") == "上半年"


def test_the_audit_verdict_is_kept_until_the_log_changes_and_an_edit_is_named(tmp_path: Path) -> None:
    import os
    import time

    from bot.chat.audit_chain import ChainFiles
    from bot.web.audit_view import VerdictCache

    chain = ChainFiles(tmp_path / "audit.log")
    for user in ("u1", "u2", "u3"):
        chain.append(f"ts=2026-01-01T00:00:00Z frontend=web user={user} action=ask outcome=found")
    cache = VerdictCache()
    written = cache.verdict(chain)
    assert written.ok
    assert written.records == 3
    assert (
        cache.verdict(chain) is not written
    )  # written a moment ago: a same-second edit could hide, walk again
    settled = time.time() - 60
    os.utime(chain.path, (settled, settled))
    first = cache.verdict(chain)
    assert cache.verdict(chain) is first  # nothing changed since: no second walk
    lines = chain.path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("user=u2", "user=u9")  # same length: only the mtime tells
    chain.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    broken = cache.verdict(chain)
    assert not broken.ok
    assert (broken.file, broken.line) == ("audit.log", 2)
