"""The merge against a real project store (SQLite in a temporary folder)."""

from dataclasses import replace

import pytest

from annotator.decisions import Decision
from annotator.model import AssignmentState, MergedStatus, Role, Segment
from annotator.store.api import NewClip
from merging.workflow import run_merge

D = Decision.parse  # decisions written as their stored text

NOD, WAVE = 9, 19


@pytest.fixture
def project(tmp_path, new_sqlite_project):
    p = new_sqlite_project(tmp_path / "proj", "proj")
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
    run_merge(store)  # merged and decided: the store finalises only a clip whose merge is current
    for m in store.merged_instances(c0):
        if m.status is MergedStatus.NEEDS_REVIEW:
            store.resolve_merged(m.id, m.version, m.majority or D("keep"), m.start_frame, m.end_frame, m.action_id)
    merged = store.merged_instances(c0)

    class FinalisesMidRun:  # the reviewer finalises c0 after the merge read the project
        def __init__(self, inner):
            self.inner = inner

        def __getattr__(self, name):
            return getattr(self.inner, name)

        def store_merge(self, results, *args):
            if c0 in results and not self.inner.clip(c0).finalised:
                self.inner.finalise_clip(c0)
            return self.inner.store_merge(results, *args)

    run = run_merge(FinalisesMidRun(store))
    assert run.merged_clips == 0 and run.written == 0
    assert {s.name: s.reason for s in run.skipped}["c0"] == "finalised while the merge ran"
    assert store.clip(c0).finalised and store.merged_instances(c0) == merged  # the finalised truth untouched
    store.close()


def _wave(store, c0):
    """a1's lone wave on c0 and the merged instance built from it alone."""
    wave = next(s for s in store.segments(c0, "a1") if s.action_id == WAVE)
    inst = next(m for m in store.merged_instances(c0) if m.segment_ids == (wave.id,))
    return wave, inst


def test_a_remerge_after_an_edit_drops_the_stale_decision_and_asks_again(project):
    store = project.open_store("rev")
    run_merge(store)
    c0 = store.clip_by_name("c0").id
    wave, single = _wave(store, c0)
    store.resolve_merged(single.id, single.version, D("delete"), single.start_frame, single.end_frame, WAVE)
    store.as_user("a1").update_segment(replace(wave, start_frame=90))  # a1 changes their work after review
    again = run_merge(store)
    assert again.stale_resolved == (single.id,) and again.kept_resolved == 0
    merged = store.merged_instances(c0)
    assert len(merged) == 2  # no old decision beside the new instance
    waves = [m for m in merged if m.action_id == WAVE]
    assert [(m.start_frame, m.status, m.decision) for m in waves] == [(90, MergedStatus.NEEDS_REVIEW, None)]
    entry = store.audit_log(limit=1, entity="clip")[0]
    assert entry.action == "merge" and '"delete"' in (entry.old or "")  # the dropped decision is on record
    store.close()


def test_a_decision_made_after_an_edit_is_not_carried_onto_a_different_merge(project):
    store = project.open_store("rev")
    run_merge(store)
    c0 = store.clip_by_name("c0").id
    wave, single = _wave(store, c0)
    store.as_user("a1").update_segment(replace(wave, end_frame=170))  # edited after the merge ...
    store.resolve_merged(single.id, single.version, D("delete"), 100, 150, WAVE)  # ... decided on the old one
    again = run_merge(store)
    assert again.stale_resolved == (single.id,)
    waves = [m for m in store.merged_instances(c0) if m.action_id == WAVE]
    assert [(m.end_frame, m.status) for m in waves] == [(170, MergedStatus.NEEDS_REVIEW)]
    store.close()


def test_a_remerge_keeps_a_decision_whose_instance_is_unchanged(project):
    store = project.open_store("rev")
    run_merge(store)
    c0 = store.clip_by_name("c0").id
    _, single = _wave(store, c0)
    done = store.resolve_merged(single.id, single.version, D("keep"), 101, 149, WAVE)
    nod = next(s for s in store.segments(c0, "a2") if s.action_id == NOD)
    store.as_user("a2").update_segment(replace(nod, start_frame=14))  # another instance changes
    again = run_merge(store)
    assert again.kept_resolved == 1 and not again.stale_resolved
    assert done in store.merged_instances(c0)  # same row, same decision
    assert len(store.merged_instances(c0)) == 2
    store.close()


def test_a_clip_all_annotators_finished_empty_merges_to_nothing_and_finalises(project):
    from merging.finalise import finalise_clips

    store = project.open_store("rev")
    c2 = store.clip_by_name("c2").id
    for name in ("a1", "a2", "a3"):
        store.set_assignment_state(c2, name, AssignmentState.DONE)
    run = run_merge(store)
    assert run.merged_clips == 2 and "c2" not in {s.name for s in run.skipped}
    assert store.merged_instances(c2) == []
    reliable = finalise_clips(store, reliable=True)  # everyone agreed: nothing happens
    assert reliable.finalised == ("c2",) and reliable.decisions == 0
    assert store.clip(c2).finalised
    store.close()


def test_an_empty_clip_not_finished_by_all_is_not_finalised(project):
    from merging.finalise import finalise_clips

    store = project.open_store("rev")
    c2 = store.clip_by_name("c2").id
    store.set_assignment_state(c2, "a1", AssignmentState.DONE)
    run = finalise_clips(store, ["c2"])
    assert run.finalised == () and run.skipped == (
        ("c2", "2 of its 3 annotators not done yet: it can be merged and finalised once they are"),)
    assert finalise_clips(store, reliable=True).finalised == ()
    assert not store.clip(c2).finalised
    store.close()
