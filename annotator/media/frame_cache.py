"""A bounded cache holding every decoded frame of one clip, filled by a decode worker.

Memory is bounded by construction: the plan reserves room for the whole clip within the
budget, and when the clip at full size would exceed it, frames are stored at 1/2, 1/3, ...
of the source size (integer factors: OpenCV's INTER_AREA has a fast box-filter path for
them, and a 960×540 frame still fills the player).

Frames live in fixed-size chunks (32 MiB) taken from a process-wide pool:
  * a chunk's pages are committed by the thread that maps it (see _map_chunk), not by
    page faults in the decoder while it writes;
  * the decoder takes chunks as it goes, so the first frame never waits for the rest,
    while a helper thread maps the following chunks ahead of it (start_prefetch);
  * a released cache gives its chunks back for the next clip, and the pool never holds
    more than the budget, so opening clip after clip does not grow the process;
  * the app reserves the chunks its largest clip needs while it starts (ChunkPool.reserve on
    a worker; app/warm_start.py), so even the first clip opened finds its memory committed:
    committing ~700 MiB costs ~0.3 s of kernel time, which on two cores would otherwise slow
    the decode by about as much.

A decoder writes slot i, then publishes `count = i + 1`; readers only touch slots below
`count`, so they need no lock (integer publish). Two decoders may write one cache (see
decode.py): slots are disjoint, and mapping chunks is done under a lock.
"""

from __future__ import annotations

import math
import mmap
import queue
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from annotator.progress import NEVER, CancelToken

DEFAULT_BUDGET_BYTES = 1 << 30  # 1 GiB (docs/ARCHITECTURE.md, "Video I/O")
SLACK_FRAMES = 8  # containers sometimes under-report their frame count by a few
MAX_FACTOR = 16
CHUNK_BYTES = 32 << 20
PAGE_BYTES = mmap.PAGESIZE


@dataclass(frozen=True, slots=True)
class CachePlan:
    """Size of the cached frames and how many slots to reserve."""

    width: int
    height: int
    capacity: int
    scale: float

    @property
    def frame_bytes(self) -> int:
        """Bytes of one cached frame."""
        return self.width * self.height * 3

    @property
    def chunk_bytes(self) -> int:
        """Bytes of one chunk (a frame never straddles two)."""
        return max(CHUNK_BYTES, self.frame_bytes)

    @property
    def frames_per_chunk(self) -> int:
        """Frames held by one chunk."""
        return self.chunk_bytes // self.frame_bytes

    @property
    def chunks(self) -> int:
        """Chunks the cache takes when full."""
        return math.ceil(self.capacity / self.frames_per_chunk)

    @property
    def nbytes(self) -> int:
        """Bytes the cache takes when full (whole chunks)."""
        return self.chunks * self.chunk_bytes


def plan_cache(width: int, height: int, frame_estimate: int, budget_bytes: int = DEFAULT_BUDGET_BYTES
               ) -> CachePlan:
    """Largest source/k frame size (k = 1, 2, 3, ...) whose whole-clip cache fits the budget."""
    capacity = max(1, frame_estimate) + SLACK_FRAMES
    for factor in range(1, MAX_FACTOR + 1):
        w, h = max(1, width // factor), max(1, height // factor)
        plan = CachePlan(width=w, height=h, capacity=capacity, scale=w / width)
        if plan.nbytes <= budget_bytes:
            return plan
    # Absurdly long clip for the budget: smallest size, and only the frames that fit.
    small = CachePlan(width=w, height=h, capacity=1, scale=w / width)
    fitting = max(1, budget_bytes // small.chunk_bytes) * small.frames_per_chunk
    return CachePlan(width=w, height=h, capacity=min(capacity, fitting), scale=w / width)


def largest_plan(sizes: Iterable[tuple[int, int, int]], budget_bytes: int = DEFAULT_BUDGET_BYTES
                 ) -> CachePlan | None:
    """The plan taking the most memory among clips of these (width, height, frames); None for none."""
    plans = [plan_cache(w, h, n, budget_bytes) for w, h, n in sizes]
    return max(plans, key=lambda p: p.nbytes, default=None)


def _map_chunk(nbytes: int) -> np.ndarray:
    """A fresh anonymous mapping with every page committed.

    Committed by touching one byte per page rather than with MAP_POPULATE: MAP_POPULATE keeps
    the process's memory-map lock for the whole call (~10 ms per 32 MiB), stalling every other
    thread that maps memory meanwhile (Python importing extension modules, the decoder's own
    buffers); a page fault holds it only for one page.
    """
    flags = mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
    try:
        chunk = np.frombuffer(mmap.mmap(-1, nbytes, flags=flags), dtype=np.uint8)
    except (AttributeError, OSError, ValueError, TypeError):  # no anonymous mmap flags here (e.g. Windows)
        return np.empty(nbytes, dtype=np.uint8)
    chunk[::PAGE_BYTES] = 0
    return chunk


class ChunkPool:
    """Spare frame chunks for the next cache: spares and the chunks caches hold from it stay within
    `limit_bytes` together (a cache may still map past it; its chunks are then freed on return).

    Reservations map chunks ahead of need (reserve); a cache that wants a chunk while a
    reservation is mapping one of its size waits for it rather than mapping one more, so
    the two never commit the same memory twice.
    """

    def __init__(self, limit_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self._cond = threading.Condition()
        self._spare: list[np.ndarray] = []
        self._pending: dict[int, int] = {}  # chunk size -> chunks reservations are mapping now
        self._out = 0  # bytes taken by caches and not given back yet
        self.limit_bytes = limit_bytes

    def take(self, nbytes: int) -> np.ndarray:
        """A flat uint8 chunk of exactly nbytes: a spare or reserved one, else a new committed mapping."""
        with self._cond:
            self._out += nbytes
            while True:
                for i, chunk in enumerate(self._spare):
                    if chunk.nbytes == nbytes:
                        return self._spare.pop(i)
                if not self._pending.get(nbytes):
                    break
                self._cond.wait()
            if self._spare:
                self._spare.pop()  # a spare of the wrong size: free it before mapping more
        return _map_chunk(nbytes)

    def give(self, chunks: list[np.ndarray]) -> None:
        """Keep these chunks for reuse, up to the limit (the rest are freed)."""
        with self._cond:
            for chunk in chunks:
                self._out = max(0, self._out - chunk.nbytes)
                self._keep(chunk)
            self._cond.notify_all()

    def _keep(self, chunk: np.ndarray) -> None:
        """Keep a spare while spares and chunks in use stay within the limit, else let it be freed."""
        if self._spare_total() + self._out + chunk.nbytes <= self.limit_bytes:
            self._spare.append(chunk)

    def reserve(self, chunk_bytes: int, count: int, cancel: CancelToken = NEVER) -> int:
        """Map spare chunks of chunk_bytes until `count` are held or being mapped (within the limit);
        returns how many this call mapped.

        One chunk at a time, each handed to the pool at once, so a decoder that starts meanwhile
        takes the ones ready; cancelling stops before the next chunk.
        """
        with self._cond:
            held = sum(1 for c in self._spare if c.nbytes == chunk_bytes) + self._pending.get(chunk_bytes, 0)
            pending_bytes = sum(size * n for size, n in self._pending.items())
            free = self.limit_bytes - self._spare_total() - pending_bytes - self._out
            room = max(0, free) // chunk_bytes
            todo = max(0, min(count - held, room))
            self._pending[chunk_bytes] = self._pending.get(chunk_bytes, 0) + todo
        mapped = 0
        try:
            for _ in range(todo):
                cancel.check()
                chunk = _map_chunk(chunk_bytes)
                with self._cond:
                    self._pending[chunk_bytes] -= 1
                    mapped += 1
                    self._keep(chunk)
                    self._cond.notify_all()
        finally:
            with self._cond:
                self._pending[chunk_bytes] -= todo - mapped
                self._cond.notify_all()
        return mapped

    def spare_bytes(self) -> int:
        """Bytes held for reuse now."""
        with self._cond:
            return self._spare_total()

    def _spare_total(self) -> int:
        return sum(c.nbytes for c in self._spare)

    def clear(self) -> None:
        """Free every spare chunk."""
        with self._cond:
            self._spare.clear()


POOL = ChunkPool()


class FrameCache:
    """Decoded BGR frames of one clip plus the decoder's timestamp of each frame."""

    def __init__(self, path: str | Path, source_size: tuple[int, int], plan: CachePlan,
                 pool: ChunkPool = POOL) -> None:
        self.path = str(path)
        self.source_size = source_size
        self.plan = plan
        self.pool = pool
        # Chunk c holds frames c·frames_per_chunk onwards, (frames_per_chunk, H, W, 3); mapped when
        # first written, so a second decoder starting mid-clip maps only the chunks it writes.
        self._chunks: list[np.ndarray | None] = [None] * plan.chunks
        self.timestamps_ms = np.zeros(plan.capacity, dtype=np.float64)
        self.count = 0  # frames decoded so far (published after the slot is written)
        self.complete = False  # the decoder reached the end of the file
        self.error: str | None = None
        self._ready: queue.SimpleQueue[np.ndarray | None] | None = None
        self._prefetcher: threading.Thread | None = None
        self._stop = threading.Event()
        self._mapping = threading.Lock()

    def start_prefetch(self) -> None:
        """Map the chunks after the first in a helper thread, ahead of the decoder."""
        p = self.plan
        needed = p.chunks - max(1, self._mapped())
        if needed <= 0 or self._prefetcher is not None:
            return
        ready: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()

        def run() -> None:
            for _ in range(needed):
                if self._stop.is_set():
                    break
                ready.put(self.pool.take(p.chunk_bytes))
            ready.put(None)  # no more: the decoder maps any further chunk itself

        self._ready = ready
        self._prefetcher = threading.Thread(target=run, name="frame-cache-prefetch", daemon=True)
        self._prefetcher.start()

    def stop_prefetch(self) -> None:
        """Stop the helper thread and return the chunks it mapped but nobody used."""
        self._stop.set()
        if self._prefetcher is not None:
            self._prefetcher.join()
            self._prefetcher = None
        ready, self._ready = self._ready, None
        leftovers: list[np.ndarray] = []
        while ready is not None and not ready.empty():
            chunk = ready.get()
            if chunk is not None:
                leftovers.append(chunk)
        self.pool.give(leftovers)

    def _next_chunk(self) -> np.ndarray:
        if self._ready is not None:
            chunk = self._ready.get()
            if chunk is not None:
                return chunk
            self._ready = None
        return self.pool.take(self.plan.chunk_bytes)

    @property
    def capacity(self) -> int:
        """Slots reserved."""
        return self.plan.capacity

    def _mapped(self) -> int:
        return sum(c is not None for c in self._chunks)

    def slot(self, index: int) -> np.ndarray:
        """Writable H×W×3 slot for frame `index` (decoders only; maps its chunk if needed)."""
        chunk, offset = divmod(index, self.plan.frames_per_chunk)
        block = self._chunks[chunk]
        if block is None:
            with self._mapping:  # two decoders may meet in one chunk: map it once
                block = self._chunks[chunk]
                if block is None:
                    p = self.plan
                    used = self._next_chunk()[: p.frames_per_chunk * p.frame_bytes]
                    block = self._chunks[chunk] = used.reshape(p.frames_per_chunk, p.height, p.width, 3)
        slot: np.ndarray = block[offset]
        return slot

    def frame(self, index: int) -> np.ndarray | None:
        """Frame `index` (H×W×3 BGR view), or None while it is not decoded yet."""
        if 0 <= index < self.count:
            chunk, offset = divmod(index, self.plan.frames_per_chunk)
            block = self._chunks[chunk]
            assert block is not None  # every frame below count was written
            frame: np.ndarray = block[offset]
            return frame
        return None

    def time_ms(self, index: int) -> float | None:
        """The decoder's presentation time of frame `index` in milliseconds."""
        if 0 <= index < self.count:
            return float(self.timestamps_ms[index])
        return None

    def frame_at_time(self, ms: float) -> int:
        """Index of the frame on screen at time `ms` (the last frame starting at or before it)."""
        n = self.count
        if n == 0:
            return 0
        i = int(np.searchsorted(self.timestamps_ms[:n], ms, side="right")) - 1
        return min(max(i, 0), n - 1)

    def release(self) -> None:
        """Give the frame memory back to the pool (only once the decoder has stopped)."""
        self.stop_prefetch()
        self.count = 0
        chunks, self._chunks = self._chunks, [None] * self.plan.chunks
        # The pool wants the flat chunks; each view's base chain ends at the mapped buffer.
        self.pool.give([_flat(c) for c in chunks if c is not None])


def _flat(chunk: np.ndarray) -> np.ndarray:
    base = chunk
    while isinstance(base.base, np.ndarray):
        base = base.base
    return base
