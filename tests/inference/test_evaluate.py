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
    # two actions of one body part with the same bounds are one body-level instance but still two
    # detections under the default rule: the second is a false positive
    body = report.body.ground_truth
    assert body is not None and body.duplicates > 0
    assert 0.99 < report.body.average < 1.0
    # soft-NMS pushes the repeats below every true one (overlapping neighbours of one body part
    # are decayed a little too, so it is not exactly 1)
    nms = evaluate(gts, perfect, taxonomy, body_rule="nms").body.average
    assert report.body.average < nms == pytest.approx(1.0, abs=1e-4)
    assert len(report.action.classes) == 52 and len(report.body.classes) == 7
    # every prediction shifted by half its length: tIoU 1/3, found at 0.1-0.3 only (same-action
    # overlaps in the real files let a few shifted copies match a neighbour at higher thresholds)
    shifted = [PredictionRecord(g.video_id, g.t_start + (g.t_end - g.t_start) / 2,
                                g.t_end + (g.t_end - g.t_start) / 2, g.label, 1.0) for g in gts]
    result = evaluate(gts, shifted, taxonomy).action
    assert result.at(0.3) > 0.95 and result.at(0.5) < 0.05


# ---------------------------------------------------------------- OpenTAD's filtering, order and caps

def test_zero_length_ground_truth_is_dropped_and_its_class_with_it() -> None:
    gts = [gt("v1", 5, 5, 0), gt("v1", 0, 10, 0), gt("v1", 3, 3, 1)]
    result = detection_map(gts, [pred("v1", 0, 10, 0.9, 0)], (0.5,))
    assert result.classes == [0]  # class 1 had only a zero-length instance
    assert result.average == pytest.approx(1.0)  # 1 of 1, not 1 of 2
    assert result.ground_truth is not None
    assert (result.ground_truth.kept, result.ground_truth.zero_length) == (1, 2)


def test_duplicate_ground_truth_within_a_millisecond_counts_once() -> None:
    same = [gt("v1", 0, 10), gt("v1", 0.0009, 10.001), gt("v2", 0, 10)]
    result = detection_map(same, [pred("v1", 0, 10, 0.9), pred("v2", 0, 10, 0.8)], (0.5,))
    assert result.average == pytest.approx(1.0)
    assert result.ground_truth is not None and result.ground_truth.duplicates == 1
    # 2 ms apart: two instances, and one detection finds only one of them
    apart = [gt("v1", 0, 10), gt("v1", 0.002, 10)]
    assert detection_map(apart, [pred("v1", 0, 10, 0.9)], (0.5,)).average == pytest.approx(0.5)
    # another label at the same bounds is not a duplicate
    other = [gt("v1", 0, 10, 0), gt("v1", 0, 10, 1)]
    assert detection_map(other, [pred("v1", 0, 10, 0.9, 0)], (0.5,)).classes == [0, 1]


def test_body_level_duplicates_from_two_actions_of_one_body_part_count_once() -> None:
    taxonomy = load_taxonomy("mma52")
    # nodding (9) and shaking head (10) with identical bounds: one head instance at body level
    gts = [gt("v1", 0, 10, 9), gt("v1", 0, 10, 10)]
    report = evaluate(gts, [pred("v1", 0, 10, 0.9, 9)], taxonomy, tious=(0.5,))
    assert report.action.average == pytest.approx(0.5)
    assert report.body.average == pytest.approx(1.0)  # 1 of 1 head instance (0.5 before the filter)
    assert report.to_json()["body"]["ground_truth"] == {"kept": 1, "dropped_zero_length": 0,
                                                        "dropped_duplicates": 1}


def test_ties_fall_as_numpys_default_argsort_puts_them() -> None:
    # 40 detections with one score, one of them right: its rank is the rank OpenTAD gives it
    scores = np.full(40, 0.5)
    for right in (0, 7, 21, 39):
        preds = [pred("v1", 0, 10, 0.5) if i == right else pred("v1", 50 + i, 51 + i, 0.5) for i in range(40)]
        rank = int(np.where(scores.argsort()[::-1] == right)[0][0])  # OpenTAD's call on the same array
        assert class_ap([gt("v1", 0, 10)], preds, (0.5,))[0] == pytest.approx(1 / (rank + 1))


def test_scores_rounded_to_four_decimals_tie_across_videos() -> None:
    gts = [gt("v1", 0, 10), gt("v2", 0, 10)]
    preds = [pred("v1", 20, 30, 0.1234), pred("v2", 0, 10, 0.1234), pred("v1", 0, 10, 0.9)]
    order = np.array([p.score for p in preds]).argsort()[::-1]
    hits = [1 if i != 0 else 0 for i in order]  # index 0 is the false positive
    tp = np.cumsum(hits)
    expected = interpolated_ap(tp / np.arange(1, 4), tp / 2)
    assert class_ap(gts, preds, (0.5,))[0] == pytest.approx(expected)


def test_cap_keeps_the_best_detections_of_each_video_in_their_order() -> None:
    from inference.evaluate import cap_per_video

    preds = [pred("a", 0, 1, 0.2), pred("a", 1, 2, 0.9), pred("b", 0, 1, 0.1), pred("a", 2, 3, 0.5),
             pred("a", 3, 4, 0.5)]
    kept = cap_per_video(preds, 2)
    assert [(p.video_id, p.score) for p in kept] == [("a", 0.9), ("b", 0.1), ("a", 0.5)]
    report = evaluate([gt("a", 0, 1, 0)], preds, load_taxonomy("mma52"), tious=(0.5,), cap=2)
    assert report.to_json()["detections"] == {"cap_per_video": 2, "left_out_by_cap": 2}


def test_body_rule_nms_suppresses_a_second_action_of_the_same_body_part() -> None:
    taxonomy = load_taxonomy("mma52")
    gts = [gt("v1", 0, 10, 9), gt("v1", 20, 30, 7)]  # nodding, tilting head: two head instances
    preds = [pred("v1", 0, 10, 0.9, 9), pred("v1", 0, 10, 0.8, 10), pred("v1", 20, 30, 0.5, 7)]
    mapped = evaluate(gts, preds, taxonomy, tious=(0.5,))
    # body level, action rule: head 0.9 TP, 0.8 FP (same place), 0.5 TP
    assert mapped.body.average == pytest.approx(0.5 * 1 + 0.5 * 2 / 3)
    nms = evaluate(gts, preds, taxonomy, tious=(0.5,), body_rule="nms")
    # soft-NMS decays the 0.8 to 0.8 * exp(-1 / 0.5) = 0.108 < 0.5: TP, TP, FP
    assert nms.body.average == pytest.approx(1.0)
    assert nms.action.average == mapped.action.average  # the action level is not touched
    assert (mapped.to_json()["body_rule"], nms.to_json()["body_rule"]) == ("action", "nms")
    with pytest.raises(ValueError, match="body rule"):
        evaluate(gts, preds, taxonomy, body_rule="max")
