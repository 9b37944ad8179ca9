"""Reading a video's frames in order, and the square RGB crops the detector takes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from annotator.errors import InputError
from annotator.media.capture import Header, open_capture, read_header
from annotator.progress import NEVER, CancelToken, Progress, no_progress

REPORT_EVERY = 64  # frames between cancel checks and progress reports


@dataclass(slots=True)
class SequentialReader:
    """An open video read front to back: every frame is grabbed, only the wanted ones become images."""

    path: Path
    capture: cv2.VideoCapture
    header: Header
    read: int = 0  # frames grabbed so far (the index of the next one)

    def frames(self, stride: int = 1, start: int = 0, stop: int | None = None, progress: Progress = no_progress,
               cancel: CancelToken = NEVER) -> Iterator[tuple[int, np.ndarray]]:
        """(index, BGR frame) for the frames start, start + stride, … below `stop` (default: to the end).

        Goes on from where the reader is; checks `cancel` and reports progress (against the
        declared frame count) every REPORT_EVERY frames grabbed.
        """
        while stop is None or self.read < stop:
            if not self.capture.grab():
                return
            index = self.read
            self.read += 1
            if self.read % REPORT_EVERY == 0:
                cancel.check()
                progress(min(self.read / max(self.header.frame_count, 1), 1.0), f"decoding {self.path.name}")
            if index < start or (index - start) % stride:
                continue
            ok, frame = self.capture.retrieve()
            if not ok or frame is None:
                raise InputError(str(self.path), f"frame {index}", "cannot decode this frame")
            yield index, frame

    def time_ms(self) -> float:
        """The decoder's presentation time of the frame grabbed last, in milliseconds."""
        return float(self.capture.get(cv2.CAP_PROP_POS_MSEC))


@contextmanager
def read_video(path: str | Path) -> Iterator[SequentialReader]:
    """A SequentialReader of `path` from frame 0, closed on leaving; InputError when it cannot be opened."""
    capture = open_capture(path)
    try:
        yield SequentialReader(Path(path), capture, read_header(capture))
    finally:
        capture.release()


def to_rgb(frame: np.ndarray) -> np.ndarray:
    """A BGR frame (OpenCV's order) as a new RGB array."""
    rgb: np.ndarray = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    return rgb


def short_side_rgb(frame: np.ndarray, size: int) -> np.ndarray:
    """A BGR frame as RGB with its short side resized to `size`, the whole frame kept: [H', W', 3] uint8."""
    height, width = frame.shape[:2]
    scale = size / min(height, width)
    new_w, new_h = max(size, round(width * scale)), max(size, round(height * scale))
    resized: np.ndarray = cv2.resize(to_rgb(frame), (new_w, new_h), interpolation=cv2.INTER_AREA)
    return resized


def square_rgb(frame: np.ndarray, size: int) -> np.ndarray:
    """A BGR frame as RGB, its short side resized to `size` and centre-cropped: [size, size, 3] uint8."""
    resized = short_side_rgb(frame, size)
    top, left = (resized.shape[0] - size) // 2, (resized.shape[1] - size) // 2
    return resized[top : top + size, left : left + size]
