"""One-to-one matching of two annotators' segments of a clip, within each action, by maximum
total tIoU (Hungarian); used by the agreement report's pairwise F1."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from merging.assignment import assign, candidate_pairs
from merging.grouping import block_key
from merging.table import SegmentTable
from merging.tiou import IntArray, intersection_union, ratio


@dataclass(frozen=True, slots=True)
class Matches:
    """Matched segment pairs (rows of the SegmentTable) and their |∩| and |∪| in frames."""

    row_a: IntArray
    row_b: IntArray
    inter: IntArray
    union: IntArray


def match_annotator_pairs(table: SegmentTable) -> Matches:
    """Match every pair of annotators of every clip (overlapping pairs only, tIoU > 0)."""
    out: list[tuple[IntArray, IntArray, IntArray, IntArray]] = []
    k = table.max_annotators
    for p in range(k):
        for q in range(p + 1, k):
            out.append(_match(table, np.flatnonzero(table.pos == p), np.flatnonzero(table.pos == q)))
    if not out:
        empty = np.zeros(0, np.int64)
        return Matches(empty, empty, empty, empty)
    a, b, i, u = (np.concatenate(parts) for parts in zip(*out, strict=True))
    return Matches(a, b, i, u)


def _match(table: SegmentTable, rows_a: IntArray, rows_b: IntArray) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    key_a = block_key(table, table.clip[rows_a], table.action[rows_a])
    key_b = block_key(table, table.clip[rows_b], table.action[rows_b])
    pa, pb = candidate_pairs(key_a, key_b)
    ra, rb = rows_a[pa], rows_b[pb]
    inter, union = intersection_union(table.start[ra], table.end[ra], table.start[rb], table.end[rb])
    ok = inter > 0
    pa, pb, ra, rb, inter, union = pa[ok], pb[ok], ra[ok], rb[ok], inter[ok], union[ok]
    chosen = assign(pa, pb, ratio(inter, union), key_a[pa])
    return ra[chosen], rb[chosen], inter[chosen], union[chosen]
