"""A fresh machine sets up whatever its pip and its Python 3.11 patch level: `make setup` first installs the pinned
pip of requirements-pip.lock, and every locked file exists for Debian 12's Python 3.11.2 as for the newest 3.11.

The resolver check asks the package index (as `make setup` does) for each pinned version, reading only the files'
metadata (no wheel is downloaded; the hashes are checked by every real install): a lock change that needs a newer
3.11 (soupsieve 4 needs 3.11.5) fails here, not on a bureau's server.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from tests.conftest import REPO_DIR
from tests.docker.test_lock import DEV_LOCK, pins

if TYPE_CHECKING:
    from pathlib import Path

PIP_LOCK = REPO_DIR / "requirements-pip.lock"
# The oldest Python 3.11 we support (Debian 12's python3) and a stand-in for the newest 3.11 release.
PYTHONS = ("3.11.2", "3.11.99")


def resolves(lock: Path, python_version: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    """pip's dry run of installing the versions ``lock`` pins (no dependencies: the lock is complete) for that Python."""
    pinned = tmp / f"{lock.name}-{python_version}.txt"
    pinned.write_text("".join(f"{name}=={version}\n" for name, (version, _) in pins(lock.name).items()))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--quiet",
            "--ignore-installed",
            "--no-deps",
            "--python-version",
            python_version,
            "--target",
            str(tmp / f"target-{python_version}"),
            "-r",
            str(pinned),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_pinned_pip_is_the_locks_pip() -> None:
    locked, dev = pins(PIP_LOCK.name), pins(DEV_LOCK.name)
    assert list(locked) == ["pip"]
    assert locked["pip"] == dev["pip"], "requirements-pip.lock and requirements-dev.lock pin different pips"
    bootstrap_hashes = {line.strip(" \\") for line in PIP_LOCK.read_text().splitlines() if "--hash" in line}
    assert bootstrap_hashes <= {line.strip(" \\") for line in DEV_LOCK.read_text().splitlines()}


def test_every_locked_version_installs_on_each_supported_python(tmp_path: Path) -> None:
    with ThreadPoolExecutor(len(PYTHONS)) as pool:
        runs = list(pool.map(lambda python: resolves(DEV_LOCK, python, tmp_path), PYTHONS))
    for python, run in zip(PYTHONS, runs, strict=True):
        errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR")]
        assert run.returncode == 0, (
            f"{DEV_LOCK.name} does not install on Python {python}: {errors or run.stderr}"
        )


def test_setup_with_an_unsupported_python_says_what_to_do_in_one_line(tmp_path: Path) -> None:
    fake_python = tmp_path / "python3"
    fake_python.write_text("#!/bin/sh\necho 'Python 3.10.12'\nexit 1\n")
    fake_python.chmod(0o755)
    run = subprocess.run(
        ["make", "-s", "-C", str(REPO_DIR), "setup", f"VENV={tmp_path / 'venv'}", f"PY={fake_python}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode != 0
    [line] = [line for line in run.stdout.splitlines() if line.startswith("==> set-up failed")]
    assert "Python 3.11" in line
    assert "Python 3.10.12" in line
    assert "PY=python3.11" in line
    assert not (tmp_path / "venv").exists()
