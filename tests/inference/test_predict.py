"""Prediction helpers: long clips in sliding windows, proposals for the store, model versions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from annotator.formats.records import PredictionRecord
from annotator.model import Clip, ProposalStatus
from inference.configs import preset
from inference.model import Detector
from inference.predict import model_version, predict_frames, to_proposals


def test_long_clip_is_covered_by_overlapping_windows() -> None:
    torch.manual_seed(0)
    model = Detector(preset("tiny", "dsta", num_classes=4)).eval()
    frames = np.random.default_rng(0).integers(0, 255, (300, 64, 64, 3), dtype=np.uint8)  # 300 > 128
    preds = predict_frames(model, "long", frames, fps=30.0, total_frames=600, max_keep=50)
    assert 0 < len(preds) <= 50  # the windows' detections went through one more soft-NMS
    assert all(0 <= p.t_start < p.t_end <= 20.0 for p in preds)
    assert max(p.t_end for p in preds) > 600 / 30.0 * 0.6  # the last window reaches the end
    scores = [p.score for p in preds]
    assert scores == sorted(scores, reverse=True)


def test_to_proposals_rounds_to_frames_inside_the_clip() -> None:
    clip = Clip(id=7, name="c1", subject="S01", fps=30.0, frame_count=300)
    preds = [PredictionRecord("c1", 1.0, 2.0, 3, 0.9), PredictionRecord("c1", 9.5, 11.0, 4, 0.5),
             PredictionRecord("c1", 0.0, 0.01, 5, 0.8), PredictionRecord("c2", 1.0, 2.0, 3, 0.9),
             PredictionRecord("c1", 3.0, 4.0, 6, 0.1)]
    proposals = to_proposals(preds, clip, "tiny-dsta@12345678", min_score=0.2)
    assert [(p.start_frame, p.end_frame, p.action_id) for p in proposals] == [(30, 60, 3), (285, 299, 4)]
    assert all(p.clip_id == 7 and p.status == ProposalStatus.PENDING and p.id is None for p in proposals)


def test_model_version_names_config_adapter_and_file_digest(tmp_path: Path) -> None:
    path = tmp_path / "best.pt"
    path.write_bytes(b"abc")
    assert model_version(path, "vit-s", "dsta") == "vit-s-dsta@ba7816bf"
