"""merging.lsap picks the pairs scipy.optimize.linear_sum_assignment picks, ties included."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment as scipy_lsa

from merging.lsap import linear_sum_assignment


@pytest.mark.parametrize("maximize", [True, False])
def test_the_same_pairs_as_scipy_on_small_matrices_with_ties(maximize: bool) -> None:
    rng = np.random.default_rng(7)
    for trial in range(2000):
        rows, cols = (int(n) for n in rng.integers(1, 7, 2))
        kind = trial % 4
        if kind == 0:  # small integers: many ties
            cost = rng.integers(0, 3, (rows, cols)).astype(float)
        elif kind == 1:  # the merge's blocks: scores where a pair is eligible, 0 elsewhere
            cost = rng.random((rows, cols)) * (rng.random((rows, cols)) < 0.5)
        elif kind == 2:
            cost = np.round(rng.random((rows, cols)), 1)
        else:
            cost = np.full((rows, cols), 0.5)
        want_rows, want_cols = scipy_lsa(cost, maximize=maximize)
        assert linear_sum_assignment(cost.tolist(), maximize) == (want_rows.tolist(), want_cols.tolist()), cost


def test_empty_and_refused_matrices() -> None:
    assert linear_sum_assignment([]) == ([], [])
    assert linear_sum_assignment([[]]) == ([], [])
    with pytest.raises(ValueError):
        linear_sum_assignment([[float("nan"), 1.0]])
    with pytest.raises(ValueError):
        linear_sum_assignment([[float("inf"), float("inf")], [1.0, 2.0]])


def test_the_merge_does_not_import_scipy() -> None:
    import subprocess
    import sys

    code = "import sys, merging.workflow, merging.agreement; print('scipy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
