"""Where a video can be split for two decoders: its keyframes, read from the container's packets.

OpenCV's raw mode (CAP_PROP_FORMAT = -1) hands out the compressed packets without decoding
them and flags the keyframes, so listing them costs a pass over the file's bytes (~20 ms for
15 s of 1080p H.264), not a decode.
"""

from __future__ import annotations

import cv2

MIN_SPLIT_FRAMES = 96  # shorter clips decode in well under a second: a second decoder is not worth starting
# OpenCV's FFmpeg backend answers a seek to frame f by seeking to the keyframe at or before
# f - 16 and decoding forward (measured on OpenCV 5.1: with keyframes at 0 and 250, frames
# 250-265 take ~0.8 s to reach, frame 266 65 ms). Asking for keyframe + 16 starts it at the keyframe.
SEEK_LEAD = 16


def keyframe_indices(path: str) -> tuple[list[int], int]:
    """(indices of the packets flagged as keyframes, number of packets); ([], 0) when unreadable.

    Packets are in decode order; for the closed GOPs of ordinary files a keyframe's packet
    index is also its frame index. Callers must not rely on it: the decode checks the frame.
    """
    cap = cv2.VideoCapture(path, cv2.CAP_FFMPEG, [cv2.CAP_PROP_FORMAT, -1])
    keys: list[int] = []
    count = 0
    try:
        if not cap.isOpened():
            return [], 0
        while cap.grab():
            if cap.get(cv2.CAP_PROP_LRF_HAS_KEY_FRAME):
                keys.append(count)
            count += 1
    finally:
        cap.release()
    return keys, count


def split_point(keyframes: list[int], frames: int, min_frames: int = MIN_SPLIT_FRAMES) -> int | None:
    """The keyframe nearest the middle of `frames`, if it lies in the middle half; else None."""
    if frames < min_frames:
        return None
    inside = [k for k in keyframes if frames / 4 <= k <= frames * 3 / 4 and k > 0]
    return min(inside, key=lambda k: abs(2 * k - frames), default=None)
