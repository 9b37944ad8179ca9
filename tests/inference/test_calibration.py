"""The proposal threshold: the score that maximises F1 at tIoU 0.5."""

from __future__ import annotations

import pytest

from annotator.formats.records import PredictionRecord
from inference.calibration import (
    Calibration,
    bounded_threshold,
    calibrate,
    calibrate_threshold,
    hits_in_score_order,
)
from inference.evaluate import GroundTruth

GT = [GroundTruth("v", 0.0, 1.0, 1), GroundTruth("v", 2.0, 3.0, 1), GroundTruth("w", 0.0, 1.0, 2)]


def test_hits_follow_the_greedy_score_order() -> None:
    preds = [PredictionRecord("v", 0.0, 1.0, 1, 0.9), PredictionRecord("v", 0.05, 1.0, 1, 0.8),  # duplicate: miss
             PredictionRecord("v", 2.0, 3.0, 1, 0.5), PredictionRecord("w", 0.0, 1.0, 1, 0.7)]  # wrong class
    scores, hit = hits_in_score_order(GT, preds)
    assert scores.tolist() == [0.9, 0.8, 0.7, 0.5]
    assert hit.tolist() == [True, False, False, True]


def test_threshold_maximises_f1_by_hand() -> None:
    preds = [PredictionRecord("v", 0.0, 1.0, 1, 0.9), PredictionRecord("v", 5.0, 6.0, 1, 0.8),
             PredictionRecord("v", 2.1, 3.0, 1, 0.6), PredictionRecord("w", 0.0, 0.9, 2, 0.6),
             PredictionRecord("v", 7.0, 8.0, 1, 0.2)]
    # prefixes: 0.9 -> F1 2/4; 0.8 -> 2/5; 0.6 (both 0.6 together) -> 6/7; 0.2 -> 6/8
    threshold, f1 = calibrate_threshold(GT, preds)
    assert threshold == 0.6
    assert f1 == pytest.approx(6 / 7)


def test_no_hit_hides_everything() -> None:
    assert calibrate_threshold(GT, [PredictionRecord("v", 5.0, 6.0, 1, 0.9)]) == (1.0, 0.0)
    assert calibrate_threshold(GT, []) == (1.0, 0.0)


def test_the_bound_shows_at_most_n_a_clip_in_whole_per_cent() -> None:
    preds = [PredictionRecord("v", k, k + 1.0, 1, s) for k, s in enumerate((0.9, 0.412, 0.411, 0.2))]
    preds += [PredictionRecord("w", 0.0, 1.0, 1, 0.05)]
    assert bounded_threshold(preds, per_clip=2) == 0.42  # v's third score 0.411 must be left out
    assert sum(p.score >= 0.42 for p in preds) == 1
    assert bounded_threshold(preds, per_clip=4) == 0.05  # every clip within the bound: show all
    assert bounded_threshold([PredictionRecord("v", 0.0, 1.0, 1, 0.0132)] * 3, per_clip=1) == 0.01  # best stays
    assert bounded_threshold([]) == 1.0


def test_no_hit_on_val_falls_back_to_train_f1() -> None:
    train_preds = [PredictionRecord("v", 0.0, 1.0, 1, 0.4), PredictionRecord("v", 5.0, 6.0, 1, 0.1)]
    asked: list[str] = []

    def train() -> tuple[list[GroundTruth], list[PredictionRecord]]:
        asked.append("train")
        return GT, train_preds

    miss = [PredictionRecord("v", 5.0, 6.0, 1, 0.9)]
    chosen = calibrate([("val", lambda: (GT, miss)), ("train", train)])
    assert chosen == Calibration(0.4, pytest.approx(2 / 4), "train F1") and asked == ["train"]
    hit = [PredictionRecord("v", 0.0, 1.0, 1, 0.7)]
    assert calibrate([("val", lambda: (GT, hit)), ("train", train)]).basis == "val F1"
    assert asked == ["train"]  # validation had a hit: the training subset is not predicted


def test_no_hit_anywhere_bounds_the_count_by_the_instances_a_clip_holds() -> None:
    preds = [PredictionRecord("v", 10.0 + k, 11.0 + k, 1, 0.5 - k / 100) for k in range(6)]
    chosen = calibrate([("val", lambda: (GT, preds)), ("train", lambda: (GT, []))])
    # 3 instances in 2 clips: at most 2 a clip, so v's third score 0.48 is left out
    assert chosen == Calibration(0.49, None, "at most 2 a clip")
    assert calibrate([("train", lambda: ([], []))]) == Calibration(1.0, None, "at most 5 a clip")
