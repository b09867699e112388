"""A one-off check for ``reportbot doctor``: an access token, then a gateway ticket (no socket is opened: the
gateway hands each message to one of an app's connections, and a probe's would take it from ``serve``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.chat.connection import ProbeResult
from bot.dingtalk.errors import DingTalkAuthError, DingTalkError

if TYPE_CHECKING:
    from bot.dingtalk.api import DingTalkApi


async def probe(api: DingTalkApi) -> tuple[ProbeResult, str]:
    """Fetch a token and a Stream ticket from ``api``; the result and a short English detail (never the secret)."""
    try:
        await api.access_token()
        await api.open_connection()
    except DingTalkAuthError:
        return ProbeResult.AUTH_FAILED, "credentials refused"
    except DingTalkError as exc:
        return ProbeResult.UNREACHABLE, type(exc).__name__
    finally:
        await api.aclose()
    return ProbeResult.OK, "token and gateway ticket"
