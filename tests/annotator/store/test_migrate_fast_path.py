# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""The store skips Alembic (and its imports) when the database is already at the head revision."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from annotator.errors import InputError
from annotator.project import Project
from annotator.store import engine as store_engine
from tests.annotator.store.db import db_url, project  # noqa: F401  (pytest fixtures)

REPO = Path(__file__).resolve().parents[3]


def test_head_revision_is_alembics_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(store_engine._migrations_dir()))
    script = ScriptDirectory.from_config(config)
    assert store_engine.HEAD_REVISION == script.get_current_head()
    oldest_first = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert list(store_engine.KNOWN_REVISIONS) == oldest_first


def test_a_database_behind_the_head_is_still_migrated(project: Project, db_url: str) -> None:
    from tests.annotator.store.test_upgrade import _alembic

    engine = create_engine(project.database_url)
    try:
        _alembic(engine, "downgrade", store_engine.KNOWN_REVISIONS[-2])
        project.open_store().close()  # the fast path never skips a database behind the head
        assert store_engine.stored_revision(engine) == store_engine.HEAD_REVISION
    finally:
        engine.dispose()


NEWER = "0099"
NEWER_MESSAGE = (f"the project's database was upgraded by a newer MMAD Studio (revision {NEWER}); this one knows "
                 f"up to {store_engine.HEAD_REVISION}: update MMAD Studio")


def newer_schema(project: Project) -> list[str]:
    """Mark the project's database as upgraded by a newer MMAD Studio; returns its contents (SQLite)."""
    engine = create_engine(project.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": NEWER})
    finally:
        engine.dispose()
    return dump(project)


def dump(project: Project) -> list[str]:
    """Every statement that would rebuild a SQLite project's database (empty on PostgreSQL)."""
    if not project.database_url.startswith("sqlite"):
        return []
    connection = sqlite3.connect(project.database_url.removeprefix("sqlite:///"))
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def test_a_database_of_a_newer_mmad_studio_is_refused_untouched(project: Project, db_url: str) -> None:
    before = newer_schema(project)
    with pytest.raises(InputError) as refused:
        project.open_store()
    assert str(refused.value).endswith(NEWER_MESSAGE) and "\n" not in str(refused.value)
    engine = create_engine(project.database_url)
    try:
        assert store_engine.stored_revision(engine) == NEWER
    finally:
        engine.dispose()
    assert dump(project) == before


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    folder = tmp_path / "proj"
    Project.create(folder, name="t").open_store().close()  # created and migrated here
    code = (
        "import sys\n"
        "from annotator.project import Project\n"
        f"Project.open({str(folder)!r}).open_store().close()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip() == "False", out.stderr
