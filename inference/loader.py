"""Training windows as a torch Dataset, read by a DataLoader with workers, pinned memory and prefetching.

Every random draw of a window (its start, AdaTAD's temporal and spatial augmentation) comes from a
generator seeded by (seed, epoch, clip index), so a window is the same whichever worker or
process builds it: one process with batch 4 sees the same windows as two with batch 2. The
sampler hands out (epoch, index) keys, so the workers live through the whole run. They are
spawned, not forked: a fork after the parent has decoded with OpenCV's thread pool can leave a
worker waiting forever on a lock that no thread of its own holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, DistributedSampler, Sampler

from inference.augment import KEEP_INSIDE, augment_frames, temporal_crop
from inference.configs import ModelConfig, TrainConfig
from inference.data import KEEP_FRACTION, ClipSample, window_targets
from inference.model import input_dtype
from inference.pose.augment import augment_pose
from inference.video import pad_window

Window = tuple[torch.Tensor, int, torch.Tensor, torch.Tensor]  # frames [n, S, S, 3] (pose: [n, F]), valid, segs, labels
Batch = tuple[torch.Tensor, torch.Tensor, list[tuple[torch.Tensor, torch.Tensor]]]


def window_start(length: int, window: int, rng: np.random.Generator) -> int:
    """Start of a random training window (random truncation of long clips)."""
    return 0 if length <= window else int(rng.integers(0, length - window + 1))


@dataclass
class TrainWindows(Dataset[Window]):
    """One random training window per clip, asked for by (epoch, index), or by index in `epoch`."""

    samples: Sequence[ClipSample]
    config: ModelConfig
    augment: bool
    seed: int
    epoch: int = 0

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, key: int | tuple[int, int]) -> Window:
        epoch, index = key if isinstance(key, tuple) else (self.epoch, key)
        sample, config = self.samples[index], self.config
        rng = np.random.default_rng([self.seed, epoch, index])
        size, window = config.backbone.img_size, config.window_frames
        length = len(sample.frames)
        pixels = config.backbone.kind != "pose"  # pose features [T, F] get no image augmentation
        if self.augment and pixels:
            start, stop = temporal_crop(length, window, sample.segments / config.frame_stride, rng)
            frames = augment_frames(np.asarray(sample.frames[start:stop]), size, rng)
            keep = KEEP_INSIDE
        elif self.augment:  # pose: the same temporal crop, then mirror and small scale/rotation jitter
            start, stop = temporal_crop(length, window, sample.segments / config.frame_stride, rng)
            frames = augment_pose(np.asarray(sample.frames[start:stop]), rng)
            keep = KEEP_INSIDE
        else:
            start = window_start(length, window, rng)
            frames = np.asarray(sample.frames[start : start + window])
            keep = KEEP_FRACTION
        if pixels and frames.shape[1:3] != (size, size):
            raise ValueError(f"{sample.video_id}: frames of {frames.shape[1:3]} need augmentation to {size}x{size}")
        segs, labels = window_targets(sample, start, config, len(frames), keep)
        # only the window's frames travel between processes; collate pads them to the window
        out = torch.from_numpy(np.ascontiguousarray(frames)).to(input_dtype(config))
        return out, config.steps_for(len(frames)), segs, labels


def collate(items: Sequence[Window], window: int) -> Batch:
    """Pad and stack windows: frames [B, window, S, S, 3] with each window's last frame repeated after it
    (pose: [B, window, F] with zeros), valid steps [B], targets."""
    frames = torch.stack([pad_window(item[0], window) for item in items])
    valid = torch.tensor([item[1] for item in items], dtype=torch.long)
    return frames, valid, [(item[2], item[3]) for item in items]


def _quiet_worker(_: int) -> None:
    """One thread per worker: the workers are the parallelism."""
    torch.set_num_threads(1)
    cv2.setNumThreads(1)


class EpochSampler(Sampler[tuple[int, int]]):
    """This process's share of each epoch's seeded shuffle, as (epoch, index) keys."""

    def __init__(self, dataset: TrainWindows, seed: int, rank: int, world: int) -> None:
        self.shares: DistributedSampler[int] = DistributedSampler(
            dataset, num_replicas=world, rank=rank, shuffle=True, seed=seed)
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """The epoch whose shuffle and windows come next."""
        self.epoch = epoch
        self.shares.set_epoch(epoch)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return ((self.epoch, index) for index in self.shares)

    def __len__(self) -> int:
        return len(self.shares)


def make_loader(dataset: TrainWindows, config: TrainConfig, rank: int = 0, world: int = 1,
                pin: bool = False) -> DataLoader[Window]:
    """The run's loader (call `loader.sampler.set_epoch` before each epoch); `config.workers` workers."""
    workers = config.workers
    sampler = EpochSampler(dataset, config.seed, rank, world)
    sampler.set_epoch(dataset.epoch)
    return DataLoader(dataset, batch_size=config.batch_size, sampler=sampler,
                      num_workers=workers, collate_fn=partial(collate, window=dataset.config.window_frames),
                      pin_memory=pin, worker_init_fn=_quiet_worker if workers else None,
                      prefetch_factor=2 if workers else None, persistent_workers=workers > 0,
                      multiprocessing_context="spawn" if workers else None)
