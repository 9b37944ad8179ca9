"""Step 1 of the merge (docs/ARCHITECTURE.md, "Merge, cross-check and review"): group the annotators' segments of one action into instances.

Annotators are taken in id order and chained: the first one's segments open groups; each
next annotator's segments of the same clip and action are assigned to the open groups by
maximum total tIoU (Hungarian assignment), where the score of joining a group is the sum
of tIoUs with the group's members, and a segment may join only if its tIoU with every
member exceeds the floor (every pair inside a group is a matched pair). Unmatched segments
open groups of their own. A group holds at most one segment per annotator.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from merging.assignment import assign, candidate_pairs
from merging.table import SegmentTable
from merging.tiou import IntArray, exceeds, intersection_union, ratio


@dataclass(frozen=True, slots=True)
class Groups:
    """Candidate instances: per group its clip, action and member rows (or -1) per position."""

    clip: IntArray  # (G,)
    action: IntArray  # (G,)
    members: IntArray  # (G, K) row of the SegmentTable, -1 where that annotator has none

    def __len__(self) -> int:
        return len(self.clip)

    @property
    def present(self) -> np.ndarray:
        """(G, K) mask of the members that exist."""
        return self.members >= 0


def block_key(table: SegmentTable, clip: IntArray, label: IntArray) -> IntArray:
    """One integer per (clip, label) pair, for joining items of the same block."""
    return clip * (int(table.action.max(initial=0)) + 1) + label


def group_segments(table: SegmentTable, floor: Fraction) -> Groups:
    """Chain the per-position Hungarian assignments over every clip at once."""
    k = table.max_annotators
    first = np.flatnonzero(table.pos == 0)
    members = np.full((len(first), max(k, 1)), -1, np.int64)
    members[:, 0] = first
    clip, action = table.clip[first], table.action[first]
    for p in range(1, k):
        rows = np.flatnonzero(table.pos == p)
        matched_group, matched_row = _match_position(table, clip, action, members, rows, floor)
        members[matched_group, p] = rows[matched_row]
        loose = np.ones(len(rows), bool)
        loose[matched_row] = False
        fresh = np.full((int(loose.sum()), k), -1, np.int64)
        fresh[:, p] = rows[loose]
        members = np.concatenate([members, fresh])
        clip = np.concatenate([clip, table.clip[rows[loose]]])
        action = np.concatenate([action, table.action[rows[loose]]])
    order = np.lexsort((_first_start(table, members), action, clip))
    return Groups(clip=clip[order], action=action[order], members=members[order])


def _match_position(
    table: SegmentTable, clip: IntArray, action: IntArray, members: IntArray, rows: IntArray, floor: Fraction
) -> tuple[IntArray, IntArray]:
    """Which open group (index) each of `rows` (index into rows) joins."""
    gkey = block_key(table, clip, action)
    rkey = block_key(table, table.clip[rows], table.action[rows])
    pg, pr = candidate_pairs(gkey, rkey)
    if len(pg) == 0:
        return pg, pr
    cand = members[pg]  # (P, K) rows of the group's members
    has = cand >= 0
    safe = np.where(has, cand, 0)
    seg = rows[pr][:, None]
    inter, union = intersection_union(table.start[safe], table.end[safe], table.start[seg], table.end[seg])
    ok = np.where(has, exceeds(inter, union, floor), True).all(axis=1)
    score = np.where(has, ratio(inter, union), 0.0).sum(axis=1)
    pg, pr, score = pg[ok], pr[ok], score[ok]
    chosen = assign(pg, pr, score, gkey[pg])
    return pg[chosen], pr[chosen]


def _first_start(table: SegmentTable, members: IntArray) -> IntArray:
    """Earliest start among a group's members, to list groups in time order."""
    big = np.iinfo(np.int64).max
    first: IntArray = np.where(members >= 0, table.start[np.where(members >= 0, members, 0)], big).min(axis=1)
    return first
