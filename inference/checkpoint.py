"""Checkpoints: plain dicts (config, label list, tensors) that load with torch.load(weights_only=True)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from annotator.errors import InputError
from inference.configs import ModelConfig
from inference.model import Detector

FORMAT = "mmad-dsta-1"


def save_checkpoint(path: str | Path, model: Detector, labels: list[str], **extra: Any) -> Path:
    """Write model weights, its config and label list (plus any plain extra data) atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"format": FORMAT, "model_config": model.config.to_dict(), "labels": list(labels),
            "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()}, **extra}
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(data, tmp)
    os.replace(tmp, path)  # a crash mid-write never leaves a half checkpoint under the real name
    return path


def read_checkpoint(path: str | Path) -> dict[str, Any]:
    """The checkpoint dict; InputError when the file is missing or not one of ours."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), None, "checkpoint not found")
    try:
        data = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # zip / unpickling errors: one clear line
        raise InputError(str(path), None, f"cannot read checkpoint: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(str(path), "format", f"not an MMAD detector checkpoint (expected {FORMAT})")
    return data


def load_detector(path: str | Path, device: str | torch.device = "cpu",
                  weights: str = "state_dict") -> tuple[Detector, list[str], dict[str, Any]]:
    """Rebuild the detector from a checkpoint; returns (model in eval mode, labels, the whole dict)."""
    data = read_checkpoint(path)
    config = ModelConfig.from_dict(data["model_config"])
    model = Detector(config)
    state = data.get(weights) or data["state_dict"]
    try:
        model.load_state_dict(state)
    except RuntimeError as exc:
        raise InputError(str(path), weights, f"weights do not fit the stored config: {exc}") from None
    return model.to(device).eval(), list(data["labels"]), data
