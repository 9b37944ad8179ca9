"""Open a clip's video with OpenCV and decode every frame into a FrameCache (pure, no Qt).

Frame timestamps come from the decoder (CAP_PROP_POS_MSEC after each read), never from a
typed-in fps, so variable-frame-rate files stay exact (DESIGN.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2

from annotator.errors import InputError
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from app.player.frame_cache import DEFAULT_BUDGET_BYTES, FrameCache, plan_cache

PROGRESS_EVERY = 8  # frames between progress reports (the first frame is always reported)


@dataclass(frozen=True, slots=True)
class VideoProbe:
    """What the container says about a video before decoding it."""

    path: str
    width: int
    height: int
    fps: float
    frame_estimate: int


def probe_video(path: str | Path) -> VideoProbe:
    """Open `path` and read its size, fps and declared frame count; InputError when unusable."""
    name = str(path)
    if not Path(name).is_file():
        raise InputError(name, None, "video file not found")
    cap = cv2.VideoCapture(name)
    try:
        if not cap.isOpened():
            raise InputError(name, None, "OpenCV cannot open this file (unknown codec or not a video)")
        width = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        if width <= 0 or height <= 0:
            raise InputError(name, None, f"video reports an invalid size {width}x{height}")
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        estimate = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        return VideoProbe(name, width, height, fps, max(estimate, 1))
    finally:
        cap.release()


def new_cache(probe: VideoProbe, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> FrameCache:
    """An empty cache sized for this video within the memory budget."""
    plan = plan_cache(probe.width, probe.height, probe.frame_estimate, budget_bytes)
    return FrameCache(probe.path, (probe.width, probe.height), plan)


def decode_into(cache: FrameCache, progress: Progress = no_progress, cancel: CancelToken = NEVER) -> int:
    """Decode the whole video sequentially into `cache`; returns the number of frames decoded."""
    cap = cv2.VideoCapture(cache.path)
    if not cap.isOpened():
        cache.error = "OpenCV cannot open this file"
        raise InputError(cache.path, None, cache.error)
    plan = cache.plan
    resize = (plan.width, plan.height) != cache.source_size
    buffer = None
    try:
        index = 0
        while index < plan.capacity:
            cancel.check()
            slot = cache.slot(index)
            ok, buffer = cap.read(buffer if resize else slot)
            if not ok:
                break
            if resize:
                cv2.resize(buffer, (plan.width, plan.height), dst=slot, interpolation=cv2.INTER_AREA)
            elif buffer is not slot:  # the decoder could not write in place
                slot[...] = buffer
            cache.timestamps_ms[index] = cap.get(cv2.CAP_PROP_POS_MSEC)
            if index == 0:
                cache.start_prefetch()  # after the first frame, so it is not delayed
            index += 1
            cache.count = index  # publish only after the slot is complete
            if index == 1 or index % PROGRESS_EVERY == 0:
                progress(min(index / plan.capacity, 0.999), f"decoded {index} frames")
        if index == plan.capacity and cap.grab():
            cache.error = f"the file holds more frames than it declares; only the first {index} are shown"
    finally:
        cap.release()
        cache.stop_prefetch()
    if cache.count == 0:
        cache.error = "no decodable frame (corrupt or truncated file)"
        raise InputError(cache.path, "frame 0", cache.error)
    cache.complete = True
    progress(1.0, f"decoded {cache.count} frames")
    return cache.count
