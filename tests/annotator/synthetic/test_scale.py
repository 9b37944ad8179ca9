"""The MMA-52-sized scale project: real ids and ground truth, three simulated annotators done everywhere."""

from __future__ import annotations

from pathlib import Path

from annotator.model import GROUND_TRUTH, AssignmentState, Role, Subset
from annotator.project import Project
from annotator.synthetic.demo import ANNOTATORS, REVIEWER
from annotator.synthetic.scale import build_scale_project, mma52_truth


def test_the_scale_project_holds_the_real_clips_their_truth_and_three_annotators_done(
        tmp_path: Path, mma52_dir: Path) -> None:
    report = build_scale_project(tmp_path / "proj", mma52_dir, limit=25)
    truth = mma52_truth(mma52_dir, limit=25)
    assert (report.clips, report.truth_instances) == (25, len(truth.instances))
    store = Project.open(tmp_path / "proj").open_store()
    try:
        clips = store.clips()
        assert [c.name for c in clips] == list(truth.videos) and {c.subset for c in clips} == {Subset.TRAIN}
        assert [(c.frame_count, c.fps) for c in clips] == [(v.total_frames, v.fps) for v in truth.videos.values()]
        assert sum(map(len, store.segments_by_clip(GROUND_TRUTH).values())) == len(truth.instances)
        assert sum(len(segs) for a in ANNOTATORS for segs in store.segments_by_clip(a).values()) == \
            report.annotator_segments > 0
        assignments = store.assignments(None)
        assert len(assignments) == 3 * 25 and {a.state for a in assignments} == {AssignmentState.DONE}
        assert {a.name: a.role for a in store.annotators()}[REVIEWER] is Role.REVIEWER
    finally:
        store.close()
    assert {v.subset for v in mma52_truth(mma52_dir).videos.values()} == {"train", "val"}
