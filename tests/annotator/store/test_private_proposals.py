# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""Proposals an annotator's own model loop stores are theirs alone: nobody else's lane gets them,
and storing again replaces only the requester's own unanswered rows (issue 15, blind mode)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, inspect, text

from annotator.errors import PermissionDenied
from annotator.model import Proposal, ProposalStatus, Role
from annotator.project import Project
from annotator.store import engine as store_engine
from annotator.store.api import NewClip
from annotator.store.store import Store
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)
from tests.annotator.store.test_upgrade import _alembic

PENDING, ACCEPTED, REJECTED = ProposalStatus.PENDING, ProposalStatus.ACCEPTED, ProposalStatus.REJECTED


def _team(store: Store) -> int:
    """One open clip assigned to ann1 and ann2, with a reviewer in the project."""
    for name, role in (("ann1", Role.ANNOTATOR), ("ann2", Role.ANNOTATOR), ("rev", Role.REVIEWER)):
        store.add_annotator(name, role)
    (clip,) = store.add_clips([NewClip("s1_a", "s1", 30.0, 300)])
    store.assign_many([clip.id], ["ann1", "ann2"])
    return clip.id


def _run(clip: int, *spans: tuple[int, int], version: str = "v1") -> list[Proposal]:
    return [Proposal(None, clip, version, start, end, 5, 0.8) for start, end in spans]


def _spans(found: list[Proposal]) -> list[tuple[int, int, str | None, ProposalStatus]]:
    return [(p.start_frame, p.end_frame, p.requested_by, p.status) for p in found]


def test_an_annotators_proposals_stay_out_of_the_other_lanes(store: Store) -> None:
    clip = _team(store)
    ann1, ann2, rev = store.as_user("ann1"), store.as_user("ann2"), store.as_user("rev")
    (shared,) = rev.add_proposals(clip, "v1", _run(clip, (0, 20)))
    assert shared.requested_by is None
    mine = ann1.add_proposals(clip, "v1", _run(clip, (0, 20), (40, 60), (80, 90)))
    assert _spans(mine) == [(40, 60, "ann1", PENDING), (80, 90, "ann1", PENDING)]  # no copy of the shared one
    assert _spans(ann2.proposals(clip)) == [(0, 20, None, PENDING)]  # ann2's lane: the shared one only
    assert _spans(ann1.proposals(clip, "v1")) == [(0, 20, None, PENDING), (40, 60, "ann1", PENDING),
                                                 (80, 90, "ann1", PENDING)]
    assert len(rev.proposals(clip)) == len(store.proposals(clip)) == 3  # reviewers and the owner see all
    assert _spans(store.proposals(clip, author="ann2")) == [(0, 20, None, PENDING)]  # what ann2 sees, asked by a reviewer
    with pytest.raises(PermissionDenied, match="another annotator's own"):
        ann2.set_proposal_status(mine[0].id or 0, REJECTED)
    with pytest.raises(PermissionDenied, match="another annotator's own"):
        ann2.accept_proposal(mine[0].id or 0, "ann2")
    with pytest.raises(PermissionDenied, match="another annotator's own"):
        store.accept_proposal(mine[0].id or 0, "ann2")  # not even a reviewer puts it into ann2's lane
    assert ann2.segments(clip, "ann2") == []


def test_an_annotators_replace_touches_only_their_own_pending_rows(store: Store) -> None:
    clip = _team(store)
    ann1, ann2, rev = store.as_user("ann1"), store.as_user("ann2"), store.as_user("rev")
    rev.add_proposals(clip, "v1", _run(clip, (0, 20), (30, 40)))
    theirs = ann2.add_proposals(clip, "v1", _run(clip, (100, 120)))
    first = ann1.add_proposals(clip, "v1", _run(clip, (50, 60), (70, 80)))
    seg, _ = ann1.accept_proposal(first[0].id or 0, "ann1")
    ann1.add_proposals(clip, "v1", _run(clip, (200, 210)))  # a new run of ann1's model loop, fewer rows alike
    assert _spans(ann1.proposals(clip)) == [(0, 20, None, PENDING), (30, 40, None, PENDING),
                                            (50, 60, "ann1", ACCEPTED), (200, 210, "ann1", PENDING)]
    assert ann1.add_proposals(clip, "v1", []) == []  # an empty run drops ann1's pending ones, and only those
    assert _spans(ann2.proposals(clip)) == [(0, 20, None, PENDING), (30, 40, None, PENDING),
                                            (100, 120, "ann2", PENDING)]
    assert [p.id for p in ann2.proposals(clip) if p.requested_by] == [theirs[0].id]
    assert ann1.segments(clip, "ann1") == [seg]
    audit = store.audit_log(limit=1)[0]
    assert audit.user == "ann1" and json.loads(audit.new or "{}")["requested_by"] == "ann1"


def test_a_reviewers_replace_touches_only_shared_rows_and_answers_work_as_before(store: Store) -> None:
    clip = _team(store)
    ann1, ann2, rev = store.as_user("ann1"), store.as_user("ann2"), store.as_user("rev")
    shared = rev.add_proposals(clip, "v1", _run(clip, (0, 20), (30, 40)))
    ann1.add_proposals(clip, "v1", _run(clip, (50, 60)))
    ann2.set_proposal_status(shared[1].id or 0, REJECTED)
    rev.add_proposals(clip, "v1", _run(clip, (5, 25)))  # the model runner's new run
    assert _spans(ann2.proposals(clip)) == [(30, 40, None, REJECTED), (5, 25, None, PENDING)]
    assert _spans(ann1.proposals(clip)) == [(30, 40, None, PENDING), (50, 60, "ann1", PENDING), (5, 25, None, PENDING)]
    seg, accepted = rev.accept_proposal(shared[1].id or 0, "rev")  # a reviewer answers for themselves
    assert accepted.status is ACCEPTED and seg.author == "rev"
    assert [p.status for p in ann1.proposals(clip) if p.id == shared[1].id] == [PENDING]


def test_a_project_of_revision_0005_keeps_its_proposals_shared(project: Project, db_url: str) -> None:
    engine = create_engine(project.database_url)
    try:
        _alembic(engine, "downgrade", "0005")  # also proves 0006 goes back cleanly (policies too)
        assert "requested_by" not in {c["name"] for c in inspect(engine).get_columns("proposals")}
        with engine.begin() as conn:
            run = lambda sql, **values: conn.execute(text(sql), values)  # noqa: E731
            run("INSERT INTO subjects (id) VALUES ('s1')")
            run("INSERT INTO clips (id, name, subject_id, fps, frame_count, finalised, damaged) "
                "VALUES (1, 's1_a', 's1', 30, 300, :f, :f)", f=False)
            run("INSERT INTO annotators (id, name, role) VALUES (1, 'a1', 'annotator'), (2, 'a2', 'annotator')")
            run("INSERT INTO assignments (clip_id, annotator_id, state, updated_at) VALUES (1, 1, 'todo', :t), "
                "(1, 2, 'todo', :t)", t="2026-11-30 10:00:00")
            run("INSERT INTO proposals (id, clip_id, model_version, start_frame, end_frame, action_id, score) "
                "VALUES (7, 1, 'v1', 5, 50, 9, 0.8)")
        assert store_engine.stored_revision(engine) == "0005"
    finally:
        engine.dispose()
    store = Project.open(project.path).open_store()  # upgrades on open
    try:
        assert store_engine.stored_revision(store._engine) == store_engine.HEAD_REVISION == "0012"
        for who in ("a1", "a2"):
            assert _spans(store.as_user(who).proposals(1)) == [(5, 50, None, PENDING)]
        store.as_user("a1").add_proposals(1, "v1", [])  # a1's empty run leaves the shared proposal alone
        assert [p.id for p in store.as_user("a2").proposals(1)] == [7]
    finally:
        store.close()
