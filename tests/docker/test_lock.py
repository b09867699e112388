"""Reproducible installs: `make setup`, CI and the image install exactly the hash-locked versions, and the locks
cover what pyproject.toml asks for (a dependency added without `make lock` fails here, not on a fresh machine)."""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO_DIR

LOCK = REPO_DIR / "requirements.lock"
DEV_LOCK = REPO_DIR / "requirements-dev.lock"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+)")


def pins(lock: str) -> dict[str, tuple[str, int]]:
    """Locked package → (version, number of hashes)."""
    locked: dict[str, tuple[str, int]] = {}
    name = ""
    for line in (REPO_DIR / lock).read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match[1])
            locked[name] = (match[2], 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = locked[name]
            locked[name] = (version, hashes + 1)
    return locked


def requirements(extra: str | None = None) -> list[Requirement]:
    """pyproject.toml's runtime requirements, or those of one extra."""
    project = tomllib.loads((REPO_DIR / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(spec) for spec in specs]


@pytest.mark.parametrize(
    ("lock", "extra"), [(LOCK.name, None), (DEV_LOCK.name, None), (DEV_LOCK.name, "dev")]
)
def test_every_requirement_is_locked_at_a_version_its_range_allows(lock: str, extra: str | None) -> None:
    locked = pins(lock)
    for requirement in requirements(extra):
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is not in {lock}: run `make lock`"
        version, _ = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock} has {name}=={version}, outside {requirement}: run `make lock`"
        )


def test_every_pin_carries_a_hash_and_both_locks_agree() -> None:
    runtime, dev = pins(LOCK.name), pins(DEV_LOCK.name)
    assert len(runtime) > 50
    assert [n for n, (_, hashes) in {**runtime, **dev}.items() if hashes == 0] == []
    assert {n: v for n, (v, _) in dev.items() if n in runtime} == {n: v for n, (v, _) in runtime.items()}
    assert runtime["torch"][0].endswith("+cpu"), "the lock must hold the CPU build of torch"
    assert not [n for n in runtime if n.startswith("nvidia-")], "CUDA libraries in the lock"


def test_setup_ci_and_image_install_from_the_locks_with_hashes() -> None:
    makefile = (REPO_DIR / "Makefile").read_text(encoding="utf-8")
    dockerfile = re.sub(r"\\\n\s*", " ", (REPO_DIR / "docker" / "Dockerfile").read_text(encoding="utf-8"))
    assert re.search(r"pip install --require-hashes .*-r \$\(DEV_LOCK\)", makefile)
    assert "pip install --no-deps -e ." in makefile
    assert re.search(r"^RUN pip install --require-hashes .*-r requirements\.lock", dockerfile, re.M)
    assert re.search(r"^RUN pip install --no-deps \.", dockerfile, re.M)
    assert "make test" in (REPO_DIR / ".ci" / "run").read_text(encoding="utf-8")  # make test → make setup
