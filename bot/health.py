"""Container health check: ``python -m bot.health`` exits 0 when the data dir is writable and the Chroma
server (when configured) answers its heartbeat.

Docker runs it every minute, so it stays cheap: settings and one HTTP request, no embedder, no store, no LLM
call (``reportbot doctor`` is the full check).
"""

from __future__ import annotations

import sys

import httpx
from pydantic import ValidationError

from bot.doctor import check_data_dir
from bot.settings import Settings

HEARTBEAT_TIMEOUT = 5.0


def problems(settings: Settings) -> list[str]:
    """What is wrong, one short line each; empty when healthy."""
    found = []
    data_dir = check_data_dir(settings)
    if data_dir.status == "fail":
        found.append(f"{data_dir.name}: {data_dir.detail}")
    if settings.chroma_url:
        url = f"{settings.chroma_url.rstrip('/')}/api/v2/heartbeat"
        try:
            httpx.get(url, timeout=HEARTBEAT_TIMEOUT).raise_for_status()
        except httpx.HTTPError as exc:
            found.append(f"Chroma 服务器 {settings.chroma_url} 不可达（{type(exc).__name__}）")
    return found


def main() -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"配置错误：{exc.error_count()} 项设置无效（运行 reportbot doctor 查看）", file=sys.stderr)
        return 1
    found = problems(settings)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
