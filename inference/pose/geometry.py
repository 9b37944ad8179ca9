"""Body geometry from landmarks: torso-normalised points, head orientation, hand distances.

Every function takes a PoseTrack's landmarks [T, 33, 4] and gives per-frame arrays in torso
units (the median shoulder-to-hip length of the clip), with NaN on frames without a person.
x is multiplied by the image's aspect ratio first, so that x and y measure the same length.
"""

from __future__ import annotations

import numpy as np

from inference.pose import skeleton as sk
from inference.pose.track import PoseTrack

SMOOTH_SIGMA = 1.0  # frames: landmark jitter is about one frame long
TRUNCATE = 4.0  # the kernel reaches this many sigmas each side (scipy.ndimage's default)


def gaussian_nearest(values: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur over axis 0 with the edge values repeated beyond the ends, in float64.

    The same filter as scipy.ndimage.gaussian_filter1d(values, sigma, axis=0, mode="nearest"),
    written with numpy: the annotation window computes motion curves with this module, and
    importing scipy.ndimage (with the parts of numpy it pulls in) cost the window's start-up
    about 0.3 s.
    """
    radius = int(TRUNCATE * sigma + 0.5)
    offsets = np.arange(-radius, radius + 1, dtype=np.float64)
    kernel = np.exp(-0.5 / (sigma * sigma) * offsets**2)
    kernel /= kernel.sum()
    data = np.asarray(values, dtype=np.float64)
    padded = np.concatenate([np.repeat(data[:1], radius, axis=0), data, np.repeat(data[-1:], radius, axis=0)])
    out = np.zeros_like(data)
    for shift, weight in enumerate(kernel):
        out += weight * padded[shift:shift + len(data)]
    return out


def points(track: PoseTrack, smooth: float = SMOOTH_SIGMA) -> np.ndarray:
    """[T, 33, 2] x, y in image-height units, lightly smoothed over time (NaN kept)."""
    xy = track.landmarks[:, :, :2].astype(np.float64) * np.array([track.aspect, 1.0])
    if smooth <= 0 or len(xy) < 2:
        return np.asarray(xy)
    present = ~np.isnan(xy[:, 0, 0])
    filled = np.where(present[:, None, None], xy, 0.0)
    weight = gaussian_nearest(present.astype(np.float64), smooth)
    blurred = gaussian_nearest(filled, smooth)
    out = blurred / np.maximum(weight, 1e-6)[:, None, None]  # smooth over present frames only
    out[~present] = np.nan
    return np.asarray(out)


def torso_centre(xy: np.ndarray) -> np.ndarray:
    """[T, 2] mean of shoulders and hips."""
    return np.asarray(xy[:, list(sk.TORSO_POINTS)].mean(axis=1))


def _mid(xy: np.ndarray, a: int, b: int) -> np.ndarray:
    return np.asarray((xy[:, a] + xy[:, b]) / 2)


def torso_scale(xy: np.ndarray) -> float:
    """The clip's torso length (shoulder mid to hip mid, median over frames); 1.0 with no person."""
    lengths = np.linalg.norm(_mid(xy, sk.LEFT_SHOULDER, sk.RIGHT_SHOULDER) - _mid(xy, sk.LEFT_HIP, sk.RIGHT_HIP),
                             axis=1)
    widths = np.linalg.norm(xy[:, sk.LEFT_SHOULDER] - xy[:, sk.RIGHT_SHOULDER], axis=1)
    size = np.nanmedian(np.maximum(lengths, widths)) if np.isfinite(lengths).any() else np.nan
    return float(size) if np.isfinite(size) and size > 1e-6 else 1.0


def normalised(xy: np.ndarray) -> np.ndarray:
    """[T, 33, 2] points relative to the torso centre, in torso units."""
    return np.asarray((xy - torso_centre(xy)[:, None]) / torso_scale(xy))


def head_orientation(xy: np.ndarray) -> np.ndarray:
    """[T, 3] yaw, pitch, roll proxies from nose, eyes and ears (head-size units, radians for roll).

    Raw landmark speed misses nods and turns (the head moves little); the nose's offset from
    the ears' midpoint, relative to the ear distance, follows the rotation itself.
    """
    ears = _mid(xy, sk.LEFT_EAR, sk.RIGHT_EAR)
    ear_span = np.linalg.norm(xy[:, sk.LEFT_EAR] - xy[:, sk.RIGHT_EAR], axis=1)
    span = np.maximum(ear_span, 1e-6)
    nose = xy[:, sk.NOSE]
    yaw = (nose[:, 0] - ears[:, 0]) / span
    pitch = (nose[:, 1] - ears[:, 1]) / span
    eyes = xy[:, sk.LEFT_EYE] - xy[:, sk.RIGHT_EYE]
    roll = np.arctan2(eyes[:, 1], eyes[:, 0])
    return np.stack([yaw, pitch, roll], axis=1)


def _segment_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """[T] distance of points p [T, 2] to segments a-b [T, 2]."""
    ab = b - a
    t = np.clip(np.sum((p - a) * ab, axis=1) / np.maximum(np.sum(ab * ab, axis=1), 1e-12), 0.0, 1.0)
    return np.asarray(np.linalg.norm(p - (a + t[:, None] * ab), axis=1))


def hand_distances(xy: np.ndarray) -> np.ndarray:
    """[T, 2 hands, 3] distance of each hand to the face, the body (torso line) and the nearer thigh,
    in torso units."""
    scale = torso_scale(xy)
    face = xy[:, list(sk.HEAD_POINTS)].mean(axis=1)
    shoulders, hips = _mid(xy, sk.LEFT_SHOULDER, sk.RIGHT_SHOULDER), _mid(xy, sk.LEFT_HIP, sk.RIGHT_HIP)
    out = np.empty((len(xy), 2, 3))
    for h, hand in enumerate((sk.LEFT_HAND + (sk.LEFT_WRIST,), sk.RIGHT_HAND + (sk.RIGHT_WRIST,))):
        centre = xy[:, list(hand)].mean(axis=1)
        out[:, h, 0] = np.linalg.norm(centre - face, axis=1)
        out[:, h, 1] = _segment_distance(centre, shoulders, hips)
        out[:, h, 2] = np.minimum(_segment_distance(centre, xy[:, sk.LEFT_HIP], xy[:, sk.LEFT_KNEE]),
                                  _segment_distance(centre, xy[:, sk.RIGHT_HIP], xy[:, sk.RIGHT_KNEE]))
    return out / scale


def frame_seconds(track: PoseTrack) -> np.ndarray:
    """[T] seconds since the previous frame (the first copies the second), from the decoder's times."""
    if track.frames < 2:
        return np.full(track.frames, 1 / 30)
    dt = np.diff(track.timestamps_ms).astype(np.float64) / 1000
    return np.asarray(np.maximum(np.concatenate([dt[:1], dt]), 1e-3))


def rate(values: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """Per-second change of values [T, ...] (0 on the first frame)."""
    diff = np.zeros_like(values)
    diff[1:] = values[1:] - values[:-1]
    return np.asarray(diff / seconds.reshape((-1,) + (1,) * (values.ndim - 1)))
