"""Per-frame detector features from the landmarks (numpy, no torch).

Per frame: the 33 points relative to the torso centre in torso units and their velocities,
visibility, the torso's own velocity and apparent size, head yaw/pitch/roll and their rates,
each hand's distance to the face, body and legs and their rates, and a person-present flag.
Frames without a person are all zero except the flag, which is 0 there.
"""

from __future__ import annotations

import numpy as np

from inference.pose import geometry as g
from inference.pose.skeleton import N_LANDMARKS
from inference.pose.track import PoseTrack

RATE_UNIT_S = 1 / 3  # velocities per third of a second are of the positions' magnitude
FEATURE_DIM = 2 * N_LANDMARKS * 2 + N_LANDMARKS + 2 + 1 + 3 * 2 + 6 * 2 + 1  # 187


def pose_features(track: PoseTrack) -> np.ndarray:
    """[T, FEATURE_DIM] float32 features of every decoded frame."""
    xy = g.points(track)
    seconds = g.frame_seconds(track) / RATE_UNIT_S
    scale = g.torso_scale(xy)
    rel = g.normalised(xy)  # [T, 33, 2]
    centre = g.torso_centre(xy) / scale  # [T, 2]
    size = np.linalg.norm(xy[:, 11] - xy[:, 24], axis=1, keepdims=True) / scale  # leaning, rising
    head = g.head_orientation(xy)  # [T, 3]
    hands = g.hand_distances(xy).reshape(len(xy), 6)  # [T, 6]
    parts = [
        rel.reshape(len(xy), -1), g.rate(rel, seconds).reshape(len(xy), -1),
        track.landmarks[:, :, 3].astype(np.float64),
        g.rate(centre, seconds), size,
        head, g.rate(head, seconds),
        hands, g.rate(hands, seconds),
    ]
    feats = np.concatenate(parts, axis=1)
    present = track.present
    feats[~present] = 0.0
    # a rate across a gap (person lost, then found) is no motion
    gap = np.zeros(len(present), bool)
    gap[1:] = ~present[:-1]
    feats[gap] = np.where(np.isin(np.arange(feats.shape[1]), _rate_columns()), 0.0, feats[gap])
    feats = np.nan_to_num(np.clip(feats, -20.0, 20.0), nan=0.0)
    out = np.concatenate([feats, present[:, None].astype(np.float64)], axis=1)
    return out.astype(np.float32)


def _rate_columns() -> np.ndarray:
    """Indices of the velocity columns (zeroed on the first frame after a gap)."""
    n = N_LANDMARKS * 2
    spans = [(n, 2 * n), (2 * n + N_LANDMARKS, 2 * n + N_LANDMARKS + 2),
             (2 * n + N_LANDMARKS + 6, 2 * n + N_LANDMARKS + 9),
             (2 * n + N_LANDMARKS + 15, 2 * n + N_LANDMARKS + 21)]
    return np.concatenate([np.arange(a, b) for a, b in spans])
