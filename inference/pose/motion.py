"""One motion curve per body part, and the onsets/offsets an edge snaps to.

Speeds (body, head orientation, upper and lower limbs) are in torso lengths (or head units)
per second; the three hand-contact parts are distances in torso lengths, small = touching.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inference.pose import geometry as g
from inference.pose import skeleton as sk
from inference.pose.track import PoseTrack

SNAP_RADIUS = 15  # frames an edge may move when snapped
DISTANCE_PARTS = (sk.BODY_HAND, sk.HEAD_HAND, sk.LEG_HAND)
ACTIVE_SHARE = 0.3  # activity threshold between the clip's quiet (10th pct) and busy (90th pct) levels


@dataclass(frozen=True)
class MotionCurves:
    """Per body-part curves [T] (NaN where no person) and their onset/offset frames."""

    curves: dict[str, np.ndarray]
    onsets: dict[str, np.ndarray]
    offsets: dict[str, np.ndarray]

    def unit(self, part: str) -> str:
        """What the curve measures."""
        if part in DISTANCE_PARTS:
            return "distance (torso lengths)"
        return "orientation change / s" if part == sk.HEAD else "speed (torso lengths / s)"


def _limb_speed(rel: np.ndarray, seconds: np.ndarray, left: tuple[int, ...], right: tuple[int, ...]) -> np.ndarray:
    speed = np.linalg.norm(g.rate(rel, seconds), axis=2)  # [T, 33]
    return np.asarray(np.maximum(speed[:, list(left)].mean(axis=1), speed[:, list(right)].mean(axis=1)))


def part_curves(track: PoseTrack) -> dict[str, np.ndarray]:
    """The curve of each of the seven body parts, [T] each."""
    xy = g.points(track)
    scale = g.torso_scale(xy)
    seconds = g.frame_seconds(track)
    rel = g.normalised(xy)  # limbs relative to the torso: a body sway is not an arm movement
    torso = xy[:, list(sk.TORSO_POINTS)] / scale
    hands = g.hand_distances(xy).min(axis=1)  # [T, 3] the nearer hand
    arm_l = (sk.LEFT_ELBOW, sk.LEFT_WRIST, *sk.LEFT_HAND)
    arm_r = (sk.RIGHT_ELBOW, sk.RIGHT_WRIST, *sk.RIGHT_HAND)
    leg_l = (sk.LEFT_KNEE, sk.LEFT_ANKLE, *sk.LEFT_FOOT)
    leg_r = (sk.RIGHT_KNEE, sk.RIGHT_ANKLE, *sk.RIGHT_FOOT)
    return {
        sk.BODY: np.linalg.norm(g.rate(torso, seconds), axis=2).mean(axis=1),
        sk.HEAD: np.linalg.norm(g.rate(g.head_orientation(xy), seconds), axis=1),
        sk.UPPER_LIMB: _limb_speed(rel, seconds, arm_l, arm_r),
        sk.LOWER_LIMB: _limb_speed(rel, seconds, leg_l, leg_r),
        sk.BODY_HAND: hands[:, 1], sk.HEAD_HAND: hands[:, 0], sk.LEG_HAND: hands[:, 2],
    }


def activity(part: str, curve: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """What moving means for a part: its speed, or how fast a hand's distance changes."""
    if part in DISTANCE_PARTS:
        return np.asarray(np.abs(g.rate(curve, seconds)))
    return curve


def onsets_offsets(active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last frames of the runs where activity is above the clip's threshold."""
    finite = active[np.isfinite(active)]
    if finite.size < 3:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    low, high = np.percentile(finite, [10, 90])
    if high - low < 1e-9:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    above = np.nan_to_num(active, nan=low) > low + ACTIVE_SHARE * (high - low)
    edges = np.diff(above.astype(np.int8))
    onsets = np.flatnonzero(edges == 1) + 1
    offsets = np.flatnonzero(edges == -1)
    return onsets.astype(np.int64), offsets.astype(np.int64)


def motion_curves(track: PoseTrack) -> MotionCurves:
    """Curves of every body part and their onsets/offsets."""
    curves = part_curves(track)
    seconds = g.frame_seconds(track)
    onsets, offsets = {}, {}
    for part, curve in curves.items():
        onsets[part], offsets[part] = onsets_offsets(activity(part, curve, seconds))
    return MotionCurves(curves, onsets, offsets)


def nearest_event(events: np.ndarray, frame: int, radius: int = SNAP_RADIUS) -> int | None:
    """The event frame nearest to `frame` within ±radius (None when there is none)."""
    if events.size == 0:
        return None
    best = int(events[np.argmin(np.abs(events - frame))])
    return best if abs(best - frame) <= radius else None
