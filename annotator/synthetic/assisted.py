"""Simulated annotators who see model proposals: accept the ones they agree with, fix the rest.

Each annotator first has their own unassisted work (simulate_annotators). Shown the proposals
of a clip, for each of their instances they take the best proposal of the same action at
tIoU >= 0.5: within `tolerance` frames at both edges they accept it as is (its bounds become
theirs), otherwise they accept it and move its edges to where they would have put them
(accepted then edited). A proposal left over that matches a true instance they had missed is
recognised and accepted (as is within tolerance, else edited to the true bounds); the other
proposals are rejected. Instances no proposal matched are drawn by hand. Pure numpy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.formats.records import AnnotationSet, InstanceRecord
from annotator.model import Origin

MATCH_TIOU = 0.5


@dataclass(frozen=True, slots=True)
class AssistedInstance:
    """One instance of an assisted annotator, with how it came to be."""

    video_id: str
    start_frame: int
    end_frame: int
    action_id: int
    origin: Origin


Shown = tuple[int, int, int]  # a proposal's start, end, action


def _tiou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = (a[1] - a[0]) + (b[1] - b[0]) - inter
    return inter / union if union > 0 else 0.0


def _best(bounds: tuple[int, int], action: int, shown: Sequence[Shown], used: set[int]) -> int | None:
    scores = [(_tiou(bounds, (s, e)), k) for k, (s, e, a) in enumerate(shown) if a == action and k not in used]
    found = max(scores, default=(0.0, -1))
    return found[1] if found[0] >= MATCH_TIOU else None


def _answer(video: str, own: tuple[int, int], action: int, proposal: Shown, tolerance: int) -> AssistedInstance:
    close = abs(proposal[0] - own[0]) <= tolerance and abs(proposal[1] - own[1]) <= tolerance
    if close:
        return AssistedInstance(video, proposal[0], proposal[1], action, Origin.PROPOSAL_ACCEPTED)
    return AssistedInstance(video, own[0], own[1], action, Origin.PROPOSAL_EDITED)


def assist_clip(video: str, own: Sequence[InstanceRecord], truth: Sequence[InstanceRecord],
                shown: Sequence[Shown], tolerance: int) -> list[AssistedInstance]:
    """One annotator's instances of one clip once they have answered its proposals."""
    used: set[int] = set()
    out: list[AssistedInstance] = []
    for inst in own:
        bounds = (inst.start_frame, inst.end_frame)
        k = _best(bounds, inst.action_id, shown, used)
        if k is None:
            out.append(AssistedInstance(video, *bounds, inst.action_id, Origin.MANUAL))
        else:
            used.add(k)
            out.append(_answer(video, bounds, inst.action_id, shown[k], tolerance))
    mine = [(i.start_frame, i.end_frame, i.action_id) for i in own]
    for t in truth:  # missed by the annotator, recognised when the model shows it
        bounds = (t.start_frame, t.end_frame)
        if any(a == t.action_id and _tiou(bounds, (s, e)) >= MATCH_TIOU for s, e, a in mine):
            continue
        k = _best(bounds, t.action_id, shown, used)
        if k is not None:
            used.add(k)
            out.append(_answer(video, bounds, t.action_id, shown[k], tolerance))
    return sorted(out, key=lambda i: (i.start_frame, i.end_frame, i.action_id))


def assisted_work(own: AnnotationSet, truth: AnnotationSet, shown: Mapping[str, Sequence[Shown]],
                  tolerance: int) -> list[AssistedInstance]:
    """Every clip of `own`: assisted where `shown` has that clip, else the own work drawn by hand."""
    mine: dict[str, list[InstanceRecord]] = defaultdict(list)
    true: dict[str, list[InstanceRecord]] = defaultdict(list)
    for i in own.instances:
        mine[i.video_id].append(i)
    for i in truth.instances:
        true[i.video_id].append(i)
    out: list[AssistedInstance] = []
    for video in own.videos:
        if video in shown:
            out.extend(assist_clip(video, mine[video], true[video], shown[video], tolerance))
        else:
            out.extend(AssistedInstance(video, i.start_frame, i.end_frame, i.action_id, Origin.MANUAL)
                       for i in mine[video])
    return out


def edge_moves(work: Sequence[AssistedInstance], shown: Mapping[str, Sequence[Shown]]) -> np.ndarray:
    """For each edited instance, the mean frames its edges moved from the nearest shown proposal."""
    moves = []
    for inst in work:
        if inst.origin is Origin.PROPOSAL_EDITED:
            cands = [p for p in shown.get(inst.video_id, []) if p[2] == inst.action_id]
            if cands:
                p = max(cands, key=lambda p: _tiou((inst.start_frame, inst.end_frame), (p[0], p[1])))
                moves.append((abs(p[0] - inst.start_frame) + abs(p[1] - inst.end_frame)) / 2)
    return np.asarray(moves, float)
