"""Detection-mAP against hand-computed AP (OpenTAD's matching and interpolation)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from annotator.formats.records import AnnotationSet, InstanceRecord, PredictionRecord, VideoRecord
from annotator.taxonomy import load_taxonomy
from inference.evaluate import (
    GroundTruth,
    class_ap,
    detection_map,
    evaluate,
    ground_truth_seconds,
    interpolated_ap,
)


def gt(video: str, s: float, e: float, label: int = 0) -> GroundTruth:
    return GroundTruth(video, s, e, label)


def pred(video: str, s: float, e: float, score: float, label: int = 0) -> PredictionRecord:
    return PredictionRecord(video, s, e, label, score)


def test_interpolation_takes_the_best_precision_to_the_right() -> None:
    # precision 1, 0.5, 2/3 at recall 0.5, 0.5, 1 -> 0.5 * 1 + 0.5 * 2/3
    assert interpolated_ap(np.array([1, 0.5, 2 / 3]), np.array([0.5, 0.5, 1.0])) == pytest.approx(5 / 6)


def test_several_videos_tp_fp_tp() -> None:
    gts = [gt("v1", 0, 10), gt("v2", 0, 10)]
    preds = [pred("v1", 0, 10, 0.9), pred("v2", 20, 30, 0.8), pred("v2", 0, 8, 0.7)]
    ap = class_ap(gts, preds, (0.5, 0.9))
    assert ap[0] == pytest.approx(0.5 * 1 + 0.5 * 2 / 3)  # TP, FP, TP
    assert ap[1] == pytest.approx(0.5)  # [0, 8] has tIoU 0.8 < 0.9: TP, FP, FP


def test_prediction_in_a_video_without_ground_truth_is_a_false_positive() -> None:
    ap = class_ap([gt("v1", 0, 10)], [pred("v9", 0, 10, 0.9), pred("v1", 0, 10, 0.8)], (0.5,))
    assert ap[0] == pytest.approx(0.5)  # FP then TP: precision 1/2 at recall 1


def test_equal_scores_keep_opentads_order_later_prediction_first() -> None:
    # argsort()[::-1]: of two equal scores the later prediction is ranked first -> FP, TP
    ap = class_ap([gt("v1", 0, 10)], [pred("v1", 0, 10, 0.5), pred("v1", 50, 60, 0.5)], (0.5,))
    assert ap[0] == pytest.approx(0.5)
    ap = class_ap([gt("v1", 0, 10)], [pred("v1", 50, 60, 0.5), pred("v1", 0, 10, 0.5)], (0.5,))
    assert ap[0] == pytest.approx(1.0)


def test_prediction_overlapping_two_ground_truths_takes_the_best_free_one() -> None:
    gts = [gt("v1", 0, 10), gt("v1", 8, 20)]
    # p1 [0, 12]: tIoU 0.833 with g1, 0.2 with g2 -> g1. p2 [2, 11]: g1 taken (0.727), g2 = 3/18 = 0.167
    preds = [pred("v1", 0, 12, 0.9), pred("v1", 2, 11, 0.8)]
    ap = class_ap(gts, preds, (0.1, 0.5))
    assert ap[0] == pytest.approx(1.0)  # at 0.1, p2 falls back to g2: TP, TP
    assert ap[1] == pytest.approx(0.5)  # at 0.5, p2 is a FP: recall stays 1/2


def test_duplicate_detection_of_one_instance_is_a_false_positive() -> None:
    ap = class_ap([gt("v1", 0, 10)], [pred("v1", 0, 10, 0.9), pred("v1", 1, 10, 0.8)], (0.5,))
    assert ap[0] == pytest.approx(1.0)  # the FP comes after full recall: no loss of AP
    ap = class_ap([gt("v1", 0, 10), gt("v1", 30, 40)],
                  [pred("v1", 0, 10, 0.9), pred("v1", 1, 10, 0.8), pred("v1", 30, 40, 0.7)], (0.5,))
    assert ap[0] == pytest.approx(0.5 + 0.5 * 2 / 3)


def test_class_without_predictions_counts_zero_and_absent_class_is_ignored() -> None:
    gts = [gt("v1", 0, 10, 0), gt("v1", 20, 30, 1)]
    preds = [pred("v1", 0, 10, 0.9, 0), pred("v1", 40, 50, 0.99, 2), pred("v2", 0, 5, 0.95, 2)]
    result = detection_map(gts, preds, (0.5, 0.7))
    assert result.classes == [0, 1]  # class 2 has no ground truth: ignored, not a zero
    assert result.ap[:, 0] == pytest.approx([1.0, 1.0])
    assert result.ap[:, 1] == pytest.approx([0.0, 0.0])
    assert result.at(0.5) == pytest.approx(0.5)
    assert result.average == pytest.approx(0.5)


def test_body_level_maps_actions_to_body_parts_and_avg() -> None:
    taxonomy = load_taxonomy("mma52")
    # 9 nodding and 10 shaking head are both head (B); 24 shaking legs is lower limb (D)
    gts = [gt("v1", 0, 10, 9), gt("v1", 20, 30, 24)]
    preds = [pred("v1", 0, 10, 0.9, 10), pred("v1", 20, 30, 0.8, 24)]
    report = evaluate(gts, preds, taxonomy, tious=(0.5,))
    assert report.action.classes == [9, 24]
    assert report.action.average == pytest.approx(0.5)  # nodding missed, shaking legs found
    assert report.body.average == pytest.approx(1.0)  # both body parts found
    assert report.avg == pytest.approx(0.75)
    data = report.to_json()
    assert data["action"]["per_class"]["nodding"]["0.5"] == 0.0
    assert data["body"]["per_class"][taxonomy.body_part_of(24).name]["0.5"] == 1.0
    assert data["AVG"] == pytest.approx(0.75)


def test_default_thresholds_are_point_one_to_point_nine() -> None:
    result = detection_map([gt("v1", 0, 10)], [pred("v1", 0, 7.5, 0.9)])
    assert result.tious == (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    # tIoU 0.75 passes 0.1 ... 0.7 (7 of 9 thresholds)
    assert result.average == pytest.approx(7 / 9)


def test_ground_truth_seconds_use_each_videos_fps() -> None:
    aset = AnnotationSet(videos={"a": VideoRecord("a", 30.0, 300), "b": VideoRecord("b", 29.0, 290)},
                         instances=[InstanceRecord("a", 30, 60, 1), InstanceRecord("b", 29, 58, 2)])
    out = ground_truth_seconds(aset)
    assert (out[0].t_start, out[0].t_end) == (1.0, 2.0)
    assert (out[1].t_start, out[1].t_end) == (1.0, 2.0)


def test_no_predictions_at_all_gives_zero() -> None:
    result = detection_map([gt("v1", 0, 10)], [])
    assert result.average == 0.0


@pytest.mark.realdata
def test_real_mma52_val_against_itself_is_perfect_and_shifted_copies_are_not(mma52_dir: Path) -> None:
    from annotator.formats import read_annotations

    taxonomy = load_taxonomy("mma52")
    aset = read_annotations(mma52_dir / "val.csv", "mma52-csv", taxonomy)
    gts = ground_truth_seconds(aset)
    perfect = [PredictionRecord(g.video_id, g.t_start, g.t_end, g.label, 1.0) for g in gts]
    report = evaluate(gts, perfect, taxonomy)
    assert report.action.average == pytest.approx(1.0)
    assert report.body.average == pytest.approx(1.0)
    assert len(report.action.classes) == 52 and len(report.body.classes) == 7
    # every prediction shifted by half its length: tIoU 1/3, found at 0.1-0.3 only (same-action
    # overlaps in the real files let a few shifted copies match a neighbour at higher thresholds)
    shifted = [PredictionRecord(g.video_id, g.t_start + (g.t_end - g.t_start) / 2,
                                g.t_end + (g.t_end - g.t_start) / 2, g.label, 1.0) for g in gts]
    result = evaluate(gts, shifted, taxonomy).action
    assert result.at(0.3) > 0.95 and result.at(0.5) < 0.05
