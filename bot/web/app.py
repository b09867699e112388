"""The console's FastAPI app: security middleware, error pages, static files, and one router per page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from bot.chat.access import AccessPolicy
from bot.web import errors
from bot.web.accounts import AccountStore
from bot.web.console import Console
from bot.web.deps import csrf_protect
from bot.web.routes import ask, audit, auth, docs, draft, people, qa, retrieval_test, status
from bot.web.security import SecurityMiddleware
from bot.web.sessions import SessionStore

if TYPE_CHECKING:
    from bot.chat.service import ChatCore
    from bot.services import Services
    from bot.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"
MB = 1024 * 1024


def create_app(settings: Settings, services: Services, core: ChatCore) -> FastAPI:
    """The console on ``services`` and ``core`` (the ones the chat front ends of the process use)."""
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None, dependencies=[Depends(csrf_protect)])
    app.state.console = Console(
        settings=settings,
        services=services,
        core=core,
        accounts=AccountStore(settings.data_dir),
        sessions=SessionStore(),
        audit=core.audit.for_frontend("web"),
        chat=core.frontend("web", AccessPolicy.from_ids([], [], [])),
    )
    errors.install(app)
    app.add_middleware(SecurityMiddleware, upload_max_bytes=settings.web_upload_max_mb * MB)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(auth.router)
    app.include_router(ask.router)
    app.include_router(draft.router)
    app.include_router(docs.router)
    app.include_router(retrieval_test.router)
    app.include_router(qa.router)
    app.include_router(audit.router)
    app.include_router(status.router)
    app.include_router(people.router)
    return app
