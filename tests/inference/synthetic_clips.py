"""Tiny synthetic clips for the detector tests: class k = a flickering square in quadrant k."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from annotator.formats.records import AnnotationSet, InstanceRecord, VideoRecord
from inference.data import ClipSample

SIZE = 64
FPS = 30.0
QUADRANTS = ((4, 4), (4, 36), (36, 4), (36, 36))  # (row, col) of each class's square


def clip_instances(index: int, n_frames: int, rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """Two or three instances per clip, different classes, overlapping now and then."""
    out = []
    classes = rng.permutation(4)[: 2 + index % 2]
    for c in classes:
        length = int(rng.integers(24, 72))
        start = int(rng.integers(4, n_frames - length - 4))
        out.append((start, start + length, int(c)))
    return out


def render(n_frames: int, instances: list[tuple[int, int, int]], rng: np.random.Generator) -> np.ndarray:
    """Frames [T, SIZE, SIZE, 3] uint8: grey noise, squares that flicker while their action runs."""
    frames = rng.integers(90, 120, size=(n_frames, SIZE, SIZE, 3), dtype=np.uint8)
    for start, end, c in instances:
        r, col = QUADRANTS[c]
        for f in range(start, end + 1):
            value = 255 if (f // 2) % 2 == 0 else 20
            frames[f, r : r + 24, col : col + 24] = value
    return frames


def make_clips(count: int, n_frames: int = 240, seed: int = 0) -> tuple[list[np.ndarray], AnnotationSet]:
    """`count` clips (full frame rate) and their annotations."""
    rng = np.random.default_rng(seed)
    aset = AnnotationSet()
    clips = []
    for i in range(count):
        vid = f"s{i // 2:02d}_clip{i}"
        inst = clip_instances(i, n_frames, rng)
        clips.append(render(n_frames, inst, rng))
        aset.videos[vid] = VideoRecord(vid, FPS, n_frames, "train", f"s{i // 2:02d}")
        aset.instances.extend(InstanceRecord(vid, s, e, c) for s, e, c in inst)
    return clips, aset


def as_samples(clips: list[np.ndarray], aset: AnnotationSet, stride: int) -> list[ClipSample]:
    """ClipSamples without any video file (frames sampled by `stride`)."""
    samples = []
    for clip, vid in zip(clips, aset.videos, strict=True):
        rows = [(i.start_frame, i.end_frame, i.action_id) for i in aset.instances if i.video_id == vid]
        arr = np.array(rows, dtype=np.float64).reshape(-1, 3)
        samples.append(ClipSample(vid, clip[::stride].copy(), FPS, len(clip), arr[:, :2], arr[:, 2].astype(np.int64)))
    return samples


def write_mp4(path: Path, frames: np.ndarray, fps: float = FPS) -> Path:
    """Write RGB frames as an mp4v file."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (frames.shape[2], frames.shape[1]))
    for frame in frames:
        writer.write(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    writer.release()
    return path
