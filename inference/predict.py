"""Prediction: sliding windows over a clip -> detections in seconds (PredictionRecord)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import torch

from annotator.formats.records import PredictionRecord
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from inference.data import Frames
from inference.evaluate import RESULT_CAP
from inference.model import Detector, input_dtype, step_to_frame
from inference.nms import batched_soft_nms
from inference.precision import autocast_for
from inference.video import decode_video, pad_window, sliding_windows

__all__ = ["autocast_for", "model_version", "predict_frames", "predict_videos"]

OVERLAP = 0.25  # share of a window repeated by the next one at test time


@torch.no_grad()
def predict_frames(model: Detector, video_id: str, frames: Frames, fps: float,
                   total_frames: int, batch_size: int = 2, max_keep: int = RESULT_CAP,
                   sigma: float = 0.5) -> list[PredictionRecord]:
    """Detections of one clip given its sampled frames [T, S, S, 3] uint8, in seconds (at most max_keep)."""
    config = model.config
    device = next(model.parameters()).device
    window = config.window_frames
    starts = sliding_windows(len(frames), window, OVERLAP)
    segs, scores, labels = [], [], []
    for first in range(0, len(starts), batch_size):
        group = starts[first : first + batch_size]
        chunks = [torch.from_numpy(np.asarray(frames[start : start + window])).to(input_dtype(config))
                  for start in group]
        batch = torch.stack([pad_window(chunk, window) for chunk in chunks])  # [B, window, ...], as training pads
        valid = torch.tensor([config.steps_for(len(chunk)) for chunk in chunks], dtype=torch.long)
        with autocast_for(device):
            outputs = model(batch.to(device), valid.to(device))
        for start, det in zip(group, model.decode(outputs[0], outputs[1], outputs[2], sigma=sigma,
                                                              max_keep=max_keep), strict=True):
            segs.append(step_to_frame(det.segments.cpu(), start, config) / fps)
            scores.append(det.scores.cpu())
            labels.append(det.labels.cpu())
    all_segs = torch.cat(segs).clamp(0, total_frames / fps)
    all_scores, all_labels = torch.cat(scores), torch.cat(labels)
    if len(starts) > 1:  # overlapping windows found the same instance twice
        all_segs, all_scores, all_labels = batched_soft_nms(all_segs, all_scores, all_labels, sigma=sigma,
                                                            max_keep=max_keep)
    return [PredictionRecord(video_id, float(s), float(e), int(c), float(p))
            for (s, e), c, p in zip(all_segs.tolist(), all_labels.tolist(), all_scores.tolist(), strict=True)
            if e > s]


def predict_videos(model: Detector, videos: Mapping[str, Path] | Sequence[Path], progress: Progress = no_progress,
                   cancel: CancelToken = NEVER, max_keep: int = RESULT_CAP,
                   pose_cache: Path | None = None) -> list[PredictionRecord]:
    """Decode and predict every video ({video_id: path}, or paths named by their stem), at most
    max_keep detections each (OpenTAD's result-file cap by default). A pose model reads
    landmarks, kept in pose_cache/pose/ when a folder is given (a project's)."""
    items = list(videos.items()) if isinstance(videos, Mapping) else [(Path(p).stem, Path(p)) for p in videos]
    model.eval()
    out: list[PredictionRecord] = []
    for i, (video_id, path) in enumerate(items):
        cancel.check()
        progress(i / max(len(items), 1), f"predicting {video_id}")
        if model.config.backbone.kind == "pose":
            from inference.pose.data import pose_inputs

            feats, fps, total = pose_inputs(path, video_id, model.config, pose_cache, cancel=cancel)
            out.extend(predict_frames(model, video_id, feats, fps, total, max_keep=max_keep))
            continue
        decoded = decode_video(path, model.config.backbone.img_size, model.config.frame_stride, cancel=cancel)
        out.extend(predict_frames(model, video_id, decoded.frames, decoded.fps, decoded.total_frames,
                                  max_keep=max_keep))
    progress(1.0, "predicted")
    return out


def model_version(checkpoint: str | Path, config_name: str, adapter: str) -> str:
    """A stable name for a checkpoint's proposals: "<config>-<adapter>@<first 8 hex of its sha256>"."""
    digest = hashlib.sha256(Path(checkpoint).read_bytes()).hexdigest()[:8]
    return f"{config_name}-{adapter}@{digest}"
