"""The landmarks of one clip: 33 points with visibility per frame, NaN where no person was found."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inference.pose.skeleton import N_LANDMARKS


@dataclass(frozen=True)
class PoseTrack:
    """Per-frame pose of one clip, in decoded-frame order."""

    landmarks: np.ndarray  # [T, 33, 4] float32: x, y (0..1 of the image), z, visibility; NaN: no person
    timestamps_ms: np.ndarray  # [T] int64, the decoder's presentation times
    width: int
    height: int
    fps: float  # as the container states it (frame indices <-> seconds, like the detector's decoder)
    ms_per_frame: float  # extraction time (decode + pose), for the record

    def __post_init__(self) -> None:
        t = len(self.timestamps_ms)
        if self.landmarks.shape != (t, N_LANDMARKS, 4):
            raise ValueError(f"landmarks {self.landmarks.shape}: expected ({t}, {N_LANDMARKS}, 4)")

    @property
    def frames(self) -> int:
        """Decoded frames covered."""
        return len(self.timestamps_ms)

    @property
    def present(self) -> np.ndarray:
        """[T] bool: a person was found in the frame."""
        present: np.ndarray = ~np.isnan(self.landmarks[:, 0, 0])
        return present

    @property
    def aspect(self) -> float:
        """Width over height: x and y are normalised by different lengths."""
        return self.width / max(self.height, 1)


def empty_frame() -> np.ndarray:
    """The landmarks of a frame without a person: [33, 4] of NaN."""
    return np.full((N_LANDMARKS, 4), np.nan, dtype=np.float32)
