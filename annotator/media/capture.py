"""Opening a video file for reading: one place that says why a file cannot be read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2

from annotator.errors import InputError

CANNOT_OPEN = "cannot open the video (unknown codec, not a video, or corrupt)"


def open_capture(path: str | Path) -> cv2.VideoCapture:
    """An open OpenCV capture of `path` (the caller releases it); InputError naming the file otherwise."""
    name = str(path)
    if not Path(name).is_file():
        raise InputError(name, None, "video file not found")
    capture = cv2.VideoCapture(name)
    if not capture.isOpened():
        capture.release()
        raise InputError(name, None, CANNOT_OPEN)
    return capture


@contextmanager
def opened(path: str | Path) -> Iterator[cv2.VideoCapture]:
    """open_capture(path), released on leaving."""
    capture = open_capture(path)
    try:
        yield capture
    finally:
        capture.release()


@dataclass(frozen=True, slots=True)
class Header:
    """What the container declares, before any frame is decoded (any of it may be 0 or wrong)."""

    fps: float
    frame_count: int
    width: int
    height: int


def read_header(capture: cv2.VideoCapture) -> Header:
    """The container's frame rate, frame count and frame size as OpenCV reports them."""
    return Header(fps=float(capture.get(cv2.CAP_PROP_FPS) or 0.0),
                  frame_count=int(capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0),
                  width=int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
                  height=int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)))
