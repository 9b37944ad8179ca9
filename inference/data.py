"""Training and evaluation samples: decoded clips with their instances, and window batches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from annotator.errors import InputError
from annotator.formats.records import AnnotationSet
from annotator.input_checks import path_under
from annotator.media.probe import probe_video
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from inference.augment import kept_inside, train_short_side
from inference.configs import ModelConfig
from inference.evaluate import GroundTruth
from inference.frame_cache_disk import DiskFrames, Sampling, cached_clip
from inference.model import frame_to_step
from inference.video import LazyFrames, decode_video

Frames = np.ndarray | LazyFrames | DiskFrames  # anything sliced into windows of sampled frames
VIDEO_EXTENSIONS = (".mp4", ".avi", ".mkv", ".mov", ".webm")
KEEP_FRACTION = 0.5  # a truncated instance is kept when at least this share lies in the window
MEMORY_BUDGET = 4 * 2**30  # decoded frames kept in memory up to this; beyond, windows are decoded on demand


@dataclass(frozen=True)
class ClipSample:
    """One decoded clip: sampled frames and its instances in decoded-frame indices."""

    video_id: str
    frames: Frames  # [T_sampled, S, S, 3] uint8 (training with augmentation: [T, H, W, 3], short side S*182/160)
    fps: float
    total_frames: int
    segments: np.ndarray  # [N, 2] float, [start_frame, end_frame]
    labels: np.ndarray  # [N] int64

    def ground_truth(self) -> list[GroundTruth]:
        """Instances in seconds (frame / fps)."""
        return [GroundTruth(self.video_id, float(s) / self.fps, float(e) / self.fps, int(label))
                for (s, e), label in zip(self.segments, self.labels, strict=True)]


def find_videos(video_ids: Sequence[str], folder: str | Path) -> dict[str, Path]:
    """Map each video id to <folder>/<id>.<ext>; InputError names the first one missing."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), None, "video folder not found")
    found: dict[str, Path] = {}
    for vid in video_ids:
        for ext in VIDEO_EXTENSIONS:
            if (path := path_under(folder, vid, ext)).is_file():
                found[vid] = path
                break
        else:
            raise InputError(str(folder), f"video {vid!r}", f"no file {vid}.mp4 (or {', '.join(VIDEO_EXTENSIONS[1:])})")
    return found


def load_samples(annotations: AnnotationSet, videos: Mapping[str, Path], config: ModelConfig,
                 video_ids: Sequence[str] | None = None, progress: Progress = no_progress,
                 cancel: CancelToken = NEVER, memory_budget: int = MEMORY_BUDGET,
                 cache_dir: str | Path | None = None, training: bool = False) -> list[ClipSample]:
    """Decode the listed videos (default: all of `annotations`) at the model's size and stride.

    training=True keeps whole frames at AdaTAD's short side 182/160 of the input size for the
    augmentation; otherwise frames are centre-cropped as at test time. With cache_dir each
    video is decoded once into an on-disk entry and read memory-mapped. Without one, frames
    that would take more than memory_budget bytes are not kept: each window is decoded when needed.
    """
    ids = list(video_ids if video_ids is not None else annotations.videos)
    size, stride = config.backbone.img_size, config.frame_stride
    side = train_short_side(size) if training else size
    needed = sum(annotations.videos[v].total_frames for v in ids if v in annotations.videos) // stride
    lazy = needed * side * side * 3 > memory_budget
    by_video = instance_rows(annotations, ids)
    samples = []
    for i, vid in enumerate(ids):
        cancel.check()
        progress(i / max(len(ids), 1), f"decoding {vid}")
        frames, fps, total = _frames(videos[vid], side, stride, not training, lazy, cache_dir, cancel)
        samples.append(clip_sample(vid, videos[vid], frames, fps, total, by_video[vid]))
    progress(1.0, "decoded")
    return samples


def instance_rows(annotations: AnnotationSet, ids: Sequence[str]) -> dict[str, list[tuple[int, int, int]]]:
    """(start, end, action) of each listed video's instances."""
    by_video: dict[str, list[tuple[int, int, int]]] = {vid: [] for vid in ids}
    for inst in annotations.instances:
        if inst.video_id in by_video:
            by_video[inst.video_id].append((inst.start_frame, inst.end_frame, inst.action_id))
    return by_video


def clip_sample(vid: str, path: Path, frames: Frames, fps: float, total: int,
                instances: Sequence[tuple[int, int, int]]) -> ClipSample:
    """A sample of a clip's inputs (frames or pose features) and instances; InputError for an
    instance past the clip's end."""
    rows = np.array(instances, dtype=np.float64).reshape(-1, 3)
    outside = rows[:, 0] >= total
    if outside.any():
        start, end, _ = rows[outside][0]
        raise InputError(str(path), f"instance [{int(start)}, {int(end)}]",
                         f"starts after the last decoded frame ({total} frames)")
    return ClipSample(vid, frames, fps, total, rows[:, :2].copy(), rows[:, 2].astype(np.int64))


def _frames(video: Path, side: int, stride: int, crop: bool, lazy: bool, cache_dir: str | Path | None,
            cancel: CancelToken) -> tuple[Frames, float, int]:
    """One video's sampled frames: from the disk cache, decoded on demand, or decoded into memory."""
    if cache_dir is not None:
        entry = cached_clip(video, cache_dir, Sampling(stride, side, crop), cancel)
        return entry.frames, entry.fps, entry.total_frames
    if lazy:
        info = probe_video(video, cancel, allow_variable_rate=True)  # the decoder's own count
        return LazyFrames(video, side, stride, -(-info.frame_count // stride), crop), info.fps, info.frame_count
    decoded = decode_video(video, side, stride, cancel=cancel, crop=crop)
    return decoded.frames, decoded.fps, decoded.total_frames


def window_targets(sample: ClipSample, start: int, config: ModelConfig, length: int | None = None,
                   keep: float = KEEP_FRACTION) -> tuple[torch.Tensor, torch.Tensor]:
    """Instances of the window of `length` sampled frames (default: a whole window) from `start`,
    in feature steps, keeping those with at least `keep` of their length inside: ([K, 2], [K])."""
    steps = config.steps_for(config.window_frames if length is None else length)
    segs = frame_to_step(torch.from_numpy(sample.segments).float(), start, config)
    if segs.numel() == 0:
        return segs.reshape(0, 2), torch.zeros(0, dtype=torch.long)
    clipped, inside = kept_inside(segs.numpy(), 0, steps, keep)
    mask = torch.from_numpy(inside)
    return torch.from_numpy(clipped)[mask], torch.from_numpy(sample.labels)[mask]
