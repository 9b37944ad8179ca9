"""Small test videos written with OpenCV."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

CLIP_FRAMES = 60
CLIP_FPS = 30.0
CLIP_SIZE = (160, 120)


def write_test_clip(path: Path, frames: int = CLIP_FRAMES, fps: float = CLIP_FPS,
                    size: tuple[int, int] = CLIP_SIZE) -> Path:
    """An MP4 whose frame i shows a bright bar at x = 2·i (so every frame differs)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    assert writer.isOpened(), "OpenCV cannot write mp4v here"
    w, h = size
    for i in range(frames):
        frame = np.full((h, w, 3), 40, np.uint8)
        x = (2 * i) % (w - 4)
        frame[:, x:x + 4] = 230
        writer.write(frame)
    writer.release()
    return path
