"""Sub-row packing of overlapping bars."""

from hypothesis import given
from hypothesis import strategies as st

from app.timeline.packing import Bar, pack_rows, rows_per_lane


def bar(i: int, start: int, end: int, lane: int = 0) -> Bar:
    return Bar(i, start, end, lane, 0, "")


def test_overlaps_go_to_new_rows_and_free_rows_are_reused() -> None:
    bars = [bar(1, 0, 10), bar(2, 5, 15), bar(3, 12, 20), bar(4, 10, 11)]
    rows = pack_rows(bars)
    assert rows == {1: 0, 2: 1, 4: 0, 3: 0}
    assert rows_per_lane(rows, bars, 3) == [2, 1, 1]


def test_lanes_pack_independently() -> None:
    bars = [bar(1, 0, 10, lane=0), bar(2, 0, 10, lane=1)]
    assert pack_rows(bars) == {1: 0, 2: 0}


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40), st.integers(0, 2)), max_size=40))
def test_packing_never_overlaps_and_uses_the_minimum_rows(spec: list[tuple[int, int, int]]) -> None:
    bars = [bar(i, s, s + d, lane) for i, (s, d, lane) in enumerate(spec)]
    rows = pack_rows(bars)
    for a in bars:
        for b in bars:
            if a.id < b.id and a.lane == b.lane and rows[a.id] == rows[b.id]:
                assert a.end <= b.start or b.end <= a.start
    counts = rows_per_lane(rows, bars, 3)
    for lane in range(3):
        lane_bars = [b for b in bars if b.lane == lane]
        depth = max((sum(b.start <= t < b.end for b in lane_bars) for t in range(0, 241)), default=0)
        assert counts[lane] == max(depth, 1)
