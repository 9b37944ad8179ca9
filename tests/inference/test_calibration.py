"""The proposal threshold: the score that maximises F1 at tIoU 0.5."""

from __future__ import annotations

import pytest

from annotator.formats.records import PredictionRecord
from inference.calibration import calibrate_threshold, hits_in_score_order
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
