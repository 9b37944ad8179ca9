"""Label conflicts (docs/ARCHITECTURE.md, "Merge, cross-check and review"): groups of different actions of one body part that cover
the same moment, labelled by different annotators.

Two groups conflict when they are in the same clip, their actions differ but share a body
part, no annotator is in both (an annotator who marked both actions meant both), and the
tIoU of their merged intervals exceeds `conflict_tiou` (0.5 by default). Conflicting groups
are joined into one instance (each annotator still contributes at most one segment),
strongest overlap first; the joined instance takes the majority label, or on a tie the
label of the lowest annotator id.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from annotator.taxonomy import Taxonomy
from merging.assignment import candidate_pairs
from merging.epic_merge import EpicMerge
from merging.grouping import Groups, block_key
from merging.table import SegmentTable
from merging.tiou import BoolArray, IntArray, exceeds, intersection_union, ratio


@dataclass(frozen=True, slots=True)
class LabelVote:
    """The segments of one label inside a label conflict."""

    action_id: int
    segment_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class LabelConflict:
    """Annotators gave one moment different actions of the same body part."""

    clip_id: int
    body_part: str
    votes: tuple[LabelVote, ...]  # most votes first, then by lower annotator id
    majority_action: int | None  # None when no label has more votes than every other
    tiou: float  # tIoU of the two most strongly overlapping groups' merged intervals


@dataclass(frozen=True, slots=True)
class Joined:
    """Groups after conflicts are joined, with what each joined group decided."""

    groups: Groups
    conflict: BoolArray  # (G,) the group came from a label conflict
    label_majority: BoolArray  # (G,) its label has a strict majority (always True without conflict)
    conflicts: tuple[LabelConflict, ...]


def join_conflicts(
    table: SegmentTable, groups: Groups, merged: EpicMerge, taxonomy: Taxonomy, conflict_tiou: Fraction
) -> Joined:
    """Find label conflicts and join each conflicting set of groups into one group."""
    body = np.asarray([a.body_part.id for a in taxonomy.actions], np.int64)
    key = block_key(table, groups.clip, body[groups.action])
    a, b = candidate_pairs(key, key)
    bits = (groups.present * (1 << np.arange(groups.members.shape[1]))).sum(axis=1)
    keep = (a < b) & (groups.action[a] != groups.action[b]) & ((bits[a] & bits[b]) == 0)
    a, b = a[keep], b[keep]
    inter, union = intersection_union(merged.start[a], merged.end[a], merged.start[b], merged.end[b])
    strong = exceeds(inter, union, conflict_tiou)
    a, b, strength = a[strong], b[strong], ratio(inter[strong], union[strong])
    no_conflict = Joined(groups, np.zeros(len(groups), bool), np.ones(len(groups), bool), ())
    if len(a) == 0:
        return no_conflict
    components = _components(a, b, strength, bits)
    return _join(table, groups, components, taxonomy)


def _components(a: IntArray, b: IntArray, strength: np.ndarray, bits: IntArray) -> list[tuple[list[int], float]]:
    """Greedy union of conflicting groups, strongest overlap first, keeping annotators disjoint."""
    root: dict[int, int] = {}
    mask: dict[int, int] = {}
    best: dict[int, float] = {}

    def find(x: int) -> int:
        while root.get(x, x) != x:
            x = root[x]
        return x

    for i in np.lexsort((b, a, -strength)):
        ra, rb = find(int(a[i])), find(int(b[i]))
        ma, mb = mask.get(ra, int(bits[a[i]])), mask.get(rb, int(bits[b[i]]))
        if ra == rb or ma & mb:
            continue
        low, high = min(ra, rb), max(ra, rb)
        root[high] = low
        mask[low] = ma | mb
        best[low] = max(best.get(ra, 0.0), best.get(rb, 0.0), float(strength[i]))
    members: dict[int, list[int]] = {}
    for g in sorted(set(a.tolist()) | set(b.tolist())):
        members.setdefault(find(g), []).append(g)
    return [(m, best[r]) for r, m in sorted(members.items()) if len(m) > 1]


def _join(table: SegmentTable, groups: Groups, components: list[tuple[list[int], float]],
          taxonomy: Taxonomy) -> Joined:
    gone = np.zeros(len(groups), bool)
    new_members, new_action, new_clip, strict, records = [], [], [], [], []
    for parts, strength in components:
        gone[parts] = True
        joined = groups.members[parts].max(axis=0)  # disjoint columns: one member each at most
        votes = _votes(table, groups, parts)
        top = len(votes[0][1])
        has_majority = len(votes) == 1 or len(votes[1][1]) < top
        new_members.append(joined)
        new_action.append(votes[0][0])
        new_clip.append(int(groups.clip[parts[0]]))
        strict.append(has_majority)
        records.append(LabelConflict(
            clip_id=table.works[int(groups.clip[parts[0]])].clip_id,
            body_part=taxonomy.body_part_of(votes[0][0]).name,
            votes=tuple(LabelVote(act, tuple(ids)) for act, ids, _ in votes),
            majority_action=votes[0][0] if has_majority else None,
            tiou=strength,
        ))
    keep = ~gone
    members = np.concatenate([groups.members[keep], np.asarray(new_members, np.int64)])
    merged_groups = Groups(
        clip=np.concatenate([groups.clip[keep], np.asarray(new_clip, np.int64)]),
        action=np.concatenate([groups.action[keep], np.asarray(new_action, np.int64)]),
        members=members,
    )
    n_old = int(keep.sum())
    conflict = np.arange(len(merged_groups)) >= n_old
    label_majority = np.concatenate([np.ones(n_old, bool), np.asarray(strict, bool)])
    return Joined(merged_groups, conflict, label_majority, tuple(records))


def _votes(table: SegmentTable, groups: Groups, parts: list[int]) -> list[tuple[int, list[int], int]]:
    """(action, segment ids, lowest position) per label, most votes first, ties to lower id.

    Two groups of one label can meet in a component (each overlapping a third of another
    label more than they overlap each other), so votes are counted per label, not per group.
    """
    by_action: dict[int, tuple[list[int], int]] = {}
    for g in parts:
        rows = groups.members[g]
        present = np.flatnonzero(rows >= 0)
        ids, low = by_action.get(int(groups.action[g]), ([], int(present.min())))
        ids.extend(int(table.seg_id[rows[p]]) for p in present)
        by_action[int(groups.action[g])] = (ids, min(low, int(present.min())))
    votes = [(act, sorted(ids), low) for act, (ids, low) in by_action.items()]
    votes.sort(key=lambda v: (-len(v[1]), v[2]))
    return votes
