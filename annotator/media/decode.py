"""Decode every frame of a clip's video into a FrameCache, sequentially or split between two decoders.

Frame timestamps come from the decoder (CAP_PROP_POS_MSEC after each read), never from a
typed-in fps, so variable-frame-rate files stay exact (docs/ARCHITECTURE.md, "Video I/O").
The cache is sized from a header-only probe (probe_video(path, count_frames=False)).

Two decoders share a long clip. One decoder alone leaves part of a second core idle (FFmpeg's
frame threads wait on the single thread that converts and stores each frame), so once frame 0
is on screen a second decoder starts just after a keyframe near the middle ("tail") while the first
("head") reads up to there. Nothing the tail stored is shown until the head has decoded the
tail's first frame itself and found it identical, pixels and timestamp:
a seek that lands elsewhere (OpenCV seeks by frame rate, so in a variable-rate file it does)
is caught there, the tail is dropped and the head goes on alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import threading
from collections.abc import Callable

import cv2
import numpy as np

from annotator.errors import InputError
from annotator.media.capture import open_capture
from annotator.media.frame_cache import DEFAULT_BUDGET_BYTES, SLACK_FRAMES, FrameCache, plan_cache
from annotator.media.keyframes import MIN_SPLIT_FRAMES, SEEK_LEAD, keyframes, split_point
from annotator.media.probe import VideoInfo
from annotator.media.storing import Storer, storer_for
from annotator.progress import NEVER, CancelToken, Progress, no_progress

PROGRESS_EVERY = 8  # frames between progress reports (the first frame is always reported)
WAIT_S = 0.03  # how often the head checks cancel and reports progress while it waits for the tail
HEAD_START = 8  # the tail claims its half only if the head is this far (in eighths of the clip) from it


def new_cache(info: VideoInfo, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> FrameCache:
    """An empty cache sized for this video (probed from its header) within the memory budget."""
    plan = plan_cache(info.width, info.height, info.frame_count, budget_bytes)
    return FrameCache(info.path, (info.width, info.height), plan)


def decode_into(cache: FrameCache, progress: Progress = no_progress, cancel: CancelToken = NEVER,
                min_split_frames: int = MIN_SPLIT_FRAMES) -> int:
    """Decode the whole video into `cache`, frame 0 first; returns the number of frames decoded.

    Readers only ever see a gapless prefix of decoded frames grow (`cache.count`); a clip of at
    least `min_split_frames` is shared by two decoders when it has a keyframe near its middle
    and the machine more than one core.
    """
    try:
        cap = open_capture(cache.path)
    except InputError as exc:
        cache.error = exc.problem
        raise
    long_clip = cache.plan.capacity - SLACK_FRAMES >= min_split_frames
    split = min_split_frames if long_clip and (os.cpu_count() or 1) > 1 else None
    try:
        _Fill(cache, progress, cancel).run(cap, split)
    finally:
        cap.release()
        cache.stop_prefetch()
        _return_freed_memory()
    if cache.count == 0:
        cache.error = "no decodable frame (corrupt or truncated file)"
        raise InputError(cache.path, "frame 0", cache.error)
    cache.complete = True
    progress(1.0, f"decoded {cache.count} frames")
    return cache.count


def _return_freed_memory() -> None:
    """Give the system back what the decoders freed (FFmpeg's frame buffers, OpenCV's images).

    glibc keeps freed blocks in the arena of the thread that allocated them, and each decode
    runs its tail on a new thread: without this the process grows by a few MiB per clip for
    the first hundred or so clips before it levels off.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None elsewhere."""
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


def read_range(cap: cv2.VideoCapture, cache: FrameCache, storer: Storer, index: int,
               may_read: Callable[[int], bool], cancel: CancelToken, on_read: Callable[[int], None]) -> int:
    """Read frames from `index` on into the cache until the file ends, the cache is full or
    may_read(i) says no; returns the index of the first frame not read."""
    capacity = cache.plan.capacity
    while index < capacity and may_read(index):
        cancel.check()
        buffer = storer.target(index)
        ok, frame = cap.read(buffer)
        if not ok:
            storer.recycle(buffer)
            break
        cache.timestamps_ms[index] = cap.get(cv2.CAP_PROP_POS_MSEC)
        storer.put(index, frame)
        index += 1
        on_read(index)
    return index


def overflow(cap: cv2.VideoCapture, cache: FrameCache, index: int) -> str | None:
    """The message when a decoder that stopped at frame `index` filled the cache and the file goes on."""
    if index == cache.plan.capacity and cap.grab():
        return f"the file holds more frames than it declares; only the first {index} are shown"
    return None


class _Fill:
    """One decode of a clip: the head on the calling thread, perhaps a tail (see the module notes)."""

    def __init__(self, cache: FrameCache, progress: Progress, cancel: CancelToken) -> None:
        self.cache = cache
        self.progress = progress
        self.cancel = cancel
        self._lock = threading.Lock()
        self._limit = cache.plan.capacity  # the head reads frames below this
        self._head_next = 0  # the frame the head reads next
        self._tail_start = 0  # the first frame the tail stores (0: no tail)
        self._tail_stored = 0  # frames the tail has stored
        self._joined = False  # the tail's frames are checked and published
        self._reported = 0.0  # the bar never goes back, even when a dropped tail's frames are read again

    # ----- the head (calling thread) -------------------------------------------------
    def run(self, cap: cv2.VideoCapture, min_split_frames: int | None) -> None:
        """Fill the cache; `min_split_frames` None: the head alone."""
        head = storer_for(self.cache, self._head_stored)
        self.cancel.check()
        buffer = head.target(0)
        ok, first = cap.read(buffer)
        if not ok:
            head.recycle(buffer)
            return
        self.cache.timestamps_ms[0] = cap.get(cv2.CAP_PROP_POS_MSEC)
        head.put_now(0, first)
        head.recycle(buffer)
        self._report()
        self.cache.start_prefetch()  # after the first frame, so it is not delayed
        tail = _Tail(self, min_split_frames) if min_split_frames is not None else None
        try:
            head.start()
            end = read_range(cap, self.cache, head, 1, self._head_may_read, self.cancel,
                             self._head_read)
            if tail is not None and self._tail_start and end == self._tail_start:
                head.drain()  # the tail's first frame (end - 1) is in its slot now
                if self._tail_matches(tail, end - 1):
                    self._join(tail)
                    return
                tail.stop()
                self._alone()
                end = read_range(cap, self.cache, head, end, self._head_may_read, self.cancel,
                                 self._head_read)
            self.cache.error = overflow(cap, self.cache, end) or self.cache.error
        finally:
            if tail is not None:
                tail.stop()
            head.finish()

    def _head_may_read(self, index: int) -> bool:
        with self._lock:
            self._head_next = index
            return index < self._limit

    def _head_stored(self, index: int) -> None:
        self.cache.count = index + 1  # publish only after the slot is complete

    def _tail_matches(self, tail: _Tail, index: int) -> bool:
        """Whether the tail's first frame is frame `index` as the head decoded it."""
        while not tail.checked.wait(WAIT_S):
            self.cancel.check()
        check = tail.check_frame
        return (check is not None and tail.check_ms == self.cache.timestamps_ms[index]
                and np.array_equal(check, self.cache.slot(index)))

    def _join(self, tail: _Tail) -> None:
        """Publish the tail's frames, then wait for it to end; re-raise its error."""
        with self._lock:
            self._joined = True
            self.cache.count = self._tail_start + self._tail_stored
        while not tail.done.wait(WAIT_S):
            self.cancel.check()
            self._report()
        if tail.error is not None:
            raise tail.error
        self.cache.error = tail.overflow or self.cache.error

    def _alone(self) -> None:
        """The tail is dropped: the head reads to the end and its frames overwrite the tail's."""
        with self._lock:
            self._limit = self.cache.plan.capacity
            self._tail_stored = 0

    # ----- the tail (its own thread) -------------------------------------------------
    def claim(self, start: int, frames: int) -> bool:
        """Hand frames from `start` on to the tail, if the head is far enough from them that the
        tail can open and seek before the head arrives (else the head would wait for it)."""
        with self._lock:
            if self._head_next >= start - frames // HEAD_START:
                return False
            self._limit = self._tail_start = start
            return True

    def _tail_stored_frame(self, index: int) -> None:
        with self._lock:
            self._tail_stored = index + 1 - self._tail_start
            if self._joined:
                self.cache.count = index + 1

    # ----- progress --------------------------------------------------------------------
    def _head_read(self, frames: int) -> None:
        if frames % PROGRESS_EVERY == 0:
            self._report()

    def _report(self) -> None:
        """Report the frames stored so far (the head's, and the tail's until they are joined)."""
        with self._lock:  # count and _joined change together in _join
            decoded = self.cache.count + (0 if self._joined else self._tail_stored)
        self._reported = max(self._reported, min(decoded / self.cache.plan.capacity, 0.999))
        self.progress(self._reported, f"decoded {decoded} frames")


class _Tail:
    """The second decoder: from a keyframe near the middle to the end, on its own thread.

    Its first frame is kept aside for the head's check, not stored; the frames
    after it go into their slots but are published only once the head has joined them.
    """

    def __init__(self, fill: _Fill, min_split_frames: int) -> None:
        self.fill = fill
        self.min_split_frames = min_split_frames
        self.check_frame: np.ndarray | None = None
        self.check_ms = float("nan")
        self.checked = threading.Event()  # check_frame is set, or the tail gave up
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.overflow: str | None = None  # the file goes on past the cache (only said if the tail is joined)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="frame-cache-tail", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop reading (at the next frame) and wait for the thread to end."""
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        fill = self.fill
        cache = fill.cache
        cap: cv2.VideoCapture | None = None
        try:
            keys, count = keyframes(cache.path, self._stop.is_set)
            frames = min(count, cache.plan.capacity)
            key = split_point(keys, frames, self.min_split_frames)
            if key is None:
                return
            first = min(key + SEEK_LEAD, frames - 1)  # the frame kept for the check
            if self._stop.is_set() or not fill.claim(first + 1, frames):
                return
            cap = cv2.VideoCapture(cache.path)
            storer = storer_for(cache, fill._tail_stored_frame)
            if not cap.isOpened() or not cap.set(cv2.CAP_PROP_POS_FRAMES, first):
                return
            ok, frame = cap.read()
            if not ok:
                return
            self.check_ms = cap.get(cv2.CAP_PROP_POS_MSEC)
            self.check_frame = storer.copy(frame)
            self.checked.set()
            storer.start()
            try:
                end = read_range(cap, cache, storer, first + 1, lambda _i: not self._stop.is_set(), fill.cancel,
                                 lambda _i: None)  # the head reports for both
                self.overflow = overflow(cap, cache, end)
            finally:
                storer.finish()
        except BaseException as exc:  # handed to the head, which raises it if it joined the tail
            self.error = exc
        finally:
            if cap is not None:
                cap.release()
            self.checked.set()
            self.done.set()
