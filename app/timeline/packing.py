"""Pack overlapping segments of one lane into sub-rows (greedy interval partitioning)."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Bar:
    """One segment as the timeline draws it (frames, lane = body part id)."""

    id: int
    start: int
    end: int
    lane: int
    action_id: int
    text: str
    code: str = ""  # the short label (action code, B6) shown where `text` does not fit


def pack_rows(bars: Sequence[Bar]) -> dict[int, int]:
    """Sub-row of each bar id so that bars in one row of a lane never overlap.

    Sorted by start, each bar takes the lowest free row; this uses the minimum number of
    rows (the maximum number of bars overlapping at one instant). Touching bars
    (end == next start) share a row.
    """
    rows: dict[int, int] = {}
    by_lane: dict[int, list[Bar]] = {}
    for bar in bars:
        by_lane.setdefault(bar.lane, []).append(bar)
    for lane_bars in by_lane.values():
        busy: list[tuple[int, int]] = []  # (end, row) of bars still open
        free: list[int] = []
        n_rows = 0
        for bar in sorted(lane_bars, key=lambda b: (b.start, b.end, b.id)):
            while busy and busy[0][0] <= bar.start:
                heapq.heappush(free, heapq.heappop(busy)[1])
            if free:
                row = heapq.heappop(free)
            else:
                row, n_rows = n_rows, n_rows + 1
            rows[bar.id] = row
            heapq.heappush(busy, (bar.end, row))
    return rows


def rows_per_lane(rows: dict[int, int], bars: Sequence[Bar], n_lanes: int) -> list[int]:
    """Number of sub-rows each lane needs (at least one, so empty lanes stay visible)."""
    counts = [1] * n_lanes
    for bar in bars:
        if 0 <= bar.lane < n_lanes:
            counts[bar.lane] = max(counts[bar.lane], rows[bar.id] + 1)
    return counts
