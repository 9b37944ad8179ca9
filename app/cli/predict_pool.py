"""`mmad predict` per clip, for annotator.work_pool: each worker process loads the checkpoint once.

torch is imported inside the functions, so `mmad --help` stays fast.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.formats.records import PredictionRecord

if TYPE_CHECKING:
    from inference.model import Detector


@dataclass(frozen=True)
class PredictTask:
    """One clip to predict, with what the process needs to load the model."""

    checkpoint: str
    device: str
    video_id: str
    media: str
    max_keep: int
    pose_cache: str | None = None  # the project folder: pose landmarks kept in its pose/
    threads: int = 0  # torch intra-op threads in a worker process (0: torch's default)


@functools.lru_cache(maxsize=1)
def loaded_detector(checkpoint: str, device: str) -> tuple[Detector, list[str]]:
    """(model, labels) of a checkpoint, loaded once per process."""
    from inference.checkpoint import load_detector
    from inference.train import pick_device

    model, labels, _ = load_detector(checkpoint, pick_device(device))
    return model, labels


def predict_clip(task: PredictTask) -> list[PredictionRecord]:
    """The detections of one clip (a bad video raises InputError)."""
    from inference.predict import predict_videos

    if task.threads > 0:
        _set_threads(task.threads)
    model, _ = loaded_detector(task.checkpoint, task.device)
    pose_cache = Path(task.pose_cache) if task.pose_cache is not None else None
    return predict_videos(model, {task.video_id: Path(task.media)}, max_keep=task.max_keep, pose_cache=pose_cache)


def _set_threads(threads: int) -> None:
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def device_is_cuda(device: str) -> bool:
    """Whether --device resolves to a GPU (one process per GPU then, not one per core)."""
    import torch

    return device == "cuda" or (device == "auto" and bool(torch.cuda.is_available()))

