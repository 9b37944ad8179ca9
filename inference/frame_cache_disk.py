"""Decoded clips kept on disk: each video decoded once per sampling setting into a uint8 .npy.

Training reads windows straight from the memory-mapped file (no decoding, no memory growth);
the key names the video (resolved path, size, modification time) and the sampling settings,
so an edited video or another stride, size or crop is decoded anew. Files are written under a
temporary name and renamed, so a crash never leaves half an entry under a real key.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from annotator.errors import InputError
from annotator.progress import NEVER, CancelToken
from inference.video import decode_video

VERSION = 1  # bump when the decoding or resizing changes what an entry holds


@dataclass(frozen=True)
class Sampling:
    """How a clip is sampled into an entry: every `stride`-th frame, short side `size`, cropped or not."""

    stride: int
    size: int
    crop: bool  # True: centre size x size (test time); False: whole frame at short side size (training)


class DiskFrames:
    """A cached clip's frames [T, H, W, 3] uint8, memory-mapped on first use (pickles as its path)."""

    def __init__(self, path: Path, shape: tuple[int, int, int, int]) -> None:
        self.path = path
        self.shape = shape
        self._array: np.ndarray | None = None

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, window: slice) -> np.ndarray:
        if self._array is None:
            self._array = np.load(self.path, mmap_mode="r")
        return np.array(self._array[window])  # read from the file into a writable array

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "shape": self.shape, "_array": None}  # workers map the file themselves


@dataclass(frozen=True)
class CachedClip:
    """An entry: its frames and what decoding found."""

    frames: DiskFrames
    fps: float
    total_frames: int


def cache_key(video: Path, sampling: Sampling) -> str:
    """File stem of a video's entry: its name and a digest of the file's identity and the sampling."""
    stat = video.stat()
    ident = {"path": str(video.resolve()), "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns,
             "stride": sampling.stride, "size": sampling.size, "crop": sampling.crop, "version": VERSION}
    digest = hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:16]
    return f"{video.stem}-{digest}"


def cached_clip(video: str | Path, cache_dir: str | Path, sampling: Sampling,
                cancel: CancelToken = NEVER) -> CachedClip:
    """The clip's entry, decoding the video into the cache first when it has none."""
    video, folder = Path(video), Path(cache_dir)
    if not video.is_file():
        raise InputError(str(video), None, "video file not found")
    key = cache_key(video, sampling)
    data, meta = folder / f"{key}.npy", folder / f"{key}.json"
    if not (data.is_file() and meta.is_file()):
        _build(video, data, meta, sampling, cancel)
    try:
        info = json.loads(meta.read_text("utf-8"))
        shape = tuple(int(n) for n in info["shape"])
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(str(meta), None, f"unreadable frame-cache entry ({exc}); delete it to rebuild") from None
    return CachedClip(DiskFrames(data, (shape[0], shape[1], shape[2], shape[3])), float(info["fps"]),
                      int(info["total_frames"]))


def _build(video: Path, data: Path, meta: Path, sampling: Sampling, cancel: CancelToken) -> None:
    """Decode once and write the frames (.npy) and then what decoding found (.json), each atomically."""
    data.parent.mkdir(parents=True, exist_ok=True)
    decoded = decode_video(video, sampling.size, sampling.stride, cancel=cancel, crop=sampling.crop)
    tmp = data.with_name(data.name + f".{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        np.save(fh, decoded.frames)
    os.replace(tmp, data)
    info = {"video": str(video), "fps": decoded.fps, "total_frames": decoded.total_frames,
            "shape": list(decoded.frames.shape), "stride": sampling.stride, "size": sampling.size,
            "crop": sampling.crop}
    tmp = meta.with_name(meta.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(info), "utf-8")
    os.replace(tmp, meta)
