"""Opening Chroma: embedded under the data dir or over HTTP; a missing database file is reported, and an
unwritable data dir (read-only, full) is served read-only from a temporary copy.
"""

from __future__ import annotations

import atexit
import logging
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings

from retrieval.errors import StoreMissingError, StoreUnavailableError
from retrieval.store.records import write_failure

if TYPE_CHECKING:
    from chromadb.api import ClientAPI

log = logging.getLogger(__name__)

_READ_ONLY: dict[int, str] = {}  # clients serving a temporary copy of an unwritable store → why


def read_only_reason(client: ClientAPI) -> str:
    """Why writes through ``client`` must be refused ("" when it is a normal, writable store)."""
    return _READ_ONLY.get(id(client), "")


def sqlite_path(client: ClientAPI) -> Path | None:
    """Chroma's SQLite file for an embedded client, None for a server."""
    try:
        settings = client.get_settings()
    except Exception:
        return None
    if not settings.is_persistent or not settings.persist_directory:
        return None
    return Path(settings.persist_directory) / "chroma.sqlite3"


def open_client(data_dir: Path, chroma_url: str | None = None) -> ClientAPI:
    """Embedded ``PersistentClient`` under ``data_dir/chroma``, or ``HttpClient`` when a server URL is set."""
    settings = ChromaSettings(anonymized_telemetry=False)
    if not chroma_url:
        path = data_dir / "chroma"
        _check_not_missing(data_dir, path)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            msg = f"无法创建知识库目录 {path}（{exc.strerror or type(exc).__name__}）"
            raise StoreUnavailableError(msg) from exc
        try:
            return chromadb.PersistentClient(path=str(path), settings=settings)
        except Exception as exc:
            cause = write_failure(exc)
            if "磁盘已满" not in cause and "只读" not in cause:
                raise
            return read_only_client(path, settings, cause)
    url = urlparse(chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        msg = f"REPORTBOT_CHROMA_URL 应形如 http://host:8000，当前为 {chroma_url!r}"
        raise StoreUnavailableError(msg)
    try:
        client = chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=settings,
        )
        client.heartbeat()
    except Exception as exc:
        msg = f"无法连接 Chroma 服务器 {chroma_url}（{type(exc).__name__}），请确认服务已启动"
        raise StoreUnavailableError(msg) from exc
    return client


def read_only_client(path: Path, settings: ChromaSettings, reason: str) -> ClientAPI:
    """Chroma writes even to open a store; on a read-only or full data dir, serve reads from a temporary copy.

    Writes to a store on that copy fail with ``reason`` (see ``ChunkStore.write_lock``).
    """
    try:
        copy = Path(tempfile.mkdtemp(prefix="reportbot-readonly-"))
        atexit.register(shutil.rmtree, copy, ignore_errors=True)
        shutil.copytree(path, copy / "chroma")
    except OSError as exc:
        msg = f"数据目录 {path} 只读，且无法建立临时副本（{exc.strerror or type(exc).__name__}），知识库无法打开"
        raise StoreUnavailableError(msg) from exc
    log.warning("store not writable, serving reads from a copy path=%s copy=%s", path, copy)
    client = chromadb.PersistentClient(path=str(copy / "chroma"), settings=settings)
    _READ_ONLY[id(client)] = reason
    return client


def _check_not_missing(data_dir: Path, path: Path) -> None:
    """A store whose database file is gone while its other files remain is reported, never recreated empty."""
    if (path / "chroma.sqlite3").exists():
        return
    leftovers = [p for p in path.iterdir()] if path.is_dir() else []
    leftovers += list((data_dir / "lexical").rglob("bm25.json")) if (data_dir / "lexical").is_dir() else []
    if leftovers:
        msg = (
            f"知识库文件缺失：{path / 'chroma.sqlite3'} 不存在，但索引文件（如 {leftovers[0]}）还在；"
            "请从备份恢复该文件或用 reportbot import 导入备份，不会自动新建空知识库"
        )
        raise StoreMissingError(msg)
