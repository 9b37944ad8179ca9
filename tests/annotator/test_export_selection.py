"""Export = what was decided: finalised clips only for the merge, the sources' own work, and why
every other clip is left out."""
# ruff: noqa: F811  -- test functions take the imported pytest fixtures as arguments

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.decisions import DELETE, KEEP, Decision
from annotator.errors import InputError
from annotator.exporting import (
    METADATA_FILE,
    REASON_IN_REVIEW,
    REASON_NO_WORK,
    REASON_NOT_DONE,
    REASON_NOT_FINALISED,
    REASON_NOT_MERGED,
    REASON_UNFINISHED,
    export_annotations,
    select_export,
)
from annotator.model import (
    GROUND_TRUTH,
    AssignmentState,
    MergedInstance,
    MergedStatus,
    MergeRule,
    Role,
    Segment,
    Subset,
)
from annotator.store.api import NewClip
from annotator.store.store import Store
from tests.annotator.store.db import db_url, project, store  # noqa: F401  (pytest fixtures)

NAMES = ("final", "in_review", "reviewed", "not_merged", "unfinished", "alone")
PEOPLE = ("a1", "a2", "a3")


def _instance(clip: int, start: int, status: MergedStatus, majority: Decision | None = KEEP) -> MergedInstance:
    return MergedInstance(None, clip, start, start + 30, 3, (), MergeRule.UNION, status is MergedStatus.RELIABLE,
                          status, majority=majority)


def _project(store: Store, finalise: bool = True) -> dict[str, int]:
    """Six clips at every stage of the workflow (subject = clip name: one per subset as split)."""
    clips = store.add_clips([NewClip(f"{n}_1", n, 30.0, 300, subset=Subset.TRAIN if i % 2 else Subset.VAL)
                             for i, n in enumerate(NAMES)])
    ids = {c.name.removesuffix("_1"): c.id for c in clips}
    for person in PEOPLE:
        store.add_annotator(person, Role.ANNOTATOR)
    store.add_annotator("rev", Role.REVIEWER)
    store.assign_many([ids[n] for n in NAMES[:5]], PEOPLE)
    store.assign(ids["alone"], "a1")
    for name in NAMES:
        for person in PEOPLE if name != "alone" else ("a1",):
            if (name, person) != ("unfinished", "a3"):
                store.set_assignment_state(ids[name], person, AssignmentState.DONE)
    store.add_segment(Segment(None, ids["final"], "a1", 0, 30, 3))
    store.add_segment(Segment(None, ids["not_merged"], "a2", 0, 30, 3))  # work the merge has not seen
    for name in ("final", "in_review", "reviewed"):
        made = store.replace_unresolved_merged(ids[name], [
            _instance(ids[name], 0, MergedStatus.RELIABLE), _instance(ids[name], 100, MergedStatus.NEEDS_REVIEW),
            _instance(ids[name], 200, MergedStatus.NEEDS_REVIEW, DELETE)])
        if name != "in_review":  # the in-review clip keeps one instance undecided
            store.resolve_merged(made[2].id or 0, 1, DELETE, 200, 230, 3)
        store.resolve_merged(made[1].id or 0, 1, KEEP, 101, 131, 3)
    if finalise:
        store.finalise_clip(ids["final"])
    return ids


def test_merged_export_after_a_partial_review_holds_exactly_the_finalised_clips(store: Store) -> None:
    _project(store)
    selection = select_export(store, "merged")
    assert list(selection.annotations.videos) == ["final_1"]
    assert [(i.start_frame, i.end_frame) for i in selection.annotations.instances] == [(0, 30), (101, 131)]
    reasons = {i.clip: (i.reason, i.detail) for i in selection.left_out}
    assert reasons == {"in_review_1": (REASON_IN_REVIEW, "1 to review"),
                       "reviewed_1": (REASON_NOT_FINALISED, ""), "not_merged_1": (REASON_NOT_MERGED, ""),
                       "unfinished_1": (REASON_UNFINISHED, ""), "alone_1": (REASON_UNFINISHED, "")}
    lines = selection.summary_lines()
    assert lines[0] == "source merged: 1 clip, 2 instances (1 val)"
    assert f"left out 1 clip, {REASON_IN_REVIEW}: in_review_1 (1 to review)" in lines


def test_include_unresolved_adds_only_merged_clips_and_says_so(store: Store, tmp_path: Path) -> None:
    _project(store)
    selection = select_export(store, "merged", include_unresolved=True)
    assert sorted(selection.annotations.videos) == ["final_1", "in_review_1", "reviewed_1"]
    assert selection.majority_clips == ("in_review_1", "reviewed_1")
    assert selection.majority_instances == 0  # the one undecided instance's majority is delete
    assert "--include-unresolved: 2 merged clips not finalised are in" in selection.summary_lines()[1]
    assert {i.reason for i in selection.left_out} == {REASON_NOT_MERGED, REASON_UNFINISHED}
    export_annotations(store, tmp_path, "opentad-json", "merged", include_unresolved=True)
    meta = json.loads((tmp_path / METADATA_FILE).read_text("utf-8"))
    assert meta["include_unresolved"] is True
    assert meta["majority_outcome"] == {"clips": ["in_review_1", "reviewed_1"], "instances": 0}
    assert {m["clip"] for m in meta["left_out"]} == {"not_merged_1", "unfinished_1", "alone_1"}


def test_nothing_finalised_is_refused_with_the_summary_and_nothing_written(store: Store, tmp_path: Path) -> None:
    _project(store, finalise=False)
    with pytest.raises(InputError, match="nothing to export.*in_review_1 \\(1 to review\\)"):
        export_annotations(store, tmp_path / "out", "mma52-csv", "merged")
    assert not (tmp_path / "out").exists()


def test_ground_truth_and_annotator_sources_keep_clips_with_their_work(store: Store) -> None:
    ids = _project(store)
    store.add_segment(Segment(None, ids["reviewed"], GROUND_TRUTH, 0, 30, 3))
    gt = select_export(store, GROUND_TRUTH)
    assert list(gt.annotations.videos) == ["reviewed_1"]
    assert {i.clip for i in gt.left_out if i.reason == REASON_NO_WORK} == {f"{n}_1" for n in NAMES} - {"reviewed_1"}
    a3 = select_export(store, "annotator:a3")
    # done with nothing marked is an answer: those clips are in, empty; the unfinished one is not
    assert list(a3.annotations.videos) == ["final_1", "in_review_1", "reviewed_1", "not_merged_1"]
    assert {(i.clip, i.reason) for i in a3.left_out} == {("unfinished_1", REASON_NOT_DONE),
                                                          ("alone_1", REASON_NO_WORK)}
    with pytest.raises(InputError, match="no annotator named 'zed'"):
        select_export(store, "annotator:zed")


def _quiet_clip(store: Store) -> int:
    """A clip all three annotators finished without marking anything (subject 'quiet', test subset)."""
    (clip,) = store.add_clips([NewClip("quiet_1", "quiet", 30.0, 300, subset=Subset.TEST)])
    store.assign_many([clip.id], PEOPLE)
    for person in PEOPLE:
        store.set_assignment_state(clip.id, person, AssignmentState.DONE)
    return clip.id


def test_a_clip_everyone_finished_empty_is_exported_with_no_instances_once_finalised(store: Store,
                                                                                       tmp_path: Path) -> None:
    from annotator.exporting import EMPTY_DETAIL
    from merging.finalise import finalise_clips

    _project(store)
    quiet = _quiet_clip(store)
    before = select_export(store, "merged")
    assert {i.clip: (i.reason, i.detail) for i in before.left_out}["quiet_1"] == (REASON_NOT_FINALISED, EMPTY_DETAIL)
    assert "quiet_1" in select_export(store, "merged", include_unresolved=True).majority_clips
    assert select_export(store.as_user("a1"), "merged").left_out  # an annotator cannot tell: left out as not merged
    assert finalise_clips(store.as_user("rev"), ["quiet_1"]).finalised == ("quiet_1",)
    after = select_export(store, "merged")
    assert list(after.annotations.videos) == ["final_1", "quiet_1"]
    assert after.annotations.videos["quiet_1"].subset == "test" and len(after.annotations.instances) == 2
    assert "1 clip has no instances" in after.summary_lines()[1]
    export_annotations(store, tmp_path, "opentad-json", "merged")
    database = json.loads((tmp_path / "mmad_opentad_test.json").read_text("utf-8"))["database"]
    assert database["quiet_1"]["annotations"] == [] and database["quiet_1"]["subset"] == "testing"
    assert store.clip(quiet).finalised


def test_a_mark_on_an_empty_clip_makes_it_need_the_merge_again(store: Store) -> None:
    from merging.finalise import finalise_clips

    _project(store)
    quiet = _quiet_clip(store)
    store.add_segment(Segment(None, quiet, "a2", 0, 30, 3))
    reasons = {i.clip: i.reason for i in select_export(store, "merged").left_out}
    assert reasons["quiet_1"] == REASON_NOT_MERGED
    run = finalise_clips(store.as_user("rev"), ["quiet_1"])
    assert run.finalised == () and not store.clip(quiet).finalised
