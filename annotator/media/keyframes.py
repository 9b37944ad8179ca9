"""Where a video can be split for two decoders: its keyframes, read from the container's packets.

OpenCV's raw mode (CAP_PROP_FORMAT = -1) hands out the compressed packets without decoding
them, with each packet's timestamp and keyframe flag, so listing the keyframes costs a pass
over the file's bytes (2-20 ms for 15 s of 1080p), not a decode.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2

MIN_SPLIT_FRAMES = 96  # shorter clips decode in well under a second: a second decoder is not worth starting
# OpenCV's FFmpeg backend answers a seek to frame f by seeking to the keyframe at or before
# f - 16 and decoding forward (measured on OpenCV 5.1: with keyframes at 0 and 250, frames
# 250-265 take ~0.8 s to reach, frame 266 65 ms). Asking for keyframe + 16 starts it at the keyframe.
SEEK_LEAD = 16


def keyframes(path: str, stop: Callable[[], bool] = lambda: False) -> tuple[list[int], int]:
    """(frame indices of the keyframes, number of frames) from the packets; ([], n) unless the
    file is constant-rate; ([], 0) when it cannot be read or `stop()` said so.

    A frame's index is its timestamp × the stream's rate, which is where OpenCV's seek looks
    for it. That only holds when the timestamps are exactly frames 0 … n-1 (in any order: B-frames
    come out of order). Variable-rate files and bare streams without timestamps fail the test,
    so a tail is never started where its seek would land elsewhere or decode from far back.
    """
    cap = cv2.VideoCapture(path, cv2.CAP_FFMPEG, [cv2.CAP_PROP_FORMAT, -1])
    try:
        fps = cap.get(cv2.CAP_PROP_FPS) if cap.isOpened() else 0.0
        if fps <= 0:
            return [], 0
        stamps: list[float] = []
        keys: list[int] = []
        while cap.grab():
            if stop():
                return [], 0
            frame = cap.get(cv2.CAP_PROP_POS_MSEC) * fps / 1000.0
            stamps.append(frame)
            if cap.get(cv2.CAP_PROP_LRF_HAS_KEY_FRAME):
                keys.append(round(frame))
    finally:
        cap.release()
    constant_rate = (all(abs(f - round(f)) < 0.01 for f in stamps)
                     and sorted(round(f) for f in stamps) == list(range(len(stamps))))
    return (sorted(keys) if constant_rate else []), len(stamps)


def split_point(keyframes: list[int], frames: int, min_frames: int = MIN_SPLIT_FRAMES) -> int | None:
    """The keyframe nearest the middle of `frames`, if it lies in the middle half; else None."""
    if frames < min_frames:
        return None
    inside = [k for k in keyframes if frames / 4 <= k <= frames * 3 / 4 and k > 0]
    return min(inside, key=lambda k: abs(2 * k - frames), default=None)
