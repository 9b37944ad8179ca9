"""Step 5 of the merge (docs/ARCHITECTURE.md, "Merge, cross-check and review"): the tIoU cross-check (MMAD paper) that marks an instance reliable.

Reliable means every annotator of the clip labelled the instance and their tIoU exceeds the
threshold (0.9): the joint tIoU |A∩B∩C| / |A∪B∪C| by default, or, as an option, the
smallest pairwise tIoU. With two annotators (the MMA-82 variant) both must have labelled it.
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction

import numpy as np

from merging.epic_merge import Pairwise
from merging.tiou import BoolArray, FloatArray, IntArray, exceeds, joint_intersection_union, ratio


class CrossCheck(StrEnum):
    """How the tIoU of three (or two) annotations is measured."""

    JOINT = "joint"
    PAIRWISE = "pairwise"


def group_tiou(pw: Pairwise, method: CrossCheck) -> tuple[IntArray, IntArray]:
    """Per group the (numerator, denominator) of its tIoU under the chosen method."""
    if method is CrossCheck.JOINT:
        return joint_intersection_union(pw.start, pw.end, pw.present)
    k = pw.present.shape[1]
    if len(pw.present) == 0 or k == 0:  # no group (no clip ready): reshape(0, -1) cannot size an empty array
        empty = np.zeros(len(pw.present), np.int64)
        return empty, empty.copy()
    off = ~np.eye(k, dtype=bool)[None, :, :]
    both = pw.present[:, :, None] & pw.present[:, None, :] & off
    # the smallest pairwise ratio, found without floats: a/b < c/d  <=>  a·d < c·b
    inter = np.where(both, pw.inter, 1)
    union = np.where(both, pw.union, 1)
    flat_i, flat_u = inter.reshape(len(inter), -1), union.reshape(len(union), -1)
    best_i, best_u = flat_i[:, 0].copy(), flat_u[:, 0].copy()
    for c in range(1, flat_i.shape[1]):
        smaller = flat_i[:, c] * best_u < best_i * flat_u[:, c]
        best_i = np.where(smaller, flat_i[:, c], best_i)
        best_u = np.where(smaller, flat_u[:, c], best_u)
    return best_i, best_u


def cross_check(
    pw: Pairwise, n_annotators: IntArray, threshold: Fraction, method: CrossCheck
) -> tuple[BoolArray, FloatArray]:
    """(reliable, tIoU) per group; n_annotators is the number assigned to the group's clip."""
    inter, union = group_tiou(pw, method)
    count = pw.present.sum(axis=1)
    everyone = (count == n_annotators) & (n_annotators >= 2)
    return everyone & exceeds(inter, union, threshold), np.where(count >= 2, ratio(inter, union), np.nan)
