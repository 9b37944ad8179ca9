"""The whole merge (docs/ARCHITECTURE.md, "Merge, cross-check and review") over many clips: group, merge (eqs. 1–4), join label
conflicts, cross-check, majority decisions, and the merged instances with provenance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from annotator.decisions import Decision
from annotator.model import MergedInstance, MergedStatus
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from annotator.taxonomy import Taxonomy
from merging.conflicts import LabelConflict, join_conflicts
from merging.crosscheck import CrossCheck, cross_check
from merging.epic_merge import RULES, EpicMerge, epic_merge, pairwise
from merging.grouping import Groups, group_segments
from merging.majority import decide
from merging.table import ClipWork, SegmentTable, build_table
from merging.tiou import BoolArray, FloatArray, as_fraction


@dataclass(frozen=True, slots=True)
class MergeOptions:
    """Settings of the merge; the defaults are the published merge's (docs/ARCHITECTURE.md, "Merge, cross-check and review")."""

    floor: float = 0.1  # pairs with tIoU <= floor are never grouped
    threshold: float = 0.9  # cross-check: reliable when tIoU > threshold
    crosscheck: CrossCheck = CrossCheck.JOINT
    conflict_tiou: float = 0.5  # groups of one body part overlapping more than this conflict


@dataclass(frozen=True, slots=True)
class ProjectMerge:
    """Everything the merge decided, as arrays over instances (groups) plus the records."""

    table: SegmentTable
    groups: Groups
    merged: EpicMerge
    reliable: BoolArray  # (G,)
    tiou: FloatArray  # (G,) tIoU of the instance's annotations (NaN for a single one)
    statuses: list[MergedStatus]
    majority: list[Decision | None]
    conflicts: tuple[LabelConflict, ...]
    by_clip: dict[int, list[MergedInstance]] = field(default_factory=dict)

    @property
    def instances(self) -> list[MergedInstance]:
        """Every merged instance, clip by clip in time order."""
        return [m for items in self.by_clip.values() for m in items]


def merge_clips(
    works: Sequence[ClipWork], taxonomy: Taxonomy, options: MergeOptions = MergeOptions(),
    progress: Progress = no_progress, cancel: CancelToken = NEVER,
) -> ProjectMerge:
    """Merge every clip of `works` (each with all its annotators done) in one vectorised pass."""
    progress(0.0, "reading segments")
    table = build_table(works, taxonomy)
    cancel.check()
    progress(0.2, "grouping segments")
    groups = group_segments(table, as_fraction(options.floor))
    cancel.check()
    progress(0.5, "merging boundaries")
    first = epic_merge(pairwise(table, groups))
    joined = join_conflicts(table, groups, first, taxonomy, as_fraction(options.conflict_tiou))
    groups, order = _time_ordered(table, joined.groups)
    cancel.check()
    progress(0.7, "cross-checking")
    pw = pairwise(table, groups)
    merged = epic_merge(pw)
    n_annotators = table.n_annotators[groups.clip]
    reliable, tiou = cross_check(pw, n_annotators, as_fraction(options.threshold), options.crosscheck)
    reliable &= ~joined.conflict[order]  # annotators disagreed on the label: never reliable
    statuses, majority = decide(
        pw.present.sum(axis=1), n_annotators, reliable, joined.conflict[order], joined.label_majority[order],
        groups.action,
    )
    result = ProjectMerge(table, groups, merged, reliable, tiou, statuses, majority, joined.conflicts)
    _fill_instances(result)
    progress(1.0, f"merged {len(groups)} instances in {len(works)} clips")
    return result


def _time_ordered(table: SegmentTable, groups: Groups) -> tuple[Groups, np.ndarray]:
    """Groups sorted by clip, then earliest member start, then action."""
    present = groups.present
    first = np.where(present, table.start[np.where(present, groups.members, 0)], np.iinfo(np.int64).max)
    order = np.lexsort((groups.action, first.min(axis=1), groups.clip))
    return Groups(groups.clip[order], groups.action[order], groups.members[order]), order


def _fill_instances(result: ProjectMerge) -> None:
    table, groups, merged = result.table, result.groups, result.merged
    for work in table.works:
        result.by_clip[work.clip_id] = []
    seg_ids = np.where(groups.present, table.seg_id[np.where(groups.present, groups.members, 0)], -1)
    columns = zip(groups.clip.tolist(), merged.start.tolist(), merged.end.tolist(), groups.action.tolist(),
                  seg_ids.tolist(), merged.rule.tolist(), result.reliable.tolist(), result.statuses,
                  result.majority, strict=True)
    for clip, start, end, action, ids, rule, reliable, status, majority in columns:
        clip_id = table.works[clip].clip_id
        result.by_clip[clip_id].append(MergedInstance(
            id=None, clip_id=clip_id, start_frame=start, end_frame=end, action_id=action,
            segment_ids=tuple(i for i in ids if i >= 0), rule=RULES[rule], reliable=reliable,
            status=status, majority=majority,
        ))
