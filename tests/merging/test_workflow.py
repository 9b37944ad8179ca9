"""The merge against a real project store (SQLite in a temporary folder)."""

import pytest

from annotator.decisions import Decision
from annotator.model import AssignmentState, MergedStatus, Role, Segment
from annotator.project import Project
from annotator.store.api import NewClip
from merging.workflow import run_merge

D = Decision.parse  # decisions written as their stored text

NOD, WAVE = 9, 19


@pytest.fixture
def project(tmp_path):
    p = Project.create(tmp_path / "proj")
    store = p.open_store()
    for name in ("a1", "a2", "a3"):
        store.add_annotator(name, Role.ANNOTATOR)
    store.add_annotator("rev", Role.REVIEWER)
    clips = store.add_clips([NewClip(f"c{i}", "s1", 30.0, 300) for i in range(3)])
    for clip in clips:
        for name in ("a1", "a2", "a3"):
            store.assign(clip.id, name)
    c0, c1 = clips[0].id, clips[1].id
    for name, (s, e) in zip(("a1", "a2", "a3"), ((10, 60), (12, 60), (10, 58)), strict=True):
        store.as_user(name).add_segment(Segment(None, c0, name, s, e, NOD))
        store.set_assignment_state(c0, name, AssignmentState.DONE)
    store.as_user("a1").add_segment(Segment(None, c0, "a1", 100, 150, WAVE))
    store.set_assignment_state(c1, "a1", AssignmentState.DONE)
    store.close()
    return p


def test_merge_writes_instances_and_skips_unready_clips(project):
    store = project.open_store("rev")
    before = {n: store.segments_by_clip(n) for n in ("a1", "a2", "a3")}
    run = run_merge(store)
    assert run.merged_clips == 1 and run.written == 2
    reasons = {s.name: s.reason for s in run.skipped}
    assert reasons["c1"].startswith("not done: a2 (todo), a3 (todo)")
    assert "c2" in reasons
    c0 = store.clip_by_name("c0").id
    merged = store.merged_instances(c0)
    assert sorted(m.status.value for m in merged) == ["needs_review", "reliable"]  # joint tIoU 46/50
    assert {n: store.segments_by_clip(n) for n in ("a1", "a2", "a3")} == before  # untouched
    store.close()


def test_rerun_keeps_resolved_decisions(project):
    store = project.open_store("rev")
    run_merge(store)
    c0 = store.clip_by_name("c0").id
    single = next(m for m in store.merged_instances(c0) if len(m.segment_ids) == 1)
    store.resolve_merged(single.id, single.version, D("delete"), single.start_frame, single.end_frame, single.action_id)
    again = run_merge(store)
    assert again.kept_resolved == 1 and again.written == 1 and not again.stale_resolved
    merged = store.merged_instances(c0)
    assert len(merged) == 2
    assert sum(m.status is MergedStatus.RESOLVED for m in merged) == 1
    store.close()


def test_unknown_clip_name_is_refused(project):
    from annotator.errors import InputError
    store = project.open_store("rev")
    with pytest.raises(InputError, match="--clips, nope: no clip of that name"):
        run_merge(store, clip_names=["nope"])
    store.close()


def test_current_merged_drops_superseded_and_orphaned_decisions():
    from annotator.model import MergedInstance, MergeRule
    from merging.workflow import current_merged

    def inst(i, ids, status, reliable=False):
        return MergedInstance(i, 1, 0, 10, NOD, ids, MergeRule.UNION, reliable, status)

    fresh = inst(1, (1, 2), MergedStatus.NEEDS_REVIEW)
    kept = inst(2, (3, 4), MergedStatus.RESOLVED, reliable=True)
    superseded = inst(3, (2, 5), MergedStatus.RESOLVED)  # segment 2 is in a newer unresolved instance
    orphan = inst(4, (6,), MergedStatus.RESOLVED)  # segment 6 was deleted
    by_reviewer = inst(5, (), MergedStatus.RESOLVED)
    got = current_merged([fresh, kept, superseded, orphan, by_reviewer], {1, 2, 3, 4, 5})
    assert [m.id for m in got] == [1, 2]


def test_agreement_reliable_share_is_the_stored_one(project):
    from annotator.taxonomy import load_taxonomy
    from merging.agreement import agreement
    from merging.merge import MergeOptions, merge_clips
    from merging.workflow import collect_work

    store = project.open_store("rev")
    tax = load_taxonomy("mma52")
    works, _ = collect_work(store)
    mine = agreement(merge_clips(works, tax), tax)  # own merge at 0.9: the nod (joint 46/50) passes
    assert mine.overall.reliable_share == 0.5 and mine.clips_without_stored_merge is None
    none_stored = agreement(merge_clips(works, tax), tax, store.merged_by_clip())
    assert none_stored.overall.reliable_share is None and none_stored.clips_without_stored_merge == 1
    run_merge(store, MergeOptions(threshold=0.95))  # stored: nothing reliable
    c0 = store.clip_by_name("c0").id
    for m in store.merged_instances(c0):  # the reviewer keeps the nod, drops the lone wave
        decision = D("keep") if m.action_id == NOD else D("delete")
        store.resolve_merged(m.id, m.version, decision, m.start_frame, m.end_frame, m.action_id)
    store.finalise_clip(c0)
    works, _ = collect_work(store, include_finalised=True)
    assert [w.clip_id for w in works] == [c0]
    assert collect_work(store)[0] == []  # the merge itself leaves finalised clips alone
    report = agreement(merge_clips(works, tax), tax, store.merged_by_clip())
    assert report.overall.reliable_share == 0.0 and report.clips_without_stored_merge == 0
    a1 = next(r for r in report.per_annotator if r.name == "a1")
    assert a1.reliable_share == 0.0 and a1.segments == 2
    assert "stored by `mmad merge`" in report.methods["reliable_share"]
    store.close()


def test_a_clip_finalised_while_the_merge_runs_is_skipped_not_fatal(project):
    store = project.open_store("rev")
    c0 = store.clip_by_name("c0").id

    class FinalisesMidRun:  # the reviewer finalises c0 after the merge read the project
        def __init__(self, inner):
            self.inner = inner

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def merged_instances(self, clip_id):
            if clip_id == c0 and not self.inner.clip(c0).finalised:
                self.inner.finalise_clip(c0)
            return self.inner.merged_instances(clip_id)

    run = run_merge(FinalisesMidRun(store))
    assert run.merged_clips == 0 and run.written == 0
    assert {s.name: s.reason for s in run.skipped}["c0"] == "finalised while the merge ran"
    assert store.merged_instances(c0) == []
    store.close()
