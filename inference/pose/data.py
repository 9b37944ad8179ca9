"""Pose samples for training and prediction: per-frame features of each clip with its instances."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from annotator.formats.records import AnnotationSet
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from inference.configs import ModelConfig
from inference.data import ClipSample, clip_sample, instance_rows
from inference.pose.cache import pose_for_clip
from inference.pose.extract import extract_pose
from inference.pose.features import pose_features


def pose_inputs(path: Path, video_id: str, config: ModelConfig, cache_dir: Path | None = None,
                progress: Progress = no_progress, cancel: CancelToken = NEVER) -> tuple[np.ndarray, float, int]:
    """(features [T_sampled, F] float32, fps, decoded frames) of one clip; landmarks cached in
    cache_dir/pose/ when a folder is given."""
    if cache_dir is not None:
        track = pose_for_clip(cache_dir, video_id, path, progress=progress, cancel=cancel)
    else:
        track = extract_pose(path, progress=progress, cancel=cancel)
    return pose_features(track)[:: config.frame_stride], track.fps, track.frames


def load_pose_samples(annotations: AnnotationSet, videos: Mapping[str, Path], config: ModelConfig,
                      video_ids: Sequence[str] | None = None, cache_dir: Path | None = None,
                      progress: Progress = no_progress, cancel: CancelToken = NEVER) -> list[ClipSample]:
    """Pose features of the listed videos (default: all of `annotations`) with their instances."""
    ids = list(video_ids if video_ids is not None else annotations.videos)
    rows = instance_rows(annotations, ids)
    samples = []
    for i, vid in enumerate(ids):
        cancel.check()

        def part(fraction: float, message: str, i: int = i) -> None:
            progress((i + fraction) / max(len(ids), 1), message)

        feats, fps, total = pose_inputs(videos[vid], vid, config, cache_dir, part, cancel)
        samples.append(clip_sample(vid, videos[vid], feats, fps, total, rows[vid]))
    progress(1.0, "pose features ready")
    return samples
