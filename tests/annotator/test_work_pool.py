"""The clip pool: outcomes per clip, a killed worker loses only its clip, bugs stop the run,
workers are replaced after their share, a stop keeps what finished."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import Cancelled
from annotator.progress import CancelToken
from annotator.work_pool import WorkerCrash, duration_text, run_pool
from tests.annotator import pool_work


def test_every_clip_gets_its_outcome_in_workers_and_in_process() -> None:
    items = [(f"c{x}", x) for x in range(20)]
    messages: list[str] = []
    pooled = {o.name: (o.value, o.error) for o in run_pool(pool_work.square, items, workers=2,
                                                            progress=lambda _f, m: messages.append(m))}
    alone = {o.name: (o.value, o.error) for o in run_pool(pool_work.square, items, workers=1)}
    assert pooled == alone and len(pooled) == 20
    assert pooled["c13"][0] is None and "unlucky clip" in str(pooled["c13"][1])
    assert pooled["c4"] == (16, None)
    assert messages[0] == "0/20 clips" and messages[-1].startswith("20/20 clips, ")
    assert "clips/min" in messages[-1] and messages[-1].endswith(" left")


def test_a_killed_worker_loses_only_its_clip() -> None:
    items = [(f"c{x}", (x, "die" if x == 5 else "")) for x in range(16)]
    outcomes = {o.name: o for o in run_pool(pool_work.die_on, items, workers=2)}
    assert len(outcomes) == 16
    lost = [n for n, o in outcomes.items() if o.error is not None]
    assert lost == ["c5"] and "worker process stopped (exit code -9)" in str(outcomes["c5"].error)
    assert all(outcomes[f"c{x}"].value == x for x in range(16) if x != 5)


def test_workers_are_replaced_after_their_share() -> None:
    pids = [o.value for o in run_pool(pool_work.pid_of, [(f"c{x}", x) for x in range(8)], workers=2,
                                      tasks_per_child=2)]
    assert len(pids) == 8 and len(set(pids)) >= 4  # each worker served at most 2 clips


def test_a_bug_in_the_work_stops_the_run_with_its_traceback() -> None:
    with pytest.raises(WorkerCrash, match="IndexError"):
        list(run_pool(pool_work.buggy, [("a", 0), ("b", 3), ("c", 0)], workers=2))


def test_cancel_stops_the_workers_and_keeps_finished_clips(tmp_path: Path) -> None:
    cancel = CancelToken()
    items = [(str(x), (str(tmp_path), x)) for x in range(12)]
    seen: list[int] = []
    with pytest.raises(Cancelled):
        for outcome in run_pool(pool_work.slow_write, items, workers=2, cancel=cancel):
            assert outcome.value is not None
            seen.append(outcome.value)
            if len(seen) == 3:
                cancel.cancel()
    written = sorted(int(p.stem) for p in tmp_path.glob("*.done"))
    assert 3 <= len(seen) and set(seen) <= set(written) and len(written) < 12


def test_duration_text() -> None:
    assert [duration_text(s) for s in (12, 250, 7500)] == ["12 s", "4 min 10 s", "2 h 05 min"]


def test_one_isolated_worker_runs_apart_at_its_niceness() -> None:
    import os

    here = os.nice(0)
    got = [o.value for o in run_pool(pool_work.niceness, [("a", 0), ("b", 1)], workers=1, isolated=True,
                                     niceness=5)]
    assert got == [min(here + 5, 19)] * 2
    pids = [o.value for o in run_pool(pool_work.pid_of, [("a", 0)], workers=1, isolated=True)]
    assert pids != [os.getpid()]
    assert list(run_pool(pool_work.square, [], workers=2)) == []
