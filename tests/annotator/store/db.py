"""Database fixtures for store tests: every test gets a fresh database, on SQLite and PostgreSQL.

PostgreSQL tests each get their own schema (named after this test session) selected by the
connection's search_path, and drop it afterwards, so concurrent runs never collide.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from annotator.project import Project
from annotator.store.store import Store
from tests.conftest import PG_URL

SESSION = uuid.uuid4().hex[:10]
_counter = iter(range(1_000_000))
_pg_state: dict[str, str | None] = {}


def _pg_problem() -> str | None:
    """None when the PostgreSQL server answers, else why not (checked once per session)."""
    if "problem" not in _pg_state:
        try:
            engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            engine.dispose()
            _pg_state["problem"] = None
        except OperationalError as exc:
            _pg_state["problem"] = f"no PostgreSQL server answers at {PG_URL}: {exc.orig}"
    return _pg_state["problem"]


def require_postgresql() -> None:
    """Skip the calling test when no PostgreSQL server answers, or fail it when CI is set: a CI
    run without the server must not pass by skipping (.ci/run starts and checks the server)."""
    problem = _pg_problem()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{problem} (CI is set: PostgreSQL tests must run, not skip)", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite'}"
        return
    require_postgresql()
    with pg_schema() as url:
        yield url


@contextmanager
def pg_schema(prefix: str = "mmad_test") -> Iterator[str]:
    """The URL of a fresh schema of its own on the shared PostgreSQL server, dropped afterwards."""
    schema = f"{prefix}_{SESSION}_{next(_counter)}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def project(tmp_path: Path, db_url: str, new_sqlite_project: Callable[[Path, str], Project]) -> Project:
    """A fresh MMA-52 project on the parametrised database."""
    if db_url.startswith("sqlite"):  # the project's own SQLite file, as Project.create makes it
        return new_sqlite_project(tmp_path / "proj", "test")
    return Project.create(tmp_path / "proj", name="test", db_url=db_url)


@pytest.fixture
def store(project: Project) -> Iterator[Store]:
    """The project's store opened by the owner."""
    opened = project.open_store()
    try:
        yield opened
    finally:
        opened.close()
