"""Dataset generation: schedules, exact decoding, ground-truth CSV, bad requests."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from annotator.errors import Cancelled, InputError
from annotator.formats import read_annotations
from annotator.progress import CancelToken
from annotator.synthetic.actions import MOTIONS
from annotator.synthetic.dataset import GROUND_TRUTH_FILE, generate_dataset, plan_dataset
from annotator.taxonomy import load_taxonomy

TAXONOMY = load_taxonomy("mma52")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("synthetic")
    return out, generate_dataset(out, 2, 3, seed=4, size=(96, 96), actions=[5, 9, 19, 24, 43], seconds=(5.0, 6.0))


def test_every_clip_decodes_to_the_recorded_frame_count_and_fps(small: tuple[Path, object]) -> None:
    out, truth = small
    assert len(truth.videos) == 6
    for video in truth.videos.values():
        cap = cv2.VideoCapture(str(out / f"{video.video_id}.mp4"))
        assert cap.get(cv2.CAP_PROP_FPS) == video.fps
        frames = 0
        while cap.grab():
            frames += 1
        assert frames == video.total_frames
        assert 5.0 <= video.total_frames / video.fps <= 6.0 + 1 / video.fps


def test_ground_truth_csv_reads_back_identically(small: tuple[Path, object]) -> None:
    out, truth = small
    back = read_annotations(out / GROUND_TRUTH_FILE, "mma52-csv", TAXONOMY)
    assert back.instances == truth.instances
    assert {k: (v.fps, v.total_frames) for k, v in back.videos.items()} == {
        k: (v.fps, v.total_frames) for k, v in truth.videos.items()}
    for inst in truth.instances:
        video = truth.videos[inst.video_id]
        assert 0 <= inst.start_frame < inst.end_frame < video.total_frames
        assert inst.action_id in (5, 9, 19, 24, 43)
        assert video.subject == inst.video_id.split("_")[0]


def test_schedules_look_like_mma52_and_never_overload_a_limb() -> None:
    specs = plan_dataset(30, 10, seed=1)
    counts = [len(s.instances) for s in specs]
    assert 2.5 <= np.mean(counts) <= 3.5
    lengths = np.array([(i.end_frame - i.start_frame) / s.fps for s in specs for i in s.instances])
    assert 2.5 <= lengths.mean() <= 5.0 and 0.05 <= (lengths < 1.0).mean() <= 0.35
    assert (lengths >= 0.2).all()
    overlapping = 0
    for s in specs:
        pairs = [(a, b) for k, a in enumerate(s.instances) for b in s.instances[k + 1:]
                 if a.start_frame <= b.end_frame and b.start_frame <= a.end_frame]
        overlapping += bool(pairs)
        for a, b in pairs:
            assert not MOTIONS[a.action_id].resources & MOTIONS[b.action_id].resources
    assert overlapping / len(specs) > 0.6
    assert {s.fps for s in specs} == {29.0, 30.0}
    assert all(5.0 <= s.frame_count / s.fps <= 15.0 + 1 / s.fps for s in specs)


def test_plans_are_deterministic_for_a_seed() -> None:
    assert plan_dataset(3, 2, seed=7) == plan_dataset(3, 2, seed=7)
    assert plan_dataset(3, 2, seed=7) != plan_dataset(3, 2, seed=8)


def test_subjects_differ_in_look_and_video_ids_carry_the_subject() -> None:
    specs = plan_dataset(4, 2, seed=0)
    assert len({s.look for s in specs}) == 4
    assert [s.video_id.split("_")[0] for s in specs] == [s.subject for s in specs]
    assert len({s.video_id for s in specs}) == len(specs)


@pytest.mark.parametrize("kwargs, place", [
    ({"subjects": 0}, "subjects"),
    ({"size": (95, 96)}, "size"),
    ({"size": (8, 8)}, "size"),
    ({"actions": [1]}, "actions"),
    ({"actions": []}, "actions"),
    ({"seconds": (6.0, 5.0)}, "seconds"),
])
def test_bad_requests_are_refused_before_writing(tmp_path: Path, kwargs: dict[str, object], place: str) -> None:
    args: dict[str, object] = {"subjects": 1, "clips_per_subject": 1, **kwargs}
    with pytest.raises(InputError) as err:
        generate_dataset(tmp_path / "out", **args)  # type: ignore[arg-type]
    assert place in str(err.value)
    assert not (tmp_path / "out").exists()


def test_progress_is_reported_and_cancel_stops_the_work(tmp_path: Path) -> None:
    seen: list[float] = []
    generate_dataset(tmp_path / "a", 1, 2, size=(64, 64), seconds=(1.0, 1.0), progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        generate_dataset(tmp_path / "b", 1, 2, size=(64, 64), seconds=(1.0, 1.0), cancel=token)
