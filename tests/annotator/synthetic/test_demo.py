"""The demo project: media that decodes exactly, ground truth aside, simulated work in progress."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from annotator.errors import InputError
from annotator.formats import read_annotations
from annotator.model import GROUND_TRUTH, AssignmentState, Role
from annotator.project import Project
from annotator.synthetic.dataset import GROUND_TRUTH_FILE
from annotator.synthetic.demo import ANNOTATORS, REVIEWER, build_demo, work_plan


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "proj"
    report = build_demo(path, subjects=2, clips_per_subject=5, seed=2, size=(96, 96))
    assert report.clips == 10 and report.bytes_on_disk > 0
    return path


def test_clips_have_media_that_decodes_to_the_stored_frames_and_fps(demo: Path) -> None:
    project = Project.open(demo)
    store = project.open_store()
    try:
        clips = store.clips()
        assert len(clips) == 10 and {c.subject for c in clips} == {"S01", "S02"}
        for clip in clips:
            path = project.media_path(clip)
            assert path is not None and path.exists()
            cap = cv2.VideoCapture(str(path))
            assert cap.get(cv2.CAP_PROP_FPS) == clip.fps
            frames = 0
            while cap.grab():
                frames += 1
            assert frames == clip.frame_count
            for seg in store.segments(clip.id, GROUND_TRUTH):
                assert 0 <= seg.start_frame < seg.end_frame < clip.frame_count
    finally:
        store.close()


def test_ground_truth_is_kept_aside_in_the_csv_and_the_store(demo: Path) -> None:
    project = Project.open(demo)
    truth = read_annotations(demo / GROUND_TRUTH_FILE, "mma52-csv", project.taxonomy)
    store = project.open_store()
    try:
        stored = store.segments_by_clip(GROUND_TRUTH)
        names = {c.id: c.name for c in store.clips()}
        got = sorted((names[cid], s.start_frame, s.end_frame, s.action_id)
                     for cid, segs in stored.items() for s in segs)
        assert got == sorted((i.video_id, i.start_frame, i.end_frame, i.action_id) for i in truth.instances)
        people = {a.name: a.role for a in store.annotators()}
        assert {n: people[n] for n in (*ANNOTATORS, REVIEWER)} == {
            **{n: Role.ANNOTATOR for n in ANNOTATORS}, REVIEWER: Role.REVIEWER}
    finally:
        store.close()


def test_annotators_work_follows_the_plan(demo: Path) -> None:
    store = Project.open(demo).open_store()
    try:
        plan = work_plan(10, 2)
        names = {c.id: c.name for c in store.clips()}
        order = sorted(names, key=lambda cid: names[cid])
        done_by = {cid: 0 for cid in names}
        for annotator in ANNOTATORS:
            states = {a.clip_id: a.state for a in store.assignments(annotator)}
            assert len(states) == 10  # every clip is in every queue
            work = store.segments_by_clip(annotator)
            for k, cid in enumerate(order):
                expected = plan[annotator].get(k, AssignmentState.TODO)
                assert states[cid] == expected
                if expected == AssignmentState.TODO:
                    assert not work.get(cid)
                done_by[cid] += expected == AssignmentState.DONE
        counts = sorted(done_by.values())
        assert 3 in counts and 2 in counts and 0 in counts  # all three, two, and untouched clips
    finally:
        store.close()


def test_demo_refuses_an_existing_project(demo: Path) -> None:
    with pytest.raises(InputError, match="already exists"):
        build_demo(demo, subjects=1, clips_per_subject=1, size=(96, 96))
