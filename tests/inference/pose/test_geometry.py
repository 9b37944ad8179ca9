"""Landmark smoothing without scipy: the same numbers as scipy.ndimage's Gaussian filter."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy.ndimage import gaussian_filter1d

from inference.pose import geometry as g
from inference.pose.track import PoseTrack


@pytest.mark.parametrize("length", [1, 2, 3, 8, 9, 450])
@pytest.mark.parametrize("sigma", [0.4, 1.0, 2.5])
def test_gaussian_nearest_matches_scipy(length: int, sigma: float) -> None:
    values = np.random.default_rng(length).normal(size=(length, 33, 2))
    expected = gaussian_filter1d(values, sigma, axis=0, mode="nearest")
    assert np.allclose(g.gaussian_nearest(values, sigma), expected, rtol=1e-12, atol=1e-12)
    flat = values[:, 0, 0]
    assert np.allclose(g.gaussian_nearest(flat, sigma), gaussian_filter1d(flat, sigma, mode="nearest"),
                       rtol=1e-12, atol=1e-12)


def test_points_smooth_over_present_frames_and_keep_gaps() -> None:
    rng = np.random.default_rng(0)
    landmarks = rng.uniform(0, 1, size=(40, 33, 4)).astype(np.float32)
    landmarks[10:14] = np.nan  # nobody in these frames
    track = PoseTrack(landmarks, np.arange(40, dtype=np.int64) * 33, 640, 480, 30.0, 33.3)
    xy = landmarks[:, :, :2].astype(np.float64) * np.array([track.aspect, 1.0])
    present = ~np.isnan(xy[:, 0, 0])
    filled = np.where(present[:, None, None], xy, 0.0)
    weight = gaussian_filter1d(present.astype(np.float64), 1.0, axis=0, mode="nearest")
    expected = gaussian_filter1d(filled, 1.0, axis=0, mode="nearest") / np.maximum(weight, 1e-6)[:, None, None]
    expected[~present] = np.nan
    assert np.allclose(g.points(track), expected, rtol=1e-12, atol=1e-12, equal_nan=True)


def test_motion_and_features_import_no_scipy() -> None:
    """The annotation window imports the motion module at start-up: it must not load scipy."""
    code = "import sys, inference.pose.motion, inference.pose.features; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
