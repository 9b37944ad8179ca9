"""The proposal threshold of a model version: the score that maximises F1 at tIoU 0.5.

When the validation subset gives no hit at all (a young model, a tiny subset), F1 is 0 at every
threshold and the best-F1 rule would hide every proposal. `calibrate` then falls back, in order:
best F1 on the training subset (optimistic, but it ranks the model's own scores), then the
lowest whole-per-cent score that shows at most as many proposals per clip as a clip holds
instances on average (never above the best detection, so the surest one stays visible).

A detection is a hit when it takes a free ground-truth instance of its class in its video at
tIoU >= 0.5, greedily in descending score (as the mAP matcher does). Greedy matching in score
order means the hits above any threshold are the hits of that prefix, so one pass over the
sorted detections gives F1 at every threshold. Pure numpy (no torch).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from annotator.formats.records import PredictionRecord
from inference.evaluate import GroundTruth, tiou

CALIBRATION_TIOU = 0.5
SHOWN_PER_CLIP = 5  # the per-clip bound of the last fallback when no ground truth says otherwise
Evaluated = tuple[Sequence[GroundTruth], Sequence[PredictionRecord]]


@dataclass(frozen=True)
class Calibration:
    """A version's proposal threshold, its F1 where one was measured, and what it was chosen on."""

    threshold: float
    f1: float | None
    basis: str  # "val F1", "train F1" or "at most N a clip"


def hits_in_score_order(gts: Sequence[GroundTruth], preds: Sequence[PredictionRecord],
                        min_tiou: float = CALIBRATION_TIOU) -> tuple[np.ndarray, np.ndarray]:
    """(scores descending [N], hit flags [N]) of every detection, matched per video and class."""
    free: dict[tuple[str, int], list[tuple[float, float]]] = defaultdict(list)
    for g in gts:
        free[(g.video_id, g.label)].append((g.t_start, g.t_end))
    pools = {k: (np.array(v, float), np.zeros(len(v), bool)) for k, v in free.items()}
    order = sorted(range(len(preds)), key=lambda i: -preds[i].score)
    hit = np.zeros(len(order), bool)
    for rank, i in enumerate(order):
        p = preds[i]
        pool = pools.get((p.video_id, p.action_id))
        if pool is None:
            continue
        segs, taken = pool
        overlaps = np.where(taken, -1.0, tiou((p.t_start, p.t_end), segs))
        best = int(np.argmax(overlaps))
        if overlaps[best] >= min_tiou:
            taken[best] = True
            hit[rank] = True
    return np.array([preds[i].score for i in order], float), hit


def calibrate_threshold(gts: Sequence[GroundTruth], preds: Sequence[PredictionRecord],
                        min_tiou: float = CALIBRATION_TIOU) -> tuple[float, float]:
    """(threshold, F1 there): the lowest score of the best-F1 prefix; (1.0, 0.0) with no hit at all."""
    scores, hit = hits_in_score_order(gts, preds, min_tiou)
    if not len(scores) or not gts or not hit.any():
        return 1.0, 0.0
    tp = np.cumsum(hit)
    kept = np.arange(1, len(scores) + 1)
    # A threshold keeps every detection scoring at least it: only the last of a run of equal
    # scores is a prefix a threshold can select.
    cut = np.r_[scores[1:] != scores[:-1], True]
    f1 = np.where(cut, 2 * tp / (kept + len(gts)), -1.0)
    best = int(np.argmax(f1))
    return float(scores[best]), float(f1[best])


def bounded_threshold(preds: Sequence[PredictionRecord], per_clip: int = SHOWN_PER_CLIP) -> float:
    """The lowest whole-per-cent score showing at most `per_clip` detections in every clip, never
    above the best detection's (rounded down); 1.0 with no detection."""
    by_clip: dict[str, list[float]] = defaultdict(list)
    for p in preds:
        by_clip[p.video_id].append(p.score)
    if not by_clip:
        return 1.0
    # a clip with more than per_clip detections needs the threshold above its (per_clip+1)-th score
    over = [sorted(scores, reverse=True)[per_clip] for scores in by_clip.values() if len(scores) > per_clip]
    lowest = min(min(scores) for scores in by_clip.values())
    # whole per cent: the lane's slider holds no finer value (ceil keeps the bound)
    cut = _per_cent_below(lowest) if not over else _per_cent_below(max(over)) + 0.01
    best = max(max(scores) for scores in by_clip.values())
    return round(max(min(cut, _per_cent_below(best)), 0.0), 2)


def _per_cent_below(score: float) -> float:
    """The whole per cent at or below a score (1e-9 absorbs float noise such as 0.29 * 100 = 28.999…)."""
    return math.floor(score * 100 + 1e-9) / 100


def calibrate(subsets: Sequence[tuple[str, Callable[[], Evaluated]]], min_tiou: float = CALIBRATION_TIOU) -> Calibration:
    """Best F1 on the first subset (name, lazy (ground truth, detections)) with a hit; else the
    per-clip bound on the first subset with detections, sized by its ground truth per clip."""
    seen: list[Evaluated] = []
    for name, evaluated in subsets:
        gts, preds = evaluated()
        threshold, f1 = calibrate_threshold(gts, preds, min_tiou)
        if f1 > 0:
            return Calibration(threshold, f1, f"{name} F1")
        seen.append((gts, preds))
    gts, preds = next(((g, p) for g, p in seen if p), ((), ()))
    clips = {p.video_id for p in preds} | {g.video_id for g in gts}
    per_clip = max(1, math.ceil(len(gts) / len(clips))) if gts else SHOWN_PER_CLIP
    return Calibration(bounded_threshold(preds, per_clip), None, f"at most {per_clip} a clip")
