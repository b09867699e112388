"""The image installs reportbot from a build context holding only what the Dockerfile copies: the wheel built
from such a context must carry every file the packages read at run time (prompts, word lists)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from typing import TYPE_CHECKING

from tests.conftest import REPO_DIR

if TYPE_CHECKING:
    from pathlib import Path

DOCKERFILE = REPO_DIR / "docker" / "Dockerfile"


def copied_paths() -> list[str]:
    """Sources of the Dockerfile's plain COPY lines (not the build-arg model directory)."""
    paths = []
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY ") and "${" not in line:
            paths += [p for p in line.split()[1:-1] if not p.startswith("--")]
    return paths


def test_wheel_from_the_image_context_ships_every_data_file(tmp_path: Path) -> None:
    context = tmp_path / "context"
    context.mkdir()
    for rel in copied_paths():
        source = REPO_DIR / rel
        if source.is_dir():
            shutil.copytree(source, context / rel, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, context / rel)
        elif rel == "README.md":  # pyproject's readme; the lead's README may not be written yet
            (context / rel).write_text("# reportbot\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            ".",
        ],
        cwd=context,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    [wheel] = tmp_path.glob("reportbot-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    data_files = {
        p.relative_to(context).as_posix()
        for p in context.rglob("*")
        if p.is_file()
        and p.suffix != ".py"
        and re.match(r"(bot|retrieval|ingest|prompts)/", p.relative_to(context).as_posix())
    }
    assert data_files, "expected prompt and word-list files"
    assert data_files <= shipped, f"not installed in the image: {sorted(data_files - shipped)}"
    assert "bot/cli/__init__.py" in shipped
