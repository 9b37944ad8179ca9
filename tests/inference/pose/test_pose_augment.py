"""Pose feature augmentation: the mirror swaps sides and flips x, jitter turns positions only."""

from __future__ import annotations

import numpy as np

from inference.pose import skeleton as sk
from inference.pose.augment import HANDS, HEAD, POINTS, augment_pose, jitter, mirror
from inference.pose.features import FEATURE_DIM


def features(seed: int = 0, frames: int = 6) -> np.ndarray:
    feats = np.random.default_rng(seed).normal(size=(frames, FEATURE_DIM)).astype(np.float32)
    feats[:, -1] = 1.0  # a person in every frame
    return feats


def test_mirror_swaps_left_and_right_and_negates_x() -> None:
    feats = features()
    out = mirror(feats)
    xy, mirrored = feats[:, POINTS].reshape(6, -1, 2), out[:, POINTS].reshape(6, -1, 2)
    assert np.allclose(mirrored[:, sk.RIGHT_WRIST], xy[:, sk.LEFT_WRIST] * [-1, 1])
    assert np.allclose(mirrored[:, sk.NOSE], xy[:, sk.NOSE] * [-1, 1])  # on the midline: x flips only
    assert np.allclose(out[:, HEAD.start], -feats[:, HEAD.start])  # yaw
    assert np.allclose(out[:, HEAD.start + 1], feats[:, HEAD.start + 1])  # pitch
    assert np.allclose(out[:, HANDS][:, :3], feats[:, HANDS][:, 3:])  # left hand's distances <- right's
    assert np.allclose(mirror(out), feats)  # twice: the original


def test_jitter_turns_and_scales_positions_and_keeps_absent_frames_zero() -> None:
    feats = features()
    feats[2] = 0.0  # no person there
    out = jitter(feats, 1.1, 90.0)
    xy, turned = feats[:, POINTS].reshape(6, -1, 2), out[:, POINTS].reshape(6, -1, 2)
    assert np.allclose(turned[0, :, 0], -1.1 * xy[0, :, 1], atol=1e-5)  # (x, y) -> 1.1 * (-y, x)
    assert np.allclose(np.linalg.norm(turned[0], axis=1), 1.1 * np.linalg.norm(xy[0], axis=1), atol=1e-5)
    assert not out[2].any() and np.array_equal(out[:, HEAD], feats[:, HEAD])
    drawn = {augment_pose(feats, np.random.default_rng(s)).tobytes() for s in range(6)}
    assert len(drawn) == 6
