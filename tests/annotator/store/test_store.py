"""Store behaviour on SQLite and PostgreSQL: schema, rules, roles, blind mode, locking, audit."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from annotator.decisions import Decision
from annotator.errors import Cancelled, ConflictError, InputError, PermissionDenied, RuleViolation
from annotator.model import (
    GROUND_TRUTH,
    AssignmentState,
    MergedInstance,
    MergedStatus,
    MergeRule,
    Origin,
    Proposal,
    ProposalStatus,
    Role,
    Segment,
    Subset,
)
from annotator.progress import CancelToken
from annotator.project import Project
from annotator.store import engine as store_engine
from annotator.store.api import BulkImport, NewClip, NewSegment
from annotator.store.store import Store
from annotator.taxonomy import load_taxonomy
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)

D = Decision.parse  # decisions written as their stored text

CLIPS = [NewClip("s1_a", "s1", 30.0, 300), NewClip("s2_b", "s2", 29.0, 200, width=64, height=48)]


def _seed(store: Store) -> tuple[int, int]:
    a, b = store.add_clips(CLIPS)
    store.add_annotator("ann1", Role.ANNOTATOR)
    store.add_annotator("ann2", Role.ANNOTATOR)
    store.add_annotator("rev", Role.REVIEWER)
    return a.id, b.id


def _merge_and_review(store: Store, clip_id: int) -> None:
    """Mark the clip's annotators done, merge it and take each open instance's majority (or keep), as a
    reviewer would before finalising: the store finalises only a clip merged after its last change."""
    from merging.workflow import run_merge

    names = {a.id: a.name for a in store.annotators()}
    for a in store.assignments(None):
        if a.clip_id == clip_id:
            store.set_assignment_state(clip_id, names[a.annotator_id], AssignmentState.DONE)
    rev = store.as_user("rev")
    run = run_merge(rev, clip_names=[rev.clip(clip_id).name])
    assert run.merged_clips == 1, run.skipped
    for m in rev.merged_instances(clip_id):
        if m.status is MergedStatus.NEEDS_REVIEW:
            rev.resolve_merged(m.id or 0, m.version, m.majority or D("keep"), m.start_frame, m.end_frame, m.action_id)


def test_migrations_create_the_schema_once(project: Project, db_url: str) -> None:
    engine = create_engine(project.database_url)
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()
    assert {"clips", "segments", "annotators", "assignments", "proposals", "merged_instances",
            "merged_segments", "audit_log", "subjects", "project_meta", "proposal_answers"} <= tables
    assert head == store_engine.HEAD_REVISION == "0012"
    project.open_store().close()  # a second open runs no migration and keeps the data


def test_sqlite_runs_in_wal_mode_with_foreign_keys(store: Store, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite pragmas only")
    with store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize("sql", [
    "INSERT INTO segments (clip_id, author, start_frame, end_frame, action_id, origin, version, created_at,"
    " updated_at, deleted) VALUES ({clip}, 'x', 10, 10, 1, 'manual', 1, '2024-01-01', '2024-01-01', false)",
    "INSERT INTO segments (clip_id, author, start_frame, end_frame, action_id, origin, version, created_at,"
    " updated_at, deleted) VALUES ({clip}, 'x', -1, 10, 1, 'manual', 1, '2024-01-01', '2024-01-01', false)",
    "INSERT INTO segments (clip_id, author, start_frame, end_frame, action_id, origin, version, created_at,"
    " updated_at, deleted) VALUES ({clip}, 'x', 1, 10, 1, 'bogus', 1, '2024-01-01', '2024-01-01', false)",
    "INSERT INTO segments (clip_id, author, start_frame, end_frame, action_id, origin, version, created_at,"
    " updated_at, deleted) VALUES (999999, 'x', 1, 10, 1, 'manual', 1, '2024-01-01', '2024-01-01', false)",
    "INSERT INTO clips (name, subject_id, fps, frame_count, finalised) VALUES ('z', 's1', 0, 10, false)",
    "INSERT INTO clips (name, subject_id, fps, frame_count, finalised) VALUES ('z', 's1', 30, 0, false)",
    "INSERT INTO clips (name, subject_id, fps, frame_count, subset, finalised) VALUES ('z', 's1', 30, 9, 'x', false)",
    "INSERT INTO annotators (name, role) VALUES ('z', 'boss')",
    "INSERT INTO assignments (clip_id, annotator_id, state, updated_at) VALUES ({clip}, 1, 'late', '2024-01-01')",
])
def test_schema_constraints_refuse_bad_rows(store: Store, sql: str) -> None:
    clip_id, _ = _seed(store)
    with pytest.raises(IntegrityError), store._engine.begin() as conn:
        conn.execute(text(sql.format(clip=clip_id)))


def test_segment_rules_are_checked_before_storing(store: Store) -> None:
    clip_id, _ = _seed(store)
    for start, end, action, words in [(10, 15, 1, "shorter than 0.2"), (10, 5, 1, "after start"),
                                      (-1, 30, 1, "before the first"), (250, 300, 1, "past the last"),
                                      (10, 40, 52, "unknown action")]:
        with pytest.raises(RuleViolation, match=words):
            store.add_segment(Segment(None, clip_id, GROUND_TRUTH, start, end, action))
    assert store.add_segment(Segment(None, clip_id, GROUND_TRUTH, 10, 16, 1)).length_frames == 6
    assert store.segments(clip_id, GROUND_TRUTH)[0].end_frame == 16


def test_duplicate_clip_and_user_names_are_refused(store: Store) -> None:
    _seed(store)
    with pytest.raises(RuleViolation, match="s1_a"):
        store.add_clips([NewClip("s1_a", "s1", 30.0, 10)])
    with pytest.raises(RuleViolation, match="already exists"):
        store.add_annotator("ann1", Role.REVIEWER)
    with pytest.raises(RuleViolation, match="reserved"):
        store.add_annotator(GROUND_TRUTH, Role.ANNOTATOR)
    assert [a.name for a in store.annotators()] == ["ann1", "ann2", "rev"]


def test_blind_mode_annotator_sees_only_own_work_until_final(store: Store) -> None:
    clip_id, _ = _seed(store)
    store.assign_many([clip_id], ["ann1", "ann2"])
    ann1, ann2, rev = store.as_user("ann1"), store.as_user("ann2"), store.as_user("rev")
    ann1.add_segment(Segment(None, clip_id, "ann1", 0, 30, 3))
    ann2.add_segment(Segment(None, clip_id, "ann2", 5, 40, 3))
    store.add_segment(Segment(None, clip_id, GROUND_TRUTH, 0, 30, 3))
    assert len(ann1.segments(clip_id, "ann1")) == 1
    for author in ("ann2", GROUND_TRUTH):
        with pytest.raises(PermissionDenied, match="may not see"):
            ann1.segments(clip_id, author)
    with pytest.raises(PermissionDenied):
        ann1.merged_instances(clip_id)
    assert ann1.segments_by_clip("ann2") == {}
    assert ann1.merged_by_clip() == {}
    assert len(rev.segments(clip_id, "ann2")) == 1  # a reviewer sees every lane
    _merge_and_review(store, clip_id)
    rev.finalise_clip(clip_id)
    assert len(ann1.segments(clip_id, "ann2")) == 1
    assert len(ann1.segments_by_clip("ann2")[clip_id]) == 1


def test_annotator_writes_only_own_segments_and_cannot_review(store: Store) -> None:
    clip_id, _ = _seed(store)
    store.assign_many([clip_id], ["ann1", "ann2"])
    ann1 = store.as_user("ann1")
    with pytest.raises(PermissionDenied, match="own segments"):
        ann1.add_segment(Segment(None, clip_id, "ann2", 0, 30, 3))
    theirs = store.as_user("ann2").add_segment(Segment(None, clip_id, "ann2", 0, 30, 3))
    with pytest.raises(PermissionDenied):
        ann1.update_segment(replace(theirs, end_frame=40))
    with pytest.raises(PermissionDenied):
        ann1.delete_segment(theirs.id or 0, theirs.version)
    for call in (lambda: ann1.finalise_clip(clip_id), lambda: ann1.replace_unresolved_merged(clip_id, []),
                 lambda: ann1.add_annotator("x", Role.ANNOTATOR), lambda: ann1.assign(clip_id, "ann1"),
                 lambda: ann1.set_subsets({clip_id: Subset.TRAIN})):
        with pytest.raises(PermissionDenied, match="only a reviewer|only the owner"):
            call()
    _merge_and_review(store, clip_id)
    store.finalise_clip(clip_id)
    with pytest.raises(PermissionDenied, match="finalised"):
        ann1.add_segment(Segment(None, clip_id, "ann1", 0, 30, 3))
    with pytest.raises(PermissionDenied, match="unknown user"):
        store.as_user("nobody")


def test_two_desktops_cannot_overwrite_each_other(project: Project, store: Store) -> None:
    clip_id, _ = _seed(store)
    other = project.open_store("rev")
    try:
        mine = store.add_segment(Segment(None, clip_id, GROUND_TRUTH, 0, 30, 3))
        theirs = other.segments(clip_id, GROUND_TRUTH)[0]
        updated = other.update_segment(replace(theirs, end_frame=45))
        assert updated.version == 2
        with pytest.raises(ConflictError, match="changed by another user"):
            store.update_segment(replace(mine, end_frame=60))
        with pytest.raises(ConflictError, match="changed by another user"):
            store.delete_segment(mine.id or 0, mine.version)
        other.delete_segment(updated.id or 0, updated.version)
        with pytest.raises(ConflictError, match="deleted"):
            store.update_segment(replace(updated, end_frame=60))
        assert store.segments(clip_id, GROUND_TRUTH) == []
        restored = store.restore_segment(updated.id or 0)
        assert (restored.end_frame, restored.version) == (45, 4)
    finally:
        other.close()


def test_every_change_writes_an_audit_row(store: Store) -> None:
    clip_id, _ = _seed(store)
    rev = store.as_user("rev")
    seg = rev.add_segment(Segment(None, clip_id, GROUND_TRUTH, 0, 30, 3))
    seg = rev.update_segment(replace(seg, action_id=4))
    rev.delete_segment(seg.id or 0, seg.version)
    log = store.audit_log(limit=3, entity="segment")
    assert [(e.action, e.user, e.entity_id) for e in log] == [
        ("delete", "rev", seg.id), ("update", "rev", seg.id), ("add", "rev", seg.id)]
    assert '"action_id": 3' in (log[1].old or "") and '"action_id": 4' in (log[1].new or "")
    assert store.as_user("ann1").audit_log() == []  # annotators see only their own entries


def test_assignments_and_states(store: Store) -> None:
    a, b = _seed(store)
    assert store.assign_many([a, b], ["ann1", "ann2"]) == 4
    assert store.assign_many([a, b], ["ann1"]) == 0
    ann1 = store.as_user("ann1")
    assert [x.clip_id for x in ann1.assignments()] == [a, b]
    with pytest.raises(PermissionDenied):
        ann1.assignments("ann2")
    done = ann1.set_assignment_state(a, "ann1", AssignmentState.DONE)
    assert done.state == AssignmentState.DONE
    with pytest.raises(PermissionDenied):
        ann1.set_assignment_state(a, "ann2", AssignmentState.DONE)
    with pytest.raises(InputError, match="no such annotator"):
        store.assign(a, "ghost")


def test_clips_subsets_and_media(store: Store) -> None:
    a, b = _seed(store)
    store.set_subsets({a: Subset.TRAIN, b: Subset.VAL})
    assert [c.name for c in store.clips(Subset.VAL)] == ["s2_b"]
    clip = store.attach_media(a, "s1_a.mp4", 30.0, 301, 640, 480)
    assert (clip.media_path, clip.frame_count, clip.width) == ("s1_a.mp4", 301, 640)
    assert store.clip_by_name("s2_b") == store.clip(b)
    assert store.clip_by_name("nope") is None
    with pytest.raises(InputError, match="no such clip"):
        store.clip(12345)


def test_proposals_are_shared_and_each_annotator_answers_for_themselves(store: Store) -> None:
    a, b = _seed(store)
    store.assign_many([a], ["ann1", "ann2"])
    pending, accepted, rejected = ProposalStatus.PENDING, ProposalStatus.ACCEPTED, ProposalStatus.REJECTED
    made = store.add_proposals(a, "v1", [Proposal(None, a, "v1", 0, 20, 5, 0.9), Proposal(None, a, "v1", 30, 60, 5, 0.7)])
    assert [p.status for p in made] == [pending, pending]
    ann1, ann2 = store.as_user("ann1"), store.as_user("ann2")
    seg1, _ = ann1.accept_proposal(made[0].id or 0, "ann1")
    ann1.set_proposal_status(made[1].id or 0, rejected)
    assert [p.status for p in ann1.proposals(a)] == [accepted, rejected]
    assert [p.status for p in ann2.proposals(a)] == [pending, pending]  # ann1's answers are ann1's alone
    seg2, _ = ann2.accept_proposal(made[0].id or 0, "ann2")
    assert ann2.segments(a, "ann2") == [seg2] and ann1.segments(a, "ann1") == [seg1] and seg1.id != seg2.id
    assert [p.status for p in store.proposals(a, author="ann1")] == [accepted, rejected]  # a reviewer may look
    assert store.proposals(a, "v1")[0].status == pending and store.proposals(a, "v2") == []  # the owner's own
    with pytest.raises(PermissionDenied):
        ann2.proposals(a, author="ann1")  # blind mode
    with pytest.raises(PermissionDenied):
        ann1.set_proposal_status(made[1].id or 0, rejected, author="ann2")
    with pytest.raises(PermissionDenied, match="only to their own open clips"):
        ann1.add_proposals(b, "v1", [Proposal(None, b, "v1", 0, 20, 5, 0.9)])  # not assigned to ann1
    assert len(ann1.add_proposals(a, "v3", [Proposal(None, a, "v3", 0, 20, 5, 0.9)])) == 1  # their model loop
    with pytest.raises(RuleViolation, match="accept_proposal"):
        ann2.set_proposal_status(made[1].id or 0, accepted)
    with pytest.raises(ConflictError, match="undo the acceptance"):
        ann1.set_proposal_status(made[0].id or 0, pending)
    with pytest.raises(RuleViolation):
        store.add_proposals(a, "v1", [Proposal(None, a, "v1", 0, 400, 5, 0.9)])
    _merge_and_review(store, a)
    store.finalise_clip(a)  # a finalised clip: annotators answer nothing more; reviewers still add
    with pytest.raises(PermissionDenied, match="finalised"):
        ann2.set_proposal_status(made[1].id or 0, rejected)
    with pytest.raises(PermissionDenied, match="only to their own open clips"):
        ann1.add_proposals(a, "v3", [Proposal(None, a, "v3", 0, 20, 5, 0.9)])
    assert len(store.as_user("rev").add_proposals(a, "v2", [Proposal(None, a, "v2", 0, 20, 5, 0.5)])) == 1


def test_merged_instances_keep_reviewer_decisions(store: Store) -> None:
    a, _ = _seed(store)
    segs = [store.add_segment(Segment(None, a, n, 0, 30, 3)).id or 0 for n in ("ann1", "ann2")]

    def inst(status: MergedStatus, start: int) -> MergedInstance:
        return MergedInstance(None, a, start, 30, 3, tuple(segs), MergeRule.UNION, False, status, majority=D("keep"))

    first = store.replace_unresolved_merged(a, [inst(MergedStatus.NEEDS_REVIEW, 0), inst(MergedStatus.RELIABLE, 2)])
    assert first[0].segment_ids == tuple(segs)
    with pytest.raises(RuleViolation, match="to review"):
        store.finalise_clip(a)
    resolved = store.as_user("rev").resolve_merged(first[0].id or 0, first[0].version, D("keep"), 1, 29, 3)
    assert (resolved.status, resolved.decided_by, resolved.start_frame) == (MergedStatus.RESOLVED, "rev", 1)
    with pytest.raises(ConflictError):
        store.resolve_merged(first[0].id or 0, first[0].version, D("delete"), 0, 30, 3)
    again = store.replace_unresolved_merged(a, [inst(MergedStatus.NEEDS_REVIEW, 0), inst(MergedStatus.RELIABLE, 4)])
    assert again[0] == resolved  # the same instance again: its decision stands, the row is kept
    kept = store.merged_instances(a)
    assert [(m.status, m.start_frame) for m in kept] == [(MergedStatus.RESOLVED, 1), (MergedStatus.RELIABLE, 4)]
    assert store.merged_by_clip()[a] == kept
    assert store.finalise_clip(a).finalised


def test_a_remerge_drops_decisions_that_no_longer_match_their_instance(store: Store) -> None:
    a, _ = _seed(store)
    segs = tuple(store.add_segment(Segment(None, a, n, 0, 30, 3)).id or 0 for n in ("ann1", "ann2"))

    def inst(start: int, action: int = 3, majority: str = "keep") -> MergedInstance:
        return MergedInstance(None, a, start, 30, action, segs, MergeRule.UNION, False, MergedStatus.NEEDS_REVIEW,
                              majority=D(majority))

    rev = store.as_user("rev")
    (first,) = rev.replace_unresolved_merged(a, [inst(0)])
    decided = rev.resolve_merged(first.id or 0, first.version, D("delete"), 0, 30, 3)
    for changed in (inst(2), inst(0, action=4), inst(0, majority="delete")):  # bounds, label, majority
        (new,) = rev.replace_unresolved_merged(a, [changed])
        assert (new.status, new.decision, new.start_frame) == (MergedStatus.NEEDS_REVIEW, None, changed.start_frame)
        assert rev.merged_instances(a) == [new]  # the old decision is gone, not beside the new instance
        decided = rev.resolve_merged(new.id or 0, new.version, D("delete"), new.start_frame, 30, new.action_id)
    entry = rev.audit_log(limit=1, entity="clip")[0]
    assert entry.action == "merge" and '"dropped_decisions"' in (entry.old or "")
    assert rev.replace_unresolved_merged(a, []) == [] and rev.merged_instances(a) == []  # nothing left to match
    assert decided.id not in {m.id for m in rev.merged_instances(a)}


def test_an_empty_merge_result_finalises_and_reads_back_empty(store: Store) -> None:
    a, _ = _seed(store)
    rev = store.as_user("rev")
    assert rev.replace_unresolved_merged(a, []) == []
    assert rev.finalise_clip(a).finalised and rev.merged_instances(a) == []
    assert store.as_user("ann1").merged_instances(a) == []  # an annotator may read the finalised (empty) merge


def _batch(author: str = GROUND_TRUTH, done_for: str | None = None) -> BulkImport:
    return BulkImport(author=author, new_clips=[NewClip("s3_c", "s3", 30.0, 100)],
                      subsets={"s3_c": Subset.TEST, "s1_a": Subset.TRAIN},
                      segments=[NewSegment("s3_c", 0, 10, 1), NewSegment("s1_a", 5, 50, 2)],
                      mark_done_for=done_for, clip_names=["s3_c", "s1_a"])


def test_bulk_import_is_one_transaction(store: Store) -> None:
    _seed(store)
    before_audit = len(store.audit_log(limit=1000))

    class CancelLater(CancelToken):
        def __init__(self, after: int) -> None:
            super().__init__()
            self.left = after

        def check(self) -> None:
            self.left -= 1
            if self.left < 0:
                raise Cancelled("killed mid-import")

    for after in range(4):  # cancel at each step: nothing at all may remain
        with pytest.raises(Cancelled):
            store.import_bulk(_batch(), CancelLater(after))
        assert store.clip_by_name("s3_c") is None
        assert store.segments_by_clip(GROUND_TRUTH) == {}
        assert store.clip_by_name("s1_a").subset is None  # type: ignore[union-attr]
        assert len(store.audit_log(limit=1000)) == before_audit
    counts = store.import_bulk(_batch(done_for="newbie"))
    assert counts == {"clips_created": 1, "clips_in_file": 2, "segments": 2}
    assert store.clip_by_name("s3_c").subset == Subset.TEST  # type: ignore[union-attr]
    newbie = store.as_user("newbie")
    assert newbie.user is not None and newbie.user.role == Role.ANNOTATOR
    assert {x.state for x in newbie.assignments()} == {AssignmentState.DONE}
    with pytest.raises(RuleViolation, match="already has segments on clip 's1_a'"):
        store.import_bulk(replace(_batch(), new_clips=[]))
    with pytest.raises(RuleViolation, match="refused the import"):
        store.import_bulk(_batch(author="someone"))


def test_taxonomy_snapshot_must_match(project: Project) -> None:
    with pytest.raises(InputError, match="MMA-52.*MMA-82"):
        Store.open(project.database_url, load_taxonomy("mma82")).close()


def _two_instances(store: Store, a: int) -> list[MergedInstance]:
    segs = [store.add_segment(Segment(None, a, n, 0, 30, 3)).id or 0 for n in ("ann1", "ann2")]
    return store.replace_unresolved_merged(a, [
        MergedInstance(None, a, 0, 30, 3, tuple(segs), MergeRule.UNION, False, MergedStatus.NEEDS_REVIEW,
                       majority=D("keep")),
        MergedInstance(None, a, 2, 30, 4, tuple(segs), MergeRule.UNION, True, MergedStatus.RELIABLE),
    ])


def test_unresolve_returns_an_instance_to_the_merge_output(store: Store) -> None:
    a, _ = _seed(store)
    review, reliable = _two_instances(store, a)
    rev = store.as_user("rev")
    first = rev.resolve_merged(review.id or 0, review.version, D("adjust"), 5, 25, 3)
    second = rev.resolve_merged(review.id or 0, first.version, D("label:7"), 5, 25, 7)
    back = rev.unresolve_merged(review.id or 0, second.version)
    assert (back.status, back.start_frame, back.end_frame, back.action_id) == (MergedStatus.NEEDS_REVIEW, 0, 30, 3)
    assert (back.decision, back.decided_by, back.decided_at, back.segment_ids) == (None, None, None,
                                                                                   review.segment_ids)
    entry = rev.audit_log(limit=1, entity="merged")[0]
    assert (entry.action, entry.user) == ("unresolve", "rev") and '"label:7"' in (entry.old or "")
    again = rev.resolve_merged(review.id or 0, back.version, D("delete"), 0, 30, 3)  # decide anew, undo again
    assert rev.unresolve_merged(review.id or 0, again.version).status == MergedStatus.NEEDS_REVIEW
    kept = rev.resolve_merged(reliable.id or 0, reliable.version, D("keep"), 3, 30, 4)
    assert rev.unresolve_merged(reliable.id or 0, kept.version).status == MergedStatus.RELIABLE
    with pytest.raises(ConflictError, match="no decision"):
        rev.unresolve_merged(reliable.id or 0, kept.version + 1)
    with pytest.raises(ConflictError, match="another reviewer"):
        rev.unresolve_merged(review.id or 0, first.version)
    with pytest.raises(PermissionDenied, match="only a reviewer"):
        store.as_user("ann1").unresolve_merged(review.id or 0, again.version + 1)


def test_decisions_on_a_finalised_clip_are_refused(store: Store) -> None:
    a, _ = _seed(store)
    review, _ = _two_instances(store, a)
    rev = store.as_user("rev")
    done = rev.resolve_merged(review.id or 0, review.version, D("keep"), 0, 30, 3)
    rev.finalise_clip(a)
    audit_rows = len(store.audit_log(limit=1000))
    with pytest.raises(RuleViolation, match="is finalised.*no longer be decided"):
        rev.resolve_merged(review.id or 0, done.version, D("delete"), 0, 30, 3)
    with pytest.raises(RuleViolation, match="is finalised.*no longer be reopened"):
        rev.unresolve_merged(review.id or 0, done.version)
    with pytest.raises(RuleViolation, match="is finalised.*closed to a new merge"):
        rev.replace_unresolved_merged(a, [])  # a re-merge would drop its reliable instances
    assert store.merged_instances(a)[0] == done and len(store.audit_log(limit=1000)) == audit_rows
    assert len(store.merged_instances(a)) == 2


def test_accepting_a_proposal_is_one_audited_transaction(store: Store) -> None:
    a, _ = _seed(store)
    store.assign_many([a], ["ann1"])
    good, outside_rules = store.add_proposals(a, "v1", [Proposal(None, a, "v1", 10, 40, 5, 0.8),
                                                        Proposal(None, a, "v1", 10, 13, 5, 0.7)])
    ann = store.as_user("ann1")
    seg, prop = ann.accept_proposal(good.id or 0, "ann1")
    assert (seg.origin, seg.confidence, seg.author, seg.start_frame, seg.end_frame, seg.action_id) == (
        Origin.PROPOSAL_ACCEPTED, 0.8, "ann1", 10, 40, 5)
    assert prop.status == ProposalStatus.ACCEPTED == ann.proposals(a)[0].status
    assert ann.audit_log(limit=1, entity="proposal")[0].action == "accept"
    with pytest.raises(ConflictError, match="is accepted, not pending"):
        ann.accept_proposal(good.id or 0, "ann1")
    with pytest.raises(RuleViolation):  # 3 frames < 0.2 s: neither a segment nor a status change
        ann.accept_proposal(outside_rules.id or 0, "ann1")
    assert ann.proposals(a)[1].status == ProposalStatus.PENDING and len(ann.segments(a, "ann1")) == 1
    with pytest.raises(PermissionDenied):
        ann.accept_proposal(outside_rules.id or 0, "ann2")
    back = ann.unaccept_proposal(good.id or 0, seg.id or 0, seg.version)
    assert back.status == ProposalStatus.PENDING and ann.segments(a, "ann1") == []
    redo, _ = ann.accept_proposal(good.id or 0, "ann1", segment_id=seg.id)
    assert (redo.id, redo.version, ann.proposals(a)[0].status) == (seg.id, 3, ProposalStatus.ACCEPTED)
    with pytest.raises(ConflictError, match="changed by another user"):
        ann.unaccept_proposal(good.id or 0, seg.id or 0, seg.version)
    assert ann.proposals(a)[0].status == ProposalStatus.ACCEPTED and len(ann.segments(a, "ann1")) == 1


def test_editing_an_accepted_proposal_stores_proposal_edited(store: Store) -> None:
    a, _ = _seed(store)
    store.assign_many([a], ["ann1"])
    (prop,) = store.add_proposals(a, "v1", [Proposal(None, a, "v1", 10, 40, 5, 0.8)])
    ann = store.as_user("ann1")
    seg, _ = ann.accept_proposal(prop.id or 0, "ann1")
    same = ann.update_segment(seg)  # nothing changed: still accepted as proposed
    assert same.origin == Origin.PROPOSAL_ACCEPTED
    moved = ann.update_segment(replace(same, end_frame=35))  # caller forgot to change the origin
    assert moved.origin == Origin.PROPOSAL_EDITED
    assert ann.segments(a, "ann1")[0].origin == Origin.PROPOSAL_EDITED
    assert '"origin": "proposal-edited"' in (ann.audit_log(limit=1, entity="segment")[0].new or "")
    (other,) = store.add_proposals(a, "v1", [Proposal(None, a, "v1", 50, 90, 5, 0.6)])
    relabelled = ann.update_segment(replace(ann.accept_proposal(other.id or 0, "ann1")[0], action_id=6))
    assert relabelled.origin == Origin.PROPOSAL_EDITED


def test_a_remerge_drops_a_decision_whose_segments_changed_after_it(store: Store) -> None:
    a, _ = _seed(store)
    s1, s2 = (store.add_segment(Segment(None, a, n, 0, 30, 3)) for n in ("ann1", "ann2"))
    same = MergedInstance(None, a, 0, 30, 3, (s1.id or 0, s2.id or 0), MergeRule.UNION, False,
                          MergedStatus.NEEDS_REVIEW, majority=D("keep"))
    rev = store.as_user("rev")
    (first,) = rev.replace_unresolved_merged(a, [same])
    rev.resolve_merged(first.id or 0, first.version, D("take:ann1"), 0, 30, 3)  # the reviewer took ann1's version
    store.update_segment(replace(s1, end_frame=28))  # ann1's segment changed since: the take is stale
    (again,) = rev.replace_unresolved_merged(a, [same])  # the merge's proposal happens to be the same
    assert (again.status, again.decision, again.decided_by) == (MergedStatus.NEEDS_REVIEW, None, None)


def test_a_task_threads_store_is_the_same_user_on_the_same_database(store: Store) -> None:
    _seed(store)
    ann = store.as_user("ann1")
    task = ann.for_thread()
    assert task is not ann and task.user == ann.user
    assert [c.name for c in task.clips()] == [c.name for c in ann.clips()]
    task.close()  # closing it leaves the window's store working: the engine is shared, not owned
    assert ann.clips()
    with pytest.raises(PermissionDenied):
        task.require_reviewer("finalise")  # an annotator's rights, not the owner's
