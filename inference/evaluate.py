"""Detection-mAP exactly as OpenTAD's mAP.py (ActivityNet's evaluator), at action and body level.

What OpenTAD does, and so what this module does (see docs/ARCHITECTURE.md, "Evaluation"):
- Ground truth: per video, in file order, an instance is dropped when its length is zero or
  negative, or when an instance already kept in that video has the same label and both bounds
  within 1e-3 s (OpenTAD's remove_duplicate_annotations). Body level filters after mapping
  actions to body parts, as OpenTAD would on a body-level ground-truth file: two actions of
  one body part with the same bounds are one body-level instance.
- Detections of one class keep their order in the file (video by video); they are ranked by
  `scores.argsort()[::-1]` on that float64 array, numpy's default (not stable) sort, which is
  OpenTAD's call: equal scores fall exactly as they fall there. A detection takes the free
  ground truth of its video with the highest tIoU (same call on the tIoU array) if that
  reaches the threshold, else it is a false positive; AP is the all-point interpolated area
  under precision-recall; mAP averages over the classes present in the ground truth
  (detections of other classes are ignored).
- Result files: OpenTAD's multi-label configs keep at most 8,000 detections per video
  (max_seg_num); RESULT_CAP applies the same cap to files we write and evaluate.
- Body level (BODY_RULES): "action" (default, the MMAD paper's Table 3 as we read it) turns
  every action detection into a detection of its body part with the same score, nothing
  suppressed; "nms" runs per-body-part Gaussian soft-NMS per video after that mapping.
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
DUPLICATE_TOLERANCE_S = 1e-3  # OpenTAD: same label and both bounds within this are one instance
RESULT_CAP = 8000  # OpenTAD's max_seg_num for multi-label sets: detections per video in a result file
BODY_ACTION = "action"  # each action detection is a detection of its body part, same score
BODY_NMS = "nms"  # the same, then per-body-part soft-NMS per video
BODY_RULES = (BODY_ACTION, BODY_NMS)


@dataclass(frozen=True)
class GroundTruth:
    """One ground-truth instance in seconds."""

    video_id: str
    t_start: float
    t_end: float
    label: int


@dataclass(frozen=True)
class GroundTruthFilter:
    """What OpenTAD's ground-truth filtering kept and dropped at one level."""

    kept: int
    zero_length: int
    duplicates: int

    def to_json(self) -> dict[str, int]:
        """Plain-data form."""
        return {"kept": self.kept, "dropped_zero_length": self.zero_length, "dropped_duplicates": self.duplicates}


@dataclass
class MapResult:
    """AP per class and tIoU; mAP per tIoU; their mean."""

    tious: tuple[float, ...]
    classes: list[int]  # classes present in the ground truth, ascending
    ap: np.ndarray  # [len(tious), len(classes)]
    names: dict[int, str] = field(default_factory=dict)
    ground_truth: GroundTruthFilter | None = None

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
        """Plain-data form with per-class AP (fractions, not per cent)."""
        out: dict[str, Any] = {
            "mAP": {f"{t:.1f}": float(m) for t, m in zip(self.tious, self.map_per_tiou, strict=True)},
            "average_mAP": self.average,
            "per_class": {
                self.names.get(c, str(c)): {f"{t:.1f}": float(self.ap[i, j]) for i, t in enumerate(self.tious)}
                for j, c in enumerate(self.classes)
            },
        }
        if self.ground_truth is not None:
            out["ground_truth"] = self.ground_truth.to_json()
        return out


def usable_ground_truth(gts: Sequence[GroundTruth]) -> tuple[list[GroundTruth], GroundTruthFilter]:
    """OpenTAD's filtering, per video in the given order: no zero-length instances, no repeats."""
    kept_by_video: dict[str, list[GroundTruth]] = defaultdict(list)
    kept: list[GroundTruth] = []
    zero = repeats = 0
    for g in gts:
        if g.t_end - g.t_start <= 0:
            zero += 1
            continue
        same_video = kept_by_video[g.video_id]
        if any(k.label == g.label and abs(k.t_start - g.t_start) <= DUPLICATE_TOLERANCE_S
               and abs(k.t_end - g.t_end) <= DUPLICATE_TOLERANCE_S for k in same_video):
            repeats += 1
            continue
        same_video.append(g)
        kept.append(g)
    return kept, GroundTruthFilter(len(kept), zero, repeats)


def opentad_order(values: np.ndarray) -> np.ndarray:
    """Indices from the highest value down, exactly as OpenTAD ranks them: numpy's default
    (not stable) argsort, reversed. Ties fall as they fall there, not in input order."""
    return np.asarray(values, dtype=np.float64).argsort()[::-1]


def cap_per_video(preds: Sequence[PredictionRecord], cap: int = RESULT_CAP) -> list[PredictionRecord]:
    """At most `cap` detections per video, the best scored (ties: earlier first), in the given order."""
    by_video: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(preds):
        by_video[p.video_id].append(i)
    dropped: set[int] = set()
    for members in by_video.values():
        if len(members) > cap:
            ranked = sorted(members, key=lambda i: -preds[i].score)  # sorted() is stable
            dropped.update(ranked[cap:])
    return [p for i, p in enumerate(preds) if i not in dropped]


def tiou(segment: tuple[float, float], others: np.ndarray) -> np.ndarray:
    """tIoU of one [start, end] with each row of others [N, 2] (OpenTAD's segment_iou, union >= 1e-8)."""
    inter = (np.minimum(segment[1], others[:, 1]) - np.maximum(segment[0], others[:, 0])).clip(0)
    union = (others[:, 1] - others[:, 0]) + (segment[1] - segment[0]) - inter
    overlap: np.ndarray = inter / union.clip(1e-8)
    return overlap


def interpolated_ap(precision: np.ndarray, recall: np.ndarray) -> float:
    """All-point interpolated AP (ActivityNet's interpolated_prec_rec)."""
    mprec = np.hstack([[0.0], precision, [0.0]])
    mrec = np.hstack([[0.0], recall, [1.0]])
    mprec = np.maximum.accumulate(mprec[::-1])[::-1]
    idx = np.where(mrec[1:] != mrec[:-1])[0] + 1
    return float(np.sum((mrec[idx] - mrec[idx - 1]) * mprec[idx]))


def class_ap(gts: Sequence[GroundTruth], preds: Sequence[PredictionRecord], tious: Sequence[float]) -> np.ndarray:
    """AP of one class at each threshold (compute_average_precision_detection); gts already filtered."""
    ap = np.zeros(len(tious))
    if not preds or not gts:
        return ap
    by_video: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(gts):
        by_video[g.video_id].append(i)
    gt_segs = np.array([[g.t_start, g.t_end] for g in gts], dtype=float)  # [G, 2]
    order = opentad_order(np.array([p.score for p in preds], dtype=np.float64))
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
        best_first = opentad_order(overlaps)
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
    """mAP over the classes present in the (filtered) ground truth; other classes' predictions are ignored."""
    usable, filtered = usable_ground_truth(gts)
    gt_by_class: dict[int, list[GroundTruth]] = defaultdict(list)
    for g in usable:
        gt_by_class[g.label].append(g)
    pred_by_class: dict[int, list[PredictionRecord]] = defaultdict(list)
    for p in preds:
        pred_by_class[p.action_id].append(p)
    classes = sorted(gt_by_class)
    ap = np.zeros((len(tious), len(classes)))
    for j, c in enumerate(classes):
        ap[:, j] = class_ap(gt_by_class[c], pred_by_class.get(c, []), tious)
    return MapResult(tuple(tious), classes, ap, names or {}, filtered)


@dataclass
class EvaluationReport:
    """Action-level and body-level Detection-mAP and their average ("AVG", MMAD Table 3)."""

    action: MapResult
    body: MapResult
    body_rule: str = BODY_ACTION
    cap_per_video: int = RESULT_CAP
    over_cap: int = 0  # detections left out by the cap

    @property
    def avg(self) -> float:
        """Mean of the action-level and body-level average mAP."""
        return (self.action.average + self.body.average) / 2

    def to_json(self) -> dict[str, Any]:
        """Plain-data form: both levels with per-class AP, AVG, and the rules that produced them."""
        return {"action": self.action.to_json(), "body": self.body.to_json(), "AVG": self.avg,
                "body_rule": self.body_rule,
                "detections": {"cap_per_video": self.cap_per_video, "left_out_by_cap": self.over_cap}}

    def table(self) -> str:
        """A small text table in percent, like Table 3 of the MMAD paper."""
        head = "level   " + " ".join(f"{t:>5.1f}" for t in self.action.tious) + "   avg"
        rows = [head]
        for name, result in (("action", self.action), ("body", self.body)):
            cells = " ".join(f"{100 * m:5.2f}" for m in result.map_per_tiou)
            rows.append(f"{name:<8}{cells} {100 * result.average:5.2f}")
        rows.append(f"AVG {100 * self.avg:.2f}  (body rule: {self.body_rule})")
        return "\n".join(rows)


def ground_truth_seconds(annotations: AnnotationSet) -> list[GroundTruth]:
    """Instances in seconds: frame / fps of their video (docs/ARCHITECTURE.md, "Data model and roles")."""
    out = []
    for inst in annotations.instances:
        fps = annotations.videos[inst.video_id].fps
        out.append(GroundTruth(inst.video_id, inst.start_frame / fps, inst.end_frame / fps, inst.action_id))
    return out


def body_detections(preds: Sequence[PredictionRecord], taxonomy: Taxonomy, rule: str = BODY_ACTION,
                    sigma: float = 0.5) -> list[PredictionRecord]:
    """Action detections as body-part detections (label = body part id) under one of BODY_RULES."""
    if rule not in BODY_RULES:
        raise ValueError(f"unknown body rule {rule!r} (one of {', '.join(BODY_RULES)})")
    body_of = {a.id: a.body_part.id for a in taxonomy.actions}
    mapped = [PredictionRecord(p.video_id, p.t_start, p.t_end, body_of[p.action_id], p.score) for p in preds]
    return mapped if rule == BODY_ACTION else _soft_nms_per_video(mapped, sigma)


def _soft_nms_per_video(preds: Sequence[PredictionRecord], sigma: float) -> list[PredictionRecord]:
    import torch  # only this option needs it

    from inference.nms import batched_soft_nms

    by_video: dict[str, list[PredictionRecord]] = defaultdict(list)
    for p in preds:
        by_video[p.video_id].append(p)
    out: list[PredictionRecord] = []
    for video_id, items in by_video.items():
        segs = torch.tensor([[p.t_start, p.t_end] for p in items], dtype=torch.float64)  # [N, 2]
        scores = torch.tensor([p.score for p in items], dtype=torch.float64)  # [N]
        labels = torch.tensor([p.action_id for p in items], dtype=torch.long)  # [N]
        segs, scores, labels = batched_soft_nms(segs, scores, labels, sigma=sigma, max_keep=RESULT_CAP)
        out += [PredictionRecord(video_id, s, e, c, p) for (s, e), c, p in
                zip(segs.tolist(), labels.tolist(), scores.tolist(), strict=True)]
    return out


def evaluate(gts: Sequence[GroundTruth], preds: Sequence[PredictionRecord], taxonomy: Taxonomy,
             tious: Sequence[float] = TIOUS, body_rule: str = BODY_ACTION,
             cap: int = RESULT_CAP) -> EvaluationReport:
    """Action-level and body-level mAP of at most `cap` detections per video (module docstring)."""
    valid_preds = [p for p in preds if 0 <= p.action_id < len(taxonomy.actions)]
    capped = cap_per_video(valid_preds, cap)
    action = detection_map(gts, capped, tious, {a.id: a.name for a in taxonomy.actions})
    body_of = {a.id: a.body_part.id for a in taxonomy.actions}
    body_gts = [GroundTruth(g.video_id, g.t_start, g.t_end, body_of[g.label]) for g in gts]
    body = detection_map(body_gts, body_detections(capped, taxonomy, body_rule), tious,
                         {b.id: b.name for b in taxonomy.body_parts})
    return EvaluationReport(action, body, body_rule, cap, len(valid_preds) - len(capped))
