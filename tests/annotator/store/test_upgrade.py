# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""A project made by the previous schema (revision 0001) opens upgraded, with nothing lost."""

from __future__ import annotations

import json

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, text

from annotator.decisions import DELETE, Decision
from annotator.model import MergedStatus, ProposalStatus
from annotator.project import Project
from annotator.store import engine as store_engine
from tests.annotator.store.db import db_url, project  # noqa: F401  (pytest fixtures)

TABLES = ("subjects", "clips", "annotators", "assignments", "segments", "merged_instances", "merged_segments",
          "audit_log")
STAMP = "2026-11-20 10:00:00"


def _alembic(engine: Engine, step: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(store_engine._migrations_dir()))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        getattr(command, step)(config, revision)


def _fill_at_0001(conn: Connection) -> None:
    """Rows as revision 0001 held them, with a decision made and one older free-text decision."""
    run = lambda sql, **values: conn.execute(text(sql), values)  # noqa: E731
    run("INSERT INTO subjects (id) VALUES ('s1')")
    run("INSERT INTO clips (id, name, subject_id, fps, frame_count, finalised) VALUES (1, 's1_a', 's1', 30, 300, :f)",
        f=False)
    run("INSERT INTO annotators (id, name, role) VALUES (1, 'a1', 'annotator'), (2, 'a2', 'annotator'), "
        "(3, 'rev', 'reviewer')")
    run("INSERT INTO assignments (clip_id, annotator_id, state, updated_at) VALUES (1, 1, 'done', :t), "
        "(1, 2, 'done', :t)", t=STAMP)
    for sid, author, start, end in ((1, "a1", 10, 40), (2, "a2", 12, 44), (3, "a1", 100, 130)):
        run("INSERT INTO segments (id, clip_id, author, start_frame, end_frame, action_id, origin, version, "
            "created_at, updated_at, deleted) VALUES (:i, 1, :a, :s, :e, 9, 'manual', 1, :t, :t, :d)",
            i=sid, a=author, s=start, e=end, t=STAMP, d=False)
    run("INSERT INTO proposals (id, clip_id, model_version, start_frame, end_frame, action_id, score, status) "
        "VALUES (1, 1, 'v1', 5, 50, 9, 0.8, 'pending'), (2, 1, 'v1', 100, 130, 9, 0.9, 'accepted')")
    run("INSERT INTO audit_log (at, \"user\", action, entity, entity_id, old, new) "
        "VALUES (:t, 'a1', 'accept', 'proposal', 2, :o, :n)", t=STAMP, o=json.dumps({"status": "pending"}),
        n=json.dumps({"status": "accepted", "segment_id": 3, "author": "a1"}))
    merged = ((1, 10, 44, 9, "needs_review", "keep", None, 1),  # undecided
              (2, 14, 40, 9, "resolved", "keep", "adjust", 2),  # decided: the merge said 10-44
              (3, 100, 130, 9, "resolved", "delete", "drop", 2))  # an older free-text removal
    for mid, start, end, action, status, majority, decision, version in merged:
        run("INSERT INTO merged_instances (id, clip_id, start_frame, end_frame, action_id, rule, reliable, status, "
            "majority, decision, decided_by, version) VALUES (:i, 1, :s, :e, :a, 'union', :r, :st, :m, :d, :by, :v)",
            i=mid, s=start, e=end, a=action, r=False, st=status, m=majority, d=decision,
            by=None if decision is None else "rev", v=version)
    run("INSERT INTO merged_segments (merged_id, segment_id, position) VALUES (1, 1, 0), (1, 2, 1), (2, 1, 0), "
        "(2, 2, 1), (3, 3, 0)")
    old = {"status": "needs_review", "start_frame": 10, "end_frame": 44, "action_id": 9, "decision": None}
    new = {"status": "resolved", "start_frame": 14, "end_frame": 40, "action_id": 9, "decision": "adjust"}
    run("INSERT INTO audit_log (at, \"user\", action, entity, entity_id, old, new) "
        "VALUES (:t, 'rev', 'resolve', 'merged', 2, :o, :n)", t=STAMP, o=json.dumps(old), n=json.dumps(new))


def _snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {t: sorted((tuple(r) for r in conn.execute(text(f"SELECT * FROM {t}"))), key=repr) for t in TABLES
                if t != "merged_instances"}


def test_a_project_of_revision_0001_opens_upgraded_with_nothing_lost(project: Project, db_url: str) -> None:
    engine = create_engine(project.database_url)
    try:
        _alembic(engine, "downgrade", "base")
        _alembic(engine, "upgrade", "0001")
        with engine.begin() as conn:
            _fill_at_0001(conn)
        before = _snapshot(engine)
        assert store_engine.stored_revision(engine) == "0001"
    finally:
        engine.dispose()

    store = Project.open(project.path).open_store("rev")  # upgrades on open
    try:
        engine = create_engine(project.database_url)
        try:
            assert store_engine.stored_revision(engine) == store_engine.HEAD_REVISION
            after = _snapshot(engine)
        finally:
            engine.dispose()
        assert {t: len(rows) for t, rows in after.items()} == {t: len(rows) for t, rows in before.items()}
        assert after["segments"] == before["segments"] and after["merged_segments"] == before["merged_segments"]
        waiting, decided, dropped = store.merged_instances(1)
        assert (waiting.status, waiting.majority, waiting.decision) == (MergedStatus.NEEDS_REVIEW,
                                                                        Decision.parse("keep"), None)
        assert (decided.decision, decided.start_frame, decided.end_frame) == (Decision.parse("adjust"), 14, 40)
        assert dropped.decision == DELETE and dropped.segment_ids == (3,)
        # undo reads what the merge proposed from the row (the audit log said 10-44 at upgrade time)
        back = store.unresolve_merged(decided.id or 0, decided.version)
        assert (back.status, back.start_frame, back.end_frame, back.decision) == (
            MergedStatus.NEEDS_REVIEW, 10, 44, None)
        assert store.unresolve_merged(dropped.id or 0, dropped.version).start_frame == 100
        # the one status of a proposal became the answer of the annotator who gave it
        assert [p.status for p in store.proposals(1, author="a1")] == [ProposalStatus.PENDING, ProposalStatus.ACCEPTED]
        assert [p.status for p in store.proposals(1, author="a2")] == [ProposalStatus.PENDING] * 2
        a1 = store.as_user("a1")
        seg = a1.segments(1, "a1")[-1]
        assert a1.unaccept_proposal(2, seg.id or 0, seg.version).status is ProposalStatus.PENDING
    finally:
        store.close()


def test_undo_of_a_decision_reads_the_row_not_the_audit_log(project: Project, db_url: str) -> None:
    from tests.annotator.store.test_store import _seed, _two_instances

    store = project.open_store()
    try:
        review, _ = _two_instances(store, _seed(store)[0])
        rev = store.as_user("rev")
        first = rev.resolve_merged(review.id or 0, review.version, Decision.parse("adjust"), 5, 25, 3)
        second = rev.resolve_merged(review.id or 0, first.version, Decision.parse("label:7"), 6, 20, 7)
        engine = create_engine(project.database_url)
        try:
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM audit_log"))
        finally:
            engine.dispose()
        back = rev.unresolve_merged(review.id or 0, second.version)
        assert (back.start_frame, back.end_frame, back.action_id) == (
            review.start_frame, review.end_frame, review.action_id)
    finally:
        store.close()
