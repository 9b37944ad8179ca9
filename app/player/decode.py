"""Open a clip's video with OpenCV and decode every frame into a FrameCache (pure, no Qt).

Frame timestamps come from the decoder (CAP_PROP_POS_MSEC after each read), never from a
typed-in fps, so variable-frame-rate files stay exact (DESIGN.md §3).

The player reads only the container header before the first frame (probe_video below),
not annotator.clips.probe_video: that one decodes the whole file to count frames and check
their spacing (~0.5 s for 15 s of 1080p, past the 0.3 s first-frame target) and refuses
variable-rate files, which the player must show exactly instead.
"""

from __future__ import annotations

import mmap
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from annotator.errors import InputError
from annotator.progress import NEVER, CancelToken, Progress, no_progress
from app.player.frame_cache import DEFAULT_BUDGET_BYTES, FrameCache, plan_cache

PROGRESS_EVERY = 8  # frames between progress reports (the first frame is always reported)
PIPELINE_DEPTH = 3  # full-size frames between the decoder and the shrinking stage


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
    """Decode the whole video sequentially into `cache`; returns the number of frames decoded.

    Frames stored at source size are decoded straight into their slots. Frames the plan
    shrinks go through a two-stage pipeline: this thread decodes into a few full-size
    buffers while a helper thread shrinks each into its slot (cv2 releases the GIL in both,
    so they share the cores). Frame 0 is decoded and shrunk here first, so it is on screen
    without waiting for the pipeline.
    """
    cap = cv2.VideoCapture(cache.path)
    if not cap.isOpened():
        cache.error = "OpenCV cannot open this file"
        raise InputError(cache.path, None, cache.error)
    plan = cache.plan
    try:
        if (plan.width, plan.height) == cache.source_size:
            index = _decode_in_place(cap, cache, progress, cancel)
        else:
            index = _decode_shrunk(cap, cache, progress, cancel)
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


def _report(progress: Progress, cache: FrameCache, index: int) -> None:
    """Progress after frame `index` was read (the count shown is what readers can use)."""
    if index == 0 or (index + 1) % PROGRESS_EVERY == 0:
        progress(min(cache.count / cache.plan.capacity, 0.999), f"decoded {cache.count} frames")


def _decode_in_place(cap: cv2.VideoCapture, cache: FrameCache, progress: Progress, cancel: CancelToken) -> int:
    """Read every frame straight into its slot; returns the number of frames read."""
    index = 0
    while index < cache.plan.capacity:
        cancel.check()
        slot = cache.slot(index)
        ok, frame = cap.read(slot)
        if not ok:
            break
        if frame is not slot:  # the decoder could not write in place
            slot[...] = frame
        cache.timestamps_ms[index] = cap.get(cv2.CAP_PROP_POS_MSEC)
        if index == 0:
            cache.start_prefetch()  # after the first frame, so it is not delayed
        index += 1
        cache.count = index  # publish only after the slot is complete
        _report(progress, cache, index - 1)
    return index


def _decode_shrunk(cap: cv2.VideoCapture, cache: FrameCache, progress: Progress, cancel: CancelToken) -> int:
    """Read every frame and have a Shrinker store it at the plan's size; returns frames read."""
    cancel.check()
    ok, first = cap.read()
    if not ok:
        return 0
    cache.timestamps_ms[0] = cap.get(cv2.CAP_PROP_POS_MSEC)
    shrinker = Shrinker(cache, first)
    shrinker.shrink(0, first)  # frame 0 on this thread: on screen before the pipeline starts
    cache.start_prefetch()
    _report(progress, cache, 0)
    index = 1
    shrinker.start()
    try:
        while index < cache.plan.capacity:
            cancel.check()
            buffer = shrinker.free_buffer()
            ok, frame = cap.read(buffer)
            if not ok:
                shrinker.recycle(buffer)
                break
            cache.timestamps_ms[index] = cap.get(cv2.CAP_PROP_POS_MSEC)
            shrinker.submit(index, frame)
            _report(progress, cache, index)
            index += 1
    finally:
        shrinker.finish()  # every submitted frame is stored (or the error re-raised) here
    return index


class Shrinker:
    """Second stage of the decode: shrinks full-size frames into their cache slots on its own thread.

    The reader takes a free full-size buffer, decodes into it and submits it; this thread
    resizes it into slot i, publishes `count = i + 1` (in order: one thread, FIFO) and hands
    the buffer back. PIPELINE_DEPTH buffers bound the memory and how far the reader runs ahead.
    """

    def __init__(self, cache: FrameCache, like: np.ndarray) -> None:
        self.cache = cache
        self._size = (cache.plan.width, cache.plan.height)
        self._free: queue.SimpleQueue[np.ndarray] = queue.SimpleQueue()
        for _ in range(PIPELINE_DEPTH):
            self._free.put(_scratch_frame(like))
        self._todo: queue.SimpleQueue[tuple[int, np.ndarray] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="frame-cache-shrink", daemon=True)
        self._error: BaseException | None = None

    def shrink(self, index: int, frame: np.ndarray) -> None:
        """Store `frame` as frame `index` and publish it."""
        # INTER_AREA: a plain box filter for the integer factors the plan uses, no aliasing
        cv2.resize(frame, self._size, dst=self.cache.slot(index), interpolation=cv2.INTER_AREA)
        self.cache.count = index + 1  # publish only after the slot is complete

    def start(self) -> None:
        """Start the helper thread."""
        self._thread.start()

    def free_buffer(self) -> np.ndarray:
        """A full-size buffer to decode into (waits while every buffer is queued); raises a stage error."""
        if self._error is not None:
            raise self._error
        return self._free.get()

    def recycle(self, buffer: np.ndarray) -> None:
        """Give back a buffer that was not submitted."""
        self._free.put(buffer)

    def submit(self, index: int, frame: np.ndarray) -> None:
        """Queue `frame` (a buffer from free_buffer, or the decoder's own array) as frame `index`."""
        self._todo.put((index, frame))

    def finish(self) -> None:
        """Wait until every submitted frame is stored; re-raise an error of the helper thread."""
        if self._thread.is_alive():
            self._todo.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (item := self._todo.get()) is not None:
            index, frame = item
            try:
                if self._error is None:
                    self.shrink(index, frame)
            except BaseException as exc:  # handed to the reader, which raises it
                self._error = exc
            finally:
                self._free.put(frame)


def _scratch_frame(like: np.ndarray) -> np.ndarray:
    """A frame buffer of its own anonymous mapping, so the pages go back to the system when it is freed.

    (From the heap, these 6 MB buffers would stay in the process after the decode: the
    allocator keeps freed blocks of that size around.)
    """
    try:
        mapping = mmap.mmap(-1, like.nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    except (AttributeError, OSError, ValueError, TypeError):  # no anonymous mmap flags here
        return np.empty_like(like)
    return np.frombuffer(mapping, dtype=like.dtype).reshape(like.shape)
