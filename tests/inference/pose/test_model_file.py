"""The bundled pose_landmarker_full.task loads in MediaPipe 1.2.2 and agrees with 0.10.21.

The expected landmarks were computed once with mediapipe 0.10.21's legacy solutions.Pose
(tools/build_pose_task.py --reference) and are kept in tests/data; 0.10.21 is not installed here.
"""

from __future__ import annotations

import json
from pathlib import Path

import mediapipe as mp
import numpy as np
import pytest

from annotator.errors import InputError
from inference.pose.extract import decoded_frames, extract_pose, landmarks_of, open_landmarker
from inference.pose.model_file import POSE_TASK

DATA = Path(__file__).resolve().parents[2] / "data"
CLIP = DATA / "carphone_pristine.mp4"
REFERENCE = json.loads((DATA / "carphone_pose_mediapipe_0_10_21.json").read_text("utf-8"))
EVERY = REFERENCE["every"]


def _reference(mode: str) -> np.ndarray:
    """[frames, 33, 3] x, y, visibility of 0.10.21 (tracking or static)."""
    return np.array(REFERENCE[mode], dtype=np.float32)


def _visible_error(expected: np.ndarray, found: np.ndarray) -> np.ndarray:
    """|x, y| differences of the landmarks 0.10.21 saw as visible (visibility > 0.5)."""
    visible = expected[..., 2] > 0.5
    return np.abs(expected[..., :2] - found[..., :2])[visible]


def test_bundle_holds_two_aligned_uncompressed_models() -> None:
    import zipfile

    assert 9_000_000 < POSE_TASK.stat().st_size < 10_000_000
    with zipfile.ZipFile(POSE_TASK) as bundle:
        infos = {i.filename: i for i in bundle.infolist()}
    assert set(infos) == {"pose_detector.tflite", "pose_landmarks_detector.tflite"}
    assert all(i.compress_type == zipfile.ZIP_STORED for i in infos.values())
    assert (POSE_TASK.parent / "LICENSE.md").is_file()


def test_frame_by_frame_matches_0_10_21_static_mode() -> None:
    """Same models, same normalisation: IMAGE mode gives 0.10.21's static landmarks."""
    from mediapipe.tasks.python import BaseOptions
    from mediapipe.tasks.python.vision import PoseLandmarker, PoseLandmarkerOptions, RunningMode

    options = PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=str(POSE_TASK)),
                                    running_mode=RunningMode.IMAGE)
    found = []
    with PoseLandmarker.create_from_options(options) as landmarker:
        for index, (rgb, *_rest) in enumerate(decoded_frames(CLIP)):
            if index % EVERY == 0:
                image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
                found.append(landmarks_of(landmarker.detect(image))[:, [0, 1, 3]])
    error = _visible_error(_reference("static"), np.stack(found))
    assert error.size > 300
    assert error.max() < 0.01


def test_video_mode_matches_0_10_21_tracking() -> None:
    """VIDEO mode (decoder timestamps) against 0.10.21's tracking solutions.Pose.

    Both track from frame to frame and smooth, but not identically: measured here, the mean
    difference of visible landmarks is 0.005, 87% lie within 0.01 and the largest is 0.03.
    """
    track = extract_pose(CLIP)
    assert track.frames == 120 and track.present.all()
    found = track.landmarks[::EVERY][:, :, [0, 1, 3]]
    expected = _reference("tracking")
    error = _visible_error(expected, found)
    assert np.abs(expected[0, :, :2] - found[0, :, :2]).max() < 0.005  # before tracking: identical
    assert error.mean() < 0.01
    assert np.percentile(error, 90) < 0.015
    assert error.max() < 0.04
    assert np.all(np.diff(track.timestamps_ms) > 0)


def test_missing_or_broken_model_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="pose model file not found"):
        open_landmarker(tmp_path / "none.task")
    broken = tmp_path / "broken.task"
    broken.write_bytes(b"not a bundle")
    with pytest.raises(InputError, match="cannot load this pose model"):
        open_landmarker(broken)
