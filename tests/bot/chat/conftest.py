"""Fixtures for the chat core tests: real services over the two small sample reports, no chat platform."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from bot.chat import AccessPolicy, ChatCore, ChatKind, ChatService, Requester
from bot.services import Services, build_services
from bot.settings import Settings
from tests.bot.telegram.sample_reports import write_reports

if TYPE_CHECKING:
    from pathlib import Path

ADMIN = "zhang.admin"
USER = "li.user"
STRANGER = "wang.stranger"
GROUP = "wrGroup01"


@pytest.fixture
def services(tmp_path: Path) -> Services:
    """The core built by ``build_services`` over the two sample reports, in this test's own data dir."""
    data_dir = tmp_path / "data"
    built = build_services(Settings(data_dir=data_dir, _env_file=None))  # type: ignore[call-arg]
    report = built.ingest.ingest(write_reports(tmp_path / "reports"))
    assert [r.status for r in report.results] == ["added", "added"]
    return built


@pytest.fixture
def chat(services: Services, tmp_path: Path) -> ChatService:
    """A front end called ``wecom`` on the chat core: one admin, one allowed user, one allowed group."""
    core = ChatCore(services, tmp_path / "data", rate_limit_per_minute=5)
    return core.frontend("wecom", AccessPolicy.from_ids([USER], [GROUP], [ADMIN]))


def private(chat: ChatService, user: str) -> Requester:
    """``user`` in a one-to-one chat with the bot."""
    return chat.requester(user, user, ChatKind.PRIVATE)


def audit_lines(tmp_path: Path) -> list[str]:
    """The audit log's lines."""
    path = tmp_path / "data" / "audit.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []
