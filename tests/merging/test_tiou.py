from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import ArrayLike

from merging.tiou import (
    as_fraction,
    exceeds,
    intersection_union,
    joint_intersection_union,
    ratio,
    tiou,
    tiou_matrix,
)


def joint_tiou(starts: ArrayLike, ends: ArrayLike, present: ArrayLike | None = None) -> np.ndarray:
    """Joint tIoU |A∩B∩C| / |A∪B∪C| per row of (n, K) intervals, as the cross-check computes it."""
    s = np.asarray(starts, np.int64)
    m = np.ones(s.shape, bool) if present is None else np.asarray(present, bool)
    return ratio(*joint_intersection_union(s, ends, m))


interval = st.tuples(st.integers(0, 500), st.integers(1, 200)).map(lambda t: (t[0], t[0] + t[1]))


def test_hand_computed_iou():
    assert tiou(0, 10, 5, 15) == 5 / 15
    assert tiou(0, 10, 10, 20) == 0.0  # touching intervals share no time
    assert tiou(0, 10, 0, 10) == 1.0
    assert tiou(0, 10, 2, 4) == 2 / 10


def test_matrix_matches_elementwise():
    m = tiou_matrix([0, 10], [10, 30], [5, 0], [15, 30])
    assert m.shape == (2, 2)
    assert m[0, 0] == 5 / 15 and m[1, 1] == 20 / 30 and m[1, 0] == 5 / 25


def test_joint_tiou_three():
    # A=[0,10] B=[2,12] C=[4,14]: ∩=[4,10] 6 frames, ∪=[0,14] 14 frames
    assert joint_tiou([[0, 2, 4]], [[10, 12, 14]])[0] == 6 / 14
    assert joint_tiou([[0, 20, 4]], [[10, 30, 14]])[0] == 0.0


def test_exact_threshold_at_boundary():
    half = Fraction(1, 2)
    assert not exceeds(5, 10, half)  # exactly 0.5 is not > 0.5
    assert exceeds(51, 100, half)
    assert not exceeds(9, 10, as_fraction(0.9))
    assert exceeds(91, 100, as_fraction(0.9))
    assert as_fraction(0.9) == Fraction(9, 10)


@given(interval, interval)
def test_iou_symmetric_and_bounded(a, b):
    x, y = tiou(*a, *b), tiou(*b, *a)
    assert x == y
    assert 0.0 <= x <= 1.0
    inter, union = intersection_union(*a, *b)
    assert 0 <= inter <= union


@given(st.lists(interval, min_size=2, max_size=4))
def test_joint_not_above_any_pair(items):
    s = np.asarray([[i[0] for i in items]])
    e = np.asarray([[i[1] for i in items]])
    j = joint_tiou(s, e)[0]
    pairs = [tiou(*items[i], *items[k]) for i in range(len(items)) for k in range(i + 1, len(items))]
    assert j <= min(pairs) + 1e-12
