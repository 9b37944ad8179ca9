"""Merging annotation files (no store) and measuring how well merged instances recover a truth.

Used on simulated annotators over real ground truth (bench/bench_merge.py, tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from annotator.formats.records import AnnotationSet
from annotator.model import Annotator, MergedInstance, Role, Segment
from merging.assignment import assign, candidate_pairs
from merging.table import ClipWork
from merging.tiou import intersection_union, ratio


def works_from_sets(sets: Sequence[AnnotationSet], names: Sequence[str] | None = None) -> list[ClipWork]:
    """One ClipWork per video of the first set (clip id = video order), segment ids 1, 2, …"""
    names = list(names or [f"annotator{i + 1}" for i in range(len(sets))])
    people = tuple(Annotator(i + 1, n, Role.ANNOTATOR) for i, n in enumerate(names))
    videos = list(sets[0].videos.values())
    clip_of = {v.video_id: c for c, v in enumerate(videos)}
    per: list[list[list[Segment]]] = [[[] for _ in sets] for _ in videos]
    next_id = 1
    for a, aset in enumerate(sets):
        for r in aset.instances:
            c = clip_of[r.video_id]
            per[c][a].append(Segment(next_id, c, names[a], r.start_frame, r.end_frame, r.action_id))
            next_id += 1
    return [ClipWork(c, v.total_frames, people, tuple(tuple(s) for s in per[c])) for c, v in enumerate(videos)]


@dataclass(frozen=True, slots=True)
class Recovery:
    """How merged instances compare with the truth (matched per clip and action by max tIoU)."""

    truth: int
    merged: int
    matched: int
    mean_tiou: float  # over matched pairs
    recall_at_05: float  # share of true instances matched with tIoU >= 0.5
    precision_at_05: float  # share of merged instances matched with tIoU >= 0.5


def recovery(truth: AnnotationSet, merged: Sequence[MergedInstance]) -> Recovery:
    """Compare merged instances (clip id = video order of `truth`) with the true instances."""
    clip_of = {v: c for c, v in enumerate(truth.videos)}
    t = np.asarray([(clip_of[r.video_id], r.action_id, r.start_frame, r.end_frame) for r in truth.instances],
                   np.int64).reshape(-1, 4)
    m = np.asarray([(x.clip_id, x.action_id, x.start_frame, x.end_frame) for x in merged], np.int64).reshape(-1, 4)
    width = int(max(t[:, 1].max(initial=0), m[:, 1].max(initial=0))) + 1
    kt, km = t[:, 0] * width + t[:, 1], m[:, 0] * width + m[:, 1]
    pt, pm = candidate_pairs(kt, km)
    inter, union = intersection_union(t[pt, 2], t[pt, 3], m[pm, 2], m[pm, 3])
    ok = inter > 0
    pt, pm, inter, union = pt[ok], pm[ok], inter[ok], union[ok]
    chosen = assign(pt, pm, ratio(inter, union), kt[pt])
    iou = ratio(inter[chosen], union[chosen])
    good = int((2 * inter[chosen] >= union[chosen]).sum())
    return Recovery(
        truth=len(t), merged=len(m), matched=int(chosen.sum()),
        mean_tiou=float(iou.mean()) if len(iou) else 0.0,
        recall_at_05=good / len(t) if len(t) else 0.0,
        precision_at_05=good / len(m) if len(m) else 0.0,
    )
