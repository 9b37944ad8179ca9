"""Two ways of putting decoded frames into their cache slots, with one interface.

A decoder asks for a target array, reads a frame into it and puts it; the storer writes slot
i and then calls `on_stored(i)` (in frame order), which is where frames get published.

  * InPlace: the cache keeps source-size frames, so the target is the slot itself.
  * Shrinker: the cache keeps smaller frames; the decoder reads into a few full-size buffers
    and a helper thread shrinks each into its slot (cv2 releases the GIL in both, so the two
    stages share the cores).
"""

from __future__ import annotations

import mmap
import queue
import threading
from collections.abc import Callable

import cv2
import numpy as np

from annotator.media.frame_cache import FrameCache

PIPELINE_DEPTH = 3  # full-size frames between the decoder and the shrinking stage
Stored = Callable[[int], None]


class InPlace:
    """Frames kept at source size: the decoder writes straight into the slot."""

    def __init__(self, cache: FrameCache, on_stored: Stored) -> None:
        self.cache = cache
        self.on_stored = on_stored

    def target(self, index: int) -> np.ndarray:
        """The array to decode frame `index` into."""
        return self.cache.slot(index)

    def recycle(self, buffer: np.ndarray) -> None:
        """Give back a target that was not filled."""

    def put(self, index: int, frame: np.ndarray) -> None:
        """Store frame `index` (read into target(index), or the decoder's own array) and publish it."""
        slot = self.cache.slot(index)
        if frame is not slot:  # the decoder could not write in place
            slot[...] = frame
        self.on_stored(index)

    put_now = put

    def copy(self, frame: np.ndarray) -> np.ndarray:
        """A private copy of `frame` as the cache would hold it."""
        return frame.copy()

    def start(self) -> None:
        """Nothing runs beside the decoder."""

    def drain(self) -> None:
        """Every frame put is stored already."""

    def finish(self) -> None:
        """Nothing to stop."""


class Shrinker:
    """Second stage of the decode: shrinks full-size frames into their cache slots on its own thread.

    The reader takes a free full-size buffer, decodes into it and puts it; this thread resizes
    it into slot i, calls on_stored(i) (in order: one thread, FIFO) and hands the buffer back.
    PIPELINE_DEPTH buffers bound the memory and how far the reader runs ahead.
    """

    def __init__(self, cache: FrameCache, on_stored: Stored) -> None:
        self.cache = cache
        self.on_stored = on_stored
        self._size = (cache.plan.width, cache.plan.height)
        width, height = cache.source_size
        self._free: queue.SimpleQueue[np.ndarray] = queue.SimpleQueue()
        for _ in range(PIPELINE_DEPTH):
            self._free.put(scratch_frame((height, width, 3)))
        self._todo: queue.SimpleQueue[tuple[int, np.ndarray] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="frame-cache-shrink", daemon=True)
        self._error: BaseException | None = None

    def shrink(self, index: int, frame: np.ndarray) -> None:
        """Store `frame` as frame `index` and publish it."""
        # INTER_AREA: a plain box filter for the integer factors the plan uses, no aliasing
        cv2.resize(frame, self._size, dst=self.cache.slot(index), interpolation=cv2.INTER_AREA)
        self.on_stored(index)

    put_now = shrink  # on the caller's thread (frame 0: on screen before the pipeline starts)

    def copy(self, frame: np.ndarray) -> np.ndarray:
        """A private copy of `frame` as the cache would hold it."""
        return cv2.resize(frame, self._size, interpolation=cv2.INTER_AREA)

    def start(self) -> None:
        """Start the helper thread."""
        self._thread.start()

    def target(self, index: int) -> np.ndarray:
        """A full-size buffer to decode into (waits while every buffer is queued); raises a stage error."""
        if self._error is not None:
            raise self._error
        return self._free.get()

    def recycle(self, buffer: np.ndarray) -> None:
        """Give back a buffer that was not filled."""
        self._free.put(buffer)

    def put(self, index: int, frame: np.ndarray) -> None:
        """Queue `frame` (a buffer from target(), or the decoder's own array) as frame `index`."""
        self._todo.put((index, frame))

    def drain(self) -> None:
        """Wait until every frame put so far is stored (each buffer is back); re-raise a stage error."""
        held = [self._free.get() for _ in range(PIPELINE_DEPTH)]
        for buffer in held:
            self._free.put(buffer)
        if self._error is not None:
            raise self._error

    def finish(self) -> None:
        """Wait until every frame put is stored and stop the thread; re-raise a stage error."""
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


Storer = InPlace | Shrinker


def storer_for(cache: FrameCache, on_stored: Stored) -> Storer:
    """The storer the cache's plan needs."""
    if (cache.plan.width, cache.plan.height) == cache.source_size:
        return InPlace(cache, on_stored)
    return Shrinker(cache, on_stored)


def scratch_frame(shape: tuple[int, int, int]) -> np.ndarray:
    """A uint8 frame buffer of its own anonymous mapping, so the pages go back to the system when it is freed.

    (From the heap, these 6 MB buffers would stay in the process after the decode: the
    allocator keeps freed blocks of that size around.)
    """
    nbytes = shape[0] * shape[1] * shape[2]
    try:
        mapping = mmap.mmap(-1, nbytes, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    except (AttributeError, OSError, ValueError, TypeError):  # no anonymous mmap flags here
        return np.empty(shape, dtype=np.uint8)
    return np.frombuffer(mapping, dtype=np.uint8).reshape(shape)
