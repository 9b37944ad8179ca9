"""Temporal IoU on integer frame intervals, vectorised, with exact threshold tests.

A segment with frames [s, e] spans [s / fps, e / fps] seconds (docs/ARCHITECTURE.md, "Data model and roles"). Inside one
clip every segment shares the fps, so the IoU of the second intervals equals the IoU of
the frame intervals: we compute on integers and never lose exactness. Thresholds are
compared as rationals (intersection * den > num * union), so "exactly 0.5" or "exactly
0.9" are decided without float rounding.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike, NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def as_fraction(threshold: float) -> Fraction:
    """The rational a user-typed threshold stands for (0.9 -> 9/10), for exact comparison."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must lie in [0, 1], got {threshold}")
    return Fraction(threshold).limit_denominator(1_000_000)


def intersection_union(
    start_a: ArrayLike, end_a: ArrayLike, start_b: ArrayLike, end_b: ArrayLike
) -> tuple[IntArray, IntArray]:
    """Element-wise (broadcast) intersection and union lengths in frames of [s, e] intervals."""
    sa, ea = np.asarray(start_a, np.int64), np.asarray(end_a, np.int64)
    sb, eb = np.asarray(start_b, np.int64), np.asarray(end_b, np.int64)
    inter = np.maximum(np.minimum(ea, eb) - np.maximum(sa, sb), 0)
    union = (ea - sa) + (eb - sb) - inter
    return inter, union


def ratio(inter: IntArray, union: IntArray) -> FloatArray:
    """inter / union as floats, 0 where the union is empty (two zero-length intervals)."""
    out = np.zeros(np.shape(inter), np.float64)
    np.divide(inter, union, out=out, where=union > 0)
    return out


def tiou(start_a: ArrayLike, end_a: ArrayLike, start_b: ArrayLike, end_b: ArrayLike) -> FloatArray:
    """Element-wise (broadcast) temporal IoU of frame intervals, in [0, 1]."""
    return ratio(*intersection_union(start_a, end_a, start_b, end_b))


def tiou_matrix(starts_a: ArrayLike, ends_a: ArrayLike, starts_b: ArrayLike, ends_b: ArrayLike) -> FloatArray:
    """IoU of every interval of A (rows) with every interval of B (columns)."""
    sa, ea = np.asarray(starts_a, np.int64)[:, None], np.asarray(ends_a, np.int64)[:, None]
    return tiou(sa, ea, np.asarray(starts_b, np.int64)[None, :], np.asarray(ends_b, np.int64)[None, :])


def exceeds(inter: ArrayLike, union: ArrayLike, threshold: Fraction) -> BoolArray:
    """Exactly inter / union > threshold, for integer lengths (False where union is 0)."""
    i, u = np.asarray(inter, np.int64), np.asarray(union, np.int64)
    return (i * threshold.denominator > threshold.numerator * u) & (u > 0)


def joint_intersection_union(starts: ArrayLike, ends: ArrayLike, present: ArrayLike) -> tuple[IntArray, IntArray]:
    """|A∩B∩…| and |A∪B∪…| per row of (n, K) intervals, over the present columns only.

    When the common intersection is empty the union is reported as the hull length; the
    ratio is 0 either way, and when it is not empty the union of the intervals is the hull.
    """
    s, e = np.asarray(starts, np.int64), np.asarray(ends, np.int64)
    m = np.asarray(present, bool)
    big = np.iinfo(np.int64).max
    lo_end = np.where(m, e, big).min(axis=1)
    hi_start = np.where(m, s, -big).max(axis=1)
    lo_start = np.where(m, s, big).min(axis=1)
    hi_end = np.where(m, e, -big).max(axis=1)
    inter = np.maximum(lo_end - hi_start, 0)
    union = hi_end - lo_start
    return inter, union
