"""The proposal threshold of a model version: the score that maximises F1 at tIoU 0.5.

A detection is a hit when it takes a free ground-truth instance of its class in its video at
tIoU >= 0.5, greedily in descending score (as the mAP matcher does). Greedy matching in score
order means the hits above any threshold are the hits of that prefix, so one pass over the
sorted detections gives F1 at every threshold. Pure numpy (no torch).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from annotator.formats.records import PredictionRecord
from inference.evaluate import GroundTruth, tiou

CALIBRATION_TIOU = 0.5


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
