# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""A merged instance's id names it alone: a re-merge never hands a deleted id to a new instance."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import create_engine, text

from annotator.decisions import Decision
from annotator.errors import ConflictError
from annotator.project import Project
from annotator.store import engine as store_engine
from annotator.store.store import Store
from merging.workflow import run_merge
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)
from tests.annotator.store.test_finalise_current import _clip_done_by_two
from tests.annotator.store.test_upgrade import _alembic

KEEP = Decision.parse("keep")


def test_a_re_merge_never_reuses_ids_and_an_old_id_no_longer_exists(store: Store) -> None:
    clip_id, rev, segs = _clip_done_by_two(store)
    run_merge(rev)
    (old,) = rev.merged_instances(clip_id)
    store.as_user("ann2").update_segment(replace(segs[1], start_frame=200, end_frame=260))  # two instances now
    run_merge(rev)
    new = rev.merged_instances(clip_id)
    assert len(new) == 2 and min(m.id or 0 for m in new) > (old.id or 0)
    for write in (lambda: rev.resolve_merged(old.id or 0, old.version, KEEP, 10, 60, old.action_id),
                  lambda: rev.unresolve_merged(old.id or 0, old.version)):
        with pytest.raises(ConflictError, match=rf"^merged instance {old.id} no longer exists \(the merge was re-run\)$"):
            write()
    assert rev.merged_instances(clip_id) == new  # nothing written


def test_upgrade_to_0009_keeps_merged_rows_and_skips_every_id_already_used(project: Project, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("0009 changes SQLite only (PostgreSQL sequences never reuse)")
    store = project.open_store()
    try:
        clip_id, rev, segs = _clip_done_by_two(store)
        run_merge(rev)
        before = rev.merged_instances(clip_id)
    finally:
        store.close()
    engine = create_engine(project.database_url)  # foreign keys off: the rebuild keeps merged_segments
    try:
        _alembic(engine, "downgrade", "0008")
        with engine.begin() as conn:  # an instance deleted before the upgrade, known only to the audit log
            conn.execute(text("INSERT INTO audit_log (at, \"user\", action, entity, entity_id) "
                              "VALUES ('2026-11-30 10:00:00', 'rev', 'resolve', 'merged', 41)"))
            sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'merged_instances'")).scalar_one()
            assert "AUTOINCREMENT" not in sql
    finally:
        engine.dispose()
    store = Project.open(project.path).open_store()  # upgrades on open
    try:
        engine = create_engine(project.database_url)
        try:
            assert store_engine.stored_revision(engine) == store_engine.HEAD_REVISION
            with engine.connect() as conn:
                sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = 'merged_instances'")).scalar_one()
        finally:
            engine.dispose()
        assert "AUTOINCREMENT" in sql and "ck_merged_instances_decision_form" in sql
        rev = store.as_user("rev")
        assert rev.merged_instances(clip_id) == before  # rows and their segment links kept
        store.as_user("ann2").update_segment(replace(segs[1], start_frame=200, end_frame=260))
        run_merge(rev)
        assert min(m.id or 0 for m in rev.merged_instances(clip_id)) > 41
    finally:
        store.close()
