"""Steps 2–4 of the merge (docs/ARCHITECTURE.md, "Merge, cross-check and review"): the EPIC-KITCHENS IoU-agreement merge (eqs. 1–4, MMA-82 paper).

    s_i^j = (1/K) Σ_k IoU(A_i^j, A_i^k)                  (1)  k over the K annotators present
    ĵ = argmax_j s_i^j                                    (2)
    k̂ = argmax_{k ≠ ĵ} IoU(A_i^ĵ, A_i^k)                 (3)
    A_i = A_i^ĵ ∪ A_i^k̂ if IoU(A_i^ĵ, A_i^k̂) > 0.5 else A_i^k̂   (4)

All comparisons are exact: IoUs are ratios of integer frame lengths, the scores of eq. 1
are compared over a common denominator (the product of the pairwise unions), and eq. 4's
"> 0.5" is 2·|∩| > |∪|. Ties go to the lower annotator id (lower position).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from annotator.model import MergeRule
from merging.grouping import Groups
from merging.table import SegmentTable
from merging.tiou import BoolArray, IntArray, intersection_union

RULES = (MergeRule.UNION, MergeRule.PARTNER, MergeRule.SINGLE)  # codes 0, 1, 2
UNION, PARTNER, SINGLE = 0, 1, 2
_INT64_SAFE_BITS = 62.0


@dataclass(frozen=True, slots=True)
class Pairwise:
    """Member intervals of each group and their pairwise intersections and unions."""

    start: IntArray  # (G, K)
    end: IntArray  # (G, K)
    present: BoolArray  # (G, K)
    inter: IntArray  # (G, K, K), 0 where a member is missing
    union: IntArray  # (G, K, K), 1 where a member is missing; the diagonal is 1/1


@dataclass(frozen=True, slots=True)
class EpicMerge:
    """The merged interval of every group and how it was obtained."""

    start: IntArray  # (G,)
    end: IntArray  # (G,)
    rule: IntArray  # (G,) UNION / PARTNER / SINGLE
    j_hat: IntArray  # (G,) position of the most-agreeing annotation
    k_hat: IntArray  # (G,) position of its partner, -1 for a single annotation


def pairwise(table: SegmentTable, groups: Groups) -> Pairwise:
    """Gather the member intervals and compute every pairwise |∩| and |∪| per group."""
    present = groups.present
    rows = np.where(present, groups.members, 0)
    start = np.where(present, table.start[rows], 0)
    end = np.where(present, table.end[rows], 0)
    inter, union = intersection_union(start[:, :, None], end[:, :, None], start[:, None, :], end[:, None, :])
    both = present[:, :, None] & present[:, None, :]
    valid = both & (union > 0)
    inter, union = np.where(valid, inter, 0), np.where(valid, union, 1)
    k = present.shape[1]
    diag = np.arange(k)
    inter[:, diag, diag] = 1  # IoU of an annotation with itself is 1
    union[:, diag, diag] = 1
    return Pairwise(start=start, end=end, present=present, inter=inter, union=union)


def epic_merge(pw: Pairwise) -> EpicMerge:
    """Apply eqs. 1–4 to every group."""
    g, k = pw.present.shape
    j_hat, k_hat = _choose_j_k(pw)
    rows = np.arange(g)
    single = k_hat < 0
    kk = np.where(single, j_hat, k_hat)
    inter, union = pw.inter[rows, j_hat, kk], pw.union[rows, j_hat, kk]
    is_union = ~single & (2 * inter > union)  # eq. 4, exactly: IoU > 1/2
    sj, ej = pw.start[rows, j_hat], pw.end[rows, j_hat]
    sk, ek = pw.start[rows, kk], pw.end[rows, kk]
    start = np.where(is_union, np.minimum(sj, sk), sk)
    end = np.where(is_union, np.maximum(ej, ek), ek)
    rule = np.where(single, SINGLE, np.where(is_union, UNION, PARTNER))
    return EpicMerge(start=start, end=end, rule=rule, j_hat=j_hat, k_hat=k_hat)


def _choose_j_k(pw: Pairwise) -> tuple[IntArray, IntArray]:
    """ĵ (eq. 2) and k̂ (eq. 3) per group, exact, ties to the lower position."""
    g, k = pw.present.shape
    if g == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty
    upper = np.triu_indices(k, 1)
    bits = np.log2(pw.union[:, upper[0], upper[1]].astype(np.float64)).sum(axis=1) + np.log2(k) + 1
    j_hat = np.zeros(g, np.int64)
    k_hat = np.full(g, -1, np.int64)
    fast = bits < _INT64_SAFE_BITS
    if fast.any():
        j_hat[fast], k_hat[fast] = _choose_int64(pw, np.flatnonzero(fast), upper)
    for i in np.flatnonzero(~fast):  # clips so long the common denominator overflows int64
        j_hat[i], k_hat[i] = _choose_exact(pw, int(i))
    return j_hat, k_hat


def _choose_int64(pw: Pairwise, idx: IntArray, upper: tuple[IntArray, IntArray]) -> tuple[IntArray, IntArray]:
    inter, union, present = pw.inter[idx], pw.union[idx], pw.present[idx]
    denom = union[:, upper[0], upper[1]].prod(axis=1)  # common denominator of all IoUs of the group
    scaled = inter * (denom[:, None, None] // union)  # IoU_jk · denom, exact integers
    both = present[:, :, None] & present[:, None, :]
    score = np.where(present, np.where(both, scaled, 0).sum(axis=2), -1)  # K · s_j · denom
    j_hat = score.argmax(axis=1)  # first maximum = lower annotator id
    rows = np.arange(len(idx))
    partner = np.where(present, scaled[rows, j_hat, :], -1)
    partner[rows, j_hat] = -1
    k_hat = np.where(partner.max(axis=1) >= 0, partner.argmax(axis=1), -1)
    return j_hat, k_hat


def _choose_exact(pw: Pairwise, i: int) -> tuple[int, int]:
    here = [int(j) for j in np.flatnonzero(pw.present[i])]

    def iou(a: int, b: int) -> Fraction:
        return Fraction(int(pw.inter[i, a, b]), int(pw.union[i, a, b]))

    scores = [sum((iou(j, q) for q in here), Fraction(0)) for j in here]
    j_hat = here[scores.index(max(scores))]
    others = [q for q in here if q != j_hat]
    if not others:
        return j_hat, -1
    best = [iou(j_hat, q) for q in others]
    return j_hat, others[best.index(max(best))]
