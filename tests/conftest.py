"""Shared fixtures: the real MMA-52 files and a PostgreSQL URL when one answers."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from annotator.project import Project
    from tests.private_server import PrivateServer

REPO = Path(__file__).resolve().parents[1]
SHARED_MMA52 = REPO.parent / "shared" / "data" / "mma52"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def mma52_dir() -> Path:
    """The real MMA-52 annotation files; skips when ../shared is absent."""
    if not (SHARED_MMA52 / "train.csv").exists():
        pytest.skip(f"real MMA-52 files not found at {SHARED_MMA52}")
    return SHARED_MMA52


@pytest.fixture(scope="session")
def new_sqlite_project(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path, str], Project]:
    """Project.create(folder, name) for a fresh SQLite MMA-52 project, at the cost of a folder copy.

    Creating one runs every migration (about 40 ms, more under load) and hundreds of fixtures
    want one; an empty project's files are the same each time (no absolute path is stored), so
    each name is created once per session and copied. Tests of creation itself call Project.create.
    """
    from annotator.project import Project

    made: dict[str, Path] = {}

    def create(folder: Path, name: str) -> Project:
        if name not in made:
            made[name] = tmp_path_factory.mktemp("project-template") / "proj"
            Project.create(made[name], name=name)
        shutil.copytree(made[name], folder)
        return Project.open(folder)

    return create


@pytest.fixture(scope="session")
def private_server() -> Iterator[PrivateServer]:
    """A private PostgreSQL cluster with TLS and SCRAM passwords only (tests/private_server.py),
    started once per session (about 2 s) and stopped at its end; skips when initdb is absent."""
    from tests import private_server as cluster

    problem = cluster.problem()
    if problem:
        pytest.skip(problem)
    server = cluster.start()
    try:
        yield server
    finally:
        cluster.stop(server)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """One intra-op torch thread for the tests' tiny models.

    Their tensors are so small that a second thread only waits at each operation's barrier:
    measured on this 2-core machine under load, 4 epochs of the tiny detector took 3.5 CPU-s
    (11 s) with one thread and 30.6 CPU-s (110 s) with two. Torch is set only once a test
    module has imported it, so tests without torch do not pay for its import.
    """
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist, the modules with a test marked slow run first, each module's tests in their order.

    `make test` hands whole files to the workers in collection order (--dist loadfile, so a
    module's fixtures are built once); a heavy module handed out last would keep one worker
    busy while the other waits, so the long ones are started first and the many short ones
    fill in at the end. Every worker sorts the same collection the same way, as xdist requires.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return
    slow_modules = {item.path for item in items if item.get_closest_marker("slow") is not None}
    items.sort(key=lambda item: item.path not in slow_modules)  # stable: the rest keep their order


def pytest_configure(config: pytest.Config) -> None:
    """Logs written by the code under test go to a temporary folder, not the user's app-data folder."""
    os.environ.setdefault("MMAD_LOG_DIR", tempfile.mkdtemp(prefix="mmad-test-logs-"))

