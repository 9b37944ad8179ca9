# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""The store skips Alembic (and its imports) when the database is already at the head revision."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from annotator.project import Project
from annotator.store import engine as store_engine
from tests.annotator.store.db import db_url, project  # noqa: F401  (pytest fixtures)

REPO = Path(__file__).resolve().parents[3]


def test_head_revision_is_alembics_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(store_engine._migrations_dir()))
    assert store_engine.HEAD_REVISION == ScriptDirectory.from_config(config).get_current_head()


def test_a_database_behind_the_head_is_still_migrated(project: Project, db_url: str) -> None:
    engine = create_engine(project.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'stale'"))
        assert store_engine.stored_revision(engine) == "stale"
    finally:
        engine.dispose()
    # Alembic then runs, and refuses a revision it does not know: the fast path never hides that.
    with pytest.raises(Exception, match="stale"):  # alembic's own error for an unknown revision
        project.open_store().close()


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
