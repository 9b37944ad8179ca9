"""Detection-mAP exactly as OpenTAD's mAP.py (ActivityNet's evaluator), at action and body level.

Per class: predictions of all videos sorted by score (descending; ties keep OpenTAD's order,
the reverse of a stable ascending sort, i.e. the later prediction first); each prediction takes
the free ground truth of the same video with the highest tIoU if that reaches the threshold,
else it is a false positive; AP is the all-point interpolated area under precision-recall;
mAP averages over the classes present in the ground truth (predictions of other classes are
ignored). Body-level results map every action (ground truth and prediction) to its body part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from annotator.formats.records import AnnotationSet, PredictionRecord
from annotator.taxonomy import Taxonomy

TIOUS = tuple(round(0.1 * i, 1) for i in range(1, 10))


@dataclass(frozen=True)
class GroundTruth:
    """One ground-truth instance in seconds."""

    video_id: str
    t_start: float
    t_end: float
    label: int


@dataclass
class MapResult:
    """AP per class and tIoU; mAP per tIoU; their mean."""

    tious: tuple[float, ...]
    classes: list[int]  # classes present in the ground truth, ascending
    ap: np.ndarray  # [len(tious), len(classes)]
    names: dict[int, str] = field(default_factory=dict)

    @property
    def map_per_tiou(self) -> np.ndarray:
        """mAP at each tIoU threshold."""
        return self.ap.mean(axis=1) if self.classes else np.zeros(len(self.tious))

    @property
    def average(self) -> float:
        """Mean of mAP over the thresholds."""
        return float(self.map_per_tiou.mean())

    def at(self, tiou: float) -> float:
        """mAP at one threshold."""
        return float(self.map_per_tiou[self.tious.index(tiou)])

    def to_json(self) -> dict[str, Any]:
        """Plain-data form with per-class AP (percent figures are left to the reader)."""
        return {
            "mAP": {f"{t:.1f}": float(m) for t, m in zip(self.tious, self.map_per_tiou, strict=True)},
            "average_mAP": self.average,
            "per_class": {
                self.names.get(c, str(c)): {f"{t:.1f}": float(self.ap[i, j]) for i, t in enumerate(self.tious)}
                for j, c in enumerate(self.classes)
            },
        }


def tiou(segment: tuple[float, float], others: np.ndarray) -> np.ndarray:
    """tIoU of one [start, end] with each row of others [N, 2] (OpenTAD's segment_iou)."""
    inter = (np.minimum(segment[1], others[:, 1]) - np.maximum(segment[0], others[:, 0])).clip(0)
    union = (others[:, 1] - others[:, 0]) + (segment[1] - segment[0]) - inter
    tiou: np.ndarray = inter / union
    return tiou


def interpolated_ap(precision: np.ndarray, recall: np.ndarray) -> float:
    """All-point interpolated AP (ActivityNet's interpolated_prec_rec)."""
    mprec = np.hstack([[0.0], precision, [0.0]])
    mrec = np.hstack([[0.0], recall, [1.0]])
    mprec = np.maximum.accumulate(mprec[::-1])[::-1]
    idx = np.where(mrec[1:] != mrec[:-1])[0] + 1
    return float(np.sum((mrec[idx] - mrec[idx - 1]) * mprec[idx]))


def class_ap(gts: Sequence[GroundTruth], preds: Sequence[PredictionRecord], tious: Sequence[float]) -> np.ndarray:
    """AP of one class at each threshold (compute_average_precision_detection)."""
    ap = np.zeros(len(tious))
    if not preds or not gts:
        return ap
    by_video: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gts):
        by_video[g.video_id].append(i)
    gt_segs = np.array([[g.t_start, g.t_end] for g in gts], dtype=float)
    scores = np.array([p.score for p in preds], dtype=float)
    order = np.argsort(scores, kind="stable")[::-1]
    locked = np.full((len(tious), len(gts)), -1)
    tp = np.zeros((len(tious), len(preds)))
    fp = np.zeros((len(tious), len(preds)))
    for rank, pi in enumerate(order):
        pred = preds[pi]
        members = by_video.get(pred.video_id)
        if not members:
            fp[:, rank] = 1
            continue
        overlaps = tiou((pred.t_start, pred.t_end), gt_segs[members])
        best_first = np.argsort(overlaps, kind="stable")[::-1]
        for t, threshold in enumerate(tious):
            for j in best_first:
                if overlaps[j] < threshold:
                    break
                if locked[t, members[j]] >= 0:
                    continue
                tp[t, rank] = 1
                locked[t, members[j]] = rank
                break
            fp[t, rank] = 1 - tp[t, rank]
    tp_sum, fp_sum = np.cumsum(tp, axis=1), np.cumsum(fp, axis=1)
    recall = tp_sum / len(gts)
    precision = tp_sum / (tp_sum + fp_sum)
    for t in range(len(tious)):
        ap[t] = interpolated_ap(precision[t], recall[t])
    return ap


def detection_map(gts: Sequence[GroundTruth], preds: Sequence[PredictionRecord],
                  tious: Sequence[float] = TIOUS, names: dict[int, str] | None = None) -> MapResult:
    """mAP over the classes present in the ground truth; predictions of other classes are ignored."""
    gt_by_class: dict[int, list[GroundTruth]] = defaultdict(list)
    for g in gts:
        gt_by_class[g.label].append(g)
    pred_by_class: dict[int, list[PredictionRecord]] = defaultdict(list)
    for p in preds:
        pred_by_class[p.action_id].append(p)
    classes = sorted(gt_by_class)
    ap = np.zeros((len(tious), len(classes)))
    for j, c in enumerate(classes):
        ap[:, j] = class_ap(gt_by_class[c], pred_by_class.get(c, []), tious)
    return MapResult(tuple(tious), classes, ap, names or {})


@dataclass
class EvaluationReport:
    """Action-level and body-level Detection-mAP and their average ("AVG", MMAD Table 3)."""

    action: MapResult
    body: MapResult

    @property
    def avg(self) -> float:
        """Mean of the action-level and body-level average mAP."""
        return (self.action.average + self.body.average) / 2

    def to_json(self) -> dict[str, Any]:
        """Plain-data form: both levels with per-class AP, and AVG."""
        return {"action": self.action.to_json(), "body": self.body.to_json(), "AVG": self.avg}

    def table(self) -> str:
        """A small text table in percent, like Table 3 of the MMAD paper."""
        head = "level   " + " ".join(f"{t:>5.1f}" for t in self.action.tious) + "   avg"
        rows = [head]
        for name, result in (("action", self.action), ("body", self.body)):
            cells = " ".join(f"{100 * m:5.2f}" for m in result.map_per_tiou)
            rows.append(f"{name:<8}{cells} {100 * result.average:5.2f}")
        rows.append(f"AVG {100 * self.avg:.2f}")
        return "\n".join(rows)


def ground_truth_seconds(annotations: AnnotationSet) -> list[GroundTruth]:
    """Instances in seconds: frame / fps of their video (docs/ARCHITECTURE.md, "Data model and roles")."""
    out = []
    for inst in annotations.instances:
        fps = annotations.videos[inst.video_id].fps
        out.append(GroundTruth(inst.video_id, inst.start_frame / fps, inst.end_frame / fps, inst.action_id))
    return out


def evaluate(gts: Sequence[GroundTruth], preds: Sequence[PredictionRecord], taxonomy: Taxonomy,
             tious: Sequence[float] = TIOUS) -> EvaluationReport:
    """Action-level and body-level mAP; body level maps every action to its body part."""
    valid_preds = [p for p in preds if 0 <= p.action_id < len(taxonomy.actions)]
    action = detection_map(gts, valid_preds, tious, {a.id: a.name for a in taxonomy.actions})
    body_of = {a.id: a.body_part.id for a in taxonomy.actions}
    body_gts = [GroundTruth(g.video_id, g.t_start, g.t_end, body_of[g.label]) for g in gts]
    body_preds = [PredictionRecord(p.video_id, p.t_start, p.t_end, body_of[p.action_id], p.score)
                  for p in valid_preds]
    body = detection_map(body_gts, body_preds, tious, {b.id: b.name for b in taxonomy.body_parts})
    return EvaluationReport(action, body)
