"""Training windows as a torch Dataset, read by a DataLoader with workers, pinned memory and prefetching.

Every random draw of a window (its start, AdaTAD's temporal and spatial augmentation) comes from a
generator seeded by (seed, epoch, clip index), so a window is the same whichever worker or
process builds it: one process with batch 4 sees the same windows as two with batch 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, DistributedSampler

from inference.augment import KEEP_INSIDE, augment_frames, temporal_crop
from inference.configs import ModelConfig, TrainConfig
from inference.data import KEEP_FRACTION, ClipSample, window_targets
from inference.model import input_dtype

Window = tuple[torch.Tensor, int, torch.Tensor, torch.Tensor]  # frames [W, S, S, 3] (pose: [W, F]), valid, segs, labels
Batch = tuple[torch.Tensor, torch.Tensor, list[tuple[torch.Tensor, torch.Tensor]]]


def window_start(length: int, window: int, rng: np.random.Generator) -> int:
    """Start of a random training window (random truncation of long clips)."""
    return 0 if length <= window else int(rng.integers(0, length - window + 1))


@dataclass
class TrainWindows(Dataset[Window]):
    """One random training window per clip; `epoch` is set before each epoch's loader is made."""

    samples: Sequence[ClipSample]
    config: ModelConfig
    augment: bool
    seed: int
    epoch: int = 0

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> Window:
        sample, config = self.samples[index], self.config
        rng = np.random.default_rng([self.seed, self.epoch, index])
        size, window = config.backbone.img_size, config.window_frames
        length = len(sample.frames)
        pixels = config.backbone.kind != "pose"  # pose features [T, F] get no image augmentation
        if self.augment and pixels:
            start, stop = temporal_crop(length, window, sample.segments / config.frame_stride, rng)
            frames = augment_frames(np.asarray(sample.frames[start:stop]), size, rng)
            keep = KEEP_INSIDE
        else:
            start = window_start(length, window, rng)
            frames = np.asarray(sample.frames[start : start + window])
            keep = KEEP_FRACTION
        if pixels and frames.shape[1:3] != (size, size):
            raise ValueError(f"{sample.video_id}: frames of {frames.shape[1:3]} need augmentation to {size}x{size}")
        out = torch.zeros((window, *config.backbone.input_shape()), dtype=input_dtype(config))
        out[: len(frames)] = torch.from_numpy(np.ascontiguousarray(frames))
        segs, labels = window_targets(sample, start, config, len(frames), keep)
        return out, config.steps_for(len(frames)), segs, labels


def collate(items: Sequence[Window]) -> Batch:
    """Stack windows: frames [B, W, S, S, 3] uint8, valid steps [B], targets per window."""
    frames = torch.stack([item[0] for item in items])
    valid = torch.tensor([item[1] for item in items], dtype=torch.long)
    return frames, valid, [(item[2], item[3]) for item in items]


def _quiet_worker(_: int) -> None:
    """One thread per worker: the workers are the parallelism."""
    torch.set_num_threads(1)
    cv2.setNumThreads(1)


def make_loader(dataset: TrainWindows, config: TrainConfig, rank: int = 0, world: int = 1,
                pin: bool = False) -> DataLoader[Window]:
    """This epoch's loader: this process's share of a seeded shuffle, `config.workers` workers."""
    sampler: DistributedSampler[Window] = DistributedSampler(dataset, num_replicas=world, rank=rank, shuffle=True, seed=config.seed)
    sampler.set_epoch(dataset.epoch)
    workers = config.workers
    return DataLoader(dataset, batch_size=config.batch_size, sampler=sampler, num_workers=workers,
                      collate_fn=collate, pin_memory=pin, worker_init_fn=_quiet_worker if workers else None,
                      prefetch_factor=2 if workers else None, persistent_workers=False)
