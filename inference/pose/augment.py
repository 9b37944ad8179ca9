"""Training augmentation of pose features (numpy): mirror with left/right swapped, small scale and
rotation jitter; one draw per clip window, alike on all its frames. The temporal crop is the
RGB path's (inference.augment.temporal_crop).

The feature layout is inference/pose/features.py's: 33 points (x, y) relative to the torso and
their rates, 33 visibilities, the torso's rate (x, y), its size, head yaw/pitch/roll and their
rates, each hand's three distances and their rates, the person-present flag.
"""

from __future__ import annotations

import numpy as np

from inference.pose import skeleton as sk

N = sk.N_LANDMARKS
POINTS, RATES, VISIBLE = slice(0, 2 * N), slice(2 * N, 4 * N), slice(4 * N, 5 * N)
TORSO_RATE = slice(5 * N, 5 * N + 2)
HEAD, HEAD_RATE = slice(5 * N + 3, 5 * N + 6), slice(5 * N + 6, 5 * N + 9)
HANDS, HANDS_RATE = slice(5 * N + 9, 5 * N + 15), slice(5 * N + 15, 5 * N + 21)
MIRROR_P = 0.5
SCALE = (0.9, 1.1)  # positions and rates in torso units scaled by this
ROTATE_DEG = 10.0  # and turned by at most this in the image plane


def _pairs() -> list[tuple[int, int]]:
    """(left, right) landmark indices."""
    single = [(sk.LEFT_EYE, sk.RIGHT_EYE), (1, 4), (3, 6), (sk.LEFT_EAR, sk.RIGHT_EAR),
              (sk.MOUTH_LEFT, sk.MOUTH_RIGHT), (sk.LEFT_SHOULDER, sk.RIGHT_SHOULDER),
              (sk.LEFT_ELBOW, sk.RIGHT_ELBOW), (sk.LEFT_WRIST, sk.RIGHT_WRIST), (sk.LEFT_HIP, sk.RIGHT_HIP),
              (sk.LEFT_KNEE, sk.RIGHT_KNEE), (sk.LEFT_ANKLE, sk.RIGHT_ANKLE)]
    return single + list(zip(sk.LEFT_HAND, sk.RIGHT_HAND, strict=True)) + list(
        zip(sk.LEFT_FOOT, sk.RIGHT_FOOT, strict=True))


SWAP = np.arange(N)
for _left, _right in _pairs():
    SWAP[_left], SWAP[_right] = _right, _left


def mirror(feats: np.ndarray) -> np.ndarray:
    """Features [T, F] of the person seen in a mirror: x negated, left and right swapped."""
    out = feats.copy()
    for part in (POINTS, RATES):
        xy = feats[:, part].reshape(len(feats), N, 2)[:, SWAP].copy()
        xy[..., 0] *= -1
        out[:, part] = xy.reshape(len(feats), -1)
    out[:, VISIBLE] = feats[:, VISIBLE][:, SWAP]
    out[:, TORSO_RATE.start] *= -1
    for part in (HEAD, HEAD_RATE):  # yaw and roll change sign, pitch stays
        out[:, part.start] *= -1
        out[:, part.start + 2] *= -1
    for part in (HANDS, HANDS_RATE):  # [left face, body, thigh, right face, body, thigh]
        block = feats[:, part]
        out[:, part] = np.concatenate([block[:, 3:], block[:, :3]], axis=1)
    return out


def jitter(feats: np.ndarray, scale: float, degrees: float) -> np.ndarray:
    """Positions and rates (points, torso) scaled and turned in the image plane; the rest kept."""
    out = feats.copy()
    turn = np.radians(degrees)
    rot = scale * np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]], np.float32)
    for part in (POINTS, RATES):
        xy = feats[:, part].reshape(len(feats), N, 2)
        out[:, part] = (xy @ rot.T).reshape(len(feats), -1)
    out[:, TORSO_RATE] = feats[:, TORSO_RATE] @ rot.T
    present = feats[:, -1:] > 0  # frames without a person stay all zero
    return np.where(present, out, feats).astype(feats.dtype)


def augment_pose(feats: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One window's features [T, F] with a random mirror, scale and rotation (one draw for the window)."""
    if rng.random() < MIRROR_P:
        feats = mirror(feats)
    return jitter(feats, float(rng.uniform(*SCALE)), float(rng.uniform(-ROTATE_DEG, ROTATE_DEG)))
