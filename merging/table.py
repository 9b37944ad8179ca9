"""The merge's input: each clip's finished annotators and their segments, flattened to arrays.

Working on one flat table for the whole project lets every equation run as a few numpy
operations instead of a Python loop per segment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from annotator.errors import InputError
from annotator.model import Annotator, Segment
from annotator.taxonomy import Taxonomy
from merging.tiou import IntArray


@dataclass(frozen=True, slots=True)
class ClipWork:
    """One clip's annotators (all done) and each one's segments, aligned by position."""

    clip_id: int
    frame_count: int
    annotators: tuple[Annotator, ...]
    segments: tuple[tuple[Segment, ...], ...]


@dataclass(frozen=True, slots=True)
class SegmentTable:
    """All segments of many clips as parallel arrays, sorted by clip, position, action, start.

    `pos` is the annotator's position in its clip when the clip's annotators are ordered
    by id, so "lower position" always means "lower annotator id" (the tie rule).
    """

    works: tuple[ClipWork, ...]
    annotators: tuple[Annotator, ...]  # every annotator met, by id
    n_annotators: IntArray  # (C,) annotators per clip
    frame_count: IntArray  # (C,)
    clip: IntArray  # (N,) index into works
    pos: IntArray  # (N,) annotator position in the clip
    annotator: IntArray  # (N,) index into annotators
    action: IntArray  # (N,)
    start: IntArray  # (N,)
    end: IntArray  # (N,)
    seg_id: IntArray  # (N,)

    @property
    def max_annotators(self) -> int:
        """The largest number of annotators on one clip (columns of a group)."""
        return int(self.n_annotators.max()) if len(self.n_annotators) else 0


def build_table(works: Sequence[ClipWork], taxonomy: Taxonomy) -> SegmentTable:
    """Flatten and check clip work; bad segments raise InputError naming clip and segment."""
    people = sorted({a.id: a for w in works for a in w.annotators}.values(), key=lambda a: a.id)
    person_index = {a.id: i for i, a in enumerate(people)}
    rows: list[tuple[int, ...]] = []  # one tuple per segment, made into a (N, 7) array at once
    for c, work in enumerate(works):
        _check_work(work)
        order = sorted(range(len(work.annotators)), key=lambda i: work.annotators[i].id)
        for p, i in enumerate(order):
            who = person_index[work.annotators[i].id]
            rows += [(c, p, who, seg.action_id, seg.start_frame, seg.end_frame, -1 if seg.id is None else seg.id)
                     for seg in work.segments[i]]
    arrays = list(np.asarray(rows, np.int64).reshape(-1, 7).T)
    clip, pos, who_idx, action, start, end, seg_id = arrays
    by_clip = np.lexsort((seg_id, end, start, action, pos, clip))
    clip, pos, who_idx, action, start, end, seg_id = (a[by_clip] for a in arrays)
    table = SegmentTable(
        works=tuple(works),
        annotators=tuple(people),
        n_annotators=np.asarray([len(w.annotators) for w in works], np.int64),
        frame_count=np.asarray([w.frame_count for w in works], np.int64),
        clip=clip, pos=pos, annotator=who_idx, action=action, start=start, end=end, seg_id=seg_id,
    )
    _check_segments(table, taxonomy)
    return table


def _check_work(work: ClipWork) -> None:
    where = f"clip {work.clip_id}"
    if len(work.annotators) != len(work.segments):
        raise InputError(where, None, f"{len(work.annotators)} annotators but {len(work.segments)} segment lists")
    if len({a.id for a in work.annotators}) != len(work.annotators):
        raise InputError(where, None, "an annotator is listed twice")


def _check_segments(table: SegmentTable, taxonomy: Taxonomy) -> None:
    """One clear message for the first bad segment, if any."""
    n_actions = len(taxonomy.actions)
    frames = table.frame_count[table.clip]
    checks = (
        (table.seg_id < 0, "segment has no id (store it before merging)"),
        ((table.action < 0) | (table.action >= n_actions), f"action id outside 0..{n_actions - 1}"),
        (table.end <= table.start, "end frame is not after start frame"),
        ((table.start < 0) | (table.end > frames), "segment lies outside the clip's frames"),
    )
    for bad, problem in checks:
        hit = np.flatnonzero(bad)
        if len(hit):
            i = int(hit[0])
            work = table.works[int(table.clip[i])]
            who = table.annotators[int(table.annotator[i])].name
            place = (f"segment {int(table.seg_id[i])} by {who} "
                     f"[{int(table.start[i])}, {int(table.end[i])}] action {int(table.action[i])}")
            raise InputError(f"clip {work.clip_id}", place, problem)
