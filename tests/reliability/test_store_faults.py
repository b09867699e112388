"""Item 14: read-only and full data dirs, corrupt rebuildable caches, a missing chroma.sqlite3.

Read-only and full disks are real: a small tmpfs mounted in the test's directory (tests run as root, and root
ignores permission bits, so chmod proves nothing). Where mounting is not permitted those tests are skipped.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.conftest import EXAMPLES_DIR
from tests.retrieval.helpers import chunk, make_searcher, put
from tests.support.env import child_env

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

REPORTBOT = [sys.executable, "-c", "from bot.cli import main; main()"]


def _run(
    data: Path, *args: str, settings: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """The real CLI in its own process (a store opened here would survive the remount)."""
    env = child_env(COLUMNS="250")
    return subprocess.run(
        [*REPORTBOT, *args, "--data-dir", str(data)],
        capture_output=True,
        text=True,
        env=env | (settings or {}),
        timeout=timeout,
    )


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    """A 96 MB tmpfs with a knowledge base of examples/ in it (unmounted afterwards)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here ({done.stderr.decode().strip()}): read-only/full disk untested"
        )
    try:
        ingested = _run(mount / "data", "ingest", str(EXAMPLES_DIR))
        assert ingested.returncode == 0, ingested.stderr
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _reads_work(data: Path) -> None:
    found = _run(data, "search", "食品安全抽检合格率", "-k", "1")
    assert found.returncode == 0, found.stderr
    assert "合格率" in found.stdout
    listed = _run(data, "docs")
    assert listed.returncode == 0, listed.stderr
    assert "shilixian_2024_h2_plan" in listed.stdout
    answered = _run(data, "ask", "上半年食品安全抽检合格率是多少")
    assert answered.returncode == 0, answered.stderr
    assert "[1]" in answered.stdout


def _write_refused(data: Path, tmp_path: Path, cause: str) -> None:
    new = tmp_path / "new_report.txt"
    new.write_text(
        (EXAMPLES_DIR / "shilixian_2024_h2_plan.txt").read_text(encoding="utf-8") + "\n新增一段。\n"
    )
    refused = _run(data, "ingest", str(new))
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert f"写入知识库失败（{cause}）" in refused.stdout + refused.stderr


def test_a_read_only_data_dir_keeps_reads_working_and_refuses_writes_in_one_sentence(
    mounted: Path, tmp_path: Path
) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mounted)], check=True)
    _reads_work(mounted / "data")
    _write_refused(mounted / "data", tmp_path, "数据目录只读")


def test_a_full_data_dir_keeps_reads_working_and_refuses_writes_in_one_sentence(
    mounted: Path, tmp_path: Path
) -> None:
    with (mounted / "filler").open("wb") as f:
        try:
            while True:
                f.write(b"\0" * (1 << 20))
        except OSError:
            pass
    _reads_work(mounted / "data")
    _write_refused(mounted / "data", tmp_path, "磁盘已满")


@pytest.mark.usefixtures("own_embedding_cache")  # corrupts the data dir's own cache
def test_corrupt_rebuildable_caches_are_rebuilt_and_said_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store, lexical, _ = make_searcher(tmp_path)
    put(store, "d1", [chunk("d1", 0, "开展手足口病防控培训。"), chunk("d1", 1, "完成霍乱监测采样。")])
    lexical.rebuild()
    (tmp_path / "lexical" / "terms.sqlite").write_bytes(b"this is not a database" * 100)
    (tmp_path / "cache" / "embeddings.sqlite").write_bytes(b"\x00garbage" * 100)
    (tmp_path / "lexical" / "bm25.json").write_text(json.dumps({"ids": 5, "vocab": [], "fingerprint": 1}))

    with caplog.at_level(logging.WARNING):
        store, lexical, _ = make_searcher(tmp_path)
        hits = lexical.search("霍乱监测", 1)
        store.embeddings.embed_documents(["新的段落。"])

    assert [cid for cid, _ in hits] == ["d1-0001"]
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "cache corrupt, rebuilt" in logged
    assert "terms.sqlite" in logged
    assert "embeddings.sqlite" in logged
    assert "lexical index has the wrong shape" in logged


def test_a_missing_chroma_database_is_reported_and_nothing_is_replaced(tmp_path: Path) -> None:
    data = tmp_path / "data"
    runner = CliRunner()
    assert (
        runner.invoke(
            app, ["ingest", str(EXAMPLES_DIR / "shilixian_2024_h2_plan.txt"), "--data-dir", str(data)]
        ).exit_code
        == 0
    )
    bm25 = next((data / "lexical").rglob("bm25.json"))
    saved = bm25.read_bytes()
    (data / "chroma" / "chroma.sqlite3").unlink()

    for command in (["search", "计划"], ["docs"], ["ingest", str(EXAMPLES_DIR)]):
        result = runner.invoke(app, [*command, "--data-dir", str(data)])
        assert result.exit_code == 1
        assert "知识库文件缺失" in result.output
    assert not (data / "chroma" / "chroma.sqlite3").exists()  # never silently recreated empty
    assert bm25.read_bytes() == saved


def _fill(mounted: Path, leave: int) -> None:
    """Fill the tmpfs up to ``leave`` free bytes."""
    free = os.statvfs(mounted).f_bavail * os.statvfs(mounted).f_frsize
    (mounted / "filler").write_bytes(b"\0" * (free - leave))


def _consistent(data: Path) -> None:
    """Every stored chunk belongs to its registered version, and the documents ingested first are all there."""
    from bot.services import build_services
    from bot.settings import Settings

    store = build_services(Settings(data_dir=data, _env_file=None)).store
    assert store.find_orphans() == {}
    assert sum(d.chunks for d in store.documents()) == store.count()
    assert {"shilixian_2024_h2_plan.txt", "shilixian_2024_h1_summary.md"} <= {
        d.source for d in store.documents()
    }


def _reports(tmp_path: Path, n: int, paragraphs: int) -> Path:
    from tests.reliability.helpers import long_report

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(n):
        (docs / f"r{i}.txt").write_text(long_report(paragraphs, tag=f"批{i}"), encoding="utf-8")
    return docs


def test_a_three_file_ingest_onto_a_nearly_full_disk_is_refused_before_writing(
    mounted: Path, tmp_path: Path
) -> None:
    docs = _reports(tmp_path, 3, 120)
    _fill(mounted, 300 * 1024)  # room for part of one document, far below the store's reserve

    ingested = _run(mounted / "data", "ingest", str(docs))

    assert ingested.returncode == 1
    assert ingested.stderr.count("写入知识库失败（磁盘已满）") == 3  # each file named with the reason
    assert "Traceback" not in ingested.stderr
    (mounted / "filler").unlink()
    _consistent(mounted / "data")


@pytest.mark.slow  # embeds a batch of chunks, and reindex re-reads the knowledge base
def test_a_disk_filling_inside_chromas_write_ends_with_a_sentence_and_reindex_repairs_it(
    mounted: Path, tmp_path: Path
) -> None:
    """The reserve switched off, so the disk fills inside Chroma's own write (as when another process fills
    it between our check and the write): the ingest must end, not hang, and leave nothing reindex cannot fix.
    """
    docs = _reports(tmp_path, 2, 40)
    data = mounted / "data"
    assert _run(data, "ingest", str(docs)).returncode == 0  # warms the embedding cache, which is also on disk
    for n in range(2):
        assert _run(data, "delete", f"r{n}.txt").returncode == 0
    _fill(mounted, 300 * 1024)

    ingested = _run(
        mounted / "data", "ingest", str(docs), settings={"REPORTBOT_STORE_MIN_FREE_MB": "0"}, timeout=300
    )

    assert ingested.returncode == 1
    assert "写入知识库失败（磁盘已满）" in ingested.stderr
    assert "reportbot reindex" in ingested.stderr
    assert "Traceback" not in ingested.stderr
    (mounted / "filler").unlink()
    doctor = _run(mounted / "data", "doctor")
    if doctor.returncode != 0:  # Chroma kept part of the failed write: the doctor names the cure
        assert "未完成的写入" in doctor.stdout
        assert "reportbot reindex" in doctor.stdout
    repaired = _run(mounted / "data", "reindex")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    _consistent(mounted / "data")
