"""Temporal gradient: how much each pixel changed since the previous frame (MMAD Fig. 1)."""

from __future__ import annotations

import cv2
import numpy as np

GAIN = 4.0  # micro-actions move few pixels a little; amplify so they stand out


def temporal_gradient(frame: np.ndarray, previous: np.ndarray | None, gain: float = GAIN) -> np.ndarray:
    """|frame - previous| per channel, amplified and saturated to uint8 (zeros for frame 0)."""
    if previous is None:
        return np.zeros_like(frame)
    diff = cv2.absdiff(frame, previous)
    return cv2.convertScaleAbs(diff, alpha=gain)
