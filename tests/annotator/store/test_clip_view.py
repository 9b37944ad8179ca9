# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments
"""Opening a clip: the screen's whole read is the same as the single reads, in two round trips on PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import pytest

from annotator.errors import InputError, PermissionDenied
from annotator.model import AssignmentState, MergedStatus, Proposal, ProposalStatus, Role, Segment
from annotator.project import Project
from annotator.store.api import NewClip
from annotator.store.store import Store
from annotator.taxonomy import load_taxonomy
from bench.tcp_proxy import DelayProxy
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)
from tests.annotator.store.test_team import Team, team  # noqa: F401  (pytest fixture)


def _clip(owner: Store) -> int:
    """A clip of ann1 (and ann2) with segments (one deleted), shared and private proposals, answers."""
    for name in ("ann1", "ann2"):
        owner.add_annotator(name, Role.ANNOTATOR)
    (clip,) = owner.add_clips([NewClip("S01_a", "S01", 30.0, 600)])
    owner.assign_many([clip.id], ["ann1", "ann2"])
    shared = owner.add_proposals(clip.id, "m1", [Proposal(None, clip.id, "m1", 10 * k, 10 * k + 8, 5, 0.9)
                                                 for k in range(4)])
    owner.set_proposal_status(shared[1].id or 0, ProposalStatus.REJECTED, "ann1")
    owner.set_proposal_status(shared[2].id or 0, ProposalStatus.REJECTED, "ann2")
    for name in ("ann1", "ann2"):
        segs = [owner.add_segment(Segment(None, clip.id, name, 100 + 20 * k, 110 + 20 * k, 5)) for k in range(3)]
        owner.delete_segment(segs[1].id or 0, segs[1].version)
    return clip.id


@contextmanager
def through_proxy(db_url: str, project: Project, user: str) -> Iterator[tuple[Store, DelayProxy, int]]:
    """`user`'s store on the project's PostgreSQL database through a proxy that counts round trips,
    and the id of the clip _clip made first (with a reviewer, "rev")."""
    if not db_url.startswith("postgresql"):
        pytest.skip("round trips are counted at a TCP proxy in front of a PostgreSQL server")
    owner = project.open_store()
    clip_id = _clip(owner)
    owner.add_annotator("rev", Role.REVIEWER)
    owner.close()
    proxy = DelayProxy("127.0.0.1", 5432)
    store = Store.open(db_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}"), project.taxonomy, user)
    try:
        yield store, proxy, clip_id
    finally:
        store.close()
        proxy.close()


def test_the_open_clip_read_is_what_the_single_reads_give(project: Project) -> None:
    owner = project.open_store()
    clip_id = _clip(owner)
    ann1 = project.open_store("ann1")
    ann1.add_proposals(clip_id, "m1", [Proposal(None, clip_id, "m1", 300, 320, 5, 0.7)])  # private to ann1
    ann1.set_assignment_state(clip_id, "ann1", AssignmentState.IN_PROGRESS)
    try:
        view = ann1.clip_view(clip_id, "ann1")
        assert view.clip == ann1.clip(clip_id)
        assert view.state is AssignmentState.IN_PROGRESS
        assert view.segments == ann1.segments(clip_id, "ann1") and len(view.segments) == 2
        assert view.proposals == ann1.proposals(clip_id) and len(view.proposals) == 5
        assert [p.status for p in view.proposals][:3] == [ProposalStatus.PENDING, ProposalStatus.REJECTED,
                                                         ProposalStatus.PENDING]  # ann1's answers only
        ann2_view = project.open_store("ann2").clip_view(clip_id, "ann2")
        assert len(ann2_view.proposals) == 4  # ann1's private proposal stays out of ann2's lane
        seen_by_owner = owner.clip_view(clip_id, "ann2")
        assert len(seen_by_owner.proposals) == 5 and seen_by_owner.segments == owner.segments(clip_id, "ann2")
        assert owner.clip_view(clip_id, "rev").state is None  # not assigned
        with pytest.raises(PermissionDenied):  # blind mode: not another annotator's open clip
            ann1.clip_view(clip_id, "ann2")
        with pytest.raises(InputError, match="no such clip"):
            ann1.clip_view(clip_id + 99, "ann1")
    finally:
        ann1.close()
        owner.close()


def test_opening_a_clip_takes_two_round_trips_on_postgresql(db_url: str, project: Project) -> None:
    with through_proxy(db_url, project, "ann1") as (ann1, proxy, clip_id):
        ann1.clip_view(clip_id, "ann1")  # the pool's connection is made (and set up) once
        before = proxy.round_trips
        view = ann1.clip_view(clip_id, "ann1")
        assert proxy.round_trips - before <= 2  # a ping when the pooled connection lay idle, then the one batch
        assert len(view.segments) == 2 and len(view.proposals) == 4
        assert ann1.clip_view(clip_id, "ann1") == view  # the connection went back to the pool clean
        assert ann1.segments(clip_id, "ann1") == view.segments


def test_a_finalised_clip_brings_its_final_result_in_the_same_read(project: Project) -> None:
    from annotator.decisions import KEEP
    from merging.workflow import run_merge

    owner = project.open_store()
    clip_id = _clip(owner)
    for name in ("ann1", "ann2"):
        owner.set_assignment_state(clip_id, name, AssignmentState.DONE)
    run_merge(owner)
    for m in owner.merged_instances(clip_id):
        if m.status is MergedStatus.NEEDS_REVIEW and m.id is not None:
            owner.resolve_merged(m.id, m.version, KEEP, m.start_frame, m.end_frame, m.action_id)
    ann1 = project.open_store("ann1")
    try:
        assert ann1.clip_view(clip_id, "ann1").final == []  # not before the reviewer finalises it
        owner.finalise_clip(clip_id)
        view = ann1.clip_view(clip_id, "ann1")
        assert view.final == ann1.merged_instances(clip_id) and len(view.final) == 2
        assert all(m.segment_ids for m in view.final)
    finally:
        ann1.close()
        owner.close()


def test_a_members_login_reads_the_open_clip_under_the_row_policies(team: Team) -> None:
    store = Store.open(f"{team.url}%20-crole%3D{team.login['ann1']}", load_taxonomy("mma52"))
    try:
        view = store.clip_view(team.open_clip, "ann1")
        assert [s.author for s in view.segments] == ["ann1"] and view.final == []
        assert [p.status for p in view.proposals] == [ProposalStatus.REJECTED]  # ann1's own answer
        final = store.clip_view(team.final_clip, "ann1").final
        assert len(final) == 1 and final == store.merged_instances(team.final_clip)
        with pytest.raises(PermissionDenied):
            store.clip_view(team.open_clip, "ann2")
    finally:
        store.close()


def test_a_pooled_connection_is_pinged_only_after_lying_idle(db_url: str, project: Project,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """No ping round trip for a connection used a moment ago; one that lay idle is pinged, and one a
    dropped link killed meanwhile is replaced before the read (as pre-ping did)."""
    from annotator.store import engine as store_engine

    with through_proxy(db_url, project, "ann1") as (ann1, proxy, clip_id):
        ann1.clip_view(clip_id, "ann1")
        before = proxy.round_trips
        ann1.clip_view(clip_id, "ann1")
        assert proxy.round_trips - before == 1  # used a moment ago: the batch only
        monkeypatch.setattr(store_engine, "IDLE_PING_S", 0.0)  # every connection has lain idle long enough
        before = proxy.round_trips
        ann1.clip_view(clip_id, "ann1")
        assert proxy.round_trips - before == 2  # the ping, then the batch
        proxy.refuse(True)  # the link drops every connection (a VPN reconnecting)
        proxy.refuse(False)
        assert len(ann1.clip_view(clip_id, "ann1").segments) == 2  # the ping found it dead: a fresh one read


def test_the_review_read_is_what_the_single_reads_give(project: Project) -> None:
    from merging.workflow import run_merge

    owner = project.open_store()
    clip_id = _clip(owner)
    owner.add_annotator("rev", Role.REVIEWER)
    owner.add_annotator("ann3", Role.ANNOTATOR)  # not assigned: neither a lane nor segments
    owner.add_segment(Segment(None, clip_id, "ann3", 5, 15, 5))
    for name in ("ann1", "ann2"):
        owner.set_assignment_state(clip_id, name, AssignmentState.DONE)
    rev = project.open_store("rev")
    try:
        def problem() -> str | None:
            said = rev.review_view(clip_id).merge_problem
            assert said == rev.merge_problems([clip_id]).get(clip_id)  # the store's own words
            return said

        assert "no merge" in (problem() or "")
        run_merge(rev)
        assert problem() is None
        view = rev.review_view(clip_id)
        assert view.clip == rev.clip(clip_id)
        assert view.annotators == ["ann1", "ann2"]  # annotator id order: the lanes' order
        assert view.segments == {name: rev.segments(clip_id, name) for name in ("ann1", "ann2")}
        assert view.merged == rev.merged_instances(clip_id) and view.merged
        time.sleep(0.01)  # a later moment than the merge's, on any clock resolution
        seg = view.segments["ann2"][0]
        owner.update_segment(replace(seg, end_frame=seg.end_frame + 1))
        assert "changed after its merge" in (problem() or "")
        with pytest.raises(PermissionDenied):
            project.open_store("ann1").review_view(clip_id)
        with pytest.raises(InputError, match="no such clip"):
            rev.review_view(clip_id + 99)
    finally:
        rev.close()
        owner.close()


def test_the_review_read_is_one_round_trip_on_postgresql(db_url: str, project: Project) -> None:
    with through_proxy(db_url, project, "rev") as (rev, proxy, clip_id):
        rev.review_view(clip_id)
        before = proxy.round_trips
        view = rev.review_view(clip_id)
        assert proxy.round_trips - before == 1  # the five queries in one batch (the connection was used just now)
        assert [len(view.segments[n]) for n in view.annotators] == [2, 2]
