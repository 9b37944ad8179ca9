"""finalise_clip refuses a clip whose merge is missing or older than its annotators' work (both backends)."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.errors import InputError, PermissionDenied, RuleViolation
from annotator.model import GROUND_TRUTH, AssignmentState, Role, Segment
from annotator.store.api import NewClip
from annotator.store.store import Store
from merging.workflow import run_merge
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)

NOD = 9


def _clip_done_by_two(store: Store, marks: bool = True) -> tuple[int, Store, list[Segment]]:
    """A clip assigned to ann1 and ann2, both done (each with one nod when `marks`); the reviewer's store."""
    (clip,) = store.add_clips([NewClip("c1", "s1", 30.0, 300)])
    store.add_annotator("rev", Role.REVIEWER)
    segs = []
    for name, start in (("ann1", 10), ("ann2", 12)):
        store.add_annotator(name, Role.ANNOTATOR)
        store.assign(clip.id, name)
        if marks:
            segs.append(store.as_user(name).add_segment(Segment(None, clip.id, name, start, 60, NOD)))
        store.set_assignment_state(clip.id, name, AssignmentState.DONE)
    return clip.id, store.as_user("rev"), segs


def _refused(rev: Store, clip_id: int, message: str) -> None:
    """finalise_clip refuses with `message` and changes nothing (clip open, no audit row)."""
    audit = len(rev.audit_log(limit=10_000))
    with pytest.raises(RuleViolation, match=message):
        rev.finalise_clip(clip_id)
    assert not rev.clip(clip_id).finalised
    assert len(rev.audit_log(limit=10_000)) == audit


def test_a_clip_never_merged_is_refused(store: Store) -> None:
    clip_id, rev, _ = _clip_done_by_two(store)
    _refused(rev, clip_id, r"^clip 'c1' has annotators' segments but no merge: run mmad merge first$")
    run_merge(rev)
    rev.finalise_clip(clip_id)  # the two nods agree: one reliable instance, nothing to review
    assert rev.clip(clip_id).finalised and len(rev.merged_instances(clip_id)) == 1


def test_a_segment_edited_after_the_merge_is_refused_until_merged_again(store: Store) -> None:
    clip_id, rev, segs = _clip_done_by_two(store)
    run_merge(rev)
    ann2 = store.as_user("ann2")
    store.set_assignment_state(clip_id, "ann2", AssignmentState.IN_PROGRESS)  # ann2 reopens the clip
    ann2.update_segment(replace(segs[1], end_frame=90))
    store.set_assignment_state(clip_id, "ann2", AssignmentState.DONE)
    _refused(rev, clip_id, r"^clip 'c1' changed after its merge \(ann2 edited at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\): "
                           r"merge it again before finalising$")
    run_merge(rev)
    for m in rev.merged_instances(clip_id):  # the edit split the nod: decide what the merge proposes now
        if m.decision is None and m.majority is not None and m.status.value == "needs_review":
            rev.resolve_merged(m.id or 0, m.version, m.majority, m.start_frame, m.end_frame, m.action_id)
    assert rev.finalise_clip(clip_id).finalised


def test_deleted_and_added_segments_after_the_merge_count_as_changes(store: Store) -> None:
    clip_id, rev, segs = _clip_done_by_two(store)
    run_merge(rev)
    store.as_user("ann1").delete_segment(segs[0].id or 0, segs[0].version)
    store.as_user("ann2").add_segment(Segment(None, clip_id, "ann2", 100, 140, NOD))
    with pytest.raises(RuleViolation, match=r"\(ann1 edited at .*, ann2 edited at .*\)"):
        rev.finalise_clip(clip_id)


def test_an_agreed_empty_clip_finalises_with_or_without_a_merge(store: Store) -> None:
    clip_id, rev, _ = _clip_done_by_two(store, marks=False)
    assert rev.finalise_clip(clip_id).finalised  # nobody marked anything: nothing to merge
    store.add_clips([NewClip("c2", "s1", 30.0, 300)])
    c2 = rev.clip_by_name("c2")
    assert c2 is not None
    for name in ("ann1", "ann2"):
        store.assign(c2.id, name)
        store.set_assignment_state(c2.id, name, AssignmentState.DONE)
    run_merge(rev)
    assert rev.finalise_clip(c2.id).finalised and rev.merged_instances(c2.id) == []


def test_work_outside_the_merge_does_not_block(store: Store) -> None:
    clip_id, rev, _ = _clip_done_by_two(store)
    run_merge(rev)
    store.add_segment(Segment(None, clip_id, GROUND_TRUTH, 0, 30, NOD))  # imported truth: not the merge's input
    assert rev.finalise_clip(clip_id).finalised
    assert rev.finalise_clip(clip_id).finalised  # finalising again changes nothing and is not refused


def _refusal(rev: Store, clip_id: int) -> str:
    """What finalise_clip says when it refuses the clip (the clip stays open)."""
    with pytest.raises(RuleViolation) as caught:
        rev.finalise_clip(clip_id)
    return str(caught.value)


def test_merge_problems_say_what_finalise_would_say(store: Store) -> None:
    clip_id, rev, segs = _clip_done_by_two(store)
    (other,) = store.add_clips([NewClip("c2", "s1", 30.0, 300)])
    assert rev.merge_problems([clip_id, other.id]) == {clip_id: _refusal(rev, clip_id)}  # c2: nobody's work
    run_merge(rev)
    assert rev.merge_problems([clip_id, other.id]) == {}
    store.as_user("ann2").update_segment(replace(segs[1], end_frame=90))  # stale: the merge predates it
    problems = rev.merge_problems([clip_id])
    assert problems == {clip_id: _refusal(rev, clip_id)}
    assert problems[clip_id].startswith("clip 'c1' changed after its merge (ann2 edited at ")
    store.as_user("ann1").delete_segment(segs[0].id or 0, segs[0].version)
    assert "(ann1 edited at " in rev.merge_problems([clip_id])[clip_id]
    run_merge(rev)
    assert rev.merge_problems([clip_id]) == {}
    assert rev.merge_problems([]) == {}


def test_merge_problems_leave_finalised_clips_out_and_refuse_bad_callers(store: Store) -> None:
    clip_id, rev, segs = _clip_done_by_two(store)
    run_merge(rev)
    rev.finalise_clip(clip_id)
    assert rev.merge_problems([clip_id]) == {}  # final: its work can no longer change the truth
    with pytest.raises(InputError, match="clip id 999"):
        rev.merge_problems([clip_id, 999])
    with pytest.raises(PermissionDenied):
        store.as_user("ann1").merge_problems([clip_id])
