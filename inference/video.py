"""Video input: frames read through annotator.media, sampled, cropped, normalised as VideoMAE; window layout."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from annotator.errors import InputError
from annotator.media.frames import read_video, short_side_rgb, square_rgb
from annotator.progress import NEVER, CancelToken, Progress, no_progress

MEAN = (0.485, 0.456, 0.406)  # VideoMAE normalises with the ImageNet statistics
STD = (0.229, 0.224, 0.225)


@dataclass(frozen=True)
class DecodedVideo:
    """Sampled frames of one video, resized and centre-cropped to size x size, RGB uint8."""

    path: str
    frames: np.ndarray  # [T_sampled, size, size, 3] uint8
    fps: float
    total_frames: int  # decoded frames (before sampling)
    stride: int


def _check_decoded(path: Path, decoded: int, fps: float) -> None:
    """Refuse a video that gave no frame or states no frame rate."""
    if decoded == 0:
        raise InputError(str(path), "frame 0", "no frame could be decoded (corrupt or truncated video)")
    if not fps > 0:
        raise InputError(str(path), None, "the video does not state a frame rate")


def _resized(frame: np.ndarray, size: int, crop: bool) -> np.ndarray:
    """Short side `size`, centre-cropped square or (crop=False, for training crops drawn later) whole."""
    return square_rgb(frame, size) if crop else short_side_rgb(frame, size)


def decode_video(path: str | Path, size: int, stride: int = 1, progress: Progress = no_progress,
                 cancel: CancelToken = NEVER, crop: bool = True) -> DecodedVideo:
    """Decode every frame (fps and count from the decoded file), keep every stride-th, resize to short
    side `size` and centre-crop to size x size (crop=False: the whole resized frame)."""
    path = Path(path)
    with read_video(path) as video:
        frames = [_resized(frame, size, crop) for _i, frame in video.frames(stride, progress=progress, cancel=cancel)]
        fps, decoded = video.header.fps, video.read
    _check_decoded(path, len(frames), fps)
    return DecodedVideo(str(path), np.stack(frames), fps, decoded, stride)


def normalise(frames: torch.Tensor) -> torch.Tensor:
    """uint8 frames [B, T, H, W, 3] -> float [B, 3, T, H, W] normalised as VideoMAE."""
    x = frames.permute(0, 4, 1, 2, 3).float().div_(255.0)
    mean = torch.tensor(MEAN, device=x.device).view(1, 3, 1, 1, 1)
    std = torch.tensor(STD, device=x.device).view(1, 3, 1, 1, 1)
    return (x - mean) / std


def pad_window(chunk: torch.Tensor, window: int) -> torch.Tensor:
    """A window of `window` frames from a shorter chunk [n, ...]: uint8 pixels get the last frame repeated
    after them (OpenTAD pads a short video so), float pose features zeros (masked, never seen)."""
    if len(chunk) >= window:
        return chunk[:window]
    if chunk.dtype == torch.uint8 and len(chunk):
        tail = chunk[-1:].expand(window - len(chunk), *chunk.shape[1:])
    else:
        tail = chunk.new_zeros((window - len(chunk), *chunk.shape[1:]))
    return torch.cat([chunk, tail])


def sliding_windows(length: int, window: int, overlap: float = 0.25) -> list[int]:
    """Start indices of windows covering `length` sampled frames, the last one flush with the end."""
    if length <= window:
        return [0]
    step = max(1, int(window * (1 - overlap)))
    starts = list(range(0, length - window, step))
    starts.append(length - window)
    return starts


def decode_range(path: str | Path, size: int, stride: int, start: int, stop: int, crop: bool = True) -> np.ndarray:
    """Sampled frames start..stop-1 (indices after sampling) of a video, read sequentially: [n, S, S, 3]."""
    with read_video(path) as video:
        frames = [_resized(frame, size, crop) for _i, frame in video.frames(stride, start * stride, stop * stride)]
    if not frames:
        return np.zeros((0, size, size, 3), np.uint8)  # (an uncropped empty range has no known width)
    return np.stack(frames)


class LazyFrames:
    """Sampled frames of a video file, decoded only when a window is asked for (bounded memory)."""

    def __init__(self, path: str | Path, size: int, stride: int, length: int, crop: bool = True) -> None:
        self.path = Path(path)
        self.size = size
        self.stride = stride
        self.length = length
        self.crop = crop

    def __len__(self) -> int:
        return self.length

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """As an in-memory array's shape: [T_sampled, S, S, 3]."""
        return (self.length, self.size, self.size, 3)

    def __getitem__(self, window: slice) -> np.ndarray:
        start, stop, step = window.indices(self.length)
        if step != 1:
            raise ValueError("LazyFrames gives contiguous windows only")
        return decode_range(self.path, self.size, self.stride, start, stop, self.crop)
