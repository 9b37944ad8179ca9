"""One-to-one matching of many small blocks at once (whole project, vectorised).

Items on two sides carry an integer block key (e.g. clip × action); only items of the same
block may be matched. Most blocks are trivial (each item has at most one eligible partner),
so they are decided with array operations; scipy's Hungarian solver runs only on the few
blocks where there is a real choice.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from merging.tiou import BoolArray, FloatArray, IntArray


def candidate_pairs(key_a: IntArray, key_b: IntArray) -> tuple[IntArray, IntArray]:
    """Every (i, j) with key_a[i] == key_b[j], as two index arrays, ordered by (i, j)."""
    order_b = np.argsort(key_b, kind="stable")
    sorted_b = key_b[order_b]
    left = np.searchsorted(sorted_b, key_a, side="left")
    right = np.searchsorted(sorted_b, key_a, side="right")
    counts = right - left
    total = int(counts.sum())
    if total == 0:
        empty = np.zeros(0, np.int64)
        return empty, empty
    pair_a = np.repeat(np.arange(len(key_a), dtype=np.int64), counts)
    starts = np.repeat(left - (np.cumsum(counts) - counts), counts)
    pair_b = order_b[starts + np.arange(total)]
    return pair_a, pair_b.astype(np.int64)


def assign(pair_a: IntArray, pair_b: IntArray, score: FloatArray, key: IntArray) -> BoolArray:
    """Choose a one-to-one subset of eligible pairs maximising the total score per block.

    pair_a/pair_b index the items, score > 0 for every pair given, key is the pair's block.
    Returns a mask over the pairs. Ties inside a block are decided by the solver on the
    pairs' order, which the caller makes deterministic.
    """
    chosen = np.zeros(len(pair_a), bool)
    if len(pair_a) == 0:
        return chosen
    per_a = np.bincount(pair_a)[pair_a]
    per_b = np.bincount(pair_b)[pair_b]
    trivial = (per_a == 1) & (per_b == 1)
    chosen[trivial] = True
    hard = np.flatnonzero(~trivial)
    if len(hard) == 0:
        return chosen
    hard = hard[np.argsort(key[hard], kind="stable")]
    bounds = np.flatnonzero(np.diff(key[hard])) + 1
    for block in np.split(hard, bounds):
        chosen[block[_solve_block(pair_a[block], pair_b[block], score[block])]] = True
    return chosen


def _solve_block(a: IntArray, b: IntArray, score: FloatArray) -> IntArray:
    """Indices (into the block) of the pairs a maximum-total assignment keeps."""
    rows, row_of = np.unique(a, return_inverse=True)
    cols, col_of = np.unique(b, return_inverse=True)
    weight = np.zeros((len(rows), len(cols)))
    weight[row_of, col_of] = score
    pair_at = np.full((len(rows), len(cols)), -1, np.int64)
    pair_at[row_of, col_of] = np.arange(len(a))
    r, c = linear_sum_assignment(weight, maximize=True)
    picked: IntArray = pair_at[r, c]
    return picked[picked >= 0]
