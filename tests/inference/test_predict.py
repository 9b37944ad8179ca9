"""Prediction helpers: long clips in sliding windows, model versions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from inference.configs import preset
from inference.model import Detector
from inference.predict import model_version, predict_frames


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


def test_model_version_names_config_adapter_and_file_digest(tmp_path: Path) -> None:
    path = tmp_path / "best.pt"
    path.write_bytes(b"abc")
    assert model_version(path, "vit-s", "dsta") == "vit-s-dsta@ba7816bf"


def test_a_short_clip_is_predicted_with_its_last_frame_repeated_as_in_training() -> None:
    torch.manual_seed(0)
    model = Detector(preset("tiny", "dsta", num_classes=4)).eval()
    frames = np.random.default_rng(1).integers(1, 255, (40, 64, 64, 3), dtype=np.uint8)  # 40 < the window's 128
    seen: list[torch.Tensor] = []
    forward = model.forward

    def spy(batch: torch.Tensor, valid: torch.Tensor) -> Any:
        seen.append(batch.clone())
        return forward(batch, valid)

    setattr(model, "forward", spy)  # noqa: B010 - a spy on the one forward call
    predict_frames(model, "short", frames, fps=30.0, total_frames=160)
    (batch,) = seen
    assert batch.shape[1] == model.config.window_frames
    assert all(np.array_equal(batch[0, i].numpy(), frames[-1]) for i in range(40, batch.shape[1]))  # not black
