"""One edit, one statement: every committed edit is one round trip on PostgreSQL, and refuses as before."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.commands import (
    AcceptProposal,
    AddSegment,
    Command,
    Decide,
    EditSegment,
    JoinSegments,
    RejectProposal,
    SetState,
    SplitSegment,
    Verdict,
)
from annotator.decisions import KEEP
from annotator.edit_queue import EditQueue, Event, Saved, Waiting
from annotator.errors import ConflictError, PermissionDenied
from annotator.journal import Journal
from annotator.model import (
    AssignmentState,
    MergedInstance,
    MergedStatus,
    MergeRule,
    Origin,
    Proposal,
    Role,
    Segment,
)
from annotator.store.api import NewClip, SegmentWrites
from annotator.store.core import to_json
from annotator.store.segments import segment_values
from annotator.store.store import Store
from annotator.taxonomy import load_taxonomy
from annotator.versions import VersionBook
from bench.tcp_proxy import DelayProxy
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)
from tests.annotator.store.test_team import Team, team  # noqa: F401  (a pytest fixture)

NOD = 9


def _setup(owner: Store) -> tuple[int, int]:
    """(clip id, a second clip not assigned to 'ann')."""
    owner.add_annotator("ann", Role.ANNOTATOR)
    owner.add_annotator("rev", Role.REVIEWER)
    clip, other = owner.add_clips([NewClip("S01_a", "S01", 30.0, 600), NewClip("S01_b", "S01", 30.0, 600)])
    owner.assign(clip.id, "ann")
    return clip.id, other.id


def _audit_count(owner: Store) -> int:
    return len(owner.audit_log(limit=10_000))


def test_each_committed_edit_is_one_round_trip_on_postgresql(db_url: str, store: Store) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("round trips cost only over a network: PostgreSQL")
    clip_id, _ = _setup(store)
    prop, other_prop = store.add_proposals(clip_id, "m1", [Proposal(None, clip_id, "m1", 400, 430, NOD, 0.8),
                                                            Proposal(None, clip_id, "m1", 450, 480, NOD, 0.7)])
    marked = store.add_segment(Segment(None, clip_id, "ann", 500, 530, NOD))
    (inst,) = store.replace_unresolved_merged(clip_id, [MergedInstance(
        None, clip_id, 500, 530, NOD, (marked.id or 0,), MergeRule.SINGLE, False, MergedStatus.NEEDS_REVIEW)])
    proxy = DelayProxy("127.0.0.1", 5432)  # counts the client's requests: round trips
    opened = Store.open(db_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"), store.taxonomy, "ann")
    ann, rev = opened.for_writer(), opened.as_user("rev").for_writer()
    book = VersionBook()
    trips: dict[str, int] = {}

    def run(name: str, command: Command, who: Store = ann, undo: bool = False) -> None:
        before = proxy.round_trips
        command.run(who, book, undo, uuid.uuid4().hex)
        trips[name] = proxy.round_trips - before

    try:
        for who in (ann, rev):  # each writer's first connection costs its set-up once
            who.edit_recorded("warm-up")
        add = AddSegment(Segment(None, clip_id, "ann", 10, 40, NOD))
        run("add", add)
        assert add.segment is not None
        run("nudge", EditSegment(add.segment, end_frame=41))
        split = SplitSegment(replace(add.segment, end_frame=41), 25, 30.0)
        run("split", split)
        first, second = sorted((s for s in ann.segments(clip_id, "ann") if s.start_frame < 100),
                               key=lambda s: s.start_frame)
        join = JoinSegments(first, second)
        run("join", join)
        run("undo", join, undo=True)
        accept = AcceptProposal(prop, "ann")
        run("accept a proposal", accept)
        run("undo the acceptance", accept, undo=True)
        run("redo the acceptance", accept)
        reject = RejectProposal(other_prop)
        run("reject a proposal", reject)
        run("undo the rejection", reject, undo=True)
        run("reject it again", reject)
        run("mark done", SetState(clip_id, "ann", AssignmentState.DONE, AssignmentState.IN_PROGRESS))
        run("review decision", Decide(inst, Verdict(KEEP, 500, 530, NOD)), who=rev)
        assert trips == dict.fromkeys(trips, 1) and len(trips) == 13, trips
        assert sorted((s.start_frame, s.end_frame) for s in store.segments(clip_id, "ann")) == \
            [(10, 25), (25, 41), (400, 430), (500, 530)]
        assert store.merged_instances(clip_id)[0].status is MergedStatus.RESOLVED
    finally:
        for opened_store in (ann, rev, opened):
            opened_store.close()
        proxy.close()


def test_a_stale_version_is_refused_and_nothing_of_the_edit_is_written(store: Store) -> None:
    clip_id, _ = _setup(store)
    ann = store.as_user("ann")
    keep = ann.add_segment(Segment(None, clip_id, "ann", 10, 40, NOD))
    gone = ann.add_segment(Segment(None, clip_id, "ann", 50, 80, NOD))
    ann.update_segment(replace(gone, end_frame=90))  # another desktop moved it on: version 2
    audits, edit_id = _audit_count(store), uuid.uuid4().hex
    with pytest.raises(ConflictError, match=f"segment {gone.id} was changed by another user"):
        JoinSegments(keep, gone).run(ann, VersionBook(), False, edit_id)
    assert [(s.start_frame, s.end_frame) for s in ann.segments(clip_id, "ann")] == [(10, 40), (50, 90)]
    assert _audit_count(store) == audits and ann.edit_recorded(edit_id) is None


def test_rights_are_held_by_the_one_statement(store: Store) -> None:
    clip_id, other = _setup(store)
    ann = store.as_user("ann")
    with pytest.raises(PermissionDenied, match="not assigned to ann"):
        ann.write_segments(SegmentWrites(other, add=(Segment(-1, other, "ann", 10, 40, NOD),)))
    with pytest.raises(PermissionDenied, match="only a reviewer or the merge"):
        ann.write_segments(SegmentWrites(clip_id, add=(Segment(-1, clip_id, "ann", 10, 40, NOD, Origin.REVIEWED),)))
    seg = ann.add_segment(Segment(None, clip_id, "ann", 10, 40, NOD))
    store.replace_unresolved_merged(clip_id, [MergedInstance(None, clip_id, 10, 40, NOD, (seg.id or 0,),
                                                             MergeRule.SINGLE, True, MergedStatus.RELIABLE)])
    store.finalise_clip(clip_id)
    with pytest.raises(PermissionDenied, match="finalised"):
        ann.write_segments(SegmentWrites(clip_id, update=(replace(seg, end_frame=50),)))
    assert [s.end_frame for s in store.segments(clip_id, "ann")] == [40]


def test_the_rows_come_back_as_stored(store: Store) -> None:
    clip_id, _ = _setup(store)
    ann = store.as_user("ann")
    accepted = ann.add_segment(Segment(None, clip_id, "ann", 10, 40, NOD, Origin.PROPOSAL_ACCEPTED, 0.5))
    done = ann.write_segments(SegmentWrites(clip_id, update=(replace(accepted, end_frame=45),),
                                            add=(Segment(-7, clip_id, "ann", 100, 140, NOD),)))
    assert done.updated[0].origin is Origin.PROPOSAL_EDITED and done.updated[0].version == 2
    assert done.bound == ((-7, done.added[0].id),)
    assert sorted(ann.segments(clip_id, "ann"), key=lambda s: s.start_frame) == [*done.updated, *done.added]
    actions = [(e.action, e.entity_id, e.new) for e in store.audit_log(limit=2, entity="segment")]
    assert sorted(actions) == sorted([  # the audit's JSON text as the ORM path writes it, on both backends
        ("update", accepted.id, to_json(segment_values(done.updated[0]))),
        ("add", done.added[0].id, to_json({"author": "ann", **segment_values(done.added[0])}))])
    ann.set_assignment_state(clip_id, "ann", AssignmentState.DONE)
    (entry,) = store.audit_log(limit=1, entity="assignment")
    assert (entry.old, entry.new) == (to_json({"annotator": "ann", "state": "todo"}),
                                      to_json({"annotator": "ann", "state": "done"}))


def test_a_members_login_edits_in_one_statement_under_the_servers_policies(team: Team) -> None:
    mma52 = load_taxonomy("mma52")
    ann1 = Store.open(f"{team.url}%20-crole%3D{team.login['ann1']}", mma52)
    rev = Store.open(f"{team.url}%20-crole%3D{team.login['rev']}", mma52)
    book, edit_id = VersionBook(), uuid.uuid4().hex
    try:
        add = AddSegment(Segment(None, team.open_clip, "ann1", 100, 140, 3))
        add.run(ann1, book, False, edit_id)  # segment, audit row and receipt, each under its policy
        assert add.segment is not None and ann1.edit_recorded(edit_id) == {add.temp_id: add.segment.id}
        EditSegment(add.segment, end_frame=150).run(ann1, book, False, uuid.uuid4().hex)
        ann1.set_assignment_state(team.open_clip, "ann1", AssignmentState.DONE)
        (final_seg,) = ann1.segments(team.final_clip, "ann1")
        with pytest.raises(PermissionDenied, match="finalised"):
            EditSegment(final_seg, end_frame=50).run(ann1, book, False, uuid.uuid4().hex)
        (inst,) = rev.merged_instances(team.open_clip)
        Decide(inst, Verdict(KEEP, 10, 40, 3)).run(rev, book, False, uuid.uuid4().hex)
        assert [(s.start_frame, s.end_frame) for s in ann1.segments(team.open_clip, "ann1")] == [(10, 40), (100, 150)]
        assert rev.merged_instances(team.open_clip)[0].status is MergedStatus.RESOLVED
        assert [a.state for a in rev.assignments("ann1", clip_id=team.open_clip)] == [AssignmentState.DONE]
    finally:
        ann1.close()
        rev.close()


def test_the_writer_without_pre_ping_waits_out_a_dropped_connection(tmp_path: Path, db_url: str, store: Store) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("a TCP proxy stands between the desktop and a PostgreSQL server")
    clip_id, _ = _setup(store)
    proxy = DelayProxy("127.0.0.1", 5432)
    opened = Store.open(db_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"), store.taxonomy, "ann")
    writer = opened.for_writer()
    events: list[Event] = []
    queue = EditQueue(writer, VersionBook(), events.append, Journal(tmp_path / "j.sqlite", "s"), retry_s=0.2)
    try:
        first = AddSegment(Segment(None, clip_id, "ann", 10, 40, NOD))
        queue.submit(1, first)
        assert queue.wait_idle(10)
        proxy.refuse(True)  # the pooled connection dies with no ping to notice it before use
        queue.submit(2, EditSegment(first._new, end_frame=50))
        deadline = time.monotonic() + 10
        while not any(isinstance(e, Waiting) and e.reason == "offline" for e in events):
            assert time.monotonic() < deadline, events
            time.sleep(0.05)
        proxy.refuse(False)
        assert queue.wait_idle(20)
        assert [(s.start_frame, s.end_frame) for s in store.segments(clip_id, "ann")] == [(10, 50)]
        assert isinstance(events[-1], Saved)
    finally:
        queue.close()
        for opened_store in (writer, opened):
            opened_store.close()
        proxy.close()
