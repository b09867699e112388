"""Container health check: ``python -m bot.health`` exits 0 when the data dir is writable and the Chroma
server (when configured) answers its heartbeat.

Docker runs it every minute, so it stays cheap: it imports only the settings and httpx (a test holds it to
that), makes one HTTP request, and loads no embedder, store or LLM (``reportbot doctor`` is the full check and
shares the data-dir probe below).
"""

from __future__ import annotations

import sys
import uuid
from typing import TYPE_CHECKING

import httpx
from pydantic import ValidationError

from bot.settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

HEARTBEAT_TIMEOUT = 5.0
DATA_DIR_CHECK = "数据目录可写"


def data_dir_problem(data_dir: Path) -> str:
    """Why ``data_dir`` cannot be created or written to ("" when it can), probed with a small file."""
    probe = data_dir / f".doctor-{uuid.uuid4().hex[:8]}"
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        return f"{data_dir}（{exc.strerror or exc}）"
    return ""


def problems(settings: Settings) -> list[str]:
    """What is wrong, one short line each; empty when healthy."""
    found = []
    problem = data_dir_problem(settings.data_dir)
    if problem:
        found.append(f"{DATA_DIR_CHECK}: {problem}")
    if settings.chroma_url:
        url = f"{settings.chroma_url.rstrip('/')}/api/v2/heartbeat"
        try:
            httpx.get(url, timeout=HEARTBEAT_TIMEOUT).raise_for_status()
        except httpx.HTTPError as exc:
            found.append(f"Chroma 服务器 {settings.chroma_url} 不可达（{type(exc).__name__}）")
    return found


def main() -> int:
    """Exit status for Docker: 0 healthy, 1 with one line per problem on stderr."""
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
