"""The linear sum assignment of a small dense matrix, in plain Python (no scipy import).

The same algorithm, step for step, as scipy.optimize.linear_sum_assignment (the shortest
augmenting path of Crouse, "On implementing 2D rectangular assignment algorithms", 2016), so
it picks the same pairs, ties included. The merge's blocks are a few rows by a few columns;
importing scipy.optimize cost `mmad merge` about 0.3 s, more than the merge's every block.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

INF = math.inf


def linear_sum_assignment(cost: Sequence[Sequence[float]], maximize: bool = False) -> tuple[list[int], list[int]]:
    """(rows, columns) of an assignment of least (or greatest) total cost, rows ascending; every
    row of a wide matrix is assigned, every column of a tall one. Refuses NaN and infeasible costs."""
    nr = len(cost)
    nc = len(cost[0]) if nr else 0
    if nr == 0 or nc == 0:
        return [], []
    transpose = nc < nr  # a tall matrix is solved as its transpose
    c = [[float(cost[i][j]) for i in range(nr)] for j in range(nc)] if transpose else [
        [float(x) for x in row] for row in cost]
    if transpose:
        nr, nc = nc, nr
    if maximize:
        c = [[-x for x in row] for row in c]
    if any(x != x or x == -INF for row in c for x in row):
        raise ValueError("the cost matrix holds NaN or -inf")
    u = [0.0] * nr
    v = [0.0] * nc
    shortest = [INF] * nc
    path = [-1] * nc
    col4row = [-1] * nr
    row4col = [-1] * nc
    for cur in range(nr):
        sink, min_val, in_rows, in_cols = _augmenting_path(c, u, v, path, row4col, shortest, cur)
        u[cur] += min_val  # the dual variables
        for i in range(nr):
            if in_rows[i] and i != cur:
                u[i] += min_val - shortest[col4row[i]]
        for j in range(nc):
            if in_cols[j]:
                v[j] -= min_val - shortest[j]
        j = sink  # augment along the path
        while True:
            i = path[j]
            row4col[j] = i
            col4row[i], j = j, col4row[i]
            if i == cur:
                break
    if transpose:
        order = sorted(range(nr), key=lambda r: col4row[r])
        return [col4row[r] for r in order], order
    return list(range(nr)), col4row


def _augmenting_path(c: list[list[float]], u: list[float], v: list[float], path: list[int], row4col: list[int],
                     shortest: list[float], i: int) -> tuple[int, float, list[bool], list[bool]]:
    """(sink column, its path's cost, rows visited, columns visited) of the shortest augmenting path from row i."""
    nr, nc = len(c), len(c[0])
    min_val = 0.0
    remaining = [nc - it - 1 for it in range(nc)]  # reversed: a constant matrix gives the identity, as scipy's
    num_remaining = nc
    in_rows = [False] * nr
    in_cols = [False] * nc
    shortest[:] = [INF] * nc
    sink = -1
    while sink == -1:
        index = -1
        lowest = INF
        in_rows[i] = True
        row, ui = c[i], u[i]
        for it in range(num_remaining):
            j = remaining[it]
            r = min_val + row[j] - ui - v[j]
            if r < shortest[j]:
                path[j] = i
                shortest[j] = r
            # among equal costs, a free column: it ends the path (scipy's rule)
            if shortest[j] < lowest or (shortest[j] == lowest and row4col[j] == -1):
                lowest = shortest[j]
                index = it
        min_val = lowest
        if min_val == INF:
            raise ValueError("the cost matrix is infeasible")
        j = remaining[index]
        if row4col[j] == -1:
            sink = j
        else:
            i = row4col[j]
        in_cols[j] = True
        num_remaining -= 1
        remaining[index] = remaining[num_remaining]
    return sink, min_val, in_rows, in_cols
