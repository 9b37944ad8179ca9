# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""An annotator writes segments only on the clips assigned to them (issue 15 follow-up).

The merge reads, for each clip, the segments of the annotators assigned to it; work an
annotator put on any other clip was either silently ignored or, once someone assigned them,
appeared in the merge unasked. The store refuses it with one message (both backends); on
PostgreSQL the segments policies of migration 0008 refuse it for raw SQL too.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import create_engine, text

from annotator.errors import PermissionDenied, RuleViolation
from annotator.model import Clip, Proposal, Role, Segment
from annotator.store.api import NewClip
from annotator.store.store import Store
from annotator.taxonomy import load_taxonomy
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)
from tests.annotator.store.test_team import Team, changed, own_login_engine, refused, rows, team  # noqa: F401

NOT_ASSIGNED = "clip {!r} is not assigned to ann1: an annotator writes segments only on the clips assigned to them"


def _clips(store: Store) -> tuple[int, int, int]:
    """ann1, ann2 and a reviewer; clips assigned to ann1, to ann2 only, and to nobody."""
    for name, role in (("ann1", Role.ANNOTATOR), ("ann2", Role.ANNOTATOR), ("rev", Role.REVIEWER)):
        store.add_annotator(name, role)
    mine, theirs, nobodys = (c.id for c in store.add_clips([NewClip("s1_a", "s1", 30.0, 300),
                                                            NewClip("s2_b", "s2", 30.0, 300),
                                                            NewClip("s3_c", "s3", 30.0, 300)]))
    store.assign_many([mine], ["ann1"])
    store.assign_many([theirs], ["ann2"])
    return mine, theirs, nobodys


def _own_segments(store: Store, clip: int) -> list[tuple[int, int]]:
    return [(s.start_frame, s.end_frame) for s in store.segments(clip, "ann1")]


def test_an_annotator_adds_segments_only_on_clips_assigned_to_them(store: Store) -> None:
    mine, theirs, nobodys = _clips(store)
    ann1 = store.as_user("ann1")
    for clip, name in ((theirs, "s2_b"), (nobodys, "s3_c")):
        with pytest.raises(PermissionDenied, match=NOT_ASSIGNED.format(name)):
            ann1.add_segment(Segment(None, clip, "ann1", 10, 40, 3))
        assert _own_segments(store, clip) == []  # nothing written
    assert ann1.add_segment(Segment(None, mine, "ann1", 10, 40, 3)).id is not None
    for who in ("rev", None):  # reviewers and the owner keep their rights
        writer = store.as_user(who)
        added = writer.add_segment(Segment(None, nobodys, "ann1", 50, 80, 3))
        assert writer.update_segment(replace(added, end_frame=90)).end_frame == 90
    assert _own_segments(store, nobodys) == [(50, 90), (50, 90)]


def test_an_annotator_accepts_no_proposal_on_a_clip_not_assigned_to_them(store: Store) -> None:
    mine, _theirs, nobodys = _clips(store)
    (shared,) = store.add_proposals(nobodys, "v1", [Proposal(None, nobodys, "v1", 10, 40, 3, 0.9)])
    ann1 = store.as_user("ann1")
    with pytest.raises(PermissionDenied, match=NOT_ASSIGNED.format("s3_c")):
        ann1.accept_proposal(shared.id or 0, "ann1")
    assert _own_segments(store, nobodys) == []
    assert [p.status.value for p in store.proposals(nobodys, author="ann1")] == ["pending"]  # no answer stored
    (ok,) = store.add_proposals(mine, "v1", [Proposal(None, mine, "v1", 10, 40, 3, 0.9)])
    seg, _ = ann1.accept_proposal(ok.id or 0, "ann1")
    assert seg.clip_id == mine


def test_an_annotator_neither_moves_nor_edits_segments_off_their_clips(store: Store) -> None:
    mine, theirs, nobodys = _clips(store)
    ann1 = store.as_user("ann1")
    own = ann1.add_segment(Segment(None, mine, "ann1", 10, 40, 3))
    with pytest.raises(RuleViolation, match="cannot change its author or clip"):
        ann1.update_segment(replace(own, clip_id=theirs))
    # a segment of theirs on a clip they are not assigned to (the owner's import put it there)
    stray = store.add_segment(Segment(None, nobodys, "ann1", 10, 40, 3))
    for attempt in (lambda: ann1.update_segment(replace(stray, end_frame=60)),
                    lambda: ann1.delete_segment(stray.id or 0, stray.version)):
        with pytest.raises(PermissionDenied, match=NOT_ASSIGNED.format("s3_c")):
            attempt()
    assert _own_segments(store, nobodys) == [(10, 40)]
    store.assign_many([nobodys], ["ann1"])  # assigned now: theirs to edit
    assert ann1.update_segment(replace(stray, end_frame=60)).end_frame == 60


# ----- PostgreSQL: the segments policies (migration 0008) as an annotator's own login -----

SEGMENT = ("INSERT INTO segments (clip_id, author, start_frame, end_frame, action_id, origin, version, created_at, "
           "updated_at, deleted) VALUES (:c, :a, 0, 9, 3, 'manual', 1, now(), now(), false)")


def test_an_annotators_login_writes_segments_only_on_clips_assigned_to_them(team: Team) -> None:
    owner = Store.open(team.url, load_taxonomy("mma52"))
    try:
        theirs, nobodys = (c.id for c in owner.add_clips([NewClip("s3_c", "s3", 30.0, 300),
                                                          NewClip("s4_d", "s4", 30.0, 300)]))
        owner.assign_many([theirs], ["ann2"])
        stray = owner.add_segment(Segment(None, nobodys, "ann1", 100, 130, 3))  # an import's, say
        (proposal,) = owner.add_proposals(nobodys, "v1", [Proposal(None, nobodys, "v1", 10, 40, 3, 0.9)])
    finally:
        owner.close()
    a, ann1, rev = team.open_clip, team.login["ann1"], team.login["rev"]
    engine = own_login_engine(team, ann1)
    try:
        for clip in (theirs, nobodys):  # insert onto a clip assigned to another, or to nobody
            assert refused(engine, ann1, SEGMENT, c=clip, a="ann1"), clip
            assert refused(engine, ann1, "UPDATE segments SET clip_id = :c WHERE author = 'ann1' AND clip_id = :a",
                           c=clip, a=a), clip  # moving one's own segment there
        with engine.connect() as conn:
            assert changed(conn, SEGMENT, c=a, a="ann1") == 1  # own, open, assigned: as before
            assert changed(conn, "UPDATE segments SET end_frame = 45 WHERE author = 'ann1' AND clip_id = :a", a=a) == 2  # and the new one
            assert rows(conn, "SELECT id FROM segments WHERE clip_id = :n", n=nobodys) == [(stray.id,)]  # readable
            assert changed(conn, "UPDATE segments SET end_frame = 140 WHERE clip_id = :n", n=nobodys) == 0
            assert changed(conn, "UPDATE segments SET deleted = true WHERE clip_id = :n", n=nobodys) == 0
            conn.rollback()
        # accepting a proposal by hand: its answer and its segment, both refused off their clips
        assert refused(engine, ann1, "INSERT INTO proposal_answers (proposal_id, author, status, answered_at) "
                                     "VALUES (:p, 'ann1', 'accepted', now())", p=proposal.id)
    finally:
        engine.dispose()
    engine = create_engine(team.url)
    try:
        conn = engine.connect()
        conn.begin()
        conn.execute(text(f'SET LOCAL ROLE "{rev}"'))
        try:  # a reviewer's login keeps its rights
            assert changed(conn, SEGMENT, c=nobodys, a="ann1") == 1
            assert changed(conn, "UPDATE segments SET clip_id = :n WHERE author = 'ann1' AND clip_id = :a",
                           n=nobodys, a=a) == 1
        finally:
            conn.rollback()
            conn.close()
    finally:
        engine.dispose()


def _unassigned_clip(team: Team) -> Clip:
    """A clip the owner adds and assigns to nobody."""
    owner = Store.open(team.url, load_taxonomy("mma52"))
    try:
        (clip,) = owner.add_clips([NewClip("s3_c", "s3", 30.0, 300)])
    finally:
        owner.close()
    return clip


def test_the_store_on_an_annotators_login_says_why(team: Team) -> None:
    nobodys = _unassigned_clip(team)
    ann1 = Store.open(f"{team.url}%20-crole%3D{team.login['ann1']}", load_taxonomy("mma52"))
    try:
        with pytest.raises(PermissionDenied, match=NOT_ASSIGNED.format("s3_c")):
            ann1.add_segment(Segment(None, nobodys.id, "ann1", 10, 40, 3))
        assert ann1.add_segment(Segment(None, team.open_clip, "ann1", 100, 130, 3)).id is not None
    finally:
        ann1.close()


def test_downgrade_to_0007_gives_back_the_old_segments_policies(team: Team) -> None:
    from tests.annotator.store.test_upgrade import _alembic

    nobodys = _unassigned_clip(team)
    admin = create_engine(team.url)
    ann1 = own_login_engine(team, team.login["ann1"])
    try:
        _alembic(admin, "downgrade", "0007")
        assert not refused(ann1, team.login["ann1"], SEGMENT, c=nobodys.id, a="ann1")  # the hole 0008 closes
        _alembic(admin, "upgrade", "head")
        assert refused(ann1, team.login["ann1"], SEGMENT, c=nobodys.id, a="ann1")
    finally:
        ann1.dispose()
        admin.dispose()
